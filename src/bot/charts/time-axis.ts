import { type Chart, renderChart } from "./render.ts";

const HOUR = 3_600_000;

/**
 * A time domain with room either side: one timestamp (a single batch of verdicts) would otherwise
 * give a zero-width scale whose ticks are milliseconds (".226").
 */
export function paddedTimeDomain(times: readonly number[]): [number, number] {
  const low = Math.min(...times);
  const high = Math.max(...times);
  const pad = Math.max((high - low) * 0.05, 12 * HOUR);
  return [low - pad, high + pad];
}

/** Dates as "Jun 04", one tick a day over a short domain (never the same date twice), else about five. */
export function timeAxis([low, high]: readonly [number, number]) {
  const tickCount = high - low <= 10 * 24 * HOUR ? { interval: "day" as const, step: 1 } : 5;
  return { format: "%b %d", tickCount, labelOverlap: true, labelFlush: true };
}

/** A chart that says in words that there is nothing to draw yet, instead of an empty axis labelled 0.000000. */
export function emptyChart(message: string, title: string, width: number, height: number): Promise<Chart> {
  return renderChart({
    title: { text: title, fontSize: 12, anchor: "start" },
    width,
    height,
    data: { values: [{ message }] },
    mark: {
      type: "text",
      x: width / 2,
      y: height / 2,
      align: "center",
      baseline: "middle",
      fontSize: 13,
      color: "#5e6570",
    },
    encoding: { text: { field: "message" } },
  });
}
