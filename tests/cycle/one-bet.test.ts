import { describe, expect, it } from "vitest";
import { defaultServerSettings } from "../../src/agents/cycle/local-server.ts";
import { type CycleServiceOptions, runCycle } from "../../src/agents/cycle/service.ts";
import { OfflineEngine } from "../../src/agents/offline.ts";
import type { DeskEngine, DeskInput } from "../../src/agents/types.ts";
import { createWebApp } from "../../src/bot/web/app.ts";
import { cycleCommand } from "../../src/commands/cycle.ts";
import { specOf } from "../../src/domain/call-record.ts";
import { questionOf, sameQuestion, windowsOverlap } from "../../src/domain/question.ts";
import type { Server } from "../../src/domain/server.ts";
import { createLogger } from "../../src/log.ts";
import { SimulatedMarket } from "../../src/market/simulated/market.ts";
import type { Clock } from "../../src/scheduler/clock.ts";
import { DeskRuntime } from "../../src/scheduler/runtime.ts";
import type { Database } from "../../src/store/database.ts";
import { ensureServer } from "../../src/store/servers.ts";
import { testDatabases } from "../support/databases.ts";
import { withMigratedDatabase } from "../support/per-block.ts";

/** The default schedule's three New York slots (10:05, 13:05, 15:05 EDT) on one trading day, in UTC. */
const slots = (day: string) => ["14:05", "17:05", "19:05"].map((t) => new Date(`${day}T${t}:00Z`));

/** Consecutive trading days of June 2026 (no holiday among them). */
const DAYS = ["2026-06-08", "2026-06-09", "2026-06-10", "2026-06-11", "2026-06-12", "2026-06-15"];

/** A clock the test sets: the runtime's "now" for /cycle now and for the sweep. */
class SetClock implements Clock {
  readonly speed = 1;
  at = new Date(0);
  now(): Date {
    return this.at;
  }
}

/** The offline desk held at a gate until `waiting` cycles are inside, so their reads all precede any write. */
class GatedEngine implements DeskEngine {
  private entered = 0;
  private open: () => void = () => {};
  private readonly gate = new Promise<void>((resolve) => {
    this.open = resolve;
  });
  private firstIn: () => void = () => {};
  /** Settles when the first cycle is inside: the next may start without racing it for a cycle number. */
  readonly first = new Promise<void>((resolve) => {
    this.firstIn = resolve;
  });
  constructor(private readonly waiting: number) {}
  async run(input: DeskInput) {
    if (++this.entered === 1) this.firstIn();
    if (this.entered === this.waiting) this.open();
    await this.gate;
    return new OfflineEngine().run(input);
  }
}

describe.each(testDatabases())("one question, one record on $label", (target) => {
  let db: Database;
  let servers = 0;

  withMigratedDatabase(target, (opened) => {
    db = opened;
  });

  /** A server of its own per test: its cycles, dispatches and calls start from nothing. */
  const freshServer = () =>
    ensureServer(
      db.prisma,
      { platform: "local", externalId: `one-bet-${++servers}`, name: `One bet ${servers}` },
      defaultServerSettings(),
    );

  const market = new SimulatedMarket(3);
  const options = (on: Database = db, engine: DeskEngine = new OfflineEngine()): CycleServiceOptions => ({
    db: on,
    market: market.source(),
    engine,
    engineName: "offline",
    lockShare: 0.25,
  });

  const runtimeOn = (on: Database, clock: Clock) =>
    new DeskRuntime({
      ...options(on),
      clock,
      graceHours: 72,
      surfaces: [],
      log: createLogger({ level: "silent", format: "json" }),
    });

  const deskCalls = (server: Server) =>
    db.prisma.call.findMany({ where: { serverId: server.id, authorType: "desk" }, orderBy: { id: "asc" } });

  /** Pairs of desk calls that ask the same question over overlapping windows: one bet stored twice. */
  function doubleBets(calls: Awaited<ReturnType<typeof deskCalls>>) {
    const pairs: [number, number][] = [];
    calls.forEach((a, i) => {
      for (const b of calls.slice(i + 1)) {
        const same = sameQuestion(questionOf(specOf(a)), questionOf(specOf(b)));
        if (same && windowsOverlap(a, b)) pairs.push([a.id, b.id]);
      }
    });
    return pairs;
  }

  it("three cycles on one simulated day publish one dispatch and record two skips with their reason", async () => {
    const server = await freshServer();
    const clock = new SetClock();
    const runtime = runtimeOn(db, clock);
    const answers = [];
    for (const at of slots("2026-06-10")) {
      clock.at = at;
      answers.push(await runtime.runNow(server));
    }
    await runtime.stop();

    const dispatches = await db.prisma.dispatch.findMany({ where: { serverId: server.id } });
    expect(dispatches).toHaveLength(1);
    const number = dispatches[0]?.number;
    expect(answers[0]).toEqual({ status: "started", dispatchNumber: number });
    for (const [i, answer] of answers.slice(1).entries()) {
      expect(answer).toMatchObject({
        status: "skipped",
        cycleNumber: i + 2,
        sinceDispatch: number,
        sinceAt: "2026-06-10T14:05:00.000Z",
      });
    }
    // `/cycle now` says so rather than staying silent.
    const said = answers[1] && cycleCommand.text(answers[1]);
    expect(said).toMatch(
      new RegExp(
        `^Nothing new since dispatch #${number} \\(market at 2026-06-10 14:05 UTC\\): cycle 2 skipped`,
      ),
    );

    const cycles = await db.prisma.cycle.findMany({
      where: { serverId: server.id },
      orderBy: { number: "asc" },
    });
    expect(cycles.map((c) => c.status)).toEqual([
      expect.stringMatching(/^(published|no_call)$/),
      "skipped",
      "skipped",
    ]);
    const [first, ...skipped] = cycles;
    for (const cycle of skipped) {
      expect(cycle.inputsHash).toBe(first?.inputsHash);
      expect(cycle.skipReason).toBe(
        `inputs unchanged since dispatch #${number} (fingerprint ${first?.inputsHash?.slice(0, 12)})`,
      );
    }
    expect(await db.prisma.delivery.count({ where: { serverId: server.id } })).toBe(1);
    // The web view says the desk's last cycle saw nothing new.
    const web = createWebApp({ db, health: () => ({ scheduler: true, surfaces: {} }) });
    const home = await (await web.request("/")).text();
    expect(home).toContain(
      `${server.name} · cycle 3 at 2026-06-10 19:05 UTC skipped: inputs unchanged since dispatch #${number}`,
    );
  });

  it("a restart over the same database does not publish again on an unchanged market", async () => {
    const server = await freshServer();
    const clock = new SetClock();
    const [morning, midday] = slots("2026-06-11");
    clock.at = morning as Date;
    const before = runtimeOn(db, clock);
    expect(await before.runNow(server)).toMatchObject({ status: "started" });
    await before.stop();

    // The process restarts: a new runtime, and on PostgreSQL new connections, with nothing in memory.
    const again = target.connectAgain ? await target.connectAgain() : db;
    try {
      clock.at = midday as Date;
      const after = runtimeOn(again, clock);
      expect(await after.runNow(server)).toMatchObject({ status: "skipped", cycleNumber: 2 });
      await after.stop();
    } finally {
      if (again !== db) await again.close();
    }
    expect(await db.prisma.dispatch.count({ where: { serverId: server.id } })).toBe(1);
  });

  it("on a changing market the desk holds one open call per question and says it holds it", async () => {
    const server = await freshServer();
    const bodies: string[] = [];
    for (const day of DAYS.slice(0, 4)) {
      const result = await runCycle(options(), server, slots(day)[0] as Date);
      // Every day brings a new close: the inputs changed, so every cycle writes a dispatch.
      expect(result.skipped).toBe(false);
      if (!result.skipped) bodies.push(result.dispatch.body);
    }
    const calls = await deskCalls(server);
    expect(calls.length).toBeGreaterThan(0);
    expect(doubleBets(calls)).toEqual([]);
    // The desk wanted some question again while holding it: the dispatch says "holding", with the call's number.
    const held = bodies.flatMap((body) =>
      [...body.matchAll(/from #(\d+), locks /g)].map((m) => Number(m[1])),
    );
    expect(held.length).toBeGreaterThan(0);
    for (const id of held) expect(calls.map((c) => c.id)).toContain(id);
    expect(bodies.some((body) => body.includes("Still holding, not a new call: "))).toBe(true);
  });

  it("two cycles writing at once, past the cycle lock, still store one bet per question", async () => {
    const server = await freshServer();
    // Both read the desk's memory (nothing open yet) before either writes; days differ, so inputs do.
    const engine = new GatedEngine(2);
    const cycle = (day: string) => runCycle(options(db, engine), server, slots(day)[0] as Date);
    const first = cycle("2026-06-09");
    await engine.first;
    const results = await Promise.allSettled([first, cycle("2026-06-10")]);
    const calls = await deskCalls(server);
    expect(calls.length).toBeGreaterThan(0);
    expect(doubleBets(calls)).toEqual([]);
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused).toHaveLength(1);
    expect(String((refused[0] as PromiseRejectedResult).reason)).toMatch(/already holds this question/);
    const statuses = await db.prisma.cycle.findMany({
      where: { serverId: server.id },
      select: { status: true },
    });
    expect(statuses.map((c) => c.status).sort()).toEqual(["failed", "published"]);
  });

  it("one lesson per bet: three cycles a day, a week of verdicts, no question learned from twice", async () => {
    const server = await freshServer();
    const clock = new SetClock();
    const runtime = runtimeOn(db, clock);
    for (const day of DAYS) {
      for (const at of slots(day)) {
        clock.at = at;
        await runtime.sweep();
        await runtime.runNow(server);
      }
    }
    clock.at = new Date("2026-06-20T00:00:00Z");
    await runtime.sweep();
    await runtime.stop();

    const lessons = await db.prisma.lesson.findMany({
      where: { serverId: server.id, kind: "post_mortem" },
      include: { call: true },
    });
    expect(lessons.length).toBeGreaterThan(0);
    const learnedFrom = lessons.flatMap((l) => (l.call ? [l.call] : []));
    expect(learnedFrom).toHaveLength(lessons.length);
    expect(doubleBets(learnedFrom)).toEqual([]);
    expect(doubleBets(await deskCalls(server))).toEqual([]);
    expect(await db.prisma.dispatch.count({ where: { serverId: server.id } })).toBe(DAYS.length);
  });
});
