import { isVolatilitySymbol, type SymbolFeatures } from "../features.ts";
import type { CrowdCall, StanceAnswer } from "../types.ts";
import { abstain, type MindContext, signed, stanceFromScore } from "./common.ts";

/** A crowd is lopsided when at least this many members called the symbol and this share agree. */
export const CROWD_MIN_CALLS = 3;
export const CROWD_LOPSIDED_SHARE = 0.75;
/** A move is extreme at this many standard deviations of recent daily volatility. */
export const EXTREME_Z = 2;

interface Fade {
  score: number;
  why: string;
}

/**
 * Contrarian only speaks when something is stretched: a move far outside recent volatility,
 * VIX rising with equities, or a crowd (this server's own members included) leaning one way.
 */
export function contrarianMind(ctx: MindContext): StanceAnswer[] {
  const vix = ctx.features.vix;
  return ctx.symbols.map((symbol) => {
    const f = ctx.features.symbols.get(symbol);
    const ids = [...(f?.observationIds ?? []), ...(vix && vix !== f ? vix.observationIds : [])];
    const fades = [
      f ? extremeMove(f) : null,
      f && !isVolatilitySymbol(symbol) && vix ? vixDivergence(f, vix) : null,
      crowdFade(symbol, ctx.crowd),
    ].filter((fade): fade is Fade => fade !== null);
    if (fades.length === 0) {
      return abstain(symbol, `Nothing on ${symbol} is stretched enough to fade.`, ids);
    }
    const score = fades.reduce((sum, fade) => sum + fade.score, 0);
    const why = fades.map((fade) => fade.why).join("; ");
    return stanceFromScore(symbol, score, {
      minScore: 0.5,
      scale: 0.09,
      cap: 0.7,
      reason: `${why}, and I fade that.`,
      weak: `The fades cancel out: ${why}.`,
      ids,
    });
  });
}

function extremeMove(f: SymbolFeatures): Fade | null {
  if (f.moveZ !== null && f.changePct !== null && Math.abs(f.moveZ) >= EXTREME_Z) {
    return {
      score: -Math.sign(f.moveZ) * Math.abs(f.moveZ) * 0.6,
      why: `${f.symbol} ${signed(f.changePct)}% today is ${Math.abs(f.moveZ).toFixed(1)} standard deviations of its recent range`,
    };
  }
  if (f.change5dPct !== null && f.volPct) {
    const z5 = f.change5dPct / (f.volPct * Math.sqrt(5));
    if (Math.abs(z5) >= EXTREME_Z + 0.5) {
      return {
        score: -Math.sign(z5) * Math.abs(z5) * 0.4,
        why: `${f.symbol} ${signed(f.change5dPct)}% in five sessions is a ${Math.abs(z5).toFixed(1)}-sigma run`,
      };
    }
  }
  return null;
}

/** Equities up while VIX climbs: someone is buying insurance into the rally. */
function vixDivergence(f: SymbolFeatures, vix: SymbolFeatures): Fade | null {
  if (f.changePct === null || vix.changePct === null || vix.last === null) return null;
  if (f.changePct > 0.3 && vix.changePct > 3) {
    return {
      score: -1,
      why: `${f.symbol} rose ${signed(f.changePct)}% while VIX rose ${signed(vix.changePct, 1)}% to ${vix.last.toFixed(1)}`,
    };
  }
  return null;
}

function crowdFade(symbol: string, crowd: readonly CrowdCall[]): Fade | null {
  const calls = crowd.filter((c) => c.symbol === symbol);
  if (calls.length < CROWD_MIN_CALLS) return null;
  const upShare = calls.filter((c) => c.direction === "up").length / calls.length;
  const lopsided = Math.max(upShare, 1 - upShare);
  if (lopsided < CROWD_LOPSIDED_SHARE) return null;
  const side = upShare > 0.5 ? "bullish" : "bearish";
  return {
    score: (upShare > 0.5 ? -1 : 1) * (0.5 + (lopsided - CROWD_LOPSIDED_SHARE) * 4),
    why: `${Math.round(lopsided * 100)}% of ${calls.length} recent member calls on ${symbol} are ${side}`,
  };
}
