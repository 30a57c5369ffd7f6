import { z } from "zod";
import {
  type CommandContext,
  type CommandResult,
  ok,
  parseOptions,
  type RunNowResult,
  requireModerator,
} from "./context.ts";

export const cycleNowOptionsSchema = z.object({}).strict();

export type CycleNowOptions = z.input<typeof cycleNowOptionsSchema>;

/** "started" carries the dispatch number (null when the desk made no call); "already_running" is an answer, not an error. */
export type CycleNowView = RunNowResult;

/** `/cycle now`: runs the desk outside its schedule. Moderators only: a cycle costs data and model calls. */
export async function cycleNow(
  ctx: CommandContext,
  options: CycleNowOptions = {},
): Promise<CommandResult<CycleNowView>> {
  const refused = requireModerator(ctx, "/cycle now");
  if (refused) return refused;
  const parsed = parseOptions(cycleNowOptionsSchema, options);
  if (!parsed.ok) return parsed;
  return ok(await ctx.cycles.runNow(ctx.server.id));
}
