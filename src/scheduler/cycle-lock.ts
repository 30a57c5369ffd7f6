import { createHash } from "node:crypto";
import type { Database } from "../store/database.ts";

export type Locked<T> = { ran: true; value: T } | { ran: false };

/** One cycle at a time per server: across every instance on PostgreSQL, within the process on PGlite. */
export interface CycleLock {
  run<T>(serverId: string, work: () => Promise<T>): Promise<Locked<T>>;
}

export function cycleLockFor(db: Database): CycleLock {
  return db.kind === "postgres" ? advisoryLock(db) : processLock(db);
}

/** A signed 64-bit advisory-lock key derived from the server id. */
function lockKey(serverId: string): string {
  return createHash("sha256").update(`cycle:${serverId}`).digest().readBigInt64BE(0).toString();
}

function advisoryLock(db: Database): CycleLock {
  return {
    run: (serverId, work) =>
      db.withSession(async (session) => {
        const key = lockKey(serverId);
        const [row] = await session.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS ok", [
          key,
        ]);
        if (!row?.ok) return { ran: false } as const;
        try {
          return { ran: true, value: await work() } as const;
        } finally {
          // A session the database dropped lost its lock with it (and is discarded, not reused):
          // the failed unlock must not hide what the work itself did or threw.
          await session.query("SELECT pg_advisory_unlock($1::bigint)", [key]).catch(() => undefined);
        }
      }),
  };
}

/** Servers with a cycle running, per embedded database: every runtime on one PGlite shares the set. */
const runningByDatabase = new WeakMap<Database, Set<string>>();

/** PGlite lives in this process alone, so a set of running servers is the whole truth. */
function processLock(db: Database): CycleLock {
  const running = runningByDatabase.get(db) ?? new Set<string>();
  runningByDatabase.set(db, running);
  return {
    async run(serverId, work) {
      if (running.has(serverId)) return { ran: false };
      running.add(serverId);
      try {
        return { ran: true, value: await work() };
      } finally {
        running.delete(serverId);
      }
    },
  };
}
