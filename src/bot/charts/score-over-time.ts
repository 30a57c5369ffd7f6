import { type Chart, renderChart } from "./render.ts";
import { emptyChart, paddedTimeDomain, timeAxis } from "./time-axis.ts";

export interface ScoredPoint {
  resolvedAt: Date;
  baselineScore: number;
}

/** Running total of baseline score in resolution order: above zero means better than coin flips. */
export function cumulativeScores(points: readonly ScoredPoint[]): { at: string; total: number }[] {
  let total = 0;
  return [...points]
    .sort((a, b) => a.resolvedAt.getTime() - b.resolvedAt.getTime())
    .map((p) => {
      total += p.baselineScore;
      return { at: p.resolvedAt.toISOString(), total: Math.round(total * 10) / 10 };
    });
}

/** The running total over time; with nothing resolved it says so rather than drawing an empty axis. */
export function scoreOverTimeChart(
  points: readonly ScoredPoint[],
  title = "Score over time",
): Promise<Chart> {
  const width = 460;
  const height = 220;
  if (!points.length) return emptyChart("No resolved calls yet", title, width, height);
  const totals = cumulativeScores(points).map((p, i) => ({ ...p, n: i + 1 }));
  const times = points.map((p) => p.resolvedAt.getTime());
  const domain = paddedTimeDomain(times);
  // Verdicts resolved in one batch share a moment: a time axis would stack them in one column.
  const oneBatch = Math.max(...times) - Math.min(...times) < 86_400_000;
  const x = oneBatch
    ? {
        field: "n",
        type: "quantitative" as const,
        axis: { format: "d", tickMinStep: 1 },
        title: `Calls in resolution order (all resolved ${new Date(Math.min(...times)).toISOString().slice(0, 10)} UTC)`,
      }
    : {
        field: "at",
        type: "temporal" as const,
        scale: { type: "utc" as const, domain },
        axis: timeAxis(domain),
        title: "Resolved (UTC)",
      };
  return renderChart({
    title,
    width,
    height,
    layer: [
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: "rule", color: "#999", strokeDash: [4, 4] },
        encoding: { y: { field: "zero", type: "quantitative" } },
      },
      {
        data: { values: totals },
        mark: { type: "line", point: true, color: "#2f5d8a", interpolate: "step-after" },
        encoding: {
          x,
          y: { field: "total", type: "quantitative", title: "Cumulative baseline score" },
        },
      },
    ],
  });
}
