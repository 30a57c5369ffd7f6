import type { BacktestReport } from "./run.ts";
import type { ScoreCard, Section } from "./scorecard.ts";

const HEADER = [
  "",
  "calls",
  "abstain",
  "resolved",
  "void",
  "hit",
  "Brier",
  "skill/coin",
  "skill/up",
  "ECE",
  "baseline",
];

function num(value: number | null, digits: number): string {
  return value === null ? "—" : value.toFixed(digits);
}

function pct(value: number | null): string {
  return value === null ? "—" : `${(value * 100).toFixed(1)}%`;
}

function row(label: string, c: ScoreCard): string[] {
  return [
    label,
    String(c.calls),
    String(c.abstentions),
    String(c.resolved),
    String(c.voids),
    pct(c.hitRate),
    num(c.meanBrier, 4),
    pct(c.skillVsCoinFlip),
    pct(c.skillVsAlwaysUp),
    num(c.ece, 4),
    num(c.baselineSum, 0),
  ];
}

function table(rows: string[][]): string {
  const widths = HEADER.map((_, i) => Math.max(...[HEADER, ...rows].map((r) => (r[i] ?? "").length)));
  return [HEADER, ...rows]
    .map((r) =>
      r
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number)))
        .join("  "),
    )
    .join("\n");
}

function cuts(title: string, s: Section): string {
  const rows = [
    ...Object.entries(s.byRegime).map(([k, c]) => row(`regime ${k}`, c)),
    ...Object.entries(s.byHorizon).map(([k, c]) => row(`horizon ${k}`, c)),
  ];
  return `${title}\n${table(rows)}`;
}

/** The report as a reader wants it: the headline table, then the cuts, then calibration. */
export function formatReport(r: BacktestReport): string {
  const minds = Object.entries(r.minds);
  const headline = table([
    row("Desk", r.desk.overall),
    ...minds.map(([mind, m]) => row(`${mind} (lead)`, m.lead.overall)),
    ...minds.map(([mind, m]) => row(`${mind} (stances)`, m.stances.overall)),
  ]);
  const calibration = r.desk.calibration
    .filter((b) => b.count > 0)
    .map(
      (b) => `  ${pct(b.from)}–${pct(b.to)}: said ${pct(b.meanP)}, came in ${pct(b.hitRate)} (n=${b.count})`,
    );
  return [
    `Backtest ${r.window.from}..${r.window.to} · ${r.window.cadence} · ${r.window.engine} engine · ${r.cycles} cycles (${r.failedCycles.length} failed) · ${r.runtimeSeconds}s`,
    `Learning: ${r.learning.lessons} post-mortems, ${r.learning.rulesAdopted} rules adopted, ${r.learning.rulesLifted} lifted. Open at the end: ${r.desk.overall.open}.`,
    "",
    headline,
    "",
    cuts("Desk by regime and horizon", r.desk),
    "",
    ...minds.flatMap(([mind, m]) => [cuts(`${mind} stances by regime and horizon`, m.stances), ""]),
    "Desk calibration:",
    ...(calibration.length ? calibration : ["  no resolved calls"]),
    r.chart ? `Calibration chart: ${r.chart}` : "No chart written (pass --chart <file.png>).",
  ].join("\n");
}
