import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/client.ts";

/** Raw SQL on one connection, for the migrator and locks; everything else goes through Prisma. */
export interface SqlSession {
  exec(sql: string): Promise<void>;
  /**
   * `name`: a statement run very often (on every acknowledged request), which PostgreSQL then parses
   * and plans once per connection; PGlite, in process, ignores it.
   */
  query<Row>(sql: string, params?: unknown[], name?: string): Promise<Row[]>;
}

export interface Database {
  kind: "pglite" | "postgres";
  prisma: PrismaClient;
  /** Runs `fn` on one dedicated connection (PGlite has only one). */
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in one transaction on one connection, through the driver: for bulk writes. Prisma hands
   * every raw parameter to its query compiler, which for a 10k-verdict batch's megabytes of parameters
   * took longer than the write itself. Committed when `fn` resolves, rolled back when it throws.
   */
  transaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type DatabaseTarget = { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string };

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === "postgres" ? openPostgres(target.url) : openPglite(target.dataDir);
}

function openPostgres(url: string): Database {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection dropped by the server (restart, admin kill) must not crash the process:
  // the pool discards it and the next query opens a fresh one.
  pool.on("error", () => {});
  releaseDeadConnections(pool);
  // A burst of commands queues for the pool's 10 connections: Prisma's default 2 s wait for one turned
  // calls away (kill test, 200 concurrent /predict) that a few seconds' patience stores.
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool), transactionOptions: { maxWait: 20_000 } });
  const withSession = async <T>(fn: (session: SqlSession) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    let broken: Error | undefined;
    const run = async <R>(query: () => Promise<R>) => {
      try {
        return await query();
      } catch (error) {
        // Not reused: a failed session may hold state (an advisory lock) nobody could undo.
        broken ??= error instanceof Error ? error : new Error(String(error));
        throw error;
      }
    };
    try {
      return await fn({
        exec: async (sql) => {
          await run(() => client.query(sql));
        },
        query: async <Row>(sql: string, params?: unknown[], name?: string) =>
          (await run(() => client.query({ text: sql, values: params, ...(name && { name }) }))).rows as Row[],
      });
    } finally {
      client.release(broken);
    }
  };
  return {
    kind: "postgres",
    prisma,
    withSession,
    transaction: (fn) =>
      withSession(async (session) => {
        await session.exec("BEGIN");
        try {
          const result = await fn(session);
          await session.exec("COMMIT");
          return result;
        } catch (error) {
          // A failed statement already marked the connection as not to be reused; a dead one cannot roll back.
          await session.exec("ROLLBACK").catch(() => undefined);
          throw error;
        }
      }),
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** The listener each checked-out client carries until it is released. */
const deathListeners = new WeakMap<pg.PoolClient, (error: Error) => void>();

/**
 * A connection that dies while checked out goes back to the pool, to be discarded, at once.
 * - pg-pool listens for a client's errors only while it is idle: a checked-out connection dropped
 *   between queries (the cycle lock's session holds one through a whole cycle) would otherwise
 *   throw an uncaught "Connection terminated unexpectedly" and crash the process.
 * - Prisma releases a transaction's connection only after its ROLLBACK succeeds, which a dead
 *   connection cannot run: every outage in the middle of a transaction would leak a pool slot,
 *   until the pool is exhausted and `close()` waits forever.
 * The holder's own later release becomes a no-op.
 */
function releaseDeadConnections(pool: pg.Pool): void {
  pool.on("acquire", (client) => {
    const onDeath = (error: Error) => {
      const release = client.release;
      client.release = () => {};
      try {
        release(error);
      } catch {
        // Its holder released it first.
      }
    };
    deathListeners.set(client, onDeath);
    client.once("error", onDeath);
  });
  pool.on("release", (_error, client) => {
    const onDeath = deathListeners.get(client);
    if (onDeath) client.removeListener("error", onDeath);
    deathListeners.delete(client);
  });
}

/**
 * PostgreSQL's server defaults size memory for a machine of its own; in-process, its buffers are the
 * desk's RSS. Small buffers cost nothing here (the files sit in the OS cache): measured on a restart,
 * idle RSS went from 528 MB to 375 MB.
 */
const PGLITE_START = [...PGlite.defaultStartParams, "-c", "shared_buffers=16MB", "-c", "work_mem=4MB"];

/** `memory://` keeps the database in memory (tests); any other value is a folder on disk. */
async function openPglite(dataDir: string): Promise<Database> {
  if (!dataDir.startsWith("memory://")) await mkdir(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir, { startParams: PGLITE_START });
  // pglite-prisma-adapter ships its own copy of Prisma's adapter types; the runtime contract is the same.
  const adapter = new PrismaPGlite(pglite) as unknown as SqlDriverAdapterFactory;
  const prisma = new PrismaClient({ adapter });
  const session: SqlSession = {
    exec: async (sql) => {
      await pglite.exec(sql);
    },
    query: async <Row>(sql: string, params?: unknown[]) => (await pglite.query<Row>(sql, params)).rows,
  };
  let queue: Promise<unknown> = Promise.resolve();
  // One connection: sessions take turns so one never sees another's half-done transaction.
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const turn = queue.then(work);
    queue = turn.catch(() => undefined);
    return turn;
  };
  return {
    kind: "pglite",
    prisma,
    withSession: (fn) => inTurn(() => fn(session)),
    // PGlite's own transaction holds off every other query (Prisma's included) until it ends.
    transaction: (fn) =>
      inTurn(() =>
        pglite.transaction((tx) =>
          fn({
            exec: async (sql) => {
              await tx.exec(sql);
            },
            query: async <Row>(sql: string, params?: unknown[]) => (await tx.query<Row>(sql, params)).rows,
          }),
        ),
      ),
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}
