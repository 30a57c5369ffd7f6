import type { CalibrationBucket } from "../../domain/scoring.ts";
import { type Chart, renderChart } from "./render.ts";

/**
 * Stated probability against how often those calls came true, one point per bucket sized by its
 * count, over the diagonal of perfect calibration. Every bucket is labelled "n=…", empty ones too,
 * so a thin record reads as thin rather than as a confident curve.
 */
export function calibrationChart(
  buckets: readonly CalibrationBucket[],
  title = "Calibration",
): Promise<Chart> {
  const points = buckets.map((b) => ({
    mid: (b.from + b.to) / 2,
    stated: b.meanP,
    hit: b.hitRate,
    count: b.count,
    label: `n=${b.count}`,
  }));
  const axis = (domain: [number, number]) => ({
    type: "quantitative" as const,
    scale: { domain },
    axis: { format: "%" },
  });
  const x = axis([0.5, 1]);
  const y = axis([0, 1]);
  return renderChart({
    title,
    width: 460,
    height: 260,
    layer: [
      {
        data: { values: [{ p: 0.5 }, { p: 1 }] },
        mark: { type: "line", strokeDash: [4, 4], color: "#999" },
        encoding: { x: { field: "p", ...x, title: "Stated probability" }, y: { field: "p", ...y } },
      },
      {
        data: { values: points.filter((p) => p.count > 0) },
        mark: { type: "line", point: { filled: true, size: 60 }, color: "#1a73e8" },
        encoding: {
          x: { field: "stated", ...x },
          y: { field: "hit", ...y, title: "Came true" },
        },
      },
      {
        data: { values: points },
        mark: { type: "text", dy: -4, fontSize: 11, color: "#555" },
        encoding: { x: { field: "mid", ...x }, y: { datum: 0.04, ...y }, text: { field: "label" } },
      },
    ],
  });
}
