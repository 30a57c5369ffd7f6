import { type MarketFeatures, mean } from "./features.ts";
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

/** Breadth runs over tradable equities: not indices (^...), volatility or crypto. */
function breadthUniverse(features: MarketFeatures) {
  return [...features.symbols.values()].filter(
    (f) => f.assetClass === "us_equity" && !f.symbol.startsWith("^") && f !== features.vix && f.last !== null,
  );
}

export function regimeInputs(features: MarketFeatures): RegimeInputs {
  const universe = breadthUniverse(features);
  const withTrend = universe.filter((f) => f.aboveSma50 !== null);
  const withChange = universe.filter((f) => f.changePct !== null);
  const index = INDEX_PREFERENCE.map((s) => features.symbols.get(s)).find((f) => f?.change20dPct != null);
  const vix = features.vix;
  return {
    vix: vix?.last ?? null,
    vixChange5d: vix?.last != null && vix.change5dPct !== null ? vixPoints(vix.last, vix.change5dPct) : null,
    indexSymbol: index?.symbol ?? null,
    indexChange20dPct: index?.change20dPct ?? null,
    indexAboveSma50: index?.aboveSma50 ?? null,
    breadthAboveSma50: withTrend.length ? mean(withTrend.map((f) => (f.aboveSma50 ? 1 : 0))) : null,
    breadthUpToday: withChange.length
      ? mean(withChange.map((f) => ((f.changePct as number) > 0 ? 1 : 0)))
      : null,
    breadthUniverse: universe.length,
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
    reasons.push(`the index is below its 50-day average and only ${pct(breadth)} of names are above theirs`);
  if (reasons.length > 0) return reading("risk_off");

  const calm = vix === null || vix < t.calmVix;
  if (calm && above === true && (trend ?? 0) > 0 && (breadth === null || breadth >= t.healthyBreadth)) {
    reasons.push(
      [
        vix === null ? "no VIX reading" : `VIX ${vix.toFixed(1)} under ${t.calmVix}`,
        `the index above its 50-day average`,
        breadth === null ? null : `${pct(breadth)} of names above theirs`,
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
  if (breadth !== null && breadth < t.healthyBreadth)
    reasons.push(`only ${pct(breadth)} of names are above their 50-day average`);
  if (reasons.length === 0) reasons.push("the trend inputs are incomplete");
  return reading("choppy");
}

function pct(share: number): string {
  return `${Math.round(share * 100)}%`;
}
