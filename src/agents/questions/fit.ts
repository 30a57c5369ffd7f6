import {
  baseRateKeys,
  type KindFit,
  QUESTION_KINDS,
  type QuestionKey,
  type QuestionModel,
  questionModelSchema,
} from "./model.ts";

/** One past question: its key, the signal the desk had, and whether its positive side came true. */
export interface QuestionSample {
  key: QuestionKey;
  signal: number;
  outcome: 0 | 1;
  madeAt: Date;
  /** The close that decided it: a question counts for a fit only when this is before the split. */
  decidedAt: Date;
}

/** Pseudo-questions at the parent's rate added to each row: a row of 30 questions is half its own. */
export const SHRINK = 30;
/** A slope is kept only when it stands this many standard errors from zero on the fit's own questions. */
export const MIN_T = 2;
/** Past this slope the adjustment would be saturated by a third of the signal range anyway. */
const MAX_SLOPE = 0.3;

/**
 * Fits base rates and slopes on the questions decided before `split`, and on nothing else: a
 * question whose deciding close falls on or after the split is dropped, whatever its outcome.
 */
export function fitQuestionModel(
  samples: readonly QuestionSample[],
  options: { split: string; fittedFrom: string },
): QuestionModel {
  const cutoff = Date.parse(`${options.split}T00:00:00Z`);
  const before = samples.filter((s) => s.decidedAt.getTime() < cutoff);
  const baseRates = fitBaseRates(before);
  const kinds = Object.fromEntries(
    QUESTION_KINDS.map((kind) => [
      kind,
      fitSlope(
        before.filter((s) => s.key.kind === kind),
        baseRates,
      ),
    ]),
  );
  return questionModelSchema.parse({ ...options, baseRates, kinds });
}

type Tally = { n: number; hits: number };

function fitBaseRates(samples: readonly QuestionSample[]): QuestionModel["baseRates"] {
  // Keys run from most specific to the kind alone; each level is shrunk toward its parent's rate.
  const levels: Map<string, Tally>[] = [new Map(), new Map(), new Map(), new Map()];
  const parentOf = new Map<string, string>();
  for (const s of samples) {
    const keys = baseRateKeys(s.key);
    keys.forEach((key, level) => {
      const tally = levels[level]?.get(key) ?? { n: 0, hits: 0 };
      tally.n += 1;
      tally.hits += s.outcome;
      levels[level]?.set(key, tally);
      const parent = keys[level + 1];
      if (parent) parentOf.set(key, parent);
    });
  }
  const rates: QuestionModel["baseRates"] = {};
  for (const level of [...levels].reverse()) {
    for (const [key, { n, hits }] of level) {
      const parent = parentOf.get(key);
      const prior = parent ? (rates[parent]?.share ?? 0.5) : 0.5;
      const weight = parent ? SHRINK : 2;
      rates[key] = { share: (hits + weight * prior) / (n + weight), n };
    }
  }
  return rates;
}

/** Least-squares slope of (outcome − base rate) on the signal, through the origin, with its t. */
function fitSlope(samples: readonly QuestionSample[], rates: QuestionModel["baseRates"]): KindFit {
  let sxx = 0;
  let sxr = 0;
  const rows = samples.map((s) => {
    const key = baseRateKeys(s.key).find((k) => rates[k] !== undefined) as string;
    const residual = s.outcome - (rates[key]?.share ?? 0.5);
    sxx += s.signal * s.signal;
    sxr += s.signal * residual;
    return { x: s.signal, r: residual };
  });
  const n = rows.length;
  if (n < 3 || sxx === 0) return { slope: 0, n, t: 0, edge: false };
  const slope = sxr / sxx;
  const sse = rows.reduce((sum, { x, r }) => sum + (r - slope * x) ** 2, 0);
  const se = Math.sqrt(sse / (n - 1) / sxx);
  const t = se > 0 ? slope / se : 0;
  const edge = Math.abs(t) >= MIN_T;
  return {
    slope: edge ? Math.max(-MAX_SLOPE, Math.min(MAX_SLOPE, slope)) : 0,
    n,
    t: Math.round(t * 100) / 100,
    edge,
  };
}
