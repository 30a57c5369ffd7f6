import { assetClassOf } from "../../domain/bars.ts";
import { isVolatilitySymbol } from "../../domain/debate.ts";
import type { Policy } from "../policy.ts";
import type { StanceAnswer } from "../types.ts";
import { abstain, clamp, type MindContext, signed, stanceFromScore } from "./common.ts";

/**
 * The long-run equity drift, as a score: US large caps have closed higher over two sessions about
 * 55% of the time, so a benign backdrop leans up, modestly. It is barely above MIN_SCORE, so any
 * macro input arguing down (hot inflation, a tightening Fed, rising long yields) can flip it.
 */
const DRIFT = 0.25;
const MIN_SCORE = 0.2;

/** A reading of one macro input: how it tilts equities, what it is, and what it means. */
interface Driver {
  score: number;
  fact: string;
  meaning: string;
  /** Acts through the discount rate, so it bites long-duration growth harder. */
  rates: boolean;
}

/** Long-duration growth (tech, small caps, crypto) moves more on the discount rate than the Dow. */
const RATE_SENSITIVE = new Set(["QQQ", "NVDA", "TSLA", "META", "AMZN", "GOOGL", "MSFT", "AAPL", "^IXIC"]);

function rateSensitivity(symbol: string): number {
  if (RATE_SENSITIVE.has(symbol)) return 1.3;
  if (symbol === "IWM" || assetClassOf(symbol) === "crypto") return 1.2;
  if (symbol === "DIA") return 0.8;
  return 1;
}

/**
 * Macro reads inflation's trend, the Fed's path (the funds rate and the 2-year), long yields and the
 * curve, and argues either side: hot and heating inflation with a tightening Fed leans lower,
 * cooling inflation with easier money leans higher, and with nothing to lean on it abstains.
 */
export function macroMind(ctx: MindContext): StanceAnswer[] {
  const { policy } = ctx.features;
  const { vix } = ctx.features;
  const crisis = (vix?.last ?? 0) >= 30;
  const drivers = driversOf(
    policy,
    crisis,
    vix?.last ? { level: vix.last, jump: ctx.regime.inputs.vixChange5d } : null,
  );
  if (drivers === null) {
    return ctx.symbols.map((s) =>
      abstain(s, "No VIX, rates or inflation in the snapshot: nothing macro to stand on."),
    );
  }
  const ids = policy.ids;
  if (drivers.length === 0) {
    return ctx.symbols.map((s) =>
      abstain(
        s,
        `${levelsOf(policy)}, with no trend in them to read: nothing macro to lean on for ${s}.`,
        ids,
      ),
    );
  }
  return ctx.symbols.map((symbol) => {
    const sensitivity = rateSensitivity(symbol);
    const weighted = drivers.map((d) => ({ ...d, score: d.rates ? d.score * sensitivity : d.score }));
    const raw = DRIFT + weighted.reduce((sum, d) => sum + d.score, 0);
    const score = isVolatilitySymbol(symbol) ? -raw : raw;
    const top = [...weighted].sort((a, b) => Math.abs(b.score) - Math.abs(a.score)).slice(0, 2);
    const leaning = top.filter((d) => Math.sign(d.score) === Math.sign(raw) && d.score !== 0);
    const word = score > 0 ? "higher" : "lower";
    const conclusion = leaning.length
      ? `so I lean ${word} on ${symbol}`
      : `nothing here fights the market's long-run upward drift, so I lean ${word} on ${symbol}`;
    const facts = drivers.map((d) => d.fact).join(", ");
    return stanceFromScore(symbol, score, {
      minScore: MIN_SCORE,
      scale: 0.14,
      cap: 0.64,
      reason: reasonOf(leaning.length ? leaning : top, conclusion),
      weak: `Rates and inflation offset the market's usual drift on ${symbol}: ${facts}; nothing macro to lean on.`.slice(
        0,
        400,
      ),
      ids,
    });
  });
}

/** The levels alone, when the snapshot has no history to read a trend from. */
function levelsOf(p: Policy): string {
  const parts = [
    p.cpiYoY === null ? null : `CPI ${p.cpiYoY.toFixed(1)}% y/y`,
    p.fedFunds === null ? null : `Fed funds ${p.fedFunds.toFixed(2)}%`,
    p.twoYear === null ? null : `the 2y at ${p.twoYear.toFixed(2)}%`,
    p.tenYear === null ? null : `the 10y at ${p.tenYear.toFixed(2)}%`,
    p.curve === null ? null : `the curve at ${p.curve.toFixed(2)}`,
  ].filter(Boolean);
  return capitalize(parts.join(", "));
}

function reasonOf(drivers: readonly Driver[], conclusion: string): string {
  const facts = drivers.map((d) => d.fact).join(" and ");
  const meanings = drivers.map((d) => d.meaning).join(", and ");
  return `${capitalize(facts)}: ${meanings}, ${conclusion}.`.slice(0, 400);
}

/** Each macro input the snapshot has, read; null when it has none of them. */
function driversOf(p: Policy, crisis: boolean, vix: Fear | null): Driver[] | null {
  const drivers = [
    inflation(p),
    fedPath(p, crisis),
    longYields(p, crisis),
    curve(p),
    vix && fearPremium(vix),
  ].filter((d): d is Driver => d !== null);
  const any =
    p.cpiYoY !== null || p.fedFunds !== null || p.twoYear !== null || p.tenYear !== null || p.curve !== null;
  return any || vix ? drivers : null;
}

interface Fear {
  level: number;
  /** VIX change in points over five sessions. */
  jump: number | null;
}

/** VIX level where fear starts being priced; above it forward returns have been better, not worse. */
const FEAR_VIX = 20;

/**
 * The equity risk premium, read off VIX: fear is paid for, so a high or jumping VIX has preceded
 * better two-day returns (insurance sellers get paid), and a sleepy one leaves little premium.
 */
function fearPremium({ level, jump }: Fear): Driver | null {
  const score =
    clamp((level - FEAR_VIX) / 20, -0.1, 0.4) + (jump === null ? 0 : clamp((jump - 2) / 10, 0, 0.3));
  if (Math.abs(score) < 0.05) return null;
  const fact = `VIX at ${level.toFixed(1)}${jump === null ? "" : ` (${signed(jump, 1)} pts in 5 sessions)`}`;
  return score > 0
    ? {
        score,
        fact,
        meaning: "fear is priced in, and paid-for fear has preceded better returns than calm",
        rates: false,
      }
    : { score, fact, meaning: "fear is cheap, so the premium for holding risk is thin", rates: false };
}

function inflation(p: Policy): Driver | null {
  if (p.cpiYoY === null) return null;
  const trend = p.cpiYoYBefore === null ? 0 : p.cpiYoY - p.cpiYoYBefore;
  const since = p.cpiYoYBefore === null ? "" : ` (${p.cpiYoYBefore.toFixed(1)}% three prints earlier)`;
  const fact = `CPI ran ${p.cpiYoY.toFixed(1)}% y/y${since}`;
  if (p.cpiYoY >= 4 && trend >= 0.2)
    return {
      score: -0.35,
      fact,
      meaning: "inflation is hot and still rising, so the Fed has no room to ease",
      rates: true,
    };
  if (p.cpiYoY >= 4 && trend <= -0.5)
    return {
      score: 0.2,
      fact,
      meaning: "inflation is cooling from a high, which lets the Fed stop tightening",
      rates: true,
    };
  if (p.cpiYoY >= 4)
    return { score: -0.2, fact, meaning: "inflation is stuck high, which keeps policy tight", rates: true };
  if (trend >= 0.4)
    return {
      score: -0.15,
      fact,
      meaning: "inflation is picking up again, which puts rate cuts at risk",
      rates: true,
    };
  if (trend <= -0.4)
    return { score: 0.1, fact, meaning: "inflation keeps easing, which leaves room for cuts", rates: true };
  return { score: 0, fact, meaning: "inflation is steady", rates: true };
}

/** The 2-year prices the Fed's next year; the funds rate shows the path it has already taken. */
function fedPath(p: Policy, crisis: boolean): Driver | null {
  const two = p.twoYearChange20;
  const funds = p.fedFundsChange6m;
  if (two === null && funds === null) return null;
  const facts = [
    two === null ? null : `the 2y ${moved(two)} in a month to ${(p.twoYear as number).toFixed(2)}%`,
    funds === null || Math.abs(funds) < 0.25
      ? null
      : `the Fed has ${funds > 0 ? "raised" : "cut"} ${bp(funds)} in six months`,
  ].filter(Boolean);
  const fact = facts.join(" and ") || `Fed funds steady at ${(p.fedFunds as number).toFixed(2)}%`;
  const tightening = (two ?? 0) >= 0.2 || ((funds ?? 0) >= 0.5 && (two ?? 0) > -0.1);
  const easing = (two ?? 0) <= -0.2 || ((funds ?? 0) <= -0.5 && (two ?? 0) < 0.1);
  if (tightening) {
    const size = (two ?? 0) >= 0.3 ? -0.4 : -0.25;
    return {
      score: size,
      fact,
      meaning: "the Fed is still tightening, which has kept pressure on long-duration stocks",
      rates: true,
    };
  }
  // Cuts into a crash are the Fed chasing the market down, not easy money for it.
  if (easing && crisis)
    return {
      score: 0,
      fact,
      meaning: "the Fed is easing into a panic, which has not stopped a falling market",
      rates: true,
    };
  if (easing)
    return {
      score: 0.3,
      fact,
      meaning: "the market is pricing easier money, which has supported equities",
      rates: true,
    };
  return { score: 0, fact, meaning: "the Fed's path is priced and steady", rates: true };
}

function longYields(p: Policy, crisis: boolean): Driver | null {
  const drift = p.tenYearChange20;
  if (p.tenYear === null || drift === null || Math.abs(drift) < 0.25) return null;
  const fact = `the 10y ${moved(drift)} in a month to ${p.tenYear.toFixed(2)}%`;
  if (drift > 0)
    return { score: -0.2, fact, meaning: "rising long yields discount future earnings harder", rates: true };
  // Yields falling in a panic are a flight to safety, not relief.
  if (crisis) return null;
  return {
    score: 0.15,
    fact,
    meaning: "falling long yields lift what future earnings are worth",
    rates: true,
  };
}

function curve(p: Policy): Driver | null {
  if (p.curve === null || p.curve > -0.5) return null;
  return {
    score: -0.1,
    fact: `the 2s10s curve sits at ${p.curve.toFixed(2)}`,
    meaning: "a curve that inverted prices a slowdown",
    rates: false,
  };
}

/** "jumped 30bp", "fell 45bp": yields move in basis points. */
function moved(change: number): string {
  if (Math.abs(change) < 0.05) return "held steady";
  return `${change > 0 ? (change >= 0.25 ? "jumped" : "rose") : change <= -0.25 ? "dropped" : "fell"} ${bp(change)}`;
}

function bp(change: number): string {
  return `${Math.round(Math.abs(change) * 100)}bp`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
