import type { QualityFlag } from "../../domain/observation.ts";
import type { MarketFeatures, SymbolFeatures } from "../features.ts";
import type { CrowdCall, Direction, MindName, RegimeReading, StanceAnswer } from "../types.ts";

/** What every mind sees: the same computed numbers, the regime and this server's crowd. */
export interface MindContext {
  features: MarketFeatures;
  regime: RegimeReading;
  symbols: readonly string[];
  crowd: readonly CrowdCall[];
}

export type Mind = (ctx: MindContext) => StanceAnswer[];
export type MindTable = Record<MindName, Mind>;

/** Flags that make a price or volume untrustworthy for reading flow. Simulated or closed markets are not bad data. */
export const BLOCKING_FLAGS: readonly QualityFlag[] = [
  "stale_quote",
  "zero_volume",
  "missing_volume",
  "out_of_range",
  "missing_value",
  "source_down",
  "untrusted_source",
];

export function blockingFlags(f: SymbolFeatures | undefined): QualityFlag[] {
  return (f?.flags ?? []).filter((flag) => BLOCKING_FLAGS.includes(flag));
}

/**
 * Why no mind may stand on a symbol the snapshot has no price for (its source down or timed out),
 * or null when it has one. A backdrop (VIX, rates) or a crowd is no reason to call a price nobody saw.
 */
export function noPriceReason(symbol: string, f: SymbolFeatures | undefined): string | null {
  if (f && f.last !== null) return null;
  const flags = f?.flags.length ? ` (${f.flags.join(", ")})` : "";
  return `No price for ${symbol} in the snapshot${flags}: nothing to stand on.`;
}

/**
 * Turns a signed score into a stance. `scale` maps score to probability edge and `cap` bounds it:
 * each mind states how sure its own evidence can make it, never more.
 */
export function stanceFromScore(
  symbol: string,
  score: number,
  opts: { minScore: number; scale: number; cap: number; reason: string; weak: string; ids: string[] },
): StanceAnswer {
  if (!Number.isFinite(score) || Math.abs(score) < opts.minScore) {
    return { abstained: true, symbol, reason: opts.weak, observationIds: opts.ids };
  }
  const direction: Direction = score > 0 ? "up" : "down";
  const probability = round2(0.5 + Math.min(opts.cap - 0.5, Math.abs(score) * opts.scale));
  return { abstained: false, symbol, direction, probability, reason: opts.reason, observationIds: opts.ids };
}

export function abstain(symbol: string, reason: string, ids: string[] = []): StanceAnswer {
  return { abstained: true, symbol, reason, observationIds: ids };
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

export function signed(value: number, digits = 2): string {
  return `${value > 0 ? "+" : ""}${value.toFixed(digits)}`;
}

export function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}
