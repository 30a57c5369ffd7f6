import { priceQuestion, type QuestionModel, questionOf } from "../agents/questions/model.ts";
import { sessionsSpanned } from "../agents/questions/volatility.ts";
import { assetClassOf, type Bar, barCloseTime, countAtOrBefore } from "../domain/bars.ts";
import type { CallSpec } from "../domain/call.ts";
import { ALWAYS_UP_P } from "../domain/skill.ts";

/** The forecasters the desk is scored beside, on the very questions it asked. */
export const BASELINES = ["coinFlip", "baseRate", "alwaysUp", "randomWalk", "momentum20"] as const;
export type BaselineName = (typeof BASELINES)[number];

/** Full price history per symbol, as the resolver would have it after the walk. */
export type BarBook = ReadonlyMap<string, readonly Bar[]>;

export interface BaselineInput {
  spec: CallSpec;
  regime: string;
  entryPrice: number;
  versusEntryPrice: number | null;
}

const clip = (p: number) => Math.max(0.01, Math.min(0.99, p));

/**
 * Each baseline's probability that the call (its side, as stated) comes true, from what was known
 * when it was made: bars closed by then, and the model fitted before the split. A baseline that does
 * not apply to the question (always-up on a range) is left out, and so is that question from its score.
 */
export function baselineProbabilities(
  input: BaselineInput,
  book: BarBook,
  model: QuestionModel,
): Partial<Record<BaselineName, number>> {
  const question = questionOf(input.spec);
  if (!question) return { coinFlip: 0.5 };
  const side = (pPositive: number) => clip(question.positive ? pPositive : 1 - pPositive);
  const { spec } = input;
  const out: Partial<Record<BaselineName, number>> = { coinFlip: 0.5 };
  const priced = priceQuestion(
    model,
    { kind: question.kind, symbol: spec.symbol, regime: input.regime, horizonHours: spec.horizonHours ?? 48 },
    0,
  );
  if (priced) out.baseRate = side(priced.base);
  if (question.kind === "direction" || question.kind === "relative") out.alwaysUp = side(ALWAYS_UP_P);
  const returns = pathReturns(spec, book);
  if (returns === null) return out;
  const n = sessionsSpanned(spec.symbol, spec.horizonHours ?? 48);
  const walk = randomWalkPositive(spec, returns, n, input.entryPrice);
  if (walk !== null) out.randomWalk = side(walk);
  const persistence = persistencePositive(spec, returns, n);
  if (persistence !== null) out.momentum20 = side(persistence);
  return out;
}

/** Daily % returns of the question's variable (a symbol, or a relative call's spread) up to the call. */
function pathReturns(spec: CallSpec, book: BarBook): number[] | null {
  const legs = spec.kind === "relative" ? [spec.symbol, spec.versus] : [spec.symbol];
  const series = legs.map((symbol) => closesBefore(book.get(symbol) ?? [], symbol, new Date(spec.madeAt)));
  if (series.some((s) => s.length < 61)) return null;
  const [main, versus] = series.map((s) => returnsOf(s.slice(-251))) as [number[], number[] | undefined];
  if (!versus) return main;
  const len = Math.min(main.length, versus.length);
  return main.slice(-len).map((r, i) => r - (versus.slice(-len)[i] as number));
}

function closesBefore(bars: readonly Bar[], symbol: string, at: Date): number[] {
  const assetClass = assetClassOf(symbol);
  const times = bars.map((b) => barCloseTime(b.date, assetClass).getTime());
  return bars.slice(0, countAtOrBefore(times, at.getTime())).map((b) => b.close);
}

function returnsOf(closes: readonly number[]): number[] {
  return closes.slice(1).map((c, i) => ((c - (closes[i] as number)) / (closes[i] as number)) * 100);
}

/**
 * A random walk with the last year's mean daily move as drift and the last month's volatility:
 * the probability of the positive side over n sessions, given the question is decided (a move
 * inside the flat band is void and never scored).
 */
function randomWalkPositive(
  spec: CallSpec,
  returns: readonly number[],
  n: number,
  entry: number,
): number | null {
  const recent = returns.slice(-20);
  const sigma = Math.sqrt(recent.reduce((s, r) => s + r * r, 0) / recent.length) * Math.sqrt(n);
  if (!(sigma > 0)) return null;
  const mu = (returns.reduce((s, r) => s + r, 0) / returns.length) * n;
  const band = spec.flatBandPct ?? 0;
  const above = (x: number) => 1 - normalCdf((x - mu) / sigma);
  switch (spec.kind) {
    case "range":
      return normalCdf((spec.level - mu) / sigma) - normalCdf((-spec.level - mu) / sigma);
    case "threshold": {
      const levelPct = ((spec.level - entry) / entry) * 100;
      const up = above(levelPct + (band * spec.level) / entry);
      const down = 1 - above(levelPct - (band * spec.level) / entry);
      return up + down > 0 ? up / (up + down) : null;
    }
    default: {
      const up = above(band);
      const down = 1 - above(-band);
      return up + down > 0 ? up / (up + down) : null;
    }
  }
}

/**
 * How often the same question came true on its positive side over the last 20 sessions (each an
 * n-session move ending then), with one pseudo-hit and one pseudo-miss: momentum for sided questions,
 * persistence for range and VIX ones.
 */
function persistencePositive(spec: CallSpec, returns: readonly number[], n: number): number | null {
  if (returns.length < 20 + n) return null;
  let hits = 0;
  for (let end = returns.length - 20; end < returns.length; end++) {
    const move = compound(returns.slice(end + 1 - n, end + 1));
    const positive = spec.kind === "range" ? Math.abs(move) <= spec.level : move > 0;
    if (positive) hits += 1;
  }
  return (hits + 1) / 22;
}

function compound(returns: readonly number[]): number {
  return (returns.reduce((g, r) => g * (1 + r / 100), 1) - 1) * 100;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 through erf; error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
