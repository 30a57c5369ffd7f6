import type { CalibrationBucket } from "../../domain/scoring.ts";
import { type Chart, renderChart } from "./render.ts";
import { emptyChart } from "./time-axis.ts";

/** 95% Wilson score interval for k hits in n: honest at n=1 (it spans most of the axis), unlike ±2σ. */
export function wilsonInterval(hits: number, n: number, z = 1.96): [number, number] {
  const p = hits / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * Stated probability against how often those calls came true: one point per bucket sized by its
 * count, with its 95% interval as a bar, over the diagonal of perfect calibration. Every bucket is
 * labelled "n=…", empty ones too, so a thin record reads as thin rather than as a confident curve.
 */
export function calibrationChart(
  buckets: readonly CalibrationBucket[],
  title = "Calibration",
): Promise<Chart> {
  const width = 460;
  const height = 260;
  if (buckets.every((b) => b.count === 0)) return emptyChart("No resolved calls yet", title, width, height);
  const points = buckets.flatMap((b) => {
    if (!b.count || b.meanP === null || b.hitRate === null) return [];
    const [low, high] = wilsonInterval(Math.round(b.hitRate * b.count), b.count);
    return [{ stated: b.meanP, hit: b.hitRate, low, high, count: b.count }];
  });
  const labels = buckets.map((b) => ({ mid: (b.from + b.to) / 2, label: `n=${b.count}` }));
  const axis = (domain: [number, number]) => ({
    type: "quantitative" as const,
    scale: { domain },
    axis: { format: "%", tickCount: 5 },
  });
  const x = axis([0.5, 1]);
  const y = axis([0, 1]);
  return renderChart({
    title,
    width,
    height,
    layer: [
      {
        data: { values: [{ p: 0.5 }, { p: 1 }] },
        mark: { type: "line", strokeDash: [4, 4], color: "#999" },
        encoding: { x: { field: "p", ...x, title: "Stated probability" }, y: { field: "p", ...y } },
      },
      {
        data: { values: points },
        mark: { type: "rule", color: "#2f5d8a", strokeWidth: 2, opacity: 0.45 },
        encoding: { x: { field: "stated", ...x }, y: { field: "low", ...y }, y2: { field: "high" } },
      },
      {
        data: { values: points },
        mark: { type: "point", filled: true, color: "#2f5d8a", opacity: 1 },
        encoding: {
          x: { field: "stated", ...x },
          y: { field: "hit", ...y, title: "Came true (95% interval)" },
          size: { field: "count", type: "quantitative", scale: { range: [40, 260] }, legend: null },
        },
      },
      {
        data: { values: labels },
        mark: { type: "text", dy: -4, fontSize: 11, color: "#555" },
        encoding: { x: { field: "mid", ...x }, y: { datum: 0.04, ...y }, text: { field: "label" } },
      },
    ],
  });
}
