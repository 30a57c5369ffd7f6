import { afterAll, beforeAll } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { openMigrated, type TestDatabase, testDatabases } from "../support/databases.ts";
import { SlackHarness } from "./harness.ts";

/**
 * Apart from harness.ts, which the bench imports outside vitest.
 *
 * A migrated test database and a started Slack app for the enclosing describe block, handed to `set`
 * once started (with the workspace installed unless `installed` is false) and stopped after the
 * block's last test.
 */
export function withSlackDesk(
  set: (desk: { db: Database; h: SlackHarness }) => void,
  { installed = true }: { installed?: boolean } = {},
): void {
  const target = testDatabases()[0] as TestDatabase;
  let db: Database | undefined;
  let h: SlackHarness | undefined;
  beforeAll(async () => {
    db = await openMigrated(target);
    h = new SlackHarness(db);
    await h.start();
    if (installed) await h.workspace();
    set({ db, h });
  });
  afterAll(async () => {
    await h?.stop();
    await db?.close();
    await target.dispose();
  });
}
