import { loadavg } from "node:os";
import { percentile } from "./stats.ts";

/** One measured figure, its baseline from the same run, and the target it is read against. */
export interface Figure {
  section: string;
  name: string;
  value: number;
  unit: string;
  baseline: number | null;
  baselineName: string | null;
  /** value / baseline. */
  ratio: number | null;
  target: string | null;
  met: boolean | null;
  note?: string;
}

export function figure(f: Omit<Figure, "ratio"> & { ratio?: number | null }): Figure {
  const ratio = f.ratio ?? (f.baseline ? round(f.value / f.baseline, 2) : null);
  return {
    ...f,
    value: round(f.value, 2),
    baseline: f.baseline === null ? null : round(f.baseline, 2),
    ratio,
  };
}

export function round(n: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(n * k) / k;
}

export function table(figures: Figure[]): string {
  const head = ["section", "figure", "value", "baseline", "ratio", "target", "met"];
  const rows = figures.map((f) => [
    f.section,
    f.name,
    `${f.value} ${f.unit}`,
    f.baseline === null ? "-" : `${f.baseline} ${f.unit} (${f.baselineName})`,
    f.ratio === null ? "-" : `${f.ratio}x`,
    f.target ?? "-",
    f.met === null ? "-" : f.met ? "yes" : "NO",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join(" | ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.map(line)].join("\n");
}

/** The ack target at 200 concurrent: p99 within 1.2x of the no-op handler's on the same fake, and < 150 ms. */
const ACK_RATIO = 1.2;
const ACK_LIMIT_MS = 150;

/**
 * p50 and p99 of the /predict ack per concurrency level, named `<prefix>-<concurrency>-p<percentile>`,
 * each against a no-op handler measured the same way in the same run.
 */
export async function ackFigures(
  section: string,
  prefix: string,
  levels: number[],
  measure: (concurrency: number) => Promise<{ measured: number[]; floor: number[] }>,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const c of levels) {
    const { measured, floor } = await measure(c);
    for (const p of [50, 99]) {
      const target = c === 200 && p === 99;
      const value = percentile(measured, p);
      const baseline = percentile(floor, p);
      figures.push(
        figure({
          section,
          name: `${prefix}-${c}-p${p}`,
          value,
          unit: "ms",
          baseline,
          baselineName: "no-op handler on the same fake",
          target: target ? `<= ${ACK_RATIO}x no-op and < ${ACK_LIMIT_MS} ms` : null,
          met: target ? value <= ACK_RATIO * baseline && value < ACK_LIMIT_MS : null,
          // The machine is shared: its load says how much of the figure is other jobs' CPU.
          ...(target && { note: `load average ${loadavg()[0]?.toFixed(1)} when measured` }),
        }),
      );
    }
  }
  return figures;
}
