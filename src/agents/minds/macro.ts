import { isVolatilitySymbol } from "../features.ts";
import type { StanceAnswer } from "../types.ts";
import { abstain, clamp, type MindContext, signed, stanceFromScore } from "./common.ts";

/**
 * The long-run equity drift, as a score. Over 2018–2026 US large caps closed higher over two
 * sessions about 55% of the time: the backdrop's default answer is "up", modestly.
 */
const DRIFT = 0.3;
/** VIX level where fear starts being priced; above it forward returns have been better, not worse. */
const FEAR_VIX = 20;

/**
 * Macro reads the backdrop: the drift, the fear premium (a high or jumping VIX has preceded better
 * two-day returns, as insurance sellers get paid), the curve and the 10-year. It has one view of
 * the tape and applies it to every risk asset (inverted for volatility itself), so it is modest.
 */
export function macroMind(ctx: MindContext): StanceAnswer[] {
  const { features, regime } = ctx;
  const { vix, macro } = features;
  const ids = [vix?.observationIds ?? [], [macro.T10Y2Y?.id, macro.DGS10?.id]].flat().filter(isId);
  if (!vix?.last && !macro.DGS10 && !macro.T10Y2Y) {
    return ctx.symbols.map((s) =>
      abstain(s, "No VIX and no rates in the snapshot: nothing macro to stand on."),
    );
  }
  const parts: string[] = [`a ${regime.label.replace("_", "-")} regime`];
  let score = DRIFT;
  const vixMove = regime.inputs.vixChange5d;
  if (vix?.last) {
    // Fear is paid for: the premium grows with the level, and a sudden jump is capitulation, not a trend.
    score += clamp((vix.last - FEAR_VIX) / 20, -0.1, 0.4);
    if (vixMove !== null) score += clamp((vixMove - 2) / 10, 0, 0.3);
    parts.push(
      `VIX ${vix.last.toFixed(1)}${vixMove === null ? "" : ` (${signed(vixMove, 1)} pts in 5 sessions)`}`,
    );
  }
  const curve = macro.T10Y2Y;
  if (curve) {
    if (curve.value < 0) score -= 0.1;
    parts.push(`2s10s ${signed(curve.value)}`);
  }
  const tenYear = macro.DGS10;
  if (tenYear) {
    const drift = tenYear.change20;
    // A fast rise in long yields tightens conditions for equities; a fast fall eases them.
    if (drift !== null && drift > 0.25) score -= 0.15;
    if (drift !== null && drift < -0.25) score += 0.1;
    parts.push(`10Y ${tenYear.value.toFixed(2)}%${drift === null ? "" : ` (${signed(drift)} over a month)`}`);
  }
  const summary = parts.join(", ");
  return ctx.symbols.map((symbol) => {
    const symbolScore = isVolatilitySymbol(symbol) ? -score : score;
    return stanceFromScore(symbol, symbolScore, {
      minScore: 0.2,
      scale: 0.14,
      cap: 0.62,
      reason: `${summary}.`,
      weak: `No macro edge: ${summary} nets out close to neutral.`,
      ids,
    });
  });
}

function isId(id: string | undefined): id is string {
  return id !== undefined;
}
