import { randomBytes } from "node:crypto";
import pg from "pg";
import { loadConfig } from "../src/config/index.ts";
import { type Database, openDatabase } from "../src/store/database.ts";
import { migrate } from "../src/store/migrator.ts";

export interface BenchDatabase {
  label: string;
  db: Database;
  dispose(): Promise<void>;
}

/** A scratch PostgreSQL database when a test database URL is configured (dropped afterwards), else PGlite in memory. */
export async function openBenchDatabase(): Promise<BenchDatabase> {
  const adminUrl = loadConfig().testDatabaseUrl;
  if (!adminUrl) {
    const db = await openDatabase({ kind: "pglite", dataDir: "memory://" });
    await migrate(db);
    return { label: "pglite (memory)", db, dispose: () => db.close() };
  }
  const name = `tapereader_bench_${randomBytes(6).toString("hex")}`;
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
  await admin(`CREATE DATABASE ${name}`);
  const db = await openDatabase({ kind: "postgres", url: url.toString() });
  await migrate(db);
  return {
    label: "postgres",
    db,
    async dispose() {
      await db.close();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
