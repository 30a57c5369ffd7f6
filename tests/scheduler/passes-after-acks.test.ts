import { describe, expect, it, vi } from "vitest";
import { SimulatedMarket } from "../../src/market/simulated/market.ts";
import { DeskRuntime } from "../../src/scheduler/runtime.ts";
import type { Database } from "../../src/store/database.ts";
import { capturedLogger } from "../support/captured-log.ts";
import { type TestDatabase, testDatabases } from "../support/databases.ts";
import { offlineDesk } from "../support/desk.ts";
import { withMigratedDatabase } from "../support/per-block.ts";
import { until } from "../support/process.ts";

describe("the scheduler's periodic passes", () => {
  let db: Database;
  withMigratedDatabase(testDatabases()[0] as TestDatabase, (opened) => {
    db = opened;
  });

  it("start only once what they wait for (the bots' acks under way) has settled", async () => {
    let release = () => {};
    const settled = new Promise<void>((resolve) => {
      release = resolve;
    });
    const beforeEachPass = vi.fn(() => settled);
    const runtime = new DeskRuntime({
      ...offlineDesk(db, new SimulatedMarket(3).source()),
      clock: { now: () => new Date("2026-04-01T15:00:00Z"), speed: 1 },
      graceHours: 72,
      surfaces: [],
      log: capturedLogger().log,
      sweepEveryMs: 3_600_000,
      outboxEveryMs: 10,
      beforeEachPass,
    });
    const drain = vi.spyOn(runtime.outbox, "drain");
    await runtime.start([], null);
    try {
      await until("an outbox pass to come due", 10_000, async () =>
        beforeEachPass.mock.calls.length ? true : null,
      );
      expect(drain).not.toHaveBeenCalled();
      release();
      await until("the outbox pass", 10_000, async () => (drain.mock.calls.length ? true : null));
    } finally {
      await runtime.stop();
    }
  });
});
