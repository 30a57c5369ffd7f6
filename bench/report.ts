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
