import { mindLabel } from "./debate.ts";
import { type RecordStats, statsOf } from "./record.ts";
import { type LearnedRule, MIND_NAMES, type MindName, type RecordRow, type Regime } from "./types.ts";

/**
 * Learned rules: a mind benched, or a symbol at a horizon no longer called, only when its record
 * falls short of the base rate by more than chance explains. A 55% process goes 9 of 20 about a
 * quarter of the time; benching on that is learning from noise.
 */
export interface RuleOptions {
  /** Fewer calls than this in the window is not evidence either way. */
  minCalls: number;
  /** Only the most recent calls count, so a mind or market can recover. */
  window: number;
  /** Adopt when a record this poor would happen by chance less often than this at the base rate. */
  alpha: number;
  /** Lift when the same record is no longer unusual: chance gives it at least this often. */
  liftAlpha: number;
}
export const DEFAULT_RULE_OPTIONS: RuleOptions = { minCalls: 30, window: 60, alpha: 0.05, liftAlpha: 0.2 };

/** The rate a call is right at by default when the record does not say (a coin flip). */
const DEFAULT_BASE_RATE = 0.5;

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

export interface Shortfall extends RecordStats {
  /** The hit rate the calls would have had by default: the mean of their questions' base rates. */
  baseRate: number;
  /** Chance of a record this poor or worse if the calls were right at their base rates. */
  pValue: number;
}

export interface RuleChange {
  rule: LearnedRule;
  evidence: Shortfall;
}

/**
 * P(hits ≤ observed) when each call is right independently at its own base rate (Poisson-binomial,
 * exact by dynamic programming; with one base rate it is the one-sided binomial test).
 */
export function shortfallPValue(rates: readonly number[], hits: number): number {
  let dist = [1];
  for (const p of rates) {
    const next = new Array<number>(dist.length + 1).fill(0);
    for (let k = 0; k < dist.length; k++) {
      next[k] = (next[k] as number) + (dist[k] as number) * (1 - p);
      next[k + 1] = (next[k + 1] as number) + (dist[k] as number) * p;
    }
    dist = next;
  }
  return Math.min(
    1,
    dist.slice(0, hits + 1).reduce((sum, q) => sum + q, 0),
  );
}

export function shortfallOf(rows: readonly RecordRow[]): Shortfall {
  const stats = statsOf(rows);
  const rates = rows.map((r) => r.baseRate ?? DEFAULT_BASE_RATE);
  return {
    ...stats,
    baseRate: rates.length ? rates.reduce((s, p) => s + p, 0) / rates.length : DEFAULT_BASE_RATE,
    pValue: shortfallPValue(rates, stats.hits),
  };
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

function candidatesFrom(record: readonly RecordRow[], window: number): RuleChange[] {
  const candidates: RuleChange[] = MIND_NAMES.map((mind) => {
    const evidence = shortfallOf(
      recent(
        record.filter((r) => r.mind === mind),
        window,
      ),
    );
    return {
      rule: { scope: "mind", mind, reason: `bench ${mindLabel(mind)}: ${tally(evidence)} as lead` },
      evidence,
    };
  });
  const targets = new Set(record.map((r) => `${r.symbol}|${r.horizonHours}`));
  for (const target of [...targets].sort()) {
    const [symbol, hours] = target.split("|") as [string, string];
    const horizonHours = Number(hours);
    const rows = record.filter((r) => r.symbol === symbol && r.horizonHours === horizonHours);
    const evidence = shortfallOf(recent(rows, window));
    candidates.push({
      rule: {
        scope: "symbol_horizon",
        symbol,
        horizonHours,
        reason: `stop calling ${symbol} at ${horizonHours}h: ${tally(evidence)}`,
      },
      evidence,
    });
  }
  return candidates;
}

/**
 * Rules from the record: a target whose recent record falls significantly short of its base rate
 * is benched; an active rule whose target's record is no longer unusual is lifted. The last
 * counted mind is never benched: the candidate is withheld (with why) and the desk keeps one voice,
 * rather than going mute with no record left to earn its way back on.
 */
export function deriveRules(
  record: readonly RecordRow[],
  active: readonly LearnedRule[],
  options: RuleOptions = DEFAULT_RULE_OPTIONS,
): { adopt: RuleChange[]; lift: RuleChange[]; withheld: RuleChange[] } {
  const candidates = candidatesFrom(record, options.window);
  const significant = (e: Shortfall) => e.n >= options.minCalls && e.pValue < options.alpha;
  const lift = active.flatMap((rule) => {
    const match = candidates.find((c) => sameTarget(c.rule, rule));
    const recovered =
      match && match.evidence.n >= options.minCalls && match.evidence.pValue >= options.liftAlpha;
    return recovered ? [{ rule, evidence: match.evidence }] : [];
  });
  const adopt = candidates
    .filter((c) => significant(c.evidence) && !active.some((r) => sameTarget(r, c.rule)))
    .sort((a, b) => a.evidence.pValue - b.evidence.pValue);
  const staying = active.filter((r) => !lift.some((l) => l.rule === r));
  const benched = new Set(
    staying.flatMap((r) => (r.scope === "mind" && r.mind && !r.regime ? [r.mind] : [])),
  );
  const withheld: RuleChange[] = [];
  for (const change of adopt.filter((c) => c.rule.scope === "mind")) {
    const mind = change.rule.mind as MindName;
    if (benched.size + 1 >= MIND_NAMES.length) {
      withheld.push({
        ...change,
        rule: { ...change.rule, reason: `${change.rule.reason} (withheld: it would bench every mind)` },
      });
    } else {
      benched.add(mind);
    }
  }
  return {
    adopt: adopt.filter((c) => !withheld.some((w) => w.rule.mind === c.rule.mind && c.rule.scope === "mind")),
    lift,
    withheld,
  };
}

export function ruleApplies(rule: LearnedRule, regime: Regime): boolean {
  return rule.regime === undefined || rule.regime === regime;
}

/** Minds benched by the rules in force in this regime, each with the rule's reason. */
export function benchedMinds(
  rules: readonly LearnedRule[],
  regime: Regime,
): { mind: MindName; reason: string }[] {
  return rules.flatMap((rule) =>
    rule.scope === "mind" && rule.mind && ruleApplies(rule, regime)
      ? [{ mind: rule.mind, reason: rule.reason }]
      : [],
  );
}

/**
 * Why the desk abstains outright when the rules in force bench every mind (an older store or
 * regime rules can still add up to that): no call may lead on a mind its record rejects.
 */
export function everyMindBenched(benched: readonly { mind: MindName; reason: string }[]): string | null {
  const minds = new Set(benched.map((b) => b.mind));
  if (!MIND_NAMES.every((m) => minds.has(m))) return null;
  return `every mind is benched by its record (${benched.map((b) => b.reason).join("; ")}), so I abstain until one earns its way back`;
}

export function tally(stats: RecordStats | Shortfall): string {
  if (stats.n === 0) return "no calls";
  const base = `${stats.hits} of ${stats.n} right, Brier ${(stats.brier as number).toFixed(3)}`;
  return "pValue" in stats
    ? `${base}, against a ${Math.round(stats.baseRate * 100)}% base rate (p = ${stats.pValue.toFixed(3)})`
    : base;
}
