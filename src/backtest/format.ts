import type { PeriodReport } from "./report.ts";
import type { BacktestReport } from "./run.ts";
import type { ScoreCard } from "./scorecard.ts";

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

/** Columns padded to their widest cell: the first left-aligned, the numbers right-aligned. */
function table(rows: string[][], header: readonly string[] = HEADER): string {
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => (r[i] ?? "").length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number)))
        .join("  "),
    )
    .join("\n");
}

function baselineTable(period: PeriodReport): string {
  const rows = Object.entries(period.baselines).map(([name, b]) => [
    name,
    String(b.questions),
    b.questions ? signed(b.brierDiff) : "—",
    b.questions ? `[${signed(b.ci95[0])}, ${signed(b.ci95[1])}]` : "—",
    b.questions
      ? b.ci95[1] < 0
        ? "desk better"
        : b.ci95[0] > 0
          ? "baseline better"
          : "no clear difference"
      : "",
  ]);
  return table(rows, ["baseline", "questions", "desk − baseline Brier", "95% (weekly bootstrap)", ""]);
}

function signed(x: number): string {
  return `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(4)}`;
}

function period(title: string, p: PeriodReport): string[] {
  const minds = Object.entries(p.minds);
  const headline = table([
    row("Desk", p.desk.overall),
    ...minds.map(([mind, m]) => row(`${mind} (lead)`, m.lead.overall)),
    ...minds.map(([mind, m]) => row(`${mind} (stances)`, m.stances.overall)),
  ]);
  const cutsOf = (label: string, cards: Record<string, ScoreCard>) =>
    Object.entries(cards).map(([k, c]) => row(`${label} ${k}`, c));
  const calibration = p.desk.calibration
    .filter((b) => b.count > 0)
    .map(
      (b) => `  ${pct(b.from)}–${pct(b.to)}: said ${pct(b.meanP)}, came in ${pct(b.hitRate)} (n=${b.count})`,
    );
  return [
    `${title} ${p.from}..${p.to}`,
    headline,
    "",
    table([
      ...cutsOf("kind", p.desk.byKind),
      ...cutsOf("side", p.desk.bySide),
      ...cutsOf("year", p.desk.byYear),
      ...Object.entries(p.desk.byYearSide).flatMap(([year, sides]) => cutsOf(year, sides)),
      ...cutsOf("regime", p.desk.byRegime),
    ]),
    "",
    "Baselines on the desk's own resolved questions (negative: the desk's Brier is lower):",
    baselineTable(p),
    "",
    "Desk calibration:",
    ...(calibration.length ? calibration : ["  no resolved calls"]),
    "",
  ];
}

/** The report as a reader wants it: the held-out period first, then the period the model was fitted on. */
export function formatReport(r: BacktestReport): string {
  const kinds = Object.entries(r.fit.kinds)
    .map(([kind, k]) => `${kind} ${k.edge ? `slope ${k.slope.toFixed(3)}` : "no edge"} (t ${k.t}, n=${k.n})`)
    .join("; ");
  const sample = r.sample
    ? [
        `${r.sample.engine} engine on ${r.sample.days.length} sampled held-out days (${r.sample.fallbacks} fell back), beside the offline desk on the same days:`,
        table([row(r.sample.engine, r.sample.sampled), row("offline", r.sample.offline)]),
        "",
      ]
    : [];
  return [
    `Backtest ${r.window.from}..${r.window.to} · split ${r.window.split} · ${r.window.cadence} · ${r.window.engine} engine · ${r.cycles} cycles (${r.failedCycles.length} failed) · ${r.runtimeSeconds}s`,
    `Question model fitted on ${r.fit.questions} questions decided ${r.fit.from}..${r.fit.split}: ${kinds}.`,
    `Learning: ${r.learning.lessons} post-mortems, ${r.learning.rulesAdopted} rules adopted, ${r.learning.rulesLifted} lifted. Open at the end: ${r.desk.overall.open}.`,
    "",
    ...period("HELD OUT", r),
    ...period("IN SAMPLE (fitted)", r.inSample),
    ...sample,
    r.chart ? `Calibration chart: ${r.chart}` : "No chart written (pass --chart <file.png>).",
  ].join("\n");
}
