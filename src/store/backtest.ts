import type { CallRow, Db } from "./client.ts";

/** Calls already in the database: a backtest's sweep resolves every server's due calls, so it needs a scratch database. */
export function countCalls(db: Db): Promise<number> {
  return db.call.count();
}

/** The furthest deadline among a server's open calls, for the walk's closing sweep. */
export async function latestOpenDeadline(db: Db, serverId: string): Promise<Date | null> {
  const row = await db.call.findFirst({
    where: { serverId, status: "open" },
    orderBy: { deadline: "desc" },
    select: { deadline: true },
  });
  return row?.deadline ?? null;
}

/** Every desk call of a server, open ones included, oldest first. */
export function findDeskCalls(db: Db, serverId: string): Promise<CallRow[]> {
  return db.call.findMany({ where: { serverId, authorType: "desk" }, orderBy: { id: "asc" } });
}

/**
 * The cycles a walk ran, with their round-two stances and the prices they observed: what the
 * report needs to score each mind's stances as if they had been calls.
 */
export function findCyclesWithStances(db: Db, serverId: string) {
  return db.cycle.findMany({
    where: { serverId, status: { in: ["published", "no_call"] } },
    orderBy: { number: "asc" },
    select: {
      id: true,
      asOf: true,
      regime: true,
      stances: { where: { round: 2 } },
      observations: { where: { kind: { in: ["quote", "crypto"] } }, select: { symbol: true, value: true } },
    },
  });
}
export type CycleWithStances = Awaited<ReturnType<typeof findCyclesWithStances>>[number];

/** Each stored observation beside its cycle's moment, for the no-look-ahead check. */
export function findObservationTimes(db: Db, serverId: string) {
  return db.observation.findMany({
    where: { cycle: { serverId } },
    select: { id: true, asOf: true, cycle: { select: { asOf: true } } },
  });
}
