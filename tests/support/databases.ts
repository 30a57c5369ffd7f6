import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { loadConfig } from "../../src/config/index.ts";
import { type Database, openDatabase } from "../../src/store/database.ts";
import { migrate } from "../../src/store/migrator.ts";

export interface TestDatabase {
  label: string;
  open(): Promise<Database>;
  /** Drops what open() created. */
  dispose(): Promise<void>;
  /** A second, independent connection to the same database, as another instance would have (PostgreSQL only). */
  connectAgain?: () => Promise<Database>;
  /** The database's PostgreSQL URL, for a test that connects its own way (through a proxy). */
  url?: string;
}

const testUrl = loadConfig().testDatabaseUrl;

/** PGlite always; real PostgreSQL too whenever TEST_DATABASE_URL is set (CI always sets it). */
export function testDatabases(): TestDatabase[] {
  const targets: TestDatabase[] = [
    {
      label: "pglite",
      open: () => openDatabase({ kind: "pglite", dataDir: "memory://" }),
      dispose: async () => {},
    },
  ];
  if (testUrl) targets.push(postgresDatabase(testUrl));
  else console.warn("TEST_DATABASE_URL is not set: storage tests run on PGlite only, not on PostgreSQL.");
  return targets;
}

/** A database of its own per test file (or bench run) on the shared server, dropped afterwards. */
export function postgresDatabase(adminUrl: string, prefix = "tapereader_test"): TestDatabase {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    label: "postgres",
    async open() {
      await admin(`CREATE DATABASE ${name}`);
      return openDatabase({ kind: "postgres", url: url.toString() });
    },
    dispose: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    connectAgain: () => openDatabase({ kind: "postgres", url: url.toString() }),
    url: url.toString(),
  };
}

export async function openMigrated(target: TestDatabase): Promise<Database> {
  const db = await target.open();
  await migrate(db);
  return db;
}

/**
 * A suite's migrated database: opened before its tests, closed and dropped after them. Call it in
 * the describe body; the returned getter gives the open database inside the tests.
 */
export function useMigrated(target: TestDatabase): () => Database {
  let db: Database | undefined;
  beforeAll(async () => {
    db = await openMigrated(target);
  });
  afterAll(async () => {
    await db?.close();
    await target.dispose();
  });
  return () => {
    if (!db) throw new Error(`the ${target.label} test database is not open`);
    return db;
  };
}
