import type { Bar } from "../../src/domain/bars.ts";
import type { BarSeries, DateRange, Quote, QuotePort } from "../../src/market/ports.ts";

/** A quote port over fixed bars that counts lookups and can be told to fail, like a source that is down. */
export class FakeQuotes implements QuotePort {
  readonly name = "fake";
  lookups: { symbol: string; range: DateRange }[] = [];
  failing = false;

  constructor(private readonly series: Record<string, Bar[]>) {}

  async latestQuote(symbol: string): Promise<Quote> {
    const last = this.series[symbol]?.at(-1);
    if (!last) throw new Error(`no quote for ${symbol}`);
    return {
      symbol,
      price: last.close,
      time: new Date(`${last.date}T20:00:00Z`),
      session: last.date,
      source: "fake",
      trust: "primary",
    };
  }

  async dailyBars(symbol: string, range: DateRange): Promise<BarSeries> {
    this.lookups.push({ symbol, range });
    if (this.failing) throw new Error("source timed out");
    const bars = (this.series[symbol] ?? []).filter((b) => b.date >= range.from && b.date <= range.to);
    return { symbol, bars, source: "fake", trust: "primary" };
  }
}
