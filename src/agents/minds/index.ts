import type { MindName, MindStance } from "../types.ts";
import { abstain, type MindContext, type MindTable, noPriceReason } from "./common.ts";
import { contrarianMind } from "./contrarian.ts";
import { flowMind } from "./flow.ts";
import { macroMind } from "./macro.ts";

export type { MindContext } from "./common.ts";
export { BLOCKING_FLAGS, blockingFlags, noPriceReason } from "./common.ts";

export const OFFLINE_MINDS: MindTable = { macro: macroMind, flow: flowMind, contrarian: contrarianMind };

/**
 * Round one: every mind answers on every symbol from the same context, independently. On a symbol
 * without a price every mind abstains and says so.
 */
export function openingStances(ctx: MindContext, minds: MindTable = OFFLINE_MINDS): MindStance[] {
  return (Object.keys(minds) as MindName[]).flatMap((mind) =>
    minds[mind](ctx).map((answer): MindStance => {
      const noPrice = noPriceReason(answer.symbol, ctx.features.symbols.get(answer.symbol));
      return noPrice
        ? { ...abstain(answer.symbol, noPrice, answer.observationIds), mind, round: 1 }
        : { ...answer, mind, round: 1 };
    }),
  );
}
