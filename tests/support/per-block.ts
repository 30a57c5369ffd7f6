import { afterAll, beforeAll } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { openMigrated, type TestDatabase } from "./databases.ts";

/**
 * A migrated database on `target` for the enclosing describe block, handed to `set` once open and
 * closed, with its target disposed, after the block's last test. (Apart from databases.ts, which
 * code outside vitest imports.)
 */
export function withMigratedDatabase(target: TestDatabase, set: (db: Database) => void): void {
  let db: Database | undefined;
  beforeAll(async () => {
    db = await openMigrated(target);
    set(db);
  });
  afterAll(async () => {
    await db?.close();
    await target.dispose();
  });
}
