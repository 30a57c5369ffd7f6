import type { Db } from "./client.ts";

/** The question and window of a desk call, enough to tell whether a new call would ask it again. */
export const heldCallFields = {
  id: true,
  kind: true,
  symbol: true,
  versus: true,
  direction: true,
  comparator: true,
  level: true,
  horizonHours: true,
  flatBandPct: true,
  probability: true,
  note: true,
  madeAt: true,
  lockAt: true,
  deadline: true,
} as const;

/** The desk's calls still open whose window has not ended: the questions it holds. */
export function openDeskCalls(db: Db, serverId: string, now: Date) {
  return db.call.findMany({
    where: { serverId, authorType: "desk", status: "open", deadline: { gt: now } },
    orderBy: { id: "asc" },
    select: heldCallFields,
  });
}

/** What the desk remembers going into a cycle: its record, the crowd, its rules, its lessons and its open calls. */
export async function loadDeskMemory(db: Db, serverId: string, now: Date, crowdDays = 7) {
  const since = new Date(now.getTime() - crowdDays * 86_400_000);
  const [record, crowd, rules, lessons, open] = await Promise.all([
    db.call.findMany({
      where: { serverId, authorType: "desk", status: { in: ["right", "wrong"] }, resolvedAt: { lte: now } },
      orderBy: { resolvedAt: "asc" },
      select: {
        mind: true,
        regime: true,
        kind: true,
        symbol: true,
        direction: true,
        comparator: true,
        horizonHours: true,
        probability: true,
        outcome: true,
        resolvedAt: true,
        madeAt: true,
        deadline: true,
      },
    }),
    db.call.findMany({
      where: {
        serverId,
        authorType: "member",
        kind: "direction",
        madeAt: { gte: since, lte: now },
        status: { not: "superseded" },
      },
      select: { symbol: true, direction: true, probability: true },
    }),
    db.learnedRule.findMany({ where: { serverId, active: true } }),
    // Post-mortems only: a reflection is a review of the record, not a lesson to quote back.
    db.lesson.findMany({
      where: { serverId, kind: "post_mortem" },
      // One transaction's lessons share a timestamp: the call id keeps a replay's order the same.
      orderBy: [{ createdAt: "desc" }, { callId: "desc" }],
      take: 5,
      select: { title: true, body: true },
    }),
    openDeskCalls(db, serverId, now),
  ]);
  return { record, crowd, rules, lessons, open };
}
export type DeskMemory = Awaited<ReturnType<typeof loadDeskMemory>>;
