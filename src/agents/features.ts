import { z } from "zod";
import { type AssetClass, assetClassOf, type Bar, barCloseTime } from "../domain/bars.ts";
import { VOLATILITY_SYMBOLS } from "../domain/debate.ts";
import type { Observation, QualityFlag, Snapshot } from "../domain/observation.ts";
import { type Breadth, breadthOf, type Policy, policyOf } from "./policy.ts";

/**
 * Every number the desk reasons with, computed in code from one snapshot. Both engines read these;
 * the model never computes a return or a volatility itself.
 */
export interface SymbolFeatures {
  symbol: string;
  assetClass: AssetClass;
  last: number | null;
  lastDate: string | null;
  changePct: number | null;
  change5dPct: number | null;
  change20dPct: number | null;
  /** Standard deviation of daily % returns over the last 20 sessions. */
  volPct: number | null;
  /** Today's move in units of that volatility: the desk's yardstick for "extreme". */
  moveZ: number | null;
  sma50: number | null;
  aboveSma50: boolean | null;
  volumeRatio: number | null;
  flags: QualityFlag[];
  observationIds: string[];
}

export interface MacroReading {
  id: string;
  value: number;
  /** Change over about a month of a daily series (21 observations); null for monthly ones. */
  change20: number | null;
  flags: QualityFlag[];
  /** Released values up to this one, oldest first: what a trend is read from. */
  recent: MacroPoint[];
}

export interface MacroPoint {
  date: string;
  value: number;
}

export const MACRO_SERIES = ["DGS10", "DGS2", "T10Y2Y", "FEDFUNDS", "CPIAUCSL"] as const;
export type MacroSeries = (typeof MACRO_SERIES)[number];

export type { Breadth, Policy } from "./policy.ts";

export interface MarketFeatures {
  at: Date;
  source: Snapshot["source"];
  symbols: Map<string, SymbolFeatures>;
  vix: SymbolFeatures | null;
  macro: Partial<Record<MacroSeries, MacroReading>>;
  /** What the macro series say together: inflation's trend, the Fed's path, the curve. */
  policy: Policy;
  /** Participation across the tracked stocks and funds. */
  breadth: Breadth;
  snapshotFlags: QualityFlag[];
  untrustedTexts: { id: string; kind: string; source: string; text: string }[];
}

export function isMacroKey(key: string): key is MacroSeries {
  return (MACRO_SERIES as readonly string[]).includes(key);
}

export function computeFeatures(snapshot: Snapshot): MarketFeatures {
  const keys = new Set<string>(Object.keys(snapshot.history).filter((key) => !isMacroKey(key)));
  for (const obs of snapshot.observations) {
    if ((obs.kind === "quote" || obs.kind === "crypto") && obs.symbol) keys.add(obs.symbol);
  }
  const symbols = new Map<string, SymbolFeatures>();
  for (const symbol of [...keys].sort()) symbols.set(symbol, symbolFeatures(snapshot, symbol));
  const vixKey = VOLATILITY_SYMBOLS.find((key) => symbols.get(key)?.last != null);
  const vix = vixKey ? (symbols.get(vixKey) ?? null) : null;
  const macro = macroReadings(snapshot);
  return {
    at: snapshot.at,
    source: snapshot.source,
    symbols,
    vix,
    macro,
    policy: policyOf(macro),
    breadth: breadthOf(symbols, vix),
    snapshotFlags: snapshot.flags,
    untrustedTexts: snapshot.observations
      .filter((obs) => obs.kind === "headline" || obs.kind === "filing")
      .map((obs) => ({ id: obs.id, kind: obs.kind, source: obs.source, text: textOf(obs) })),
  };
}

function observationsFor(snapshot: Snapshot, symbol: string): Observation[] {
  return snapshot.observations.filter(
    (obs) => obs.symbol === symbol && (obs.kind === "quote" || obs.kind === "crypto"),
  );
}

/** Bars that had closed by the snapshot moment: a defence in depth against look-ahead. */
function closedBars(snapshot: Snapshot, symbol: string): Bar[] {
  const assetClass = assetClassOf(symbol);
  return (snapshot.history[symbol] ?? []).filter((bar) => barCloseTime(bar.date, assetClass) <= snapshot.at);
}

function symbolFeatures(snapshot: Snapshot, symbol: string): SymbolFeatures {
  const assetClass = assetClassOf(symbol);
  const bars = closedBars(snapshot, symbol);
  const observed = observationsFor(snapshot, symbol);
  const quote = observed.find((obs) => obs.value !== null);
  const closes = bars.map((bar) => bar.close);
  const lastBar = bars.at(-1);
  // A live quote newer than the last closed bar is today's price: append it so changes are vs yesterday.
  if (quote?.value != null && lastBar && quote.asOf > barCloseTime(lastBar.date, assetClass)) {
    closes.push(quote.value);
  } else if (quote?.value != null && !lastBar) {
    closes.push(quote.value);
  }
  const last = closes.at(-1) ?? null;
  const volPct = volatilityPct(closes);
  const changePct = pctChange(closes, 1);
  const sma50 = closes.length >= 50 ? mean(closes.slice(-50)) : null;
  const volumes = bars.map((bar) => bar.volume).filter((v): v is number => v !== undefined && v > 0);
  const avgVolume = volumes.length >= 21 ? mean(volumes.slice(-21, -1)) : null;
  const lastVolume = lastBar?.volume;
  return {
    symbol,
    assetClass,
    last,
    lastDate: lastBar?.date ?? null,
    changePct,
    change5dPct: pctChange(closes, 5),
    change20dPct: pctChange(closes, 20),
    volPct,
    moveZ: changePct !== null && volPct ? changePct / volPct : null,
    sma50,
    aboveSma50: sma50 !== null && last !== null ? last > sma50 : null,
    volumeRatio: avgVolume && lastVolume !== undefined ? lastVolume / avgVolume : null,
    flags: [...new Set(observed.flatMap((obs) => obs.flags))],
    observationIds: observed.map((obs) => obs.id),
  };
}

function macroReadings(snapshot: Snapshot): Partial<Record<MacroSeries, MacroReading>> {
  const readings: Partial<Record<MacroSeries, MacroReading>> = {};
  for (const series of MACRO_SERIES) {
    const obs = snapshot.observations.find(
      (o) => o.kind === "macro" && (o.symbol === series || o.id === `macro:${series}`),
    );
    // A daily macro print is only known once its day is over; treat it like a UTC-day bar.
    const history = (snapshot.history[series] ?? []).filter(
      (bar) => barCloseTime(bar.date, "crypto") <= snapshot.at,
    );
    const value = obs?.value ?? history.at(-1)?.close ?? null;
    if (value === null) continue;
    const carried = recentSchema.safeParse(obs?.payload.recent);
    const recent = carried.success
      ? carried.data
      : history.map((bar) => ({ date: bar.date, value: bar.close }));
    const monthAgo = recent.at(-21)?.value;
    readings[series] = {
      id: obs?.id ?? `history:${series}`,
      value,
      change20: monthAgo !== undefined && !MONTHLY.has(series) ? value - monthAgo : null,
      flags: obs?.flags ?? [],
      recent,
    };
  }
  return readings;
}

/** The observation's own trailing values (market/snapshot.ts); anything else is ignored, not trusted. */
const recentSchema = z.array(z.object({ date: z.string(), value: z.number() })).min(1);
const MONTHLY = new Set<MacroSeries>(["CPIAUCSL", "FEDFUNDS"]);

function textOf(obs: Observation): string {
  const { title, text, summary } = obs.payload as { title?: unknown; text?: unknown; summary?: unknown };
  return [title, summary ?? text].filter((part): part is string => typeof part === "string").join(" — ");
}

export function pctChange(closes: readonly number[], sessions: number): number | null {
  const last = closes.at(-1);
  const before = closes.at(-1 - sessions);
  if (last === undefined || before === undefined || closes.length <= sessions) return null;
  return ((last - before) / before) * 100;
}

/** Standard deviation of daily % returns over the last 20 sessions; null with fewer than 10 returns. */
export function volatilityPct(closes: readonly number[]): number | null {
  const returns = dailyReturnsPct(closes.slice(-21));
  return returns.length >= 10 ? stdev(returns) : null;
}

function dailyReturnsPct(closes: readonly number[]): number[] {
  return closes.slice(1).map((close, i) => ((close - (closes[i] as number)) / (closes[i] as number)) * 100);
}

export function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function stdev(values: readonly number[]): number {
  const m = mean(values);
  return Math.sqrt(values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1));
}
