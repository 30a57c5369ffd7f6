import { z } from "zod";
import { type CommandContext, type CommandResult, fail, ok, type RunNowResult } from "./context.ts";
import { declareCommand, invoke } from "./declaration.ts";

export const cycleNowOptionsSchema = z.object({}).strict();

export type CycleNowOptions = z.input<typeof cycleNowOptionsSchema>;

/**
 * "started" carries the dispatch number (null when the desk made no call); "skipped" says the market
 * has not changed since the last dispatch; "already_running" is an answer, not an error.
 */
export type CycleNowView = RunNowResult;

/** "Nothing new since dispatch #41 (market at 2026-06-10 15:00 UTC): cycle 7 skipped, nothing published." */
export function skippedText(view: Extract<CycleNowView, { status: "skipped" }>): string {
  const at = `${view.sinceAt.slice(0, 16).replace("T", " ")} UTC`;
  return `Nothing new since dispatch #${view.sinceDispatch} (market at ${at}): cycle ${view.cycleNumber} skipped, nothing published. The desk still holds that dispatch's calls.`;
}

const USAGE = "Usage: `/cycle now` runs the desk now (moderators only).";

/** `/cycle now`: runs the desk outside its schedule. Moderators only: a cycle costs data and model calls. */
export const cycleCommand = declareCommand({
  name: "cycle",
  schema: cycleNowOptionsSchema,
  access: "moderator",
  answers: "private",
  // A cycle reads the market and writes an essay: never inside a chat platform's first seconds.
  defer: "at_once",
  run: async (ctx, _options) => ok(await ctx.cycles.runNow(ctx.server)),
  text: (view: CycleNowView) =>
    view.status === "already_running"
      ? "A cycle is already running for this server."
      : view.status === "skipped"
        ? skippedText(view)
        : view.dispatchNumber === null
          ? "Cycle done: the desk made no call."
          : `Cycle done: dispatch #${view.dispatchNumber} is on its way.`,
  slash: {
    description: "The desk's cycle (moderators)",
    subcommand: { name: "now", description: "Run a cycle now and post its dispatch" },
    options: [],
    fromOptions: () => ({}),
    fromText: (text) => (text.trim().toLowerCase() === "now" ? {} : fail(USAGE)),
    usage: USAGE,
  },
});

export function cycleNow(
  ctx: CommandContext,
  options: CycleNowOptions = {},
): Promise<CommandResult<CycleNowView>> {
  return invoke(cycleCommand, ctx, options);
}
