import type { Bar } from "../src/domain/bars.ts";

/** Generated daily bars (every calendar day) per symbol, for the tests' FakeQuotes port. */
export function benchSeries(symbols: string[], from: string, days: number): Record<string, Bar[]> {
  const series: Record<string, Bar[]> = {};
  const start = Date.parse(`${from}T00:00:00Z`);
  symbols.forEach((symbol, s) => {
    let close = 100;
    const bars: Bar[] = [];
    for (let d = 0; d < days; d += 1) {
      close *= 1 + Math.sin((d + 1) * (s + 3)) * 0.01;
      bars.push({ date: new Date(start + d * 86_400_000).toISOString().slice(0, 10), close });
    }
    series[symbol] = bars;
  });
  return series;
}
