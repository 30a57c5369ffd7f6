import type { Breadth, SymbolFeatures } from "../features.ts";
import { namesCount } from "../policy.ts";
import type { StanceAnswer } from "../types.ts";
import { abstain, blockingFlags, type MindContext, signed, stanceFromScore } from "./common.ts";

/** Breadth is only read with at least this many names: two stocks are not a market. */
const MIN_BREADTH_NAMES = 4;
/** Volume this far above its 20-day mean is conviction, for or against the trend. */
const HEAVY_VOLUME = 1.3;

/**
 * Flow reads each symbol's own tape (momentum over 5 and 20 sessions scaled by its volatility, the
 * 50-day trend), whether volume backs today's move, and for stocks and funds whether the market's
 * breadth joins in: a broad advance tends to run on, a narrow one to stall. Bad inputs mean no opinion.
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
    const tape = `${symbol} is ${signed(f.change20dPct, 1)}% over 20 sessions${f.aboveSma50 === null ? "" : ` and ${f.aboveSma50 ? "above" : "below"} its 50-day average`}`;
    const reads: string[] = [];
    const volume = volumeRead(f, score);
    score *= volume.factor;
    if (volume.text) reads.push(volume.text);
    const breadth = f.assetClass === "us_equity" ? breadthRead(ctx.features.breadth, score) : null;
    if (breadth) {
      score = score * breadth.factor + breadth.add;
      reads.push(breadth.text);
    }
    const trend = score > 0 ? "an advance" : "a decline";
    const meaning =
      breadth?.meaning ??
      `${trend} with momentum, and momentum has tended to carry over a couple of sessions`;
    const facts = [tape, ...reads].join(", and ");
    return stanceFromScore(symbol, score, {
      minScore: 0.35,
      scale: 0.1,
      cap: 0.72,
      reason: `${facts}: ${meaning}, so I lean ${score > 0 ? "higher" : "lower"}.`.slice(0, 400),
      weak: `Momentum is flat on ${symbol}: ${facts}.`.slice(0, 400),
      ids,
    });
  });
}

/** Heavy volume with the trend confirms it; heavy volume against it is someone leaving. */
function volumeRead(f: SymbolFeatures, score: number): { factor: number; text: string | null } {
  if (f.volumeRatio === null || f.changePct === null || f.volumeRatio < HEAVY_VOLUME)
    return { factor: 1, text: null };
  const heavy = `today's ${signed(f.changePct)}% came on ${f.volumeRatio.toFixed(1)}x its usual volume`;
  if (Math.sign(f.changePct) === Math.sign(score))
    return { factor: 1.2, text: `${heavy}, which backs the trend` };
  return { factor: 0.6, text: `${heavy}, against the trend` };
}

/** Participation: how many of the tracked names are above their 50-day average. */
function breadthRead(
  b: Breadth,
  score: number,
): { factor: number; add: number; text: string; meaning: string } | null {
  if (b.withTrend < MIN_BREADTH_NAMES) return null;
  const share = b.above / b.withTrend;
  const text = `${namesCount(b.above, b.withTrend)} ${b.above === 1 ? "is" : "are"} above ${b.above === 1 ? "its" : "theirs"}`;
  if (score > 0 && share >= 0.7)
    return {
      factor: 1,
      add: 0.2,
      text,
      meaning: "a broad advance, and broad advances have tended to keep going",
    };
  if (score < 0 && share <= 0.3)
    return {
      factor: 1,
      add: -0.2,
      text,
      meaning: "a broad decline, and broad declines have tended to run on",
    };
  if (score > 0 && share <= 0.3)
    return {
      factor: 0.6,
      add: 0,
      text,
      meaning: "a narrow advance the rest of the market is not joining, so I trust it less",
    };
  if (score < 0 && share >= 0.7)
    return {
      factor: 0.6,
      add: 0,
      text,
      meaning: "a dip the rest of the market is not joining, so I trust it less",
    };
  return null;
}
