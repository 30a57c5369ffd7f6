import { z } from "zod";
import { seasonOf } from "../domain/call-record.ts";
import { SHRINK_K } from "../domain/skill.ts";
import { type BoardRow, seasonBoard } from "../resolution/leaderboard.ts";
import { type CommandContext, type CommandResult, ok } from "./context.ts";
import { declareCommand, invoke, optionValue } from "./declaration.ts";

export const leaderboardOptionsSchema = z
  .object({
    /** "current" is the calendar month of now; a past month is "2026-03"; "all" is all time. */
    season: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^(current|all|\d{4}-(0[1-9]|1[0-2]))$/, 'a season: "current", "all" or a month such as 2026-03')
      .default("current"),
    limit: z.number().int().min(1).max(25).default(10),
  })
  .strict();

export type LeaderboardOptions = z.input<typeof leaderboardOptionsSchema>;

export type LeaderboardRow = BoardRow;
export type { MeanWithInterval } from "../resolution/leaderboard.ts";

export interface LeaderboardView {
  season: string;
  minResolved: number;
  /**
   * Members ranked by mean per-call skill shrunk toward zero (sum / (n + SHRINK_K)), with the desk
   * (the reference, 0), the crowd and "always up" placed where their own shrunk skill puts them.
   */
  rows: LeaderboardRow[];
  desk: LeaderboardRow;
  /** Members with calls this season who have not yet reached the floor. */
  belowFloor: number;
}

export const leaderboardCommand = declareCommand({
  name: "leaderboard",
  schema: leaderboardOptionsSchema,
  access: "member",
  answers: "public",
  defer: "when_slow",
  run: leaderboard_,
  text: (view: LeaderboardView) =>
    [`Leaderboard · ${view.season}`, SKILL_NOTE, ...view.rows.map((r) => boardLine(r))].join("\n"),
  slash: {
    description: "Who beats the desk: skill per call, shrunk for few calls",
    options: [
      {
        name: "season",
        type: "string",
        description: "current, all, or a month such as 2026-03",
        autocomplete: "seasons",
        maxLength: 10,
      },
    ],
    fromOptions: (values) => {
      const season = optionValue.string(values, "season");
      return season === undefined ? {} : { season };
    },
    // `/leaderboard`, `/leaderboard season`, `/leaderboard all`, `/leaderboard 2026-03`.
    fromText: (text) => {
      const word = text.trim().toLowerCase();
      return { season: word === "" || word === "season" ? "current" : word };
    },
    usage: "Usage: `/leaderboard` (this month), `/leaderboard all` or `/leaderboard 2026-03`.",
  },
});

export function leaderboard(
  ctx: CommandContext,
  options: LeaderboardOptions = {},
): Promise<CommandResult<LeaderboardView>> {
  return invoke(leaderboardCommand, ctx, options);
}

async function leaderboard_(
  ctx: CommandContext,
  options: z.output<typeof leaderboardOptionsSchema>,
): Promise<CommandResult<LeaderboardView>> {
  const season = options.season === "current" ? seasonOf(ctx.now()) : options.season;
  const minResolved = ctx.settings.leaderboardMinResolved;
  const board = await seasonBoard(ctx.db, {
    serverId: ctx.server.id,
    season,
    minResolved,
    limit: options.limit,
  });
  return ok({ season, minResolved, rows: board.rows, desk: board.desk, belowFloor: board.belowFloor });
}

/** What the numbers on every board mean, in one line. */
export const SKILL_NOTE = `Skill per call, shrunk toward 0 for few calls (sum ÷ (calls + ${SHRINK_K})), [95% t interval of the mean]; vs the desk on its questions (the desk is 0), vs a coin flip on members' own.`;

const signed = (x: number) => `${x > 0 ? "+" : x < 0 ? "−" : ""}${Math.abs(x).toFixed(1)}`;

/** "+15.7 [+47.0 … +47.0]": the shrunk skill and the 95% interval of the raw mean. */
export function skillText(r: LeaderboardRow): string {
  const interval = r.skill.interval
    ? ` [${signed(r.skill.interval.low)} … ${signed(r.skill.interval.high)}]`
    : "";
  return `${signed(r.skill.shrunk)}${interval}`;
}

/** One row as every text surface prints it. */
export function boardLine(r: LeaderboardRow): string {
  const who = r.rank === null ? r.name : `${r.rank}. ${r.name}`;
  return `${who} · ${skillText(r)} vs ${r.against} · ${r.right}/${r.resolved} · ${r.verdict}`;
}
