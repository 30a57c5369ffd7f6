import { describe, expect, it, vi } from "vitest";
import { ackUnderway } from "../../src/bot/after-ack.ts";
import { SlackInbox } from "../../src/bot/slack/inbox.ts";
import { inboxStore } from "../../src/cli/wiring.ts";
import type { Database } from "../../src/store/database.ts";
import { capturedLogger } from "../support/captured-log.ts";
import { type TestDatabase, testDatabases } from "../support/databases.ts";
import { withMigratedDatabase } from "../support/per-block.ts";
import { until } from "../support/process.ts";

describe("the Slack inbox's replay passes", () => {
  let db: Database;
  withMigratedDatabase(testDatabases()[0] as TestDatabase, (opened) => {
    db = opened;
  });

  it("wait while an ack is under way, and run once it is given", async () => {
    const store = inboxStore(db);
    const expire = vi.spyOn(store, "expire");
    const inbox = new SlackInbox(store, capturedLogger().log);
    const acked = ackUnderway();
    try {
      inbox.start(async () => {});
      // Everything that could run without waiting on a timer has run: the pass has not begun.
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(expire).not.toHaveBeenCalled();
      acked();
      await until("the replay pass", 10_000, async () => (expire.mock.calls.length > 0 ? true : null));
    } finally {
      acked();
      await inbox.stop();
    }
  });
});
