import { runOffline } from "../agents/offline.ts";
import type { QuestionModel } from "../agents/questions/model.ts";
import type { DeskCall, DeskEngine, DeskOutput } from "../agents/types.ts";
import { assetClassOf, barCloseTime } from "../domain/bars.ts";
import { symbolsOf } from "../domain/call.ts";
import { resolveCall } from "../domain/resolution.ts";
import { buildSnapshot, DEFAULT_SYMBOLS, type MarketSource } from "../market/index.ts";
import type { BarBook } from "./baselines.ts";
import { mulberry32 } from "./bootstrap.ts";
import { type Graded, type ScoreCard, scoreCard } from "./scorecard.ts";

export interface SampleOptions {
  market: MarketSource;
  symbols: readonly string[];
  /** The engine under test (Claude); the offline desk runs beside it on the same inputs. */
  engine: DeskEngine;
  /** The engine's name in the report ("claude"). */
  name: string;
  model: QuestionModel;
  moments: readonly Date[];
  book: BarBook;
  lockShare: number;
}

export interface SampleReport {
  engine: string;
  days: string[];
  /** The sampled engine's record, and the offline desk's on the same days. */
  sampled: ScoreCard;
  offline: ScoreCard;
  /** Cycles where the engine fell back to the offline desk (model error, refusal, cut-off answer). */
  fallbacks: number;
}

/** N of the moments, drawn with a seed so a rerun samples the same days; in time order. */
export function sampleMoments(moments: readonly Date[], n: number, seed: number): Date[] {
  const random = mulberry32(seed);
  const pool = [...moments];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j] as Date, pool[i] as Date];
  }
  return pool.slice(0, n).sort((a, b) => a.getTime() - b.getTime());
}

/**
 * The engine and the offline desk on the same sampled days, from the same snapshot, the same
 * fitted question model and an empty record each: their calls resolved by the same domain rule.
 */
export async function sampleComparison(options: SampleOptions): Promise<SampleReport> {
  const observed = [...new Set([...DEFAULT_SYMBOLS, ...options.symbols])];
  const sampled: Graded[] = [];
  const offline: Graded[] = [];
  let fallbacks = 0;
  for (const [i, at] of options.moments.entries()) {
    const snapshot = await buildSnapshot(options.market, at, { symbols: observed });
    const input = {
      snapshot,
      symbols: [...options.symbols],
      cycleNumber: i + 1,
      record: [],
      crowd: [],
      rules: [],
      lessons: [],
      lockShare: options.lockShare,
      questions: options.model,
    };
    const out = await options.engine.run(input);
    if (out.flags.includes("model_fallback")) fallbacks += 1;
    sampled.push(...graded(out, options.book));
    offline.push(...graded(runOffline(input), options.book));
  }
  return {
    engine: options.name,
    days: options.moments.map((m) => m.toISOString().slice(0, 10)),
    sampled: scoreCard(sampled),
    offline: scoreCard(offline),
    fallbacks,
  };
}

function graded(out: DeskOutput, book: BarBook): Graded[] {
  return out.calls.map((call) => ({ ...verdict(call, book), regime: out.regime.label, horizon: "" }));
}

function verdict(call: DeskCall, book: BarBook): Pick<Graded, "status" | "p" | "up"> {
  const bars = Object.fromEntries(symbolsOf(call.spec).map((s) => [s, [...(book.get(s) ?? [])]]));
  const last = book.get(call.spec.symbol)?.at(-1);
  const resolution = resolveCall({
    call: call.spec,
    bars,
    entryPrice: call.entryPrice,
    ...(call.versusEntryPrice !== undefined && { versusEntryPrice: call.versusEntryPrice }),
    dataThrough: last ? barCloseTime(last.date, assetClassOf(call.spec.symbol)) : new Date(0),
  });
  const status = resolution.status === "pending" ? "open" : resolution.status;
  const up = call.spec.kind === "direction" ? call.spec.direction === "up" : null;
  return { status, p: call.spec.probability, up };
}
