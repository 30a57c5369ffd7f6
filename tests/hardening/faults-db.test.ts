import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureLocalServer } from "../../src/agents/cycle/local-server.ts";
import type { Server } from "../../src/domain/server.ts";
import { SimulatedMarket } from "../../src/market/simulated/market.ts";
import type { Clock } from "../../src/scheduler/clock.ts";
import { metrics } from "../../src/scheduler/metrics.ts";
import { DeskRuntime } from "../../src/scheduler/runtime.ts";
import { checkChain } from "../../src/store/chain-verify.ts";
import { type Database, openDatabase } from "../../src/store/database.ts";
import { capturedLogger, LEVEL } from "../support/captured-log.ts";
import { openMigrated, type TestDatabase, testDatabases } from "../support/databases.ts";
import { offlineDesk } from "../support/desk.ts";
import { type PgProxy, startPgProxy } from "../support/pg-proxy.ts";
import { until } from "../support/process.ts";

const postgres = testDatabases().find((t): t is TestDatabase & { url: string } => Boolean(t.url));
if (!postgres)
  console.warn("TEST_DATABASE_URL is not set: the database fault tests need PostgreSQL and are skipped.");

/** Prisma's insert of a dispatch, as it crosses the wire in a Parse message. */
const DISPATCH_INSERT = /INSERT INTO "(public"\.")?Dispatch"/;

/** A clock the test moves by hand; speed > 1 puts the runtime's schedule on it (VirtualCron). */
function handClock(start: string): Clock & { set(iso: string): void } {
  let now = new Date(start);
  return {
    speed: 60,
    now: () => now,
    set(iso) {
      now = new Date(iso);
    },
  };
}

const failures = async () => {
  const { values } = await metrics.cycleFailures.get();
  const count = (final: string) => values.find((v) => v.labels.final === final)?.value ?? 0;
  return { retried: count("false"), final: count("true") };
};

describe.skipIf(!postgres)("database faults on PostgreSQL", () => {
  const target = postgres as TestDatabase & { url: string };
  let db: Database; // direct, for setup and inspection
  let proxy: PgProxy;
  let app: Database; // the desk's own pool, through the proxy
  let server: Server;
  const runtimes: DeskRuntime[] = [];

  const runtime = (clock: Clock, log = capturedLogger().log) => {
    const made = new DeskRuntime({
      ...offlineDesk(app, new SimulatedMarket(7).source()),
      clock,
      graceHours: 72,
      surfaces: [],
      log,
      cycleRetryDelaysMs: [50, 200],
    });
    runtimes.push(made);
    return made;
  };

  const counts = async (cycleId?: string) => {
    const where = cycleId ? { cycleId } : {};
    return {
      dispatches: await db.prisma.dispatch.count({ where }),
      calls: await db.prisma.call.count({ where }),
      observations: await db.prisma.observation.count({ where }),
      stances: await db.prisma.mindStance.count({ where }),
      deliveries: await db.prisma.delivery.count(cycleId ? { where: { dispatch: { cycleId } } } : undefined),
    };
  };

  beforeAll(async () => {
    db = await openMigrated(target);
    proxy = await startPgProxy(target.url);
    app = await openDatabase({ kind: "postgres", url: proxy.url });
    server = await ensureLocalServer(db);
  });
  afterAll(async () => {
    for (const r of runtimes) await r.stop();
    await app?.close();
    await proxy?.close();
    await db?.close();
    await target.dispose();
  });

  it("a connection cut at the dispatch insert rolls the whole cycle back, and the retry publishes once", async () => {
    const clock = handClock("2026-06-10T15:00:00Z");
    // A first cycle, so the chain has a head to keep.
    expect((await runtime(clock).runNow(server)).status).toBe("started");
    const head = await db.prisma.chainHead.findUniqueOrThrow({ where: { serverId: server.id } });
    const before = await counts();
    const metricBefore = await failures();

    const { log, entries } = capturedLogger();
    const cut = proxy.cutOn(DISPATCH_INSERT);
    clock.set("2026-06-11T15:00:00Z");
    const desk = runtime(clock, log);
    const result = await desk.runNow(server);
    const { connections, matched } = await cut;
    expect(matched).toMatch(/Dispatch/);
    expect(connections).toBeGreaterThan(0);

    const [failed, retried] = await db.prisma.cycle.findMany({
      where: { serverId: server.id, asOf: new Date("2026-06-11T15:00:00Z") },
      orderBy: { number: "asc" },
    });
    expect(failed).toMatchObject({ status: "failed" });
    expect(failed?.error).toMatch(/^Error: Connection terminated unexpectedly/);
    expect(failed?.finishedAt).not.toBeNull();
    // Nothing of the failed attempt survived: not its observations, stances, dispatch, calls or outbox rows.
    expect(await counts(failed?.id)).toEqual({
      dispatches: 0,
      calls: 0,
      observations: 0,
      stances: 0,
      deliveries: 0,
    });

    // The retry published exactly one dispatch with its calls, chained straight after the old head.
    expect(retried).toMatchObject({ status: "published" });
    expect(result).toEqual({ status: "started", dispatchNumber: expect.any(Number) });
    const dispatch = await db.prisma.dispatch.findUniqueOrThrow({
      where: { cycleId: retried?.id },
      include: { calls: { orderBy: { chainSeq: "asc" } } },
    });
    expect(dispatch.number).toBe(result.status === "started" ? result.dispatchNumber : null);
    expect(dispatch.calls.length).toBeGreaterThan(0);
    expect(dispatch.calls[0]).toMatchObject({ chainSeq: head.seq + 1, prevHash: head.hash });
    const after = await counts();
    expect(after).toEqual({
      dispatches: before.dispatches + 1,
      calls: before.calls + dispatch.calls.length,
      observations: before.observations + (await counts(retried?.id)).observations,
      stances: before.stances + (await counts(retried?.id)).stances,
      deliveries: before.deliveries + 1,
    });
    expect(await checkChain(db.prisma, server.id)).toMatchObject({ ok: true });

    // The operator sees the failed attempt and its retry; the metric counts one retried failure.
    const warned = entries.filter((e) => e.level === LEVEL.warn);
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ attempt: 1, attempts: 3, final: false, retryInMs: 50 });
    expect(await failures()).toEqual({ retried: metricBefore.retried + 1, final: metricBefore.final });
    // The dropped transaction's connection went back to the pool: it closes (a leaked one never would).
    await desk.stop();
    await app.close();
    app = await openDatabase({ kind: "postgres", url: proxy.url });
    console.info(
      `cut ${connections} connection(s) at ${matched}; failed cycle #${failed?.number}, retry #${retried?.number} ` +
        `published dispatch #${dispatch.number} with ${dispatch.calls.length} calls (chain ${head.seq} -> ` +
        `${dispatch.calls.at(-1)?.chainSeq}); rows before/after: ${JSON.stringify(before)} / ${JSON.stringify(after)}`,
    );
  });

  it("a database gone longer than every retry: the runtime survives, says so, and the next slot runs", async () => {
    const clock = handClock("2026-06-12T14:30:00Z"); // a Friday
    const { log, entries } = capturedLogger();
    const desk = runtime(clock, log);
    const hourly = { ...server, schedule: "0 * * * *", timezone: "UTC" };
    const cyclesBefore = await db.prisma.cycle.count({ where: { serverId: server.id } });
    const metricBefore = await failures();

    proxy.down();
    await desk.start([hourly], null); // its first sweep fails too, and is only logged
    expect(desk.running).toBe(true);
    clock.set("2026-06-12T15:00:30Z");
    const gaveUp = await until(
      "the runtime to give up the 15:00 cycle",
      30_000,
      async () => entries.find((e) => e.level === LEVEL.error && e.final === true) ?? null,
    );
    expect(gaveUp).toMatchObject({ attempt: 3, attempts: 3, at: "2026-06-12T15:00:00.000Z" });
    expect(gaveUp.msg).toMatch(/failed 3 times; giving up/);
    expect(entries.filter((e) => e.level === LEVEL.warn && e.final === false)).toHaveLength(2);
    expect(await failures()).toEqual({ retried: metricBefore.retried + 2, final: metricBefore.final + 1 });
    expect(desk.running).toBe(true);
    // Nothing could be written while the database was gone.
    expect(await db.prisma.cycle.count({ where: { serverId: server.id } })).toBe(cyclesBefore);

    proxy.up();
    clock.set("2026-06-12T16:00:30Z");
    const next = await until("the 16:00 cycle", 30_000, () =>
      db.prisma.cycle.findFirst({
        where: { serverId: server.id, asOf: new Date("2026-06-12T16:00:00Z"), status: { not: "running" } },
      }),
    );
    expect(["published", "no_call"]).toContain(next.status);
    expect(await checkChain(db.prisma, server.id)).toMatchObject({ ok: true });
    console.info(
      `database down: ${metricBefore.retried + 2 - metricBefore.retried} retried + 1 final failure, ` +
        `${proxy.accepted} connections accepted by the proxy in all; next slot cycle #${next.number} ${next.status}`,
    );
  });
});
