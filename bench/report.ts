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

/**
 * p50 and p99 of the /predict ack per concurrency level, each against a no-op listener measured the
 * same way; the target is p99 under 150 ms at 200 concurrent.
 */
export async function ackFigures(
  section: string,
  levels: number[],
  measure: (concurrency: number) => Promise<{ measured: number[]; floor: number[] }>,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const c of levels) {
    const { measured, floor } = await measure(c);
    for (const p of [50, 99]) {
      const target = c === 200 && p === 99;
      figures.push(
        figure({
          section,
          name: `/predict ack, ${c} concurrent, p${p}`,
          value: percentile(measured, p),
          unit: "ms",
          baseline: percentile(floor, p),
          baselineName: "no-op handler",
          target: target ? "< 150 ms" : null,
          met: target ? percentile(measured, p) < 150 : null,
        }),
      );
    }
  }
  return figures;
}
