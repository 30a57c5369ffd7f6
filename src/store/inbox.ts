import type { Db } from "./client.ts";
import type { Prisma } from "./generated/client.ts";

export interface InboxEntry {
  platform: string;
  /** The request's idempotency key: a redelivery has the same one. */
  key: string;
  kind: string;
  payload: object;
}

export interface ClaimedInboxEntry {
  key: string;
  kind: string;
  payload: unknown;
  attempts: number;
}

export interface ExpiredInboxEntry {
  key: string;
  kind: string;
  receivedAt: Date;
  attempts: number;
  lastError: string | null;
}

/**
 * Records a request before it is acknowledged, leased to the handler that received it until
 * `leaseUntil`. A redelivery of a recorded request changes nothing (ON CONFLICT DO NOTHING): false then.
 */
export async function recordInbox(
  db: Db,
  entry: InboxEntry,
  receivedAt: Date,
  leaseUntil: Date,
): Promise<boolean> {
  const payload = entry.payload as Prisma.InputJsonObject;
  const { count } = await db.inboxCommand.createMany({
    data: [{ ...entry, payload, receivedAt, leaseUntil }],
    skipDuplicates: true,
  });
  return count > 0;
}

/**
 * Claims pending requests received since `since` whose lease has ended (their handler crashed or
 * failed), for a new lease: concurrent replayers skip each other's rows.
 */
export function claimInbox(
  db: Db,
  platform: string,
  since: Date,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<ClaimedInboxEntry[]> {
  return db.$queryRaw<ClaimedInboxEntry[]>`
    WITH due AS (
      SELECT id FROM "InboxCommand"
      WHERE status = 'pending' AND platform = ${platform} AND "leaseUntil" <= ${now} AND "receivedAt" >= ${since}
      ORDER BY "receivedAt" LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE "InboxCommand" AS i SET attempts = i.attempts + 1, "leaseUntil" = ${leaseUntil}
    FROM due WHERE i.id = due.id
    RETURNING i.key, i.kind, i.payload, i.attempts`;
}

/** Pending requests received before `before` and held by no handler: too old to answer, so expired. */
export function expireInbox(db: Db, platform: string, before: Date, now: Date): Promise<ExpiredInboxEntry[]> {
  return db.$queryRaw<ExpiredInboxEntry[]>`
    UPDATE "InboxCommand" SET status = 'expired', "processedAt" = ${now}
    WHERE status = 'pending' AND platform = ${platform} AND "receivedAt" < ${before} AND "leaseUntil" <= ${now}
    RETURNING key, kind, "receivedAt", attempts, "lastError"`;
}

export async function markInboxProcessed(db: Db, key: string, at: Date): Promise<void> {
  await db.inboxCommand.updateMany({
    where: { key, status: "pending" },
    data: { status: "processed", processedAt: at, lastError: null },
  });
}

/** Stays pending: replayed once its lease ends. */
export async function markInboxFailed(db: Db, key: string, error: string): Promise<void> {
  await db.inboxCommand.updateMany({
    where: { key, status: "pending" },
    data: { lastError: error.slice(0, 1000) },
  });
}

/** Rows done with before `before`: a redelivery after that is answered by the handlers' own idempotency. */
export async function pruneInbox(db: Db, before: Date): Promise<number> {
  const { count } = await db.inboxCommand.deleteMany({
    where: { status: { not: "pending" }, processedAt: { lt: before } },
  });
  return count;
}
