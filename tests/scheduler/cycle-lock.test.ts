import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureLocalServer } from "../../src/agents/cycle/local-server.ts";
import { OfflineEngine } from "../../src/agents/offline.ts";
import type { DeskEngine, DeskInput } from "../../src/agents/types.ts";
import { createLogger } from "../../src/log.ts";
import { SimulatedMarket } from "../../src/market/simulated/market.ts";
import { systemClock } from "../../src/scheduler/clock.ts";
import { DeskRuntime } from "../../src/scheduler/runtime.ts";
import type { Database } from "../../src/store/database.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";

/** The offline desk, slowed down so two instances overlap. */
class SlowEngine implements DeskEngine {
  async run(input: DeskInput) {
    await new Promise((r) => setTimeout(r, 1_500));
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
    const runtimes = opened.map(
      (db) =>
        new DeskRuntime({
          db,
          market: new SimulatedMarket(5).source(),
          engine: new SlowEngine(),
          engineName: "offline",
          clock: systemClock,
          lockShare: 0.25,
          graceHours: 72,
          surfaces: [],
          log: createLogger({ level: "silent", format: "json" }),
        }),
    );
    const server = await ensureLocalServer(opened[0] as Database);
    const results = await Promise.all([...runtimes, ...runtimes].map((r) => r.runCycleNow(server)));
    expect(results.filter((r) => r.status === "started")).toHaveLength(1);
    expect(results.filter((r) => r.status === "already_running")).toHaveLength(3);
    expect(await (opened[0] as Database).prisma.cycle.count({ where: { serverId: server.id } })).toBe(1);
    // Once it has finished, the next request runs.
    expect((await runtimes[1]?.runCycleNow(server))?.status).toBe("started");
  });
});
