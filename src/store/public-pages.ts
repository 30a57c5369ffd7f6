import type { Db, ServerRow } from "./client.ts";

/** Every server in the order they joined: the web view defaults to the first. */
export function listServers(db: Db): Promise<ServerRow[]> {
  return db.server.findMany({ orderBy: { createdAt: "asc" } });
}

/** One platform user's memberships: the same person on two servers has two records. */
export function findMemberships(db: Db, platform: string, externalId: string) {
  return db.member.findMany({
    where: { externalId, server: { platform } },
    include: { server: true },
    orderBy: { createdAt: "asc" },
  });
}

/** The desk's learned rules on a server, active and lifted, newest first. */
export function findLearnedRules(db: Db, serverId: string) {
  return db.learnedRule.findMany({ where: { serverId }, orderBy: { createdAt: "desc" } });
}

/** A server's most recent post-mortems and reflections. */
export function findRecentLessons(db: Db, serverId: string, limit: number) {
  return db.lesson.findMany({ where: { serverId }, orderBy: { createdAt: "desc" }, take: limit });
}
