import { writeFile } from "node:fs/promises";
import { defaultServerSettings } from "../agents/cycle/local-server.ts";
import type { DeskEngine } from "../agents/types.ts";
import { calibrationChart } from "../bot/charts/calibration.ts";
import type { Bar } from "../domain/bars.ts";
import type { MarketSource } from "../market/ports.ts";
import { countCalls } from "../store/backtest.ts";
import type { Database } from "../store/database.ts";
import { migrate } from "../store/migrator.ts";
import { ensureServer } from "../store/servers.ts";
import { type DeskReport, deskReport } from "./report.ts";
import { type Cadence, cycleMoments } from "./schedule.ts";
import { type WalkOptions, walkForward } from "./walk.ts";

export interface BacktestOptions {
  db: Database;
  market: MarketSource;
  engine: DeskEngine;
  engineName: string;
  from: string;
  to: string;
  cadence: Cadence;
  lockShare: number;
  graceHours: number;
  /** The symbols the desk may call; undefined means the default set. */
  symbols?: readonly string[];
  chartPath?: string;
  onCycle?: WalkOptions["onCycle"];
}

export interface BacktestReport extends DeskReport {
  window: { from: string; to: string; cadence: Cadence; engine: string };
  cycles: number;
  failedCycles: { at: string; error: string }[];
  learning: { lessons: number; rulesAdopted: number; rulesLifted: number };
  chart: string | null;
  runtimeSeconds: number;
}

export class BacktestRefused extends Error {
  override name = "BacktestRefused";
}

/** Migrates, walks the window on a fresh desk, reads the record back, and draws its calibration. */
export async function runBacktest(options: BacktestOptions): Promise<BacktestReport> {
  const started = performance.now();
  const { db } = options;
  await migrate(db);
  // The sweep resolves every due call in the database with replayed prices: never anyone's real calls.
  const existing = await countCalls(db.prisma);
  if (existing > 0) {
    throw new BacktestRefused(
      `the database already holds ${existing} calls; a backtest needs an empty scratch database`,
    );
  }
  const server = await ensureServer(
    db.prisma,
    { platform: "local", externalId: "backtest", name: `Backtest ${options.from}..${options.to}` },
    defaultServerSettings(options.symbols),
  );
  const walk = await walkForward({
    ...options,
    server,
    moments: cycleMoments(options.from, options.to, options.cadence),
  });
  const book = await barBook(options.market, server.symbols, walk.settledAt);
  const report = await deskReport(db.prisma, server, book);
  let chart: string | null = null;
  if (options.chartPath) {
    const title = `Desk calibration ${options.from}..${options.to}`;
    await writeFile(options.chartPath, (await calibrationChart(report.desk.calibration, title)).png());
    chart = options.chartPath;
  }
  return {
    window: { from: options.from, to: options.to, cadence: options.cadence, engine: options.engineName },
    cycles: walk.cycles,
    failedCycles: walk.failed.map((f) => ({ at: f.at.toISOString(), error: f.error })),
    learning: { lessons: walk.lessons, rulesAdopted: walk.rulesAdopted, rulesLifted: walk.rulesLifted },
    ...report,
    chart,
    runtimeSeconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

/** Every bar each symbol had closed by the walk's closing sweep: what the resolver could see then. */
async function barBook(
  market: MarketSource,
  symbols: readonly string[],
  asOf: Date,
): Promise<Map<string, Bar[]>> {
  const to = asOf.toISOString().slice(0, 10);
  const series = await Promise.all(
    symbols.map((symbol) =>
      market.quotes.dailyBars(symbol, { from: "1900-01-01", to }, asOf).then(
        (s) => [symbol, s.bars] as const,
        () => [symbol, [] as Bar[]] as const,
      ),
    ),
  );
  return new Map(series);
}
