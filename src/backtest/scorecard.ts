import {
  baselineScore,
  brierSkillVsAlwaysUp,
  brierSkillVsCoinFlip,
  type CalibrationBucket,
  calibrationBuckets,
  expectedCalibrationError,
  meanBrier,
  type SidedForecast,
} from "../domain/scoring.ts";

/** One question the desk or a mind faced: a call with its verdict, or an abstention. */
export interface Graded {
  status: "open" | "right" | "wrong" | "void" | "abstained";
  /** Probability the call is right; null for an abstention. */
  p: number | null;
  /** The side the call took: true up, false down, null for a question without one. */
  up: boolean | null;
  regime: string;
  horizon: string;
  /** For the desk's cuts: the call's kind, its side (up, down, inside, …) and its year. */
  kind?: string;
  side?: string;
  year?: string;
}

export interface ScoreCard {
  calls: number;
  abstentions: number;
  resolved: number;
  hits: number;
  voids: number;
  /** Calls whose deadline lies past the end of the data. */
  open: number;
  hitRate: number | null;
  meanBrier: number | null;
  skillVsCoinFlip: number | null;
  skillVsAlwaysUp: number | null;
  ece: number | null;
  baselineSum: number;
}

export interface Section {
  overall: ScoreCard;
  calibration: CalibrationBucket[];
  byRegime: Record<string, ScoreCard>;
  byHorizon: Record<string, ScoreCard>;
}

function forecastsOf(items: readonly Graded[]): SidedForecast[] {
  return items.flatMap((g) =>
    (g.status === "right" || g.status === "wrong") && g.p !== null
      ? [{ p: g.p, outcome: g.status === "right" ? 1 : 0, up: g.up }]
      : [],
  );
}

export function scoreCard(items: readonly Graded[]): ScoreCard {
  const forecasts = forecastsOf(items);
  const hits = forecasts.filter((f) => f.outcome === 1).length;
  const count = (status: Graded["status"]) => items.filter((g) => g.status === status).length;
  return {
    calls: items.length - count("abstained"),
    abstentions: count("abstained"),
    resolved: forecasts.length,
    hits,
    voids: count("void"),
    open: count("open"),
    hitRate: forecasts.length ? hits / forecasts.length : null,
    meanBrier: meanBrier(forecasts),
    skillVsCoinFlip: brierSkillVsCoinFlip(forecasts),
    skillVsAlwaysUp: brierSkillVsAlwaysUp(forecasts),
    ece: expectedCalibrationError(forecasts),
    baselineSum: forecasts.reduce((sum, f) => sum + baselineScore(f.p, f.outcome), 0),
  };
}

export function by(items: readonly Graded[], key: (g: Graded) => string): Record<string, ScoreCard> {
  const groups = new Map<string, Graded[]>();
  for (const g of items) {
    const group = groups.get(key(g));
    if (group) group.push(g);
    else groups.set(key(g), [g]);
  }
  return Object.fromEntries(
    [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([k, g]) => [k, scoreCard(g)]),
  );
}

/** The whole record of one forecaster, and the same cut by regime and by horizon. */
export function section(items: readonly Graded[]): Section {
  return {
    overall: scoreCard(items),
    calibration: calibrationBuckets(forecastsOf(items)),
    byRegime: by(items, (g) => g.regime),
    byHorizon: by(items, (g) => g.horizon),
  };
}
