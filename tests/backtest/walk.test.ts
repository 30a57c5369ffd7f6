import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OfflineEngine } from "../../src/agents/offline.ts";
import { MIND_NAMES, REGIMES } from "../../src/agents/types.ts";
import type { BacktestReport } from "../../src/backtest/run.ts";
import { runBacktest } from "../../src/backtest/run.ts";
import { assetClassOf, type Bar, barCloseTime } from "../../src/domain/bars.ts";
import { readDailyBars } from "../../src/market/csv-bars.ts";
import { ReplayMarket } from "../../src/market/replay.ts";
import { findDeskCalls, findObservationTimes } from "../../src/store/backtest.ts";
import { type Database, openDatabase } from "../../src/store/database.ts";
import { findServer } from "../../src/store/servers.ts";
import { hasSharedData, SHARED_DATA } from "../support/shared-data.ts";

/** The February–March 2020 break: every regime shows up within a few weeks, and calls resolve both ways. */
const FROM = "2020-02-10";
const TO = "2020-03-20";
/** The question model is fitted on 2019 to the split; the walk's days after it are the held-out report. */
const SPLIT = "2020-03-01";
const FIT_FROM = "2019-06-01";

describe.skipIf(!hasSharedData)("walk-forward backtest on real history", () => {
  let db: Database;
  let report: BacktestReport;
  /** Every history bar each cycle's snapshot handed the desk, with that cycle's moment. */
  const seen: { at: Date; symbol: string; date: string }[] = [];

  beforeAll(async () => {
    db = await openDatabase({ kind: "pglite", dataDir: "memory://" });
    report = await runBacktest({
      db,
      market: new ReplayMarket(SHARED_DATA).source(),
      engine: new OfflineEngine(),
      engineName: "offline",
      from: FROM,
      to: TO,
      cadence: "daily",
      lockShare: 0.25,
      graceHours: 72,
      split: SPLIT,
      fitFrom: FIT_FROM,
      onCycle: ({ at, snapshot }) => {
        for (const [symbol, bars] of Object.entries(snapshot?.history ?? {})) {
          for (const bar of bars) seen.push({ at, symbol, date: bar.date });
        }
      },
    });
  }, 600_000);
  afterAll(async () => {
    await db?.close();
  });

  it("never lets a cycle see an observation or a bar from after its own moment", async () => {
    const server = await findServer(db.prisma, "local", "backtest");
    const observations = await findObservationTimes(db.prisma, server?.id ?? "");
    expect(observations.length).toBeGreaterThan(report.cycles * 10);
    const early = observations.filter((o) => o.asOf > o.cycle.asOf);
    expect(early).toEqual([]);

    expect(seen.length).toBeGreaterThan(report.cycles * 100);
    const late = seen.filter((s) => barCloseTime(s.date, assetClassOf(s.symbol)) > s.at);
    expect(late).toEqual([]);
  });

  it("resolves the desk's calls against the real bars: entry the last close before the call, exit at the deadline", async () => {
    const server = await findServer(db.prisma, "local", "backtest");
    const calls = (await findDeskCalls(db.prisma, server?.id ?? "")).filter(
      (c) => c.status === "right" || c.status === "wrong",
    );
    expect(calls.length).toBeGreaterThan(5);
    const files = new Map<string, Bar[]>();
    for (const call of calls) {
      const bars = files.get(call.symbol) ?? (await readDailyBars(SHARED_DATA, call.symbol));
      files.set(call.symbol, bars);
      const close = (moment: Date) =>
        bars.filter((b) => barCloseTime(b.date, assetClassOf(call.symbol)) <= moment).at(-1)?.close;
      expect(call.entryPrice).toBe(close(call.madeAt));
      expect(call.exitPrice).toBe(close(call.deadline));
      const entry = call.entryPrice as number;
      const exit = call.exitPrice as number;
      const right = call.status === "right";
      if (call.kind === "direction") expect(right).toBe(exit > entry === (call.direction === "up"));
      if (call.kind === "range") {
        const inside = Math.abs((exit - entry) / entry) * 100 <= (call.level as number);
        expect(right).toBe(inside === (call.direction === "inside"));
      }
      if (call.kind === "threshold") {
        expect(right).toBe(exit > (call.level as number) === (call.comparator === "above"));
      }
      expect(call.resolvedAt?.getTime()).toBeGreaterThanOrEqual(call.deadline.getTime());
    }
  });

  it("reports the desk and every mind with real numbers, cut by regime and horizon", () => {
    expect(report.cycles).toBe(29);
    const heldOutCycles = 15;
    expect(report.failedCycles).toEqual([]);
    const desk = report.desk.overall;
    expect(desk.calls).toBeGreaterThan(0);
    expect(desk.abstentions).toBeGreaterThan(0);
    expect(desk.resolved).toBe(desk.calls - desk.voids - desk.open);
    expect(desk.hitRate).toBeGreaterThan(0);
    expect(desk.meanBrier).toBeGreaterThan(0);
    expect(desk.meanBrier).toBeLessThan(1);
    for (const value of [desk.skillVsCoinFlip, desk.skillVsAlwaysUp, desk.ece])
      expect(value).toEqual(expect.any(Number));
    expect(Object.keys(report.desk.byRegime).every((r) => (REGIMES as readonly string[]).includes(r))).toBe(
      true,
    );
    // Nominal 24h (crypto) and 48h (equities), stretched by whole days until a full session follows
    // the call: crypto from a mid-day cycle runs 48h, equities over a weekend or a holiday longer.
    const horizons = Object.keys(report.desk.byHorizon);
    expect(horizons).toContain("48h");
    expect(horizons.every((h) => ["48h", "72h", "96h", "120h"].includes(h))).toBe(true);
    expect(report.desk.calibration.reduce((n, b) => n + b.count, 0)).toBe(desk.resolved);
    for (const mind of MIND_NAMES) {
      const { lead, stances } = report.minds[mind];
      expect(stances.overall.calls + stances.overall.abstentions).toBe(heldOutCycles * 13);
      expect(lead.overall.calls).toBeLessThanOrEqual(desk.calls);
    }
    const led = MIND_NAMES.reduce((n, m) => n + report.minds[m].lead.overall.calls, 0);
    expect(led).toBe(desk.calls);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it("reports the held-out period apart from the fitted one, with its cuts and every baseline", () => {
    expect(report.window.split).toBe(SPLIT);
    expect(report.fit).toMatchObject({ from: FIT_FROM, split: SPLIT });
    expect(report.fit.questions).toBeGreaterThan(1000);
    expect([report.from, report.to, report.inSample.from, report.inSample.to]).toEqual([
      SPLIT,
      TO,
      FROM,
      SPLIT,
    ]);
    for (const period of [report, report.inSample]) {
      const { desk } = period;
      const sum = (cards: Record<string, { calls: number }>) =>
        Object.values(cards).reduce((n, c) => n + c.calls, 0);
      for (const cut of [desk.bySide, desk.byYear, desk.byKind]) expect(sum(cut)).toBe(desk.overall.calls);
      expect(Object.keys(desk.byYear)).toEqual(["2020"]);
      expect(Object.keys(desk.byYearSide)).toEqual(["2020"]);
      expect(sum(desk.byYearSide["2020"] ?? {})).toBe(desk.overall.calls);
      for (const side of Object.keys(desk.bySide))
        expect(["up", "down", "outperform", "underperform", "inside", "outside", "above", "below"]).toContain(
          side,
        );
      expect(desk.bySide[Object.keys(desk.bySide)[0] ?? ""]).toEqual(
        expect.objectContaining({
          calls: expect.any(Number),
          meanBrier: expect.anything(),
          ece: expect.anything(),
        }),
      );
      expect(Object.keys(period.baselines).sort()).toEqual([
        "alwaysUp",
        "baseRate",
        "coinFlip",
        "momentum20",
        "randomWalk",
      ]);
      for (const b of Object.values(period.baselines)) {
        expect(b).toEqual({
          brierDiff: expect.any(Number),
          ci95: [expect.any(Number), expect.any(Number)],
          questions: expect.any(Number),
        });
        expect(b.ci95[0]).toBeLessThanOrEqual(b.ci95[1]);
        expect(b.questions).toBeLessThanOrEqual(desk.overall.resolved);
      }
      expect(period.baselines.coinFlip.questions).toBe(desk.overall.resolved);
    }
    expect(report.sample).toBeNull();
  });
});
