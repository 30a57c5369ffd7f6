import { assetClassOf } from "../../domain/bars.ts";
import { mean } from "../features.ts";
import { clamp } from "../minds/common.ts";

/**
 * The desk's volatility model of a symbol's own history: a blend of the last month's daily
 * volatility (which clusters) and the last year's (to which it reverts). Percent per session.
 */
export interface VolModel {
  shortPct: number;
  longPct: number;
  blendPct: number;
}

const SHORT = 20;
const LONG = 250;
/** Fewer returns than this (two months) and the long leg says nothing the short one does not. */
const MIN_LONG = 40;

export function volModel(closes: readonly number[]): VolModel | null {
  const returns = closes
    .slice(-(LONG + 1))
    .slice(1)
    .map((close, i, rest) => {
      const before = i === 0 ? closes[closes.length - rest.length - 1] : rest[i - 1];
      return ((close - (before as number)) / (before as number)) * 100;
    });
  if (returns.length < MIN_LONG) return null;
  const shortPct = rms(returns.slice(-SHORT));
  const longPct = rms(returns);
  if (!(shortPct > 0 && longPct > 0)) return null;
  return { shortPct, longPct, blendPct: Math.sqrt(0.5 * shortPct ** 2 + 0.5 * longPct ** 2) };
}

/** Around zero mean, daily returns' spread is their root mean square; no drift estimate to get wrong. */
function rms(values: readonly number[]): number {
  return Math.sqrt(values.reduce((sum, v) => sum + v * v, 0) / values.length);
}

/**
 * Sessions of returns a desk question spans: entry is the last close before the call, and the
 * desk's horizon always reaches two closes later for equities; crypto closes every UTC day.
 */
export function sessionsSpanned(symbol: string, horizonHours: number): number {
  return assetClassOf(symbol) === "crypto" ? Math.max(1, Math.round(horizonHours / 24)) : 2;
}

/** The band of a range question: one blended sigma over the sessions spanned, to 0.1%. */
export function rangeBandPct(model: VolModel, symbol: string, horizonHours: number): number {
  return Math.max(
    0.1,
    Math.round(model.blendPct * Math.sqrt(sessionsSpanned(symbol, horizonHours)) * 10) / 10,
  );
}

/** Positive when the last month has been calmer than the year: a close inside the band is likelier. */
export function volSignal(model: VolModel): number {
  return clamp(Math.log(model.longPct / model.shortPct), -1, 1);
}

/** How far a level index stands from its 20-session mean, as a share of that mean. */
export function stretchFromMean(closes: readonly number[]): number | null {
  const last = closes.at(-1);
  if (last === undefined || closes.length < SHORT) return null;
  const average = mean(closes.slice(-SHORT));
  return (last - average) / average;
}
