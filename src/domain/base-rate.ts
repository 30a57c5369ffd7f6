/**
 * Base rates: how often questions like this one (same symbol, kind and horizon bucket) resolved the
 * way this call says, counted only over questions decided before the call was made.
 */
import { isUpSide } from "./skill.ts";

/** Horizon buckets in hours, [low, high): about a day, two to four days, about a week, longer. */
export const HORIZON_BUCKETS = [
  { label: "≤1½ days", low: 0, high: 36 },
  { label: "2–4 days", low: 36, high: 108 },
  { label: "about a week", low: 108, high: 240 },
  { label: "longer", low: 240, high: Number.POSITIVE_INFINITY },
] as const;

export type HorizonBucket = (typeof HORIZON_BUCKETS)[number];

/** The bucket of a call from its span (made → deadline), so "by Friday" calls bucket by their real length. */
export function horizonBucketOf(madeAt: Date, deadline: Date): HorizonBucket {
  const hours = (deadline.getTime() - madeAt.getTime()) / 3_600_000;
  return HORIZON_BUCKETS.find((b) => hours >= b.low && hours < b.high) ?? HORIZON_BUCKETS[3];
}

export interface QuestionSide {
  kind: string;
  direction: string | null;
  comparator: string | null;
}

/** Past questions of one shape and outcome, as the store counts them. */
export interface PastQuestions extends QuestionSide {
  outcome: 0 | 1;
  count: number;
}

export interface BaseRate {
  /** Share of similar past questions that resolved the way this call says. */
  share: number;
  n: number;
  bucket: string;
}

/**
 * A past question went "the way this call says" when it was right on the same side or wrong on the
 * opposite side (an up call that failed is a down move). Null where there is no history.
 */
export function baseRateOf(
  call: QuestionSide,
  past: readonly PastQuestions[],
  bucket: string,
): BaseRate | null {
  const side = isUpSide(call);
  let n = 0;
  let agree = 0;
  for (const p of past) {
    const pastSide = isUpSide(p);
    if (side === null || pastSide === null) continue;
    n += p.count;
    if ((pastSide === side) === (p.outcome === 1)) agree += p.count;
  }
  return n === 0 ? null : { share: agree / n, n, bucket };
}
