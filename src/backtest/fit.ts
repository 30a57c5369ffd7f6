import { rebuttalRound, summarizeDebate } from "../agents/debate.ts";
import { openingStances } from "../agents/minds/index.ts";
import { prepare } from "../agents/pipeline.ts";
import { fitQuestionModel, type QuestionSample } from "../agents/questions/fit.ts";
import type { QuestionModel } from "../agents/questions/model.ts";
import { cycleCandidates } from "../agents/synthesis.ts";
import { MIND_NAMES, type MindName } from "../agents/types.ts";
import { assetClassOf, type Bar, barCloseTime, countAtOrBefore } from "../domain/bars.ts";
import { resolveCall } from "../domain/resolution.ts";
import { buildSnapshot, DEFAULT_SYMBOLS, type MarketSource } from "../market/index.ts";
import { cycleMoments } from "./schedule.ts";

export interface FitOptions {
  market: MarketSource;
  symbols: readonly string[];
  /** First day whose questions the fit reads. */
  from: string;
  /** Nothing decided on or after this date reaches the fit; no cycle on or after it is run. */
  split: string;
  onProgress?: (done: number, total: number) => void;
}

/** Every minds' weight is 1 in the fit: the walk's weights are the desk's own record, which the fit predates. */
const EVEN = Object.fromEntries(MIND_NAMES.map((m) => [m, 1])) as Record<MindName, number>;

/**
 * Replays the desk's question choice on every trading day from `from` to the day before `split`
 * (snapshot, minds, debate, the same candidate questions synthesis prices) and resolves each
 * candidate's positive side on bars that closed before the split. Bars on or after the split are
 * cut from the book before any question is resolved, so they cannot reach an outcome.
 */
export async function collectSamples(options: FitOptions): Promise<QuestionSample[]> {
  const cutoff = new Date(`${options.split}T00:00:00Z`);
  const lastDay = new Date(cutoff.getTime() - 86_400_000).toISOString().slice(0, 10);
  const moments = options.from <= lastDay ? cycleMoments(options.from, lastDay, "daily") : [];
  const observed = [...new Set([...DEFAULT_SYMBOLS, ...options.symbols])];
  const book = await bookBefore(options.market, observed, cutoff);
  const samples: QuestionSample[] = [];
  for (const [i, at] of moments.entries()) {
    const snapshot = await buildSnapshot(options.market, at, { symbols: observed, headlines: 0 });
    const p = prepare({
      snapshot,
      symbols: [...options.symbols],
      cycleNumber: 1,
      record: [],
      crowd: [],
      rules: [],
      lessons: [],
      lockShare: 0.5,
    });
    const round2 = rebuttalRound(openingStances(p.mindContext));
    const summaries = p.input.symbols.map((symbol) => summarizeDebate(round2, symbol, EVEN));
    for (const candidate of cycleCandidates(p.input, p.features, p.regime, summaries)) {
      const outcome = outcomeOf(
        candidate.spec,
        book,
        cutoff,
        candidate.entryPrice,
        candidate.versusEntryPrice,
      );
      if (outcome) samples.push({ key: candidate.key, signal: candidate.signal, madeAt: at, ...outcome });
    }
    options.onProgress?.(i + 1, moments.length);
  }
  return samples;
}

/** Collects and fits: the model a walk from the split on may use. */
export async function fitBeforeSplit(
  options: FitOptions,
): Promise<{ model: QuestionModel; samples: number }> {
  const samples = await collectSamples(options);
  return {
    model: fitQuestionModel(samples, { split: options.split, fittedFrom: options.from }),
    samples: samples.length,
  };
}

type Book = Map<string, { bars: Bar[]; closes: number[] }>;

async function bookBefore(market: MarketSource, symbols: readonly string[], cutoff: Date): Promise<Book> {
  const to = new Date(cutoff.getTime() - 86_400_000).toISOString().slice(0, 10);
  const book: Book = new Map();
  for (const symbol of symbols) {
    const series = await market.quotes
      .dailyBars(symbol, { from: "1900-01-01", to }, cutoff)
      .catch(() => null);
    const assetClass = assetClassOf(symbol);
    const bars = (series?.bars ?? []).filter((b) => barCloseTime(b.date, assetClass) < cutoff);
    book.set(symbol, { bars, closes: bars.map((b) => barCloseTime(b.date, assetClass).getTime()) });
  }
  return book;
}

/** Sessions a window needs around the entry: the one before it and a long weekend after. */
const AFTER = 8;

function outcomeOf(
  spec: Parameters<typeof resolveCall>[0]["call"],
  book: Book,
  cutoff: Date,
  entryPrice: number,
  versusEntryPrice: number | undefined,
): { outcome: 0 | 1; decidedAt: Date } | null {
  const legs = spec.kind === "relative" ? [spec.symbol, spec.versus] : [spec.symbol];
  const bars: Record<string, Bar[]> = {};
  const madeAt = Date.parse(spec.madeAt);
  for (const symbol of legs) {
    const series = book.get(symbol);
    if (!series) return null;
    const i = countAtOrBefore(series.closes, madeAt);
    bars[symbol] = series.bars.slice(Math.max(0, i - 1), i + AFTER);
  }
  const resolution = resolveCall({
    call: spec,
    bars,
    entryPrice,
    ...(versusEntryPrice !== undefined && { versusEntryPrice }),
    dataThrough: cutoff,
  });
  if (resolution.status !== "right" && resolution.status !== "wrong") return null;
  const decidedAt = barCloseTime(resolution.exitDate, assetClassOf(spec.symbol));
  if (decidedAt >= cutoff) return null;
  return { outcome: resolution.status === "right" ? 1 : 0, decidedAt };
}
