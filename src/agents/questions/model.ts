import { z } from "zod";
import { isVolatilitySymbol } from "../../domain/debate.ts";

/**
 * The questions the desk can ask, each with a "positive" side the model prices: direction (up),
 * relative (outperforms its benchmark), range (closes inside the band), vix (closes above today's level).
 */
export const QUESTION_KINDS = ["direction", "relative", "range", "vix"] as const;
export const questionKindSchema = z.enum(QUESTION_KINDS);
export type QuestionKind = z.infer<typeof questionKindSchema>;

/** No fitted signal may move a probability further than this from its question's base rate. */
export const MAX_ADJUSTMENT = 0.1;

const kindFitSchema = z.object({
  /** Probability points per unit of signal (the signal lies in [-1, 1]). */
  slope: z.number(),
  /** Questions the slope was fitted on, and its t statistic there. */
  n: z.number().int().nonnegative(),
  t: z.number(),
  /** The slope earned its place: t ≥ 2 on the fit. A kind without it keeps slope 0. */
  edge: z.boolean(),
});
export type KindFit = z.infer<typeof kindFitSchema>;

/**
 * A question model fitted on history before `split` only: the base rate of each question's positive
 * side (by kind, symbol, regime and horizon, each level shrunk toward the one above it) and, per kind,
 * a bounded slope on the kind's signal.
 */
export const questionModelSchema = z.object({
  split: z.iso.date(),
  fittedFrom: z.iso.date(),
  baseRates: z.record(z.string(), z.object({ share: z.number().min(0).max(1), n: z.number().int() })),
  kinds: z.object({
    direction: kindFitSchema,
    relative: kindFitSchema,
    range: kindFitSchema,
    vix: kindFitSchema,
  }),
});
export type QuestionModel = z.infer<typeof questionModelSchema>;

/** Where a question sits in the base-rate table, from the most specific level to the kind alone. */
export interface QuestionKey {
  kind: QuestionKind;
  symbol: string;
  regime: string;
  horizonHours: number;
}

export function baseRateKeys(q: QuestionKey): string[] {
  const kind = q.kind;
  const symbol = `${kind}|${q.symbol}`;
  const regime = `${symbol}|${q.regime}`;
  return [`${regime}|${q.horizonHours}h`, regime, symbol, kind];
}

export interface Priced {
  /** Probability of the question's positive side. */
  p: number;
  base: number;
  baseN: number;
  /** Which table row the base came from, e.g. "range|SPY|risk_on". */
  baseKey: string;
  adjustment: number;
}

/** Base rate of the most specific row the fit saw, moved by the kind's slope times the signal, bounded. */
export function priceQuestion(model: QuestionModel, q: QuestionKey, signal: number): Priced | null {
  const key = baseRateKeys(q).find((k) => model.baseRates[k] !== undefined);
  if (!key) return null;
  const row = model.baseRates[key] as { share: number; n: number };
  const fit = model.kinds[q.kind];
  const raw = fit.edge ? fit.slope * Math.max(-1, Math.min(1, signal)) : 0;
  const adjustment = Math.max(-MAX_ADJUSTMENT, Math.min(MAX_ADJUSTMENT, raw));
  const p = Math.max(0.01, Math.min(0.99, row.share + adjustment));
  return { p, base: row.share, baseN: row.n, baseKey: key, adjustment };
}

/** A stored call as far as its question goes: what it asked, of which symbol, in which regime. */
export interface AskedCall {
  kind: string;
  symbol: string;
  direction?: string | null;
  comparator?: string | null;
  regime: string;
  horizonHours: number;
}

/**
 * How often the side a call took comes true by default: its question's base rate, or one minus it
 * for the other side. Undefined for a call no question in the model asks (a member's touch call).
 */
export function baseRateOfCall(model: QuestionModel, call: AskedCall): number | undefined {
  const asked = questionOf(call);
  if (!asked) return undefined;
  const key = baseRateKeys({
    ...asked,
    symbol: call.symbol,
    regime: call.regime,
    horizonHours: call.horizonHours,
  }).find((k) => model.baseRates[k] !== undefined);
  if (!key) return undefined;
  const share = (model.baseRates[key] as { share: number }).share;
  return asked.positive ? share : 1 - share;
}

/** Which question of the model a call asks, and whether it took the question's positive side. */
export function questionOf(
  call: Pick<AskedCall, "kind" | "symbol" | "direction" | "comparator">,
): { kind: QuestionKind; positive: boolean } | null {
  switch (call.kind) {
    case "direction":
      return { kind: "direction", positive: call.direction === "up" };
    case "relative":
      return { kind: "relative", positive: call.direction === "outperform" };
    case "range":
      return { kind: "range", positive: call.direction === "inside" };
    case "threshold":
      // The only threshold question the desk asks is a volatility index against today's level.
      return isVolatilitySymbol(call.symbol) ? { kind: "vix", positive: call.comparator === "above" } : null;
    default:
      return null;
  }
}
