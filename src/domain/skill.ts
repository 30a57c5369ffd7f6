/**
 * Leaderboard skill: how the board ranks, and how sure it can be. Pure arithmetic over running sums
 * (count, sum, sum of squares), so the store never has to read the calls themselves.
 */
import { CLAIMS, claimOfFields } from "./claims.ts";
import { probabilityOfOutcome } from "./scoring.ts";

/**
 * Shrinkage toward zero: a row ranks by sum / (n + k), i.e. its mean times n / (n + k), as if it had
 * k extra calls that scored exactly zero. k = 10 is the empirical-Bayes ratio σ²/τ²: per-call skill
 * scores at 55-80% have a spread near σ ≈ 20 points, and real differences in skill between members
 * are rarely beyond τ ≈ 6 points, so (20/6)² ≈ 10. Ten calls weigh as much as the prior; a hundred
 * calls keep 91% of their mean. Because n / (n + k) < 1 and grows with n, piling on calls at the
 * same mean never lifts a row past one with a higher mean and enough calls.
 */
export const SHRINK_K = 10;

/**
 * "Always up": a forecaster who gives the up/above/outperform side 55% on every desk question (and so
 * 45% to a down/below/underperform call). 55% is the share of up closes over two-day windows for US
 * index ETFs in the 2000-2025 record, rounded; a fixed number, so it never learns from the outcomes
 * it is scored on.
 */
export const ALWAYS_UP_P = 0.55;

/** Running sums of one forecaster's per-call scores. */
export interface ScoreMoments {
  n: number;
  sum: number;
  sumSq: number;
}

export interface Interval {
  low: number;
  high: number;
}

export interface SkillStats {
  n: number;
  mean: number | null;
  /** mean × n / (n + SHRINK_K): the number the board ranks by. */
  shrunk: number;
  /** 95% Student-t interval of the mean over the per-call scores; null under two calls. */
  interval: Interval | null;
}

export function momentsOf(scores: readonly number[]): ScoreMoments {
  return scores.reduce((m, s) => ({ n: m.n + 1, sum: m.sum + s, sumSq: m.sumSq + s * s }), {
    n: 0,
    sum: 0,
    sumSq: 0,
  });
}

export function shrunkMean(m: ScoreMoments, k = SHRINK_K): number {
  return m.n + k === 0 ? 0 : m.sum / (m.n + k);
}

/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** t(0.975, df): the table to 30, then the Cornish-Fisher expansion around z (error < 0.001). */
export function tQuantile975(df: number): number {
  if (df <= T975.length) return T975[Math.max(1, df) - 1] as number;
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2);
}

/** The 95% t interval of the mean from running sums; null under two calls (no spread to measure). */
export function meanInterval(m: ScoreMoments): Interval | null {
  if (m.n < 2) return null;
  const mean = m.sum / m.n;
  // Sums of squares from floating point can dip a hair below zero for identical scores.
  const variance = Math.max(0, (m.sumSq - m.n * mean * mean) / (m.n - 1));
  const half = tQuantile975(m.n - 1) * Math.sqrt(variance / m.n);
  return { low: mean - half, high: mean + half };
}

export function skillStats(m: ScoreMoments): SkillStats {
  return {
    n: m.n,
    mean: m.n ? m.sum / m.n : null,
    shrunk: shrunkMean(m),
    interval: meanInterval(m),
  };
}

/** True when the interval includes zero: the scores cannot tell this forecaster from the reference. */
export function coversZero(interval: Interval | null): boolean {
  return interval === null || (interval.low <= 0 && interval.high >= 0);
}

/**
 * One call's skill on one scale (hundredths of a nat, as the peer score): against the desk where the
 * desk answered the same question, else against a coin flip, 100·ln(p / 0.5), which is the
 * baseline score times ln 2. A member's own /predict question has no desk answer to compare with.
 */
export function callSkill(baselineScore: number, peerScore: number | null): number {
  return peerScore ?? baselineScore * Math.LN2;
}

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Peer score of a pseudo-forecaster against the desk on one desk question: both probabilities are
 * on the desk's side ("the call resolves right"), outcome 1 when the desk was right.
 */
export function peerOnDeskSide(pOther: number, pDesk: number, deskOutcome: 0 | 1): number {
  const clamp = (p: number) => Math.min(0.99, Math.max(0.01, p));
  return (
    100 *
    (Math.log(probabilityOfOutcome(clamp(pOther), deskOutcome)) -
      Math.log(probabilityOfOutcome(pDesk, deskOutcome)))
  );
}

/** Always-up's probability on the desk's side of a question, or null for a question with no side. */
export function alwaysUpOnDeskSide(up: boolean | null): number | null {
  return up === null ? null : up ? ALWAYS_UP_P : 1 - ALWAYS_UP_P;
}

/** True for an up/above/outperform question (the ↑ claims), false for ↓, null for unknown columns. */
export function isUpSide(q: {
  kind: string;
  direction: string | null;
  comparator: string | null;
}): boolean | null {
  const claim = claimOfFields(q);
  const arrow = claim === undefined ? undefined : CLAIMS[claim].arrow;
  // A range call takes no side of the market.
  return arrow === "↑" ? true : arrow === "↓" ? false : null;
}
