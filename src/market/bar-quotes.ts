import { type AssetClass, assetClassOf, type Bar, barCloseTime } from "../domain/bars.ts";
import type { Trust } from "../domain/observation.ts";
import { NoData } from "./http.ts";
import type { DateRange, Quote } from "./ports.ts";

/** Bars inside the range whose close had passed at asOf; a still-trading session is provisional. */
export function visibleBars(symbol: string, bars: readonly Bar[], range: DateRange, asOf: Date): Bar[] {
  const assetClass = assetClassOf(symbol);
  return bars.filter(
    (bar) => bar.date >= range.from && bar.date <= range.to && barCloseTime(bar.date, assetClass) <= asOf,
  );
}

/** The quote a daily-bar source can give: the last close at or before asOf, stamped with its close time. */
export function quoteFromBars(
  provenance: { source: string; trust: Trust },
  symbol: string,
  bars: readonly Bar[],
  asOf: Date,
): Quote {
  const assetClass = assetClassOf(symbol);
  const index = lastIndexAtOrBefore(bars, asOf, assetClass);
  const last = bars[index];
  if (!last) throw new NoData(provenance.source, `no ${symbol} bar at or before ${asOf.toISOString()}`);
  return {
    ...provenance,
    symbol,
    price: last.close,
    time: barCloseTime(last.date, assetClass),
    session: last.date,
    previousClose: bars[index - 1]?.close,
    volume: last.volume,
  };
}

/**
 * lastBarAtOrBefore from the end: decades of history hold thousands of bars and a close time costs
 * a time-zone conversion, so dates past asOf's UTC day are skipped by string comparison first.
 */
function lastIndexAtOrBefore(bars: readonly Bar[], asOf: Date, assetClass: AssetClass): number {
  const asOfDay = asOf.toISOString().slice(0, 10);
  for (let i = bars.length - 1; i >= 0; i--) {
    const date = bars[i]!.date;
    if (date <= asOfDay && barCloseTime(date, assetClass) <= asOf) return i;
  }
  return -1;
}
