import type { QuestionModel } from "../../src/agents/questions/model.ts";
import type { DeskInput, RecordRow } from "../../src/agents/types.ts";
import type { Bar } from "../../src/domain/bars.ts";
import type { Observation, QualityFlag, Snapshot } from "../../src/domain/observation.ts";

/** The moment every fixture snapshot observes: after the 1 April 2026 US close (16:00 New York). */
export const AT = new Date("2026-04-01T21:00:00Z");

/** Weekday dates ending on `end`, oldest first. */
function weekdays(end: string, count: number): string[] {
  const dates: string[] = [];
  const day = new Date(`${end}T00:00:00Z`);
  while (dates.length < count) {
    const dow = day.getUTCDay();
    if (dow !== 0 && dow !== 6) dates.unshift(day.toISOString().slice(0, 10));
    day.setUTCDate(day.getUTCDate() - 1);
  }
  return dates;
}

/**
 * Closes with a steady drift and a deterministic zig-zag (so volatility is not zero), plus an
 * optional final-day move: enough shape for trend, volatility and "extreme move" features.
 */
export function closes(
  start: number,
  count: number,
  driftPct: number,
  wigglePct = 0.8,
  lastMovePct?: number,
): number[] {
  const out = [start];
  for (let i = 1; i < count; i++) {
    const wiggle = (i % 2 === 0 ? 1 : -1) * wigglePct;
    const move = i === count - 1 && lastMovePct !== undefined ? lastMovePct : driftPct + wiggle;
    out.push(Math.round((out[i - 1] as number) * (1 + move / 100) * 100) / 100);
  }
  return out;
}

export function bars(values: number[], end = "2026-04-01", volume: number | null = 1_000_000): Bar[] {
  const dates = weekdays(end, values.length);
  return values.map((close, i) => ({
    date: dates[i] as string,
    close,
    ...(volume === null ? {} : { volume }),
  }));
}

export function quoteObs(symbol: string, value: number | null, flags: QualityFlag[] = []): Observation {
  return {
    id: `quote:${symbol}`,
    source: "fixture",
    kind: "quote",
    symbol,
    value,
    payload: {},
    asOf: new Date("2026-04-01T20:00:00Z"),
    trust: "primary",
    flags,
  };
}

export function macroObs(series: string, value: number): Observation {
  return {
    id: `macro:${series}`,
    source: "fixture",
    kind: "macro",
    symbol: series,
    value,
    payload: {},
    asOf: new Date("2026-03-31T00:00:00Z"),
    trust: "primary",
    flags: [],
  };
}

export interface TapeOptions {
  /** Percent drift per session for equities. */
  drift?: number;
  vix?: number[];
  lastMove?: Partial<Record<string, number>>;
  flags?: Partial<Record<string, QualityFlag[]>>;
  source?: Snapshot["source"];
  headlines?: string[];
}

const EQUITIES: Record<string, number> = { SPY: 650, QQQ: 580, IWM: 210, AAPL: 220, MSFT: 410, NVDA: 170 };

/** A hand-built snapshot: six equities on a common drift, VIX, BTC and the rates the Macro mind reads. */
export function tapeSnapshot(opts: TapeOptions = {}): Snapshot {
  const history: Record<string, Bar[]> = {};
  const observations: Observation[] = [];
  for (const [symbol, start] of Object.entries(EQUITIES)) {
    const series = bars(closes(start, 60, opts.drift ?? -0.3, 0.8, opts.lastMove?.[symbol]));
    history[symbol] = series;
    observations.push(quoteObs(symbol, (series.at(-1) as Bar).close, opts.flags?.[symbol] ?? []));
  }
  const vix = opts.vix ?? [...Array.from({ length: 54 }, () => 19), 20, 21, 22, 23, 24, 24.5];
  history["^VIX"] = bars(vix, "2026-04-01", null);
  observations.push(quoteObs("^VIX", vix.at(-1) as number));
  const btc = bars(closes(70_000, 60, 0.4, 1.5), "2026-03-31");
  history["BTC-USD"] = btc;
  observations.push({ ...quoteObs("BTC-USD", (btc.at(-1) as Bar).close), kind: "crypto" });
  observations.push(
    macroObs("DGS10", 4.31),
    macroObs("DGS2", 3.8),
    macroObs("T10Y2Y", 0.51),
    macroObs("FEDFUNDS", 3.64),
  );
  for (const [i, title] of (opts.headlines ?? []).entries()) {
    observations.push({
      id: `headline:fixture:${i}`,
      source: "rss:fixture",
      kind: "headline",
      symbol: null,
      value: null,
      payload: { title },
      asOf: AT,
      trust: "secondary",
      flags: [],
    });
  }
  return { at: AT, source: opts.source ?? "replay", observations, history, flags: [] };
}

const NO_FIT = { slope: 0, n: 0, t: 0, edge: false };

/**
 * A question model that asks only direction questions, at a coin-flip base rate moved by the minds'
 * debate (up to ±10 points): the fixtures' tests are about minds, rules, calibration and the essay,
 * so their calls follow the debate. Tests of question choice pass their own model.
 */
export const DEBATE_MODEL: QuestionModel = {
  split: "2023-01-01",
  fittedFrom: "2018-01-01",
  baseRates: { direction: { share: 0.5, n: 1000 } },
  kinds: {
    direction: { slope: 0.2, n: 1000, t: 3, edge: true },
    relative: NO_FIT,
    range: NO_FIT,
    vix: NO_FIT,
  },
};

export function deskInput(overrides: Partial<DeskInput> = {}): DeskInput {
  return {
    snapshot: tapeSnapshot(),
    symbols: ["SPY", "QQQ", "IWM", "BTC-USD"],
    cycleNumber: 7,
    record: [],
    crowd: [],
    rules: [],
    lessons: [],
    lockShare: 0.25,
    questions: DEBATE_MODEL,
    ...overrides,
  };
}

/** `n` resolved desk calls at probability `p`, `hits` of them right, in `regime`. */
export function recordRows(n: number, hits: number, p: number, extra: Partial<RecordRow> = {}): RecordRow[] {
  return Array.from({ length: n }, (_, i) => ({
    mind: "flow",
    regime: "risk_off",
    symbol: "SPY",
    horizonHours: 48,
    probability: p,
    outcome: i < hits ? 1 : 0,
    resolvedAt: new Date(Date.UTC(2026, 2, 1 + (i % 28))),
    ...extra,
  }));
}
