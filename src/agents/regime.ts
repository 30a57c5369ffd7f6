import type { MarketFeatures } from "./features.ts";
import { namesCount } from "./policy.ts";
import type { RegimeInputs, RegimeReading } from "./types.ts";

/** The index whose trend stands for "the market", in order of preference. */
const INDEX_PREFERENCE = ["SPY", "^GSPC", "QQQ", "^IXIC", "DIA", "IWM"];

/** Thresholds in one place so the essay and the tests quote the same numbers. */
export const REGIME_THRESHOLDS = {
  crisisVix: 30,
  stressedVix: 25,
  crisisDrawdownPct: -8,
  riskOffVix: 22,
  vixSpike5d: 4,
  calmVix: 18,
  healthyBreadth: 0.6,
  weakBreadth: 0.4,
} as const;

export function regimeInputs(features: MarketFeatures): RegimeInputs {
  const { breadth } = features;
  const index = INDEX_PREFERENCE.map((s) => features.symbols.get(s)).find((f) => f?.change20dPct != null);
  const vix = features.vix;
  return {
    vix: vix?.last ?? null,
    vixChange5d: vix?.last != null && vix.change5dPct !== null ? vixPoints(vix.last, vix.change5dPct) : null,
    indexSymbol: index?.symbol ?? null,
    indexChange20dPct: index?.change20dPct ?? null,
    indexAboveSma50: index?.aboveSma50 ?? null,
    breadthAboveSma50: breadth.withTrend ? breadth.above / breadth.withTrend : null,
    breadthUpToday: breadth.withChange ? breadth.up / breadth.withChange : null,
    breadthUniverse: breadth.universe,
  };
}

/** VIX change in points from its level and % change: analysts quote VIX moves in points. */
function vixPoints(level: number, changePct: number): number {
  return level - level / (1 + changePct / 100);
}

/**
 * Labels the market from VIX level and trend, breadth and the index trend. The first rule that
 * fires wins, most severe first, and its reason is kept so the essay can say why.
 */
export function classifyRegime(features: MarketFeatures): RegimeReading {
  const inputs = regimeInputs(features);
  const t = REGIME_THRESHOLDS;
  const {
    vix,
    vixChange5d,
    indexChange20dPct: trend,
    indexAboveSma50: above,
    breadthAboveSma50: breadth,
  } = inputs;
  const reasons: string[] = [];
  const reading = (label: RegimeReading["label"]): RegimeReading => ({ label, inputs, reasons });

  if (vix !== null && vix >= t.crisisVix) {
    reasons.push(`VIX ${vix.toFixed(1)} is at or above ${t.crisisVix}`);
    return reading("crisis");
  }
  if (vix !== null && vix >= t.stressedVix && trend !== null && trend <= t.crisisDrawdownPct) {
    reasons.push(`VIX ${vix.toFixed(1)} with the index ${trend.toFixed(1)}% over 20 sessions`);
    return reading("crisis");
  }
  if (vix !== null && vix >= t.riskOffVix) reasons.push(`VIX ${vix.toFixed(1)} is above ${t.riskOffVix}`);
  if (vixChange5d !== null && vixChange5d >= t.vixSpike5d)
    reasons.push(`VIX rose ${vixChange5d.toFixed(1)} points in five sessions`);
  if (above === false && breadth !== null && breadth < t.weakBreadth)
    reasons.push(`the index is below its 50-day average and ${aboveTheirs(features)}`);
  if (reasons.length > 0) return reading("risk_off");

  const calm = vix === null || vix < t.calmVix;
  if (calm && above === true && (trend ?? 0) > 0 && (breadth === null || breadth >= t.healthyBreadth)) {
    reasons.push(
      [
        vix === null ? "no VIX reading" : `VIX ${vix.toFixed(1)} under ${t.calmVix}`,
        `the index above its 50-day average`,
        breadth === null ? null : aboveTheirs(features),
      ]
        .filter(Boolean)
        .join(", "),
    );
    return reading("risk_on");
  }
  if (vix === null && trend === null) {
    reasons.push("too few inputs to read a trend, so I assume chop");
    return reading("choppy");
  }
  // Not frightening, yet not clean: name each thing that kept it from risk_on.
  if (!calm) reasons.push(`VIX ${(vix as number).toFixed(1)} is no longer calm (${t.calmVix} or more)`);
  if (above === false) reasons.push("the index is below its 50-day average");
  if (trend !== null && trend <= 0) reasons.push(`the index is ${trend.toFixed(1)}% over 20 sessions`);
  if (breadth !== null && breadth < t.healthyBreadth) reasons.push(aboveTheirs(features));
  if (reasons.length === 0) reasons.push("the trend inputs are incomplete");
  return reading("choppy");
}

/** "only 2 of the 6 names I track are above their 50-day average": a count, which a reader can check. */
function aboveTheirs({ breadth }: MarketFeatures): string {
  const names = namesCount(breadth.above, breadth.withTrend);
  const verb = breadth.above === 1 ? "is" : "are";
  const only =
    breadth.above / breadth.withTrend < REGIME_THRESHOLDS.healthyBreadth && breadth.above > 0 ? "only " : "";
  return `${only}${names} ${verb} above ${breadth.above === 1 ? "its" : "their"} 50-day average`;
}
