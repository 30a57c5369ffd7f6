import type { QualityFlag, Trust } from "../domain/observation.ts";
import {
  addDays,
  closureName,
  isMarketOpen,
  isTradingDay,
  lastClosedSession,
  newYorkDate,
} from "./calendar.ts";
import { isMonthly, releasedAt } from "./macro.ts";
import type { MacroPoint, Quote } from "./ports.ts";
import { isCrypto, isIndex } from "./symbols.ts";

/** Every observation says whether its source may be leaned on. */
export function trustFlags(trust: Trust): QualityFlag[] {
  if (trust === "simulated") return ["simulated"];
  if (trust === "untrusted") return ["untrusted_source"];
  return [];
}

/**
 * Largest believable one-day move. Real extremes stay inside: AAPL -51.9% (2000-09-29) is the
 * worst single stock day in our history, VIX +115.6% (2018-02-05).
 */
function maxDailyMove(symbol: string): number {
  if (isIndex(symbol)) return 1.5;
  if (isCrypto(symbol)) return 0.5;
  return 0.6;
}

/** Flags on a price: stale, volume where trading is expected, an implausible level or jump. */
export function quoteFlags(quote: Quote, at: Date): QualityFlag[] {
  const flags: QualityFlag[] = trustFlags(quote.trust);
  const crypto = isCrypto(quote.symbol);
  const expectedSession = crypto ? addDays(at.toISOString().slice(0, 10), -1) : lastClosedSession(at);
  if (quote.session < expectedSession) flags.push("stale_quote");
  if (!isIndex(quote.symbol)) {
    if (quote.volume === undefined) flags.push("missing_volume");
    else if (quote.volume === 0 && (crypto || isTradingDay(quote.session))) flags.push("zero_volume");
  }
  const move = quote.previousClose ? Math.abs(quote.price / quote.previousClose - 1) : 0;
  const vixOut = quote.symbol === "^VIX" && (quote.price < 5 || quote.price > 150);
  if (!Number.isFinite(quote.price) || quote.price <= 0 || move > maxDailyMove(quote.symbol) || vixOut)
    flags.push("out_of_range");
  return flags;
}

/** Plausible levels, in percent for rates and index points for CPI. */
const MACRO_RANGES: Record<string, [number, number]> = {
  DGS10: [-1, 20],
  DGS2: [-1, 20],
  T10Y2Y: [-5, 5],
  FEDFUNDS: [0, 25],
  CPIAUCSL: [100, 1000],
};

export interface MacroReading {
  latest: MacroPoint | undefined;
  previous: MacroPoint | undefined;
  flags: QualityFlag[];
}

/**
 * The latest usable value of a series and its flags. A trailing "." is reported as missing_value
 * while the last real value is kept with its own date, so nothing is made up.
 */
export function readMacro(id: string, points: readonly MacroPoint[], trust: Trust, at: Date): MacroReading {
  const flags: QualityFlag[] = trustFlags(trust);
  const valued = points.filter((p) => p.value !== null);
  const latest = valued.at(-1);
  if (points.at(-1)?.value === null || !latest) flags.push("missing_value");
  if (latest) {
    const ageDays = (at.getTime() - releasedAt(id, latest.date).getTime()) / 86_400_000;
    if (ageDays > (isMonthly(id) ? 45 : 7)) flags.push("stale_series");
    const range = MACRO_RANGES[id];
    if (range && (latest.value! < range[0] || latest.value! > range[1])) flags.push("out_of_range");
  }
  return { latest, previous: valued.at(-2), flags };
}

/** Snapshot-wide: whether US equities are trading at this moment, and why not. */
export function calendarFlags(at: Date): QualityFlag[] {
  const today = newYorkDate(at);
  if (closureName(today)) return ["holiday", "market_closed"];
  return isMarketOpen(at) ? [] : ["market_closed"];
}
