import { type Chart, renderChart } from "./render.ts";

export interface ScoredPoint {
  resolvedAt: Date;
  baselineScore: number;
}

/**
 * Points drawn at most: the chart is 460 px wide, and 20k points took 14 s to render on the event loop
 * the bots share. Beyond it the series is thinned evenly, first and last point kept.
 */
export const MAX_DRAWN_POINTS = 400;

/** Running total of baseline score in resolution order: above zero means better than coin flips. */
export function cumulativeScores(points: readonly ScoredPoint[]): { at: string; total: number }[] {
  let total = 0;
  const series = [...points]
    .sort((a, b) => a.resolvedAt.getTime() - b.resolvedAt.getTime())
    .map((p) => {
      total += p.baselineScore;
      return { at: p.resolvedAt.toISOString(), total: Math.round(total * 10) / 10 };
    });
  if (series.length <= MAX_DRAWN_POINTS) return series;
  const last = series.length - 1;
  return Array.from(
    { length: MAX_DRAWN_POINTS },
    (_, i) => series[Math.round((i * last) / (MAX_DRAWN_POINTS - 1))] as { at: string; total: number },
  );
}

export function scoreOverTimeChart(
  points: readonly ScoredPoint[],
  title = "Score over time",
): Promise<Chart> {
  return renderChart({
    title,
    width: 460,
    height: 220,
    layer: [
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: "rule", color: "#999", strokeDash: [4, 4] },
        encoding: { y: { field: "zero", type: "quantitative" } },
      },
      {
        data: { values: cumulativeScores(points) },
        mark: { type: "line", point: true, color: "#1a73e8", interpolate: "step-after" },
        encoding: {
          x: { field: "at", type: "temporal", scale: { type: "utc" }, title: "Resolved (UTC)" },
          y: { field: "total", type: "quantitative", title: "Cumulative baseline score" },
        },
      },
    ],
  });
}
