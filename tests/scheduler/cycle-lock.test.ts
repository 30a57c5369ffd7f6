import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureLocalServer } from "../../src/agents/cycle/local-server.ts";
import { OfflineEngine } from "../../src/agents/offline.ts";
import type { DeskEngine, DeskInput } from "../../src/agents/types.ts";
import type { RunNowResult } from "../../src/commands/context.ts";
import { createLogger } from "../../src/log.ts";
import { SimulatedMarket } from "../../src/market/simulated/market.ts";
import { systemClock } from "../../src/scheduler/clock.ts";
import { DeskRuntime } from "../../src/scheduler/runtime.ts";
import type { Database } from "../../src/store/database.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";

/** The offline desk, held at a gate until the test opens it: the cycle that got the lock stays inside. */
class GatedEngine implements DeskEngine {
  entered = 0;
  open: () => void = () => {};
  private readonly gate = new Promise<void>((resolve) => {
    this.open = resolve;
  });
  async run(input: DeskInput) {
    this.entered++;
    await this.gate;
    return new OfflineEngine().run(input);
  }
}

describe.each(testDatabases())("one cycle at a time per server on $label", (target) => {
  const opened: Database[] = [];

  beforeAll(async () => {
    opened.push(await openMigrated(target));
    // A second instance: its own connections to the same PostgreSQL, or the same PGlite in-process.
    opened.push(target.connectAgain ? await target.connectAgain() : (opened[0] as Database));
  });
  afterAll(async () => {
    for (const db of new Set(opened)) await db.close();
    await target.dispose();
  });

  it("two instances asked to run the same server's cycle at once run it once", async () => {
    const engine = new GatedEngine();
    const runtimes = opened.map(
      (db) =>
        new DeskRuntime({
          db,
          market: new SimulatedMarket(5).source(),
          engine,
          engineName: "offline",
          clock: systemClock,
          lockShare: 0.25,
          graceHours: 72,
          surfaces: [],
          log: createLogger({ level: "silent", format: "json" }),
        }),
    );
    const server = await ensureLocalServer(opened[0] as Database);
    const requests = [...runtimes, ...runtimes].map((r) => r.runNow(server));
    // The gate holds whichever cycle got the lock, so any request that answers was turned away.
    const answered: RunNowResult[] = [];
    try {
      await new Promise<void>((threeAnswered, failed) => {
        for (const request of requests)
          void request.then((result) => answered.push(result) === 3 && threeAnswered(), failed);
      });
    } finally {
      engine.open();
    }
    expect(answered.map((r) => r.status)).toEqual(["already_running", "already_running", "already_running"]);
    const results = await Promise.all(requests);
    expect(results.filter((r) => r.status === "started")).toHaveLength(1);
    expect(engine.entered).toBe(1);
    expect(await (opened[0] as Database).prisma.cycle.count({ where: { serverId: server.id } })).toBe(1);
    // Once it has finished, the next request runs: on the same unchanged market it is recorded as skipped.
    expect(await runtimes[1]?.runNow(server)).toMatchObject({ status: "skipped", cycleNumber: 2 });
    expect(await (opened[0] as Database).prisma.cycle.count({ where: { serverId: server.id } })).toBe(2);
  });
});
