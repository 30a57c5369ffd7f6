import { writeFile } from "node:fs/promises";
import { defaultServerSettings } from "../agents/cycle/local-server.ts";
import type { QuestionModel } from "../agents/questions/model.ts";
import type { DeskEngine } from "../agents/types.ts";
import { calibrationChart } from "../bot/charts/calibration.ts";
import type { Bar } from "../domain/bars.ts";
import type { MarketSource } from "../market/ports.ts";
import { countCalls } from "../store/backtest.ts";
import type { Database } from "../store/database.ts";
import { migrate } from "../store/migrator.ts";
import { ensureServer } from "../store/servers.ts";
import { fitBeforeSplit } from "./fit.ts";
import { type DeskReport, deskReport } from "./report.ts";
import { type SampleReport, sampleComparison, sampleMoments } from "./sample.ts";
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
  /** Fit and tune only on what was decided before this date; report the rest on its own. Default DEFAULT_SPLIT. */
  split?: string;
  /** First day the question model's fit reads; defaults to `from`. */
  fitFrom?: string;
  /** A model fitted already (tests, `--fit-out` reruns); otherwise fitted here before the walk. */
  model?: QuestionModel;
  /** Seed of the weekly bootstrap. */
  seed?: number;
  onFit?: (done: number, total: number) => void;
  /** Handed the fitted model before the walk starts (`--fit-out` saves it). */
  onModel?: (model: QuestionModel) => Promise<void>;
  /** Also run this engine (Claude) on N sampled held-out days, beside the offline desk on the same days. */
  sample?: { engine: DeskEngine; name: string; days: number };
}

export interface BacktestReport extends DeskReport {
  window: { from: string; to: string; cadence: Cadence; engine: string; split: string };
  /** The question model the walk priced with, and how many past questions it was fitted on. */
  fit: { from: string; split: string; questions: number; kinds: QuestionModel["kinds"] };
  cycles: number;
  failedCycles: { at: string; error: string }[];
  learning: { lessons: number; rulesAdopted: number; rulesLifted: number };
  chart: string | null;
  runtimeSeconds: number;
  /** `--sample N`: the sampled engine's record beside the offline desk's on the same days. */
  sample: SampleReport | null;
}

export const DEFAULT_SPLIT = "2023-01-01";
export const DEFAULT_SEED = 20230101;

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
  const split = options.split ?? DEFAULT_SPLIT;
  const fitFrom = options.fitFrom ?? options.from;
  const fitted = options.model
    ? { model: options.model, samples: Object.values(options.model.kinds).reduce((n, k) => n + k.n, 0) }
    : await fitBeforeSplit({
        market: options.market,
        symbols: server.symbols,
        from: fitFrom,
        split,
        onProgress: options.onFit,
      });
  await options.onModel?.(fitted.model);
  const walk = await walkForward({
    ...options,
    // The fitted model prices every cycle and judges the record: nothing fitted later ever reaches the walk.
    questions: fitted.model,
    server,
    moments: cycleMoments(options.from, options.to, options.cadence),
  });
  const book = await barBook(options.market, server.symbols, walk.settledAt);
  const report = await deskReport(db.prisma, server, book, {
    from: options.from,
    to: options.to,
    split,
    model: fitted.model,
    seed: options.seed ?? DEFAULT_SEED,
  });
  const sample = options.sample
    ? await sampleComparison({
        market: options.market,
        symbols: server.symbols,
        engine: options.sample.engine,
        name: options.sample.name,
        model: fitted.model,
        moments: sampleMoments(
          cycleMoments(split > options.from ? split : options.from, options.to, "daily"),
          options.sample.days,
          options.seed ?? DEFAULT_SEED,
        ),
        book,
        lockShare: options.lockShare,
      })
    : null;
  let chart: string | null = null;
  if (options.chartPath) {
    const title = `Desk calibration ${options.from}..${options.to}`;
    await writeFile(options.chartPath, await (await calibrationChart(report.desk.calibration, title)).png());
    chart = options.chartPath;
  }
  return {
    window: {
      from: options.from,
      to: options.to,
      cadence: options.cadence,
      engine: options.engineName,
      split,
    },
    fit: { from: fitted.model.fittedFrom, split, questions: fitted.samples, kinds: fitted.model.kinds },
    cycles: walk.cycles,
    failedCycles: walk.failed.map((f) => ({ at: f.at.toISOString(), error: f.error })),
    learning: { lessons: walk.lessons, rulesAdopted: walk.rulesAdopted, rulesLifted: walk.rulesLifted },
    ...report,
    chart,
    sample,
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
