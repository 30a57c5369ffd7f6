import type { Db } from "./client.ts";

/** What the desk remembers going into a cycle: its record, the crowd, its rules and its lessons. */
export async function loadDeskMemory(db: Db, serverId: string, now: Date, crowdDays = 7) {
  const since = new Date(now.getTime() - crowdDays * 86_400_000);
  const [record, crowd, rules, lessons] = await Promise.all([
    db.call.findMany({
      where: { serverId, authorType: "desk", status: { in: ["right", "wrong"] }, resolvedAt: { lte: now } },
      orderBy: { resolvedAt: "asc" },
      select: {
        mind: true,
        regime: true,
        symbol: true,
        direction: true,
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
    db.lesson.findMany({
      where: { serverId },
      orderBy: { createdAt: "desc" },
      take: 5,
      select: { title: true, body: true },
    }),
  ]);
  return { record, crowd, rules, lessons };
}
export type DeskMemory = Awaited<ReturnType<typeof loadDeskMemory>>;
