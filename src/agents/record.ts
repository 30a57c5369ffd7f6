import { brier } from "../domain/scoring.ts";
import { clamp } from "./minds/common.ts";
import { MIND_NAMES, type MindName, type RecordRow, type Regime } from "./types.ts";

export interface RecordStats {
  n: number;
  hits: number;
  hitRate: number | null;
  brier: number | null;
}

export function statsOf(rows: readonly RecordRow[]): RecordStats {
  const hits = rows.reduce((sum, r) => sum + r.outcome, 0);
  return {
    n: rows.length,
    hits,
    hitRate: rows.length ? hits / rows.length : null,
    brier: rows.length
      ? rows.reduce((sum, r) => sum + brier(r.probability, r.outcome), 0) / rows.length
      : null,
  };
}

/** Pseudo-calls of coin-flip record added to every tally: ten calls are not yet a track record. */
export const PRIOR_CALLS = 10;

/** Hit rate pulled toward 50% by PRIOR_CALLS imaginary coin flips. */
export function shrunkHitRate(stats: Pick<RecordStats, "n" | "hits">, priorCalls = PRIOR_CALLS): number {
  return (stats.hits + 0.5 * priorCalls) / (stats.n + priorCalls);
}

/** A verdict's weight halves every this many days: last quarter's market is not this one. */
export const HALF_LIFE_DAYS = 45;
/** Verdicts older than this weigh nothing: no record, good or bad, binds the desk for longer. */
export const WINDOW_DAYS = 120;
const DAY_MS = 86_400_000;

/** Verdicts seen through recency: decayed weight and hits, and the plain tally they come from. */
export interface Recency {
  weight: number;
  hits: number;
  count: number;
  rawHits: number;
  windowDays: number;
}

export function recentWeighted(rows: readonly RecordRow[], now: Date): Recency {
  const out: Recency = { weight: 0, hits: 0, count: 0, rawHits: 0, windowDays: WINDOW_DAYS };
  for (const r of rows) {
    const ageDays = (now.getTime() - r.resolvedAt.getTime()) / DAY_MS;
    // A verdict from after `now` is not known yet; one older than the window no longer counts.
    if (ageDays < 0 || ageDays >= WINDOW_DAYS) continue;
    const w = 0.5 ** (ageDays / HALF_LIFE_DAYS);
    out.weight += w;
    out.hits += w * r.outcome;
    out.count += 1;
    out.rawHits += r.outcome;
  }
  return out;
}

/**
 * Weight of each mind in this regime: 1 at a coin-flip record, up to 1.8 for a strong one, down
 * to 0.2 for a poor one, from recent verdicts only (see recentWeighted), so no mind is muted for
 * good. Shrinkage keeps a lucky streak of three from dominating the desk.
 */
export function mindWeights(
  record: readonly RecordRow[],
  regime: Regime,
  at: Date = latestVerdict(record),
): Record<MindName, number> {
  return Object.fromEntries(
    MIND_NAMES.map((mind) => {
      const recent = recentWeighted(
        record.filter((r) => r.mind === mind && r.regime === regime),
        at,
      );
      const rate = shrunkHitRate({ n: recent.weight, hits: recent.hits });
      return [mind, clamp(1 + 4 * (rate - 0.5), 0.2, 1.8)];
    }),
  ) as Record<MindName, number>;
}

/** The newest verdict's moment: "now" for a caller that does not say when it is. */
export function latestVerdict(record: readonly RecordRow[]): Date {
  return new Date(record.reduce((max, r) => Math.max(max, r.resolvedAt.getTime()), 0));
}
