import { assetClassOf, type Bar, barCloseTime, lastBarAtOrBefore } from "../domain/bars.ts";
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
  const last = lastBarAtOrBefore(bars, asOf, assetClass);
  if (!last) throw new NoData(provenance.source, `no ${symbol} bar at or before ${asOf.toISOString()}`);
  return {
    ...provenance,
    symbol,
    price: last.close,
    time: barCloseTime(last.date, assetClass),
    session: last.date,
    previousClose: bars[bars.indexOf(last) - 1]?.close,
    volume: last.volume,
  };
}
