import type { Bar } from "../src/domain/bars.ts";
import type { BarSeries, DateRange, Quote, QuotePort } from "../src/market/ports.ts";

/** An in-memory quote port over generated daily bars (every calendar day), counting lookups. */
export class BenchQuotes implements QuotePort {
  readonly name = "bench";
  lookups = 0;
  private readonly series: Record<string, Bar[]> = {};

  constructor(symbols: string[], from: string, days: number) {
    symbols.forEach((symbol, s) => {
      let close = 100;
      const bars: Bar[] = [];
      const start = Date.parse(`${from}T00:00:00Z`);
      for (let d = 0; d < days; d += 1) {
        close *= 1 + Math.sin((d + 1) * (s + 3)) * 0.01;
        bars.push({ date: new Date(start + d * 86_400_000).toISOString().slice(0, 10), close });
      }
      this.series[symbol] = bars;
    });
  }

  async latestQuote(symbol: string): Promise<Quote> {
    const last = this.series[symbol]?.at(-1);
    if (!last) throw new Error(`no quote for ${symbol}`);
    return {
      symbol,
      price: last.close,
      time: new Date(`${last.date}T21:00:00Z`),
      session: last.date,
      source: "bench",
      trust: "primary",
    };
  }

  async dailyBars(symbol: string, range: DateRange): Promise<BarSeries> {
    this.lookups += 1;
    const bars = (this.series[symbol] ?? []).filter((b) => b.date >= range.from && b.date <= range.to);
    return { symbol, bars, source: "bench", trust: "primary" };
  }
}
