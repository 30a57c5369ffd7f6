import type { MacroPoint, MacroReading, MacroSeries, SymbolFeatures } from "./features.ts";

/**
 * What the rates and inflation series say together, computed once so every mind and the writer
 * quote the same numbers. Changes are in percentage points; null where the series or its history
 * is missing (never a made-up zero).
 */
export interface Policy {
  /** CPI's rise over the twelve months to its latest print, in percent. */
  cpiYoY: number | null;
  /** The same three prints earlier: with cpiYoY, whether inflation is heating or cooling. */
  cpiYoYBefore: number | null;
  fedFunds: number | null;
  /** Fed funds now minus six prints (months) before: the path the Fed has been on. */
  fedFundsChange6m: number | null;
  twoYear: number | null;
  /** The 2-year over about a month: the market's read of where the Fed goes next. */
  twoYearChange20: number | null;
  tenYear: number | null;
  tenYearChange20: number | null;
  /** 10-year minus 2-year (T10Y2Y, or DGS10 − DGS2 when the spread series is missing). */
  curve: number | null;
  curveChange20: number | null;
  /** Observation ids these numbers came from. */
  ids: string[];
}

type Readings = Partial<Record<MacroSeries, MacroReading>>;

export function policyOf(macro: Readings): Policy {
  const cpi = macro.CPIAUCSL?.recent ?? [];
  const funds = macro.FEDFUNDS;
  const two = macro.DGS2;
  const ten = macro.DGS10;
  const spread = macro.T10Y2Y;
  const curve = spread?.value ?? (ten && two ? ten.value - two.value : null);
  return {
    cpiYoY: yoy(cpi, 0),
    cpiYoYBefore: yoy(cpi, 3),
    fedFunds: funds?.value ?? null,
    fedFundsChange6m: changeOver(funds?.recent ?? [], 6),
    twoYear: two?.value ?? null,
    twoYearChange20: two?.change20 ?? null,
    tenYear: ten?.value ?? null,
    tenYearChange20: ten?.change20 ?? null,
    curve,
    curveChange20:
      spread?.change20 ??
      (ten?.change20 != null && two?.change20 != null ? ten.change20 - two.change20 : null),
    ids: [macro.CPIAUCSL, funds, two, ten, spread].flatMap((r) => (r ? [r.id] : [])),
  };
}

/** Year-over-year change of a monthly index, `back` prints before the latest. */
function yoy(points: readonly MacroPoint[], back: number): number | null {
  const now = points.at(-1 - back);
  const yearAgo = points.at(-13 - back);
  if (!now || !yearAgo || points.length < 13 + back || yearAgo.value <= 0) return null;
  return (now.value / yearAgo.value - 1) * 100;
}

function changeOver(points: readonly MacroPoint[], prints: number): number | null {
  const now = points.at(-1);
  const before = points.at(-1 - prints);
  return now && before && points.length > prints ? now.value - before.value : null;
}

/** Participation across the tracked stocks and funds (not indices, volatility or crypto). */
export interface Breadth {
  universe: number;
  /** Names with a 50-day average, and how many close above it. */
  withTrend: number;
  above: number;
  /** Names with a change today, and how many rose. */
  withChange: number;
  up: number;
  /** Median of today's volume over each name's 20-day mean; null without volume. */
  volumeRatio: number | null;
}

export function breadthOf(symbols: ReadonlyMap<string, SymbolFeatures>, vix: SymbolFeatures | null): Breadth {
  const universe = [...symbols.values()].filter(
    (f) => f.assetClass === "us_equity" && !f.symbol.startsWith("^") && f !== vix && f.last !== null,
  );
  const trend = universe.filter((f) => f.aboveSma50 !== null);
  const change = universe.filter((f) => f.changePct !== null);
  const ratios = universe
    .flatMap((f) => (f.volumeRatio === null ? [] : [f.volumeRatio]))
    .sort((a, b) => a - b);
  return {
    universe: universe.length,
    withTrend: trend.length,
    above: trend.filter((f) => f.aboveSma50).length,
    withChange: change.length,
    up: change.filter((f) => (f.changePct as number) > 0).length,
    volumeRatio: ratios.length ? (ratios[Math.floor(ratios.length / 2)] as number) : null,
  };
}

/** "none of the 6 names I track", "4 of 6 names", "all 6 names": counts, never "0%". */
export function namesCount(count: number, of: number): string {
  if (count === 0) return `none of the ${of} names I track`;
  if (count === of) return `all ${of} names I track`;
  return `${count} of the ${of} names I track`;
}
