import type { Db } from "./client.ts";
import type { Database } from "./database.ts";

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

interface InboxRow {
  entry: InboxEntry;
  receivedAt: Date;
  leaseUntil: Date;
}

type Recording = InboxRow & { done(fresh: boolean): void; fail(error: unknown): void };

/** Records one request (see inboxRecorder): false when it was recorded before. */
export async function recordInbox(db: Database, entry: InboxEntry, receivedAt: Date, leaseUntil: Date) {
  return (await recordInboxRows(db, [{ entry, receivedAt, leaseUntil }])).has(entry.key);
}

/**
 * Writes at once: while one is under way, a second takes what arrived meanwhile instead of waiting
 * for it, so a request in a burst waits about one write rather than the rest of another and its own.
 */
const WRITERS = 2;

/**
 * Records requests before they are acknowledged, each leased to the handler that received it until
 * its `leaseUntil`; resolves true when recorded now, false for a redelivery of a recorded request
 * (ON CONFLICT DO NOTHING: nothing changes; a redelivery in the other write waits for this one's
 * commit and then changes nothing). Requests arriving while the writes are under way go together in
 * the next one, one statement and one commit for a whole burst: each ack waits for its own row to
 * be durable, not for a queue of single-row commits.
 */
export function inboxRecorder(
  db: Database,
): (entry: InboxEntry, receivedAt: Date, leaseUntil: Date) => Promise<boolean> {
  let queued: Recording[] = [];
  let writers = 0;
  const flush = async () => {
    writers += 1;
    while (queued.length > 0) {
      const batch = queued;
      queued = [];
      try {
        const fresh = await recordInboxRows(db, batch);
        const seen = new Set<string>();
        for (const r of batch) {
          // The same key twice in one batch: only its first arrival is the recorded one.
          r.done(fresh.has(r.entry.key) && !seen.has(r.entry.key));
          seen.add(r.entry.key);
        }
      } catch (error) {
        for (const r of batch) r.fail(error);
      }
    }
    writers -= 1;
  };
  let starting = false;
  return (entry, receivedAt, leaseUntil) =>
    new Promise<boolean>((done, fail) => {
      queued.push({ entry, receivedAt, leaseUntil, done, fail });
      if (writers >= WRITERS || starting) return;
      // A writer starts once this turn of the event loop has read what arrived (setImmediate runs
      // after the turn's I/O callbacks): the requests of one read go in one statement, instead of the
      // first two going alone, each a round trip and a commit the rest of a burst waited behind.
      starting = true;
      setImmediate(() => {
        starting = false;
        void flush();
      });
    });
}

/**
 * One statement for all the rows; the keys it recorded (a key recorded before is left out).
 *
 * Through the driver with one JSON parameter: Prisma compiled every raw insert and the driver escaped
 * each array element, costs an ack waits for. The commit does not wait for the WAL flush
 * (synchronous_commit off, this statement's own transaction only, set inside it so that the whole
 * write is one round trip): the row guards against the bot crashing between its ack and the stored
 * call, and a row the server has committed survives that; only a crash of the database server itself
 * within its flush delay (a fraction of a second) could lose it.
 */
async function recordInboxRows(db: Database, rows: readonly InboxRow[]): Promise<Set<string>> {
  const json = JSON.stringify(
    rows.map((r) => ({
      platform: r.entry.platform,
      key: r.entry.key,
      kind: r.entry.kind,
      payload: r.entry.payload,
      received_at: r.receivedAt.toISOString(),
      lease_until: r.leaseUntil.toISOString(),
    })),
  );
  const inserted = await db.withSession((session) =>
    session.query<{ key: string }>(
      `INSERT INTO "InboxCommand" (id, platform, key, kind, payload, "receivedAt", "leaseUntil")
       SELECT gen_random_uuid()::text, r.platform, r.key, r.kind, r.payload,
         (r.received_at AT TIME ZONE 'UTC'), (r.lease_until AT TIME ZONE 'UTC')
       FROM jsonb_to_recordset($1::jsonb)
         AS r(platform text, key text, kind text, payload jsonb, received_at timestamptz, lease_until timestamptz),
         (SELECT set_config('synchronous_commit', 'off', true)) AS no_flush_wait
       ON CONFLICT (key) DO NOTHING
       RETURNING key`,
      [json],
      "inbox-record",
    ),
  );
  return new Set(inserted.map((row) => row.key));
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
