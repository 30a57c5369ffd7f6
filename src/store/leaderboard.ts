import type { Db } from "./client.ts";

/** Running score sums of one author in one season: what ScoreTotal rows hold. */
export interface ScoreSums {
  resolved: number;
  rightCount: number;
  voids: number;
  brierSum: number;
  baselineSum: number;
  peerSum: number;
  peerCount: number;
}

export function emptySums(): ScoreSums {
  return { resolved: 0, rightCount: 0, voids: 0, brierSum: 0, baselineSum: 0, peerSum: 0, peerCount: 0 };
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

/** Reads the running totals: an index range scan over a server's season, never the calls themselves. */
export async function leaderboardTotals(
  db: Db,
  query: LeaderboardQuery,
): Promise<{ members: TotalsRow[]; desk: TotalsRow | null; belowFloor: number }> {
  const where = { serverId: query.serverId, season: query.season };
  const [top, desk, belowFloor] = await Promise.all([
    db.scoreTotal.findMany({
      where: { ...where, authorKey: { not: "desk" }, resolved: { gte: query.minResolved } },
      orderBy: [{ baselineSum: "desc" }, { resolved: "desc" }],
      take: query.limit,
    }),
    db.scoreTotal.findUnique({ where: { serverId_season_authorKey: { ...where, authorKey: "desk" } } }),
    db.scoreTotal.count({
      where: { ...where, authorKey: { not: "desk" }, resolved: { lt: query.minResolved } },
    }),
  ]);
  const members = await db.member.findMany({ where: { id: { in: top.map((t) => t.authorKey) } } });
  const byId = new Map(members.map((m) => [m.id, m]));
  const row = (t: (typeof top)[number]): TotalsRow => {
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
    };
  };
  return { members: top.map(row), desk: desk ? row(desk) : null, belowFloor };
}
