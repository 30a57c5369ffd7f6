import { describe, expect, it } from "vitest";
import { ensureLocalServer } from "../../src/agents/cycle/local-server.ts";
import { dispatched, runCycle } from "../../src/agents/cycle/service.ts";
import { OfflineEngine } from "../../src/agents/offline.ts";
import type { DeskEngine } from "../../src/agents/types.ts";
import { ReplayMarket } from "../../src/market/replay.ts";
import { SimulatedMarket } from "../../src/market/simulated/market.ts";
import { sweepDueCalls } from "../../src/resolution/sweep.ts";
import { checkChain } from "../../src/store/chain-verify.ts";
import { startCycle } from "../../src/store/cycles.ts";
import type { Database } from "../../src/store/database.ts";
import { testDatabases } from "../support/databases.ts";
import { withMigratedDatabase } from "../support/per-block.ts";
import { hasSharedData, SHARED_DATA } from "../support/shared-data.ts";

describe.each(testDatabases())("cycle service on $label", (target) => {
  let db: Database;

  withMigratedDatabase(target, (opened) => {
    db = opened;
  });

  const options = (market: ReplayMarket | SimulatedMarket, engine: DeskEngine = new OfflineEngine()) => ({
    db,
    market: market.source(),
    engine,
    engineName: "offline",
    lockShare: 0.25,
  });

  it("persists a simulated-market cycle: observations, both debate rounds, dispatch, chained calls, outbox", async () => {
    const server = await ensureLocalServer(db);
    const at = new Date("2026-06-10T15:00:00Z");
    const result = await runCycle(options(new SimulatedMarket(7)), server, at);
    const stored = await db.prisma.cycle.findUniqueOrThrow({
      where: { id: result.cycle.id },
      include: { observations: true, stances: true, dispatch: true, calls: true },
    });
    expect(stored.status).toBe(stored.calls.length ? "published" : "no_call");
    expect(stored.marketSource).toBe("simulated");
    expect(stored.observations.length).toBe(result.snapshot.observations.length);
    expect(stored.observations.every((o) => o.asOf <= at)).toBe(true);
    expect(new Set(stored.stances.map((s) => s.round))).toEqual(new Set([1, 2]));
    expect(stored.dispatch?.debateLine).toMatch(/^Debate: \w+ \| Conviction \d+%/);
    expect(stored.dispatch?.flags).toContain("simulated_market");
    for (const call of stored.calls) {
      expect(call).toMatchObject({
        authorType: "desk",
        source: "dispatch",
        regime: stored.regime,
        dispatchId: stored.dispatch?.id,
      });
      expect(call.entryPrice).toBeGreaterThan(0);
      expect(call.lockAt.getTime()).toBeLessThan(call.deadline.getTime());
    }
    expect(await checkChain(db.prisma, server.id)).toMatchObject({ ok: true });
    const deliveries = await db.prisma.delivery.findMany({ where: { dispatchId: stored.dispatch?.id } });
    expect(deliveries.map((d) => d.target)).toEqual(["web"]);
  });

  it("numbers cycles per server and marks a failed cycle without writing half of it", async () => {
    const server = await ensureLocalServer(db);
    const broken: DeskEngine = { run: async () => Promise.reject(new Error("engine exploded")) };
    await expect(
      runCycle(options(new SimulatedMarket(7), broken), server, new Date("2026-06-11T15:00:00Z")),
    ).rejects.toThrow("engine exploded");
    const failed = await db.prisma.cycle.findFirstOrThrow({
      where: { serverId: server.id },
      orderBy: { number: "desc" },
      include: { dispatch: true, observations: true },
    });
    expect(failed).toMatchObject({ status: "failed", dispatch: null, observations: [] });
    expect(failed.error).toMatch(/engine exploded/);
    expect(failed.number).toBe(2);
  });

  it("marks a cycle a dead process left running as interrupted when the next one starts", async () => {
    const server = await ensureLocalServer(db);
    const orphan = await startCycle(db.prisma, {
      serverId: server.id,
      engine: "offline",
      marketSource: "simulated",
      asOf: new Date("2026-06-12T15:00:00Z"),
    });
    const next = await runCycle(options(new SimulatedMarket(7)), server, new Date("2026-06-15T15:00:00Z"));
    expect(await db.prisma.cycle.findUniqueOrThrow({ where: { id: orphan.id } })).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/^interrupted: /),
    });
    expect(next.cycle.status).not.toBe("running");
    expect(await db.prisma.cycle.count({ where: { serverId: server.id, status: "running" } })).toBe(0);
  });

  it.skipIf(!hasSharedData)(
    "a cycle replayed at 2026-04-01 makes calls that resolve against the real following bars",
    async () => {
      const replay = new ReplayMarket(SHARED_DATA);
      const server = await ensureLocalServer(db);
      const at = new Date("2026-04-01T14:00:00Z");
      const result = dispatched(await runCycle(options(replay), server, at));
      expect(result.snapshot.observations.every((o) => o.asOf <= at)).toBe(true);
      expect(result.calls.length).toBeGreaterThan(0);
      // The essay cites the real SPY close it saw: Tuesday 2026-03-31, 650.34.
      expect(result.dispatch.body).toContain("650.34");
      const report = await sweepDueCalls({
        db,
        quotes: replay.source().quotes,
        now: new Date("2026-04-10T00:00:00Z"),
        graceHours: 72,
      });
      const ids = result.calls.map((c) => c.id);
      const verdicts = report.resolved.filter((v) => ids.includes(v.callId));
      expect(verdicts).toHaveLength(ids.length);
      for (const verdict of verdicts) {
        expect(["right", "wrong", "void"]).toContain(verdict.status);
        expect(verdict.evidence).toMatch(/→/);
      }
    },
  );
});
