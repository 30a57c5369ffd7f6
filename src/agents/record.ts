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

/**
 * Weight of each mind in this regime: 1 at a coin-flip record, up to 1.8 for a strong one, down
 * to 0.2 for a poor one. Shrinkage keeps a lucky streak of three from dominating the desk.
 */
export function mindWeights(record: readonly RecordRow[], regime: Regime): Record<MindName, number> {
  return Object.fromEntries(
    MIND_NAMES.map((mind) => {
      const stats = statsOf(record.filter((r) => r.mind === mind && r.regime === regime));
      return [mind, clamp(1 + 4 * (shrunkHitRate(stats) - 0.5), 0.2, 1.8)];
    }),
  ) as Record<MindName, number>;
}
