import { z } from "zod";
import { seasonOf } from "../domain/call-record.ts";
import { emptySums, leaderboardTotals, type TotalsRow } from "../store/leaderboard.ts";
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

export interface LeaderboardRow {
  /** 1-based among members; null for the desk, which is shown in place but never takes a rank. */
  rank: number | null;
  isDesk: boolean;
  name: string;
  externalId: string | null;
  resolved: number;
  right: number;
  hitRate: number | null;
  meanBrier: number | null;
  baselineSum: number;
  /** Head-to-head against the desk on the desk calls this member answered. */
  peerSum: number;
  peerCount: number;
  peerMean: number | null;
  voids: number;
  /** Members only: a higher summed baseline score than the desk's this season. */
  beatsDesk: boolean | null;
}

export interface LeaderboardView {
  season: string;
  minResolved: number;
  /** Ranked by summed baseline score, the desk placed where its own score puts it. */
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
    [
      `Leaderboard · ${view.season} (summed baseline score)`,
      ...view.rows.map(
        (r) =>
          `${r.isDesk ? "desk" : `${r.rank}.`} ${r.name} · ${Math.round(r.baselineSum)} · ${r.right}/${r.resolved}`,
      ),
    ].join("\n"),
  slash: {
    description: "Who beats the desk: summed baseline score",
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
  const totals = await leaderboardTotals(ctx.db.prisma, {
    serverId: ctx.server.id,
    season,
    minResolved,
    limit: options.limit,
  });
  const desk = rowOf(totals.desk ?? emptyDesk(), null, null);
  const members = totals.members.map((t, i) => rowOf(t, i + 1, desk.baselineSum));
  const at = members.findIndex((m) => m.baselineSum < desk.baselineSum);
  const rows = at === -1 ? [...members, desk] : [...members.slice(0, at), desk, ...members.slice(at)];
  return ok({ season, minResolved, rows, desk, belowFloor: totals.belowFloor });
}

function rowOf(t: TotalsRow, rank: number | null, deskBaseline: number | null): LeaderboardRow {
  const isDesk = t.authorKey === "desk";
  return {
    rank,
    isDesk,
    name: isDesk ? "Desk" : (t.member?.displayName ?? "former member"),
    externalId: t.member?.externalId ?? null,
    resolved: t.resolved,
    right: t.rightCount,
    hitRate: t.resolved ? t.rightCount / t.resolved : null,
    meanBrier: t.resolved ? t.brierSum / t.resolved : null,
    baselineSum: t.baselineSum,
    peerSum: t.peerSum,
    peerCount: t.peerCount,
    peerMean: t.peerCount ? t.peerSum / t.peerCount : null,
    voids: t.voids,
    beatsDesk: deskBaseline === null ? null : t.baselineSum > deskBaseline,
  };
}

/** The desk always has a row, even in a season before its first verdict. */
function emptyDesk(): TotalsRow {
  return { authorKey: "desk", member: null, ...emptySums() };
}
