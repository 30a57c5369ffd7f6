import type { StanceAnswer } from "../types.ts";
import { abstain, blockingFlags, type MindContext, signed, stanceFromScore } from "./common.ts";

/**
 * Flow reads each symbol's own tape: momentum over 5 and 20 sessions scaled by its volatility,
 * the 50-day trend and whether volume confirms today's move. Bad inputs mean no opinion.
 */
export function flowMind(ctx: MindContext): StanceAnswer[] {
  return ctx.symbols.map((symbol) => {
    const f = ctx.features.symbols.get(symbol);
    const ids = f?.observationIds ?? [];
    const flagged = blockingFlags(f);
    if (flagged.length > 0) {
      return abstain(symbol, `Inputs flagged (${flagged.join(", ")}): I will not read flow from them.`, ids);
    }
    if (!f || f.last === null || f.change20dPct === null || f.change5dPct === null || !f.volPct) {
      return abstain(symbol, `Not enough price history on ${symbol} to read momentum.`, ids);
    }
    const short = f.change5dPct / (f.volPct * Math.sqrt(5));
    const long = f.change20dPct / (f.volPct * Math.sqrt(20));
    let score = 0.5 * short + 0.5 * long;
    if (f.aboveSma50 !== null) score += f.aboveSma50 ? 0.3 : -0.3;
    const confirming =
      f.volumeRatio !== null &&
      f.volumeRatio > 1.3 &&
      f.changePct !== null &&
      Math.sign(f.changePct) === Math.sign(score);
    if (confirming) score *= 1.2;
    const facts = [
      `${symbol} ${signed(f.change5dPct)}% over 5 sessions, ${signed(f.change20dPct)}% over 20`,
      `daily vol ${f.volPct.toFixed(2)}%`,
      f.aboveSma50 === null ? null : `${f.aboveSma50 ? "above" : "below"} its 50-day average`,
      f.volumeRatio === null ? null : `volume ${f.volumeRatio.toFixed(1)}x its 20-day mean`,
    ]
      .filter(Boolean)
      .join(", ");
    return stanceFromScore(symbol, score, {
      minScore: 0.35,
      scale: 0.1,
      cap: 0.72,
      reason: `${facts}.`,
      weak: `Momentum is flat: ${facts}.`,
      ids,
    });
  });
}
