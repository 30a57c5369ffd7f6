import { afterAll, beforeAll } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { openMigrated, type TestDatabase, testDatabases } from "../support/databases.ts";
import { type DiscordHarness, startDiscord } from "./harness.ts";

/**
 * Apart from harness.ts, which the bench imports outside vitest.
 *
 * A migrated test database and a started bot for the enclosing describe block, handed to `set` once
 * started and closed after the block's last test.
 */
export function withDiscordDesk(set: (desk: { db: Database; h: DiscordHarness }) => void): void {
  const target = testDatabases()[0] as TestDatabase;
  let db: Database | undefined;
  let h: DiscordHarness | undefined;
  beforeAll(async () => {
    db = await openMigrated(target);
    h = await startDiscord(db);
    set({ db, h });
  });
  afterAll(async () => {
    await h?.close();
    await db?.close();
    await target.dispose();
  });
}
