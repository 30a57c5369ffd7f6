import type { MindName, MindStance } from "../types.ts";
import type { MindContext, MindTable } from "./common.ts";
import { contrarianMind } from "./contrarian.ts";
import { flowMind } from "./flow.ts";
import { macroMind } from "./macro.ts";

export type { MindContext } from "./common.ts";
export { BLOCKING_FLAGS, blockingFlags } from "./common.ts";

export const OFFLINE_MINDS: MindTable = { macro: macroMind, flow: flowMind, contrarian: contrarianMind };

/** Round one: every mind answers on every symbol from the same context, independently. */
export function openingStances(ctx: MindContext, minds: MindTable = OFFLINE_MINDS): MindStance[] {
  return (Object.keys(minds) as MindName[]).flatMap((mind) =>
    minds[mind](ctx).map((answer): MindStance => ({ ...answer, mind, round: 1 })),
  );
}
