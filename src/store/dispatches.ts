import type { DispatchRecord } from "../domain/dispatch.ts";
import type { Db } from "./client.ts";

const withCalls = {
  calls: { where: { authorType: "desk" }, orderBy: { id: "asc" } },
  cycle: {
    select: { number: true, regime: true, marketSource: true, engine: true, engineFlags: true, asOf: true },
  },
  server: { select: { name: true, platform: true } },
} as const;

/** Newest first, with their desk calls: the home page and the feed. */
export function latestDispatches(db: Db, limit: number): Promise<DispatchRecord[]> {
  return db.dispatch.findMany({ orderBy: { number: "desc" }, take: limit, include: withCalls });
}

export function dispatchByNumber(db: Db, number: number): Promise<DispatchRecord | null> {
  return db.dispatch.findUnique({ where: { number }, include: withCalls });
}

/** A cheap round trip that proves the database answers. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}
