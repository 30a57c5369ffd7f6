/**
 * Proper scoring. `p` is always the probability the forecaster gave to the call being right, and
 * `outcome` is 1 when it was right, 0 when wrong. Voids are never scored.
 */
export type Outcome = 0 | 1;

export function brier(p: number, outcome: Outcome): number {
  return (p - outcome) ** 2;
}

/** The probability the forecaster assigned to what actually happened. */
export function probabilityOfOutcome(p: number, outcome: Outcome): number {
  return outcome === 1 ? p : 1 - p;
}

/** Log baseline score: 0 for a coin flip, 100 for certainty that came true, negative for confident misses. */
export function baselineScore(p: number, outcome: Outcome): number {
  return 100 * (Math.log2(probabilityOfOutcome(p, outcome)) + 1);
}

/** Peer score on the same question: positive when the member put more weight on what happened than the desk. */
export function peerScore(pMemberOnOutcome: number, pDeskOnOutcome: number): number {
  return 100 * (Math.log(pMemberOnOutcome) - Math.log(pDeskOnOutcome));
}

export interface ScoredForecast {
  p: number;
  outcome: Outcome;
}

export function meanBrier(forecasts: readonly ScoredForecast[]): number | null {
  if (forecasts.length === 0) return null;
  return forecasts.reduce((sum, f) => sum + brier(f.p, f.outcome), 0) / forecasts.length;
}

/** 1 - Brier/Brier_ref: positive means better than the reference forecaster on the same questions. */
export function brierSkill(
  forecasts: readonly ScoredForecast[],
  referenceP: (index: number) => number,
): number | null {
  const own = meanBrier(forecasts);
  if (own === null) return null;
  const reference = meanBrier(forecasts.map((f, i) => ({ p: referenceP(i), outcome: f.outcome })));
  if (reference === null || reference === 0) return null;
  return 1 - own / reference;
}

/** Skill against a coin flip (Brier 0.25 on every question). */
export function brierSkillVsCoinFlip(forecasts: readonly ScoredForecast[]): number | null {
  return brierSkill(forecasts, () => 0.5);
}

/** A scored forecast and the side it took: true for up, false for down, null for a question with no side. */
export interface SidedForecast extends ScoredForecast {
  up: boolean | null;
}

/**
 * Skill against "always up": a forecaster who says up on every sided question at the sample's own
 * base rate of up moves (a coin flip on the rest). Beating it means more than riding the drift.
 */
export function brierSkillVsAlwaysUp(forecasts: readonly SidedForecast[]): number | null {
  const sided = forecasts.filter((f) => f.up !== null);
  const upRate = sided.length ? sided.filter((f) => f.up === (f.outcome === 1)).length / sided.length : 0.5;
  return brierSkill(forecasts, (i) => {
    const up = (forecasts[i] as SidedForecast).up;
    return up === null ? 0.5 : up ? upRate : 1 - upRate;
  });
}

export interface CalibrationBucket {
  from: number;
  to: number;
  count: number;
  meanP: number | null;
  hitRate: number | null;
}

/** Buckets of width 0.1 over [0.5, 1.0]; the last bucket includes 1.0. */
export function calibrationBuckets(forecasts: readonly ScoredForecast[]): CalibrationBucket[] {
  const edges = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
  return edges.slice(0, -1).map((from, i) => {
    const to = edges[i + 1] as number;
    const last = i === edges.length - 2;
    const inside = forecasts.filter((f) => f.p >= from && (last ? f.p <= to : f.p < to));
    const count = inside.length;
    return {
      from,
      to,
      count,
      meanP: count ? inside.reduce((s, f) => s + f.p, 0) / count : null,
      hitRate: count ? inside.reduce((s, f) => s + f.outcome, 0) / count : null,
    };
  });
}

/** Expected calibration error: bucket-size-weighted gap between stated probability and hit rate. */
export function expectedCalibrationError(forecasts: readonly ScoredForecast[]): number | null {
  if (forecasts.length === 0) return null;
  return calibrationBuckets(forecasts).reduce(
    (sum, b) =>
      b.count
        ? sum + (b.count / forecasts.length) * Math.abs((b.meanP as number) - (b.hitRate as number))
        : sum,
    0,
  );
}
