import { loadConfig } from "../src/config/index.ts";
import { type Database, openDatabase } from "../src/store/database.ts";
import { migrate } from "../src/store/migrator.ts";
import { openMigrated, postgresDatabase } from "../tests/support/databases.ts";

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
  const scratch = postgresDatabase(adminUrl, "tapereader_bench");
  const db = await openMigrated(scratch);
  return {
    label: "postgres",
    db,
    async dispose() {
      await db.close();
      await scratch.dispose();
    },
  };
}
