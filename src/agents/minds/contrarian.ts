import { isVolatilitySymbol } from "../../domain/debate.ts";
import type { SymbolFeatures } from "../features.ts";
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

/** VIX levels and jumps that mark panic or complacency. */
export const VIX_SPIKE_1D_PCT = 25;
export const VIX_SPIKE_5D_PCT = 50;
export const VIX_PANIC = 30;
export const VIX_COMPLACENT = 13;

/**
 * Contrarian only speaks when something is stretched: VIX in a panic or asleep, a move far outside
 * recent volatility, VIX rising with equities, or a crowd (this server's own members included)
 * leaning one way. It fades what is stretched, and says why fading it has paid.
 */
export function contrarianMind(ctx: MindContext): StanceAnswer[] {
  const vix = ctx.features.vix;
  return ctx.symbols.map((symbol) => {
    const f = ctx.features.symbols.get(symbol);
    const ids = [...(f?.observationIds ?? []), ...(vix && vix !== f ? vix.observationIds : [])];
    const fades = [
      vix ? vixExtreme(symbol, f, vix) : null,
      f && !isVolatilitySymbol(symbol) ? extremeMove(f) : null,
      f && !isVolatilitySymbol(symbol) && vix ? vixDivergence(f, vix) : null,
      crowdFade(symbol, ctx.crowd),
    ].filter((fade): fade is Fade => fade !== null);
    if (fades.length === 0) {
      return abstain(
        symbol,
        `Nothing on ${symbol} is stretched enough to fade: no panic, no euphoria, no lopsided crowd.`,
        ids,
      );
    }
    const score = fades.reduce((sum, fade) => sum + fade.score, 0);
    const why = fades.map((fade) => fade.why).join("; ");
    return stanceFromScore(symbol, score, {
      minScore: 0.5,
      scale: 0.09,
      cap: 0.7,
      reason: `${why}, so I lean ${score > 0 ? "higher" : "lower"} on ${symbol}.`.slice(0, 400),
      weak: `The fades cancel out on ${symbol}: ${why}.`.slice(0, 400),
      ids,
    });
  });
}

/**
 * Panic and complacency, read off VIX: a jump of a quarter in a day (or half in a week), or a level
 * of 30 and more, has been sold into within days; VIX near its floor after a rally prices no risk.
 * For VIX itself the fade is the other way: spikes decay, and a floor does not hold.
 */
function vixExtreme(symbol: string, f: SymbolFeatures | undefined, vix: SymbolFeatures): Fade | null {
  if (vix.last === null) return null;
  const sign = isVolatilitySymbol(symbol) ? -1 : 1;
  const level = vix.last.toFixed(1);
  const day = vix.changePct ?? 0;
  const week = vix.change5dPct ?? 0;
  const target = isVolatilitySymbol(symbol) ? "that VIX gives part of it back" : `that ${symbol} bounces`;
  if (day >= VIX_SPIKE_1D_PCT || week >= VIX_SPIKE_5D_PCT) {
    const jump =
      day >= VIX_SPIKE_1D_PCT ? `${signed(day, 0)}% in a day` : `${signed(week, 0)}% in five sessions`;
    return {
      score: sign * (vix.last >= VIX_PANIC ? 1.4 : 1),
      why: `VIX at ${level}, ${jump}: panic that fast has usually been sold into within days, and I bet ${target}`,
    };
  }
  if (vix.last >= VIX_PANIC) {
    return {
      score: sign * 0.7,
      why: `VIX at ${level} prices a crash: fear that expensive has tended to pay whoever sells it, and I bet ${target}`,
    };
  }
  const rallied = f && !isVolatilitySymbol(symbol) ? (f.change5dPct ?? 0) > 0 : true;
  if (vix.last <= VIX_COMPLACENT && rallied) {
    return {
      score: -sign * 0.55,
      why: `VIX at ${level} prices almost no risk after a rally: that kind of calm is complacency, and I fade it`,
    };
  }
  return null;
}

function extremeMove(f: SymbolFeatures): Fade | null {
  if (f.moveZ !== null && f.changePct !== null && Math.abs(f.moveZ) >= EXTREME_Z) {
    return {
      score: -Math.sign(f.moveZ) * Math.abs(f.moveZ) * 0.6,
      why: `${f.symbol} ${signed(f.changePct)}% today is ${Math.abs(f.moveZ).toFixed(1)} standard deviations of its recent range: a move that size tends to partly retrace`,
    };
  }
  if (f.change5dPct !== null && f.volPct) {
    const z5 = f.change5dPct / (f.volPct * Math.sqrt(5));
    if (Math.abs(z5) >= EXTREME_Z + 0.5) {
      return {
        score: -Math.sign(z5) * Math.abs(z5) * 0.4,
        why: `${f.symbol} ${signed(f.change5dPct)}% in five sessions is a ${Math.abs(z5).toFixed(1)}-sigma run, stretched enough to snap back`,
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
      why: `${f.symbol} rose ${signed(f.changePct)}% while VIX rose ${signed(vix.changePct, 1)}% to ${vix.last.toFixed(1)}: someone is buying insurance into the rally`,
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
    why: `${Math.round(lopsided * 100)}% of ${calls.length} recent member calls on ${symbol} are ${side}: when everyone leans one way, the other side is the cheap one`,
  };
}
