import { type CallSpec, describeCall } from "../domain/call.ts";
import { brier, calibrationBuckets } from "../domain/scoring.ts";
import { mindLabel } from "./debate.ts";
import { type RecordStats, statsOf } from "./record.ts";
import {
  type LearnedRule,
  MIND_NAMES,
  type MindName,
  type MindStance,
  REGIMES,
  type RecordRow,
} from "./types.ts";
import { percent } from "./writer/format.ts";

export interface WrongCall {
  spec: CallSpec;
  mind: MindName;
  regime: string;
  thesis: string;
  /** Round-two stances on the call's symbol, as stored with the cycle. */
  stances: readonly MindStance[];
  evidence: string;
  movePct: number;
}

export interface PostMortem {
  title: string;
  body: string;
  counterfactual: string;
}

/** What the inputs said, what happened, and the cheapest different decision that would have scored better. */
export function postMortem(call: WrongCall): PostMortem {
  const p = call.spec.probability;
  const predictedUp =
    "direction" in call.spec
      ? call.spec.direction === "up" || call.spec.direction === "outperform"
      : call.spec.comparator === "above";
  const said = call.stances.map((s) =>
    s.abstained
      ? `${mindLabel(s.mind)} abstained (${s.reason.replace(/\.$/, "")})`
      : `${mindLabel(s.mind)} ${s.direction} at ${percent(s.probability)}`,
  );
  const dissent = call.stances.find((s) => !s.abstained && (s.direction === "up") !== predictedUp);
  const body = [
    `I called ${describeCall(call.spec)} at ${percent(p)} in a ${call.regime} regime, led by ${mindLabel(call.mind)}.`,
    `What the inputs said: ${said.length ? said.join("; ") : "no stances were stored"}. Thesis: ${call.thesis}`,
    `What happened: ${call.evidence}.`,
    dissent
      ? `The dissent I overruled was right: ${mindLabel(dissent.mind)} argued the other side.`
      : "Every mind that spoke agreed, and they were wrong together: agreement built on the same inputs is one signal, not several.",
    `Brier ${brier(p, 0).toFixed(3)} against 0.250 for a coin flip.`,
  ].join(" ");
  const counterfactual = dissent
    ? `COUNTERFACTUAL: had I sided with ${mindLabel(dissent.mind)}, this call would have been right.`
    : p > 0.55
      ? `COUNTERFACTUAL: sized at 52% instead of ${percent(p)}, the miss would have cost Brier ${brier(0.52, 0).toFixed(3)} instead of ${brier(p, 0).toFixed(3)}.`
      : "COUNTERFACTUAL: passing on the call would have kept a coin-flip read off the record.";
  return { title: `Wrong: ${describeCall(call.spec)} (${percent(p)})`, body, counterfactual };
}

export interface RuleOptions {
  /** Fewer calls than this in the window is not evidence either way. */
  minCalls: number;
  /** Only the most recent calls count, so a mind or market can recover. */
  window: number;
}
export const DEFAULT_RULE_OPTIONS: RuleOptions = { minCalls: 12, window: 20 };

/**
 * A rule is a suspension, not a life sentence: after this many days it lapses and its target gets a
 * fresh trial, judged only on calls resolved since. A benched mind leads no calls, so without a term
 * it could never earn its way back (a backtest's desk benched all three minds and went silent for years).
 */
export const RULE_TERM_DAYS = 60;
const TERM_MS = RULE_TERM_DAYS * 86_400_000;

export function hasLapsed(adoptedAt: Date, now: Date): boolean {
  return now.getTime() - adoptedAt.getTime() >= TERM_MS;
}

/** Verdicts recent enough to adopt or lift a rule on: older ones were already judged in an earlier term. */
export function withinTerm(record: readonly RecordRow[], now: Date): RecordRow[] {
  return record.filter((r) => now.getTime() - r.resolvedAt.getTime() < TERM_MS);
}

export interface RuleChange {
  rule: LearnedRule;
  evidence: RecordStats;
}

/** Worse than a coin flip: wrong more often than right and a Brier above the coin's 0.25. */
function isWorseThanCoin(stats: RecordStats, minCalls: number): boolean {
  return stats.n >= minCalls && (stats.hitRate as number) < 0.5 && (stats.brier as number) > 0.25;
}

function recent(rows: readonly RecordRow[], window: number): RecordRow[] {
  return [...rows].sort((a, b) => a.resolvedAt.getTime() - b.resolvedAt.getTime()).slice(-window);
}

function sameTarget(a: LearnedRule, b: LearnedRule): boolean {
  return (
    a.scope === b.scope &&
    a.mind === b.mind &&
    a.symbol === b.symbol &&
    a.horizonHours === b.horizonHours &&
    a.regime === b.regime
  );
}

/**
 * Rules from the record: a mind, or a symbol at a horizon, whose recent record is worse than a coin
 * flip gets benched; an active rule whose recent record has recovered is lifted. Rows may include
 * shadow-resolved stances, which is how a benched target can earn its way back.
 */
export function deriveRules(
  record: readonly RecordRow[],
  active: readonly LearnedRule[],
  options: RuleOptions = DEFAULT_RULE_OPTIONS,
): { adopt: RuleChange[]; lift: RuleChange[] } {
  const candidates: RuleChange[] = [];
  for (const mind of MIND_NAMES) {
    const stats = statsOf(
      recent(
        record.filter((r) => r.mind === mind),
        options.window,
      ),
    );
    candidates.push({
      rule: { scope: "mind", mind, reason: `bench ${mindLabel(mind)}: ${tally(stats)} as lead` },
      evidence: stats,
    });
  }
  const targets = new Set(record.map((r) => `${r.symbol}|${r.horizonHours}`));
  for (const target of [...targets].sort()) {
    const [symbol, hours] = target.split("|") as [string, string];
    const horizonHours = Number(hours);
    const rows = record.filter((r) => r.symbol === symbol && r.horizonHours === horizonHours);
    const stats = statsOf(recent(rows, options.window));
    candidates.push({
      rule: {
        scope: "symbol_horizon",
        symbol,
        horizonHours,
        reason: `stop calling ${symbol} at ${horizonHours}h: ${tally(stats)}`,
      },
      evidence: stats,
    });
  }
  const adopt = candidates.filter(
    (c) => isWorseThanCoin(c.evidence, options.minCalls) && !active.some((r) => sameTarget(r, c.rule)),
  );
  const lift = active.flatMap((rule) => {
    const match = candidates.find((c) => sameTarget(c.rule, rule));
    const recovered =
      match && match.evidence.n >= options.minCalls && !isWorseThanCoin(match.evidence, options.minCalls);
    return recovered ? [{ rule, evidence: match.evidence }] : [];
  });
  return { adopt, lift };
}

function tally(stats: RecordStats): string {
  return stats.n === 0
    ? "no calls"
    : `${stats.hits} of ${stats.n} right, Brier ${(stats.brier as number).toFixed(3)}`;
}

export const REFLECTION_EVERY = 10;

export function isReflectionCycle(cycleNumber: number, every = REFLECTION_EVERY): boolean {
  return cycleNumber > 0 && cycleNumber % every === 0;
}

/** The periodic look back: per-mind and per-regime record, calibration, rules in force, lessons written. */
export function reflection(args: {
  cycleNumber: number;
  record: readonly RecordRow[];
  rules: readonly LearnedRule[];
  lessons: readonly string[];
}): { title: string; body: string } {
  const overall = statsOf(args.record);
  const lines = [
    `Cycle ${args.cycleNumber}. ${overall.n === 0 ? "No resolved calls yet, so there is nothing to grade myself on." : `Overall ${tally(overall)}.`}`,
    `By lead mind: ${MIND_NAMES.map((m) => `${mindLabel(m)} ${tally(statsOf(args.record.filter((r) => r.mind === m)))}`).join("; ")}.`,
    `By regime: ${REGIMES.map((g) => `${g} ${tally(statsOf(args.record.filter((r) => r.regime === g)))}`).join("; ")}.`,
  ];
  const buckets = calibrationBuckets(
    args.record.map((r) => ({ p: r.probability, outcome: r.outcome })),
  ).filter((b) => b.count > 0);
  if (buckets.length) {
    lines.push(
      `Calibration: ${buckets.map((b) => `${percent(b.from)}–${percent(b.to)} said ${percent(b.meanP as number)}, came in ${percent(b.hitRate as number)} (${b.count})`).join("; ")}.`,
    );
  }
  lines.push(
    args.rules.length
      ? `Rules in force: ${args.rules.map((r) => r.reason).join("; ")}.`
      : "No rules in force.",
  );
  if (args.lessons.length)
    lines.push(`Lessons since the last look: ${args.lessons.length}. The latest: "${args.lessons[0]}"`);
  return { title: `Reflection at cycle ${args.cycleNumber}`, body: lines.join("\n") };
}
