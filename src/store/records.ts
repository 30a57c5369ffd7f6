import { debatedSymbol } from "../domain/debate.ts";
import type { CallRow, Db } from "./client.ts";

/** A member's calls, newest first. */
export function findMemberCalls(db: Db, memberId: string, limit: number): Promise<CallRow[]> {
  return db.call.findMany({ where: { memberId }, orderBy: { madeAt: "desc" }, take: limit });
}

/** A member's resolved calls (voids included), for their record and calibration. Index: (memberId, status). */
export function findResolvedMemberCalls(db: Db, memberId: string): Promise<CallRow[]> {
  return db.call.findMany({ where: { memberId, status: { in: ["right", "wrong", "void"] } } });
}

/** The desk's resolved calls on a server (voids included, so the record shows them). */
export function findResolvedDeskCalls(db: Db, serverId: string): Promise<CallRow[]> {
  return db.call.findMany({
    where: { serverId, authorType: "desk", status: { in: ["right", "wrong", "void"] } },
    orderBy: { resolvedAt: "asc" },
  });
}

/** Everything the trail of one call shows, from inputs to lesson. */
export async function loadCallTrail(db: Db, callId: number) {
  const call = await db.call.findUnique({
    where: { id: callId },
    include: {
      member: true,
      lesson: true,
      dispatch: true,
      parentCall: true,
      chainRecords: { where: { kind: "verdict" }, select: { seq: true, hash: true, prevHash: true } },
    },
  });
  if (!call) return null;
  const [cycle, responses] = await Promise.all([
    call.cycleId
      ? db.cycle.findUnique({
          where: { id: call.cycleId },
          include: {
            observations: { orderBy: { id: "asc" } },
            // A VIX call's debate is the market's: the trail shows the stances its dispatch quoted.
            stances: {
              where: { symbol: debatedSymbol(call.symbol) },
              orderBy: [{ round: "asc" }, { mind: "asc" }],
            },
          },
        })
      : null,
    db.call.groupBy({
      by: ["stance"],
      where: { parentCallId: call.id, status: { not: "superseded" } },
      _count: true,
    }),
  ]);
  return { call, cycle, responses: responses.map((r) => ({ stance: r.stance, count: r._count })) };
}
export type CallTrailData = NonNullable<Awaited<ReturnType<typeof loadCallTrail>>>;
