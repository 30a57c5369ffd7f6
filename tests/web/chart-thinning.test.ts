import { describe, expect, it } from "vitest";
import { cumulativeScores, MAX_DRAWN_POINTS } from "../../src/bot/charts/score-over-time.ts";

describe("the score-over-time series", () => {
  it("thins a long record to the points a chart can show, keeping its first and last totals", () => {
    const start = Date.UTC(2026, 0, 1);
    const points = Array.from({ length: 20_000 }, (_, i) => ({
      resolvedAt: new Date(start + i * 60_000),
      baselineScore: i % 3 === 0 ? -0.5 : 0.25,
    }));
    const full = points.reduce((sum, p) => sum + p.baselineScore, 0);
    const series = cumulativeScores(points);
    expect(series).toHaveLength(MAX_DRAWN_POINTS);
    expect(series[0]).toEqual({ at: new Date(start).toISOString(), total: -0.5, n: 1 });
    expect(series.at(-1)).toEqual({
      at: new Date(start + 19_999 * 60_000).toISOString(),
      total: Math.round(full * 10) / 10,
      n: 20_000,
    });
    const times = series.map((p) => Date.parse(p.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("keeps every point of a short record", () => {
    const points = [3, 1, 2].map((d) => ({ resolvedAt: new Date(Date.UTC(2026, 0, d)), baselineScore: d }));
    expect(cumulativeScores(points).map((p) => p.total)).toEqual([1, 3, 6]);
  });
});
