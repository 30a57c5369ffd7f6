import { SHRINK_K } from "../domain/skill.ts";
import type { Db } from "./client.ts";
import { Prisma } from "./generated/client.ts";

/** Running score sums of one author in one season: what ScoreTotal rows hold. */
export interface ScoreSums {
  resolved: number;
  rightCount: number;
  voids: number;
  brierSum: number;
  baselineSum: number;
  peerSum: number;
  peerCount: number;
  baselineSqSum: number;
  peerSqSum: number;
  /** Per-call skill: the peer score where the desk answered the same question, else baseline × ln 2. */
  skillSum: number;
  skillSqSum: number;
}

export function emptySums(): ScoreSums {
  return {
    resolved: 0,
    rightCount: 0,
    voids: 0,
    brierSum: 0,
    baselineSum: 0,
    peerSum: 0,
    peerCount: 0,
    baselineSqSum: 0,
    peerSqSum: 0,
    skillSum: 0,
    skillSqSum: 0,
  };
}

export interface TotalsRow extends ScoreSums {
  authorKey: string;
  /** Null for the desk. */
  member: { id: string; externalId: string; displayName: string } | null;
}

export interface LeaderboardQuery {
  serverId: string;
  /** "2026-11" or "all". */
  season: string;
  /** Members with fewer resolved calls are left off the board (the desk always shows). */
  minResolved: number;
  limit: number;
}

type TotalRow = ScoreSums & { authorKey: string };

/**
 * Reads the running totals, best shrunk skill first (skillSum / (resolved + k), the mean pulled
 * toward zero): a scan of one server's season rows, never the calls themselves.
 */
export async function leaderboardTotals(
  db: Db,
  query: LeaderboardQuery,
): Promise<{ members: TotalsRow[]; desk: TotalsRow | null; belowFloor: number }> {
  const where = { serverId: query.serverId, season: query.season };
  const [top, desk, belowFloor] = await Promise.all([
    db.$queryRaw<TotalRow[]>(Prisma.sql`
      SELECT * FROM "ScoreTotal"
      WHERE "serverId" = ${query.serverId} AND season = ${query.season} AND "authorKey" <> 'desk'
        AND resolved >= ${query.minResolved}
      ORDER BY "skillSum" / (resolved + ${SHRINK_K}::float8) DESC, resolved DESC, "authorKey"
      LIMIT ${query.limit}`),
    db.scoreTotal.findUnique({ where: { serverId_season_authorKey: { ...where, authorKey: "desk" } } }),
    db.scoreTotal.count({
      where: { ...where, authorKey: { not: "desk" }, resolved: { lt: query.minResolved } },
    }),
  ]);
  const members = await db.member.findMany({ where: { id: { in: top.map((t) => t.authorKey) } } });
  const byId = new Map(members.map((m) => [m.id, m]));
  const row = (t: TotalRow): TotalsRow => {
    const member = byId.get(t.authorKey);
    return {
      authorKey: t.authorKey,
      member: member
        ? { id: member.id, externalId: member.externalId, displayName: member.displayName }
        : null,
      resolved: t.resolved,
      rightCount: t.rightCount,
      voids: t.voids,
      brierSum: t.brierSum,
      baselineSum: t.baselineSum,
      peerSum: t.peerSum,
      peerCount: t.peerCount,
      baselineSqSum: t.baselineSqSum,
      peerSqSum: t.peerSqSum,
      skillSum: t.skillSum,
      skillSqSum: t.skillSqSum,
    };
  };
  return { members: top.map(row), desk: desk ? row(desk) : null, belowFloor };
}

/** A resolved desk question as the benchmark rows see it. */
export interface DeskQuestion {
  id: number;
  probability: number;
  outcome: 0 | 1;
  kind: string;
  direction: string | null;
  comparator: string | null;
  /** Median of the live members' probabilities on the desk's side; null when nobody answered. */
  crowd: number | null;
  answers: number;
}

/**
 * The season's resolved desk questions with the crowd's median on each (agree counts its p, fade
 * 1 - p): what the crowd and "always up" rows are scored on. One index range over the desk's calls
 * and, per call, the parentCallId index over its answers.
 */
export function resolvedDeskQuestions(db: Db, serverId: string, season: string): Promise<DeskQuestion[]> {
  const inSeason = season === "all" ? Prisma.empty : Prisma.sql`AND d.season = ${season}`;
  return db.$queryRaw<DeskQuestion[]>(Prisma.sql`
    SELECT d.id, d.probability, d.outcome, d.kind, d.direction, d.comparator,
      crowd.p AS crowd, COALESCE(crowd.n, 0)::int AS answers
    FROM "Call" AS d
    LEFT JOIN LATERAL (${crowdOf(Prisma.sql`d.id`)}) AS crowd ON true
    WHERE d."serverId" = ${serverId} AND d."authorType" = 'desk' AND d.status IN ('right', 'wrong') ${inSeason}
    ORDER BY d.id`);
}

/** The crowd on one desk call: the median probability its live answers put on the desk's side. */
export function crowdOf(deskCallId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT percentile_cont(0.5) WITHIN GROUP (
        ORDER BY CASE WHEN r.stance = 'fade' THEN 1 - r.probability ELSE r.probability END
      ) AS p, count(*) AS n
    FROM "Call" AS r
    WHERE r."parentCallId" = ${deskCallId} AND r.stance IN ('agree', 'fade') AND r.status <> 'superseded'`;
}
