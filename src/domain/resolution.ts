import {
  type AssetClass,
  assetClassOf,
  type Bar,
  barCloseTime,
  barOpenTime,
  barsInWindow,
  lastBarAtOrBefore,
} from "./bars.ts";
import { type CallSpec, deadlineOf, type LevelCall, madeAtOf, type RangeCall } from "./call.ts";
import type { UsedBar } from "./receipt.ts";

export type VoidReason = "no_entry_price" | "no_bar_in_window" | "inside_flat_band" | "data_unavailable";

export interface DecidedResolution {
  status: "right" | "wrong";
  entry: number;
  exit: number;
  movePct: number;
  exitDate: string;
  evidence: string;
  /** The bars the decision read, for the verdict's receipt. */
  used: UsedBar[];
}

export interface VoidResolution {
  status: "void";
  reason: VoidReason;
  entry: number | null;
  exit: number | null;
  movePct: number | null;
  evidence: string;
  used: UsedBar[];
}

/** The deadline lies beyond the data we have: ask again later. */
export interface PendingResolution {
  status: "pending";
  reason: string;
}

export type Resolution = DecidedResolution | VoidResolution | PendingResolution;

export interface ResolutionInput {
  call: CallSpec;
  /** Daily bars per symbol, ascending by date. */
  bars: Readonly<Record<string, readonly Bar[]>>;
  /** A member's own entry price (taken when they made the call); otherwise the last close before madeAt. */
  entryPrice?: number;
  /** For a relative call: the entry of the `versus` symbol, taken at the same moment. */
  versusEntryPrice?: number;
  /**
   * The bars are known complete up to this moment (for a file: the close of its last bar). A
   * deadline after it is "pending", so a lagging source can never pass for the deadline's price.
   */
  dataThrough: Date;
}

interface Leg {
  symbol: string;
  assetClass: AssetClass;
  entry: number;
  exit: Bar;
  window: Bar[];
  movePct: number;
  used: UsedBar[];
}

/** Decides a call from price bars: right, wrong, or void with a reason, plus evidence anyone can check. */
export function resolveCall(input: ResolutionInput): Resolution {
  const { call } = input;
  const deadline = deadlineOf(call);
  if (deadline > input.dataThrough) {
    return { status: "pending", reason: `deadline ${deadline.toISOString()} is after the data ends` };
  }
  // Worked out once here rather than in each leg: a sweep decides thousands of calls.
  const window = { madeAt: madeAtOf(call), deadline };
  const main = legFor(call.symbol, input, input.entryPrice, window);
  if ("status" in main) return main;

  switch (call.kind) {
    case "direction":
      return decideDirection(call.direction === "up", main, call.flatBandPct ?? 0);
    case "threshold":
      return decideThreshold(call, main);
    case "touch":
    case "hold":
      return decidePath(call, main, window.madeAt);
    case "relative": {
      const versus = legFor(call.versus, input, input.versusEntryPrice, window);
      if ("status" in versus) return versus;
      return decideRelative(call.direction === "outperform", main, versus, call.flatBandPct ?? 0);
    }
    case "range":
      return decideRange(call, main);
  }
}

function legFor(
  symbol: string,
  input: ResolutionInput,
  entryPrice: number | undefined,
  { madeAt, deadline }: { madeAt: Date; deadline: Date },
): Leg | VoidResolution {
  const assetClass: AssetClass = assetClassOf(symbol);
  const bars = input.bars[symbol] ?? [];
  if (bars.length === 0) return voided("data_unavailable", `${symbol}: no price data`, entryPrice ?? null);
  const entryBar = entryPrice === undefined ? lastBarAtOrBefore(bars, madeAt, assetClass) : undefined;
  const entry = entryPrice ?? entryBar?.close;
  if (entry === undefined) {
    return voided("no_entry_price", `${symbol}: no close at or before ${madeAt.toISOString()}`);
  }
  const window = barsInWindow(bars, madeAt, deadline, assetClass);
  const exit = window.at(-1);
  if (exit === undefined) {
    return voided("no_bar_in_window", `${symbol}: no trading between the call and its deadline`, entry);
  }
  const read = [...(entryBar ? [entryBar] : []), ...window];
  const used = read.map((bar) => usedBar(symbol, bar, assetClass));
  return { symbol, assetClass, entry, exit, window, movePct: pct(entry, exit.close), used };
}

function decideDirection(up: boolean, leg: Leg, flatBandPct: number): Resolution {
  const evidence = moveText(leg);
  if (Math.abs(leg.movePct) <= flatBandPct) {
    return insideBand(leg, `${evidence}, inside the ±${flatBandPct}% flat band`);
  }
  return decided(up ? leg.movePct > 0 : leg.movePct < 0, leg, evidence);
}

function decideThreshold(call: LevelCall, leg: Leg): Resolution {
  const close = leg.exit.close;
  const evidence = `${moveText(leg)}, level ${call.level} ${call.comparator === "above" ? "needed above" : "needed below"}`;
  const distancePct = Math.abs(pct(call.level, close));
  const band = call.flatBandPct ?? 0;
  if (distancePct <= band) {
    return insideBand(leg, `${evidence}, within ±${band}% of the level`);
  }
  return decided(call.comparator === "above" ? close > call.level : close < call.level, leg, evidence);
}

/**
 * touch: the level is reached at any point (highs/lows); hold: it is never breached. Only sessions
 * that open after the call count: a daily bar's high and low include the hours before it, so the
 * session the call was made in is left out (intraday bars could cover its remainder; we have none).
 */
function decidePath(call: LevelCall, leg: Leg, madeAt: Date): Resolution {
  const window = leg.window.filter((bar) => barOpenTime(bar.date, leg.assetClass) >= madeAt);
  if (window.length === 0) {
    return voided(
      "no_bar_in_window",
      `${leg.symbol}: no session opened after the call and closed by its deadline, and a ${call.kind} counts only those`,
      leg.entry,
    );
  }
  const above = call.comparator === "above";
  const extreme = above
    ? Math.max(...window.map((bar) => bar.high ?? bar.close))
    : Math.min(...window.map((bar) => bar.low ?? bar.close));
  const adverse = above
    ? Math.min(...window.map((bar) => bar.low ?? bar.close))
    : Math.max(...window.map((bar) => bar.high ?? bar.close));
  if (call.kind === "touch") {
    const reached = above ? extreme >= call.level : extreme <= call.level;
    const evidence = `${leg.symbol} ${above ? "high" : "low"} ${fmt(extreme)} vs level ${call.level} over ${window.length} session(s)`;
    return decided(reached, leg, evidence);
  }
  const held = above ? adverse > call.level : adverse < call.level;
  const evidence = `${leg.symbol} ${above ? "low" : "high"} ${fmt(adverse)} vs level ${call.level} over ${window.length} session(s)`;
  return decided(held, leg, evidence);
}

/**
 * range: the deciding close against the band around the entry. A move within the flat band of the
 * band's edge is too close to call either way, so it is void, as a threshold close on its level is.
 */
function decideRange(call: RangeCall, leg: Leg): Resolution {
  const distance = Math.abs(leg.movePct);
  const evidence = `${moveText(leg)}, band ±${call.level}%`;
  const edge = call.flatBandPct ?? 0;
  if (Math.abs(distance - call.level) <= edge && edge > 0) {
    return insideBand(leg, `${evidence}, within ±${edge} pts of the band's edge`);
  }
  const inside = distance <= call.level;
  return decided(call.direction === "inside" ? inside : !inside, leg, evidence);
}

function decideRelative(outperform: boolean, main: Leg, versus: Leg, flatBandPct: number): Resolution {
  const spread = main.movePct - versus.movePct;
  const evidence = `${moveText(main)} vs ${moveText(versus)}, spread ${signed(spread)} pts`;
  if (Math.abs(spread) <= flatBandPct) {
    return insideBand(main, `${evidence}, inside the ±${flatBandPct} pt flat band`, [
      ...main.used,
      ...versus.used,
    ]);
  }
  return decided(outperform ? spread > 0 : spread < 0, main, evidence, [...main.used, ...versus.used]);
}

function decided(right: boolean, leg: Leg, evidence: string, used = leg.used): DecidedResolution {
  return {
    status: right ? "right" : "wrong",
    entry: leg.entry,
    exit: leg.exit.close,
    movePct: leg.movePct,
    exitDate: leg.exit.date,
    evidence,
    used,
  };
}

function voided(reason: VoidReason, evidence: string, entry: number | null = null): VoidResolution {
  return { status: "void", reason, entry, exit: null, movePct: null, evidence, used: [] };
}

function insideBand(leg: Leg, evidence: string, used = leg.used): VoidResolution {
  return {
    status: "void",
    reason: "inside_flat_band",
    entry: leg.entry,
    exit: leg.exit.close,
    movePct: leg.movePct,
    evidence,
    used,
  };
}

/**
 * A bar as a receipt lists it (its close time, its close, and its range where the bar has one), made
 * once per bar: every call on a symbol over the same days lists the
 * same bars, and a sweep decides thousands of them. Shared, so frozen.
 */
const usedBars = new WeakMap<Bar, UsedBar>();

function usedBar(symbol: string, bar: Bar, assetClass: AssetClass): UsedBar {
  const known = usedBars.get(bar);
  if (known?.symbol === symbol) return known;
  const used: UsedBar = {
    symbol,
    time: barCloseTime(bar.date, assetClass).toISOString(),
    value: bar.close,
    ...(bar.high === undefined ? {} : { high: bar.high }),
    ...(bar.low === undefined ? {} : { low: bar.low }),
  };
  usedBars.set(bar, Object.freeze(used));
  return used;
}

function moveText(leg: Leg): string {
  return `${leg.symbol} ${fmt(leg.entry)} → ${fmt(leg.exit.close)} (${signed(leg.movePct)}%)`;
}

function pct(from: number, to: number): number {
  return ((to - from) / from) * 100;
}

function fmt(price: number): string {
  return price.toFixed(2);
}

function signed(value: number): string {
  return `${value >= 0 ? "+" : ""}${value.toFixed(2)}`;
}
