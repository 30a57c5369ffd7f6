import { type BaseRate, baseRateOf, horizonBucketOf } from "../domain/base-rate.ts";
import { baselineScore, type Outcome } from "../domain/scoring.ts";
import { peerOnDeskSide } from "../domain/skill.ts";
import type { Database } from "../store/database.ts";
import { crowdOnCall, pastQuestions } from "../store/side-by-side.ts";

/** A resolved desk call's question, as the side-by-side needs it. */
export interface DeskQuestionRef {
  id: number;
  serverId: string;
  authorType: string;
  status: string;
  outcome: number | null;
  probability: number;
  symbol: string;
  kind: string;
  direction: string | null;
  comparator: string | null;
  madeAt: Date;
  deadline: Date;
}

/** One forecaster's probability on the desk's side, and how it scored on the outcome. */
export interface SideScore {
  p: number;
  baseline: number;
  /** Against the desk on this question (0 for the desk itself). */
  peer: number;
}

/** Crowd, desk and base rate on one resolved desk call. */
export interface SideBySide {
  outcome: Outcome;
  desk: SideScore;
  /** Null when no member answered the call. */
  crowd: (SideScore & { members: number }) | null;
  /** Null where no similar question was decided before the call ("no base rate yet"). */
  baseRate: (SideScore & BaseRate) | null;
}

/** Probabilities of 0 or 1 (a base rate of 0/3) would score minus infinity: the board's clamp. */
const clamp = (p: number) => Math.min(0.99, Math.max(0.01, p));

function scoreOf(p: number, deskP: number, outcome: Outcome): SideScore {
  return { p, baseline: baselineScore(clamp(p), outcome), peer: peerOnDeskSide(p, deskP, outcome) };
}

/** Crowd, desk and base rate side by side; null for anything but a desk call decided right or wrong. */
export async function sideBySide(db: Database, call: DeskQuestionRef): Promise<SideBySide | null> {
  if (call.authorType !== "desk" || (call.outcome !== 0 && call.outcome !== 1)) return null;
  const outcome = call.outcome;
  const bucket = horizonBucketOf(call.madeAt, call.deadline);
  const [crowd, past] = await Promise.all([
    crowdOnCall(db.prisma, call.id),
    pastQuestions(db.prisma, {
      serverId: call.serverId,
      symbol: call.symbol,
      kind: call.kind,
      before: call.madeAt,
      lowHours: bucket.low,
      highHours: bucket.high,
    }),
  ]);
  const rate = baseRateOf(call, past, bucket.label);
  return {
    outcome,
    desk: scoreOf(call.probability, call.probability, outcome),
    crowd: crowd.p === null ? null : { ...scoreOf(crowd.p, call.probability, outcome), members: crowd.n },
    baseRate: rate ? { ...rate, ...scoreOf(rate.share, call.probability, outcome) } : null,
  };
}
