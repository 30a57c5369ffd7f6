import { describe, expect, it } from "vitest";
import type { QuestionModel } from "../../src/agents/questions/model.ts";
import { baselineProbabilities, normalCdf } from "../../src/backtest/baselines.ts";
import { weeklyBootstrap } from "../../src/backtest/bootstrap.ts";
import type { Bar } from "../../src/domain/bars.ts";
import { type CallSpec, callSpecSchema } from "../../src/domain/call.ts";

const NO_FIT = { slope: 0, n: 0, t: 0, edge: false };
const MODEL: QuestionModel = {
  split: "2023-01-01",
  fittedFrom: "2018-01-01",
  baseRates: { "range|SPY": { share: 0.72, n: 900 }, "direction|SPY|risk_on": { share: 0.56, n: 300 } },
  kinds: { direction: NO_FIT, relative: NO_FIT, range: NO_FIT, vix: NO_FIT },
};

/** 300 weekdays to Friday 2023-03-03, alternating +1% and −1%: a 1% daily volatility and no drift to speak of. */
function book(): Map<string, Bar[]> {
  const bars: Bar[] = [];
  const day = new Date("2023-03-03T00:00:00Z");
  const dates: string[] = [];
  while (dates.length < 300) {
    if (day.getUTCDay() % 6 !== 0) dates.unshift(day.toISOString().slice(0, 10));
    day.setUTCDate(day.getUTCDate() - 1);
  }
  let close = 400;
  for (const [i, date] of dates.entries()) {
    close *= i % 2 ? 1.01 : 0.99;
    bars.push({ date, close });
  }
  return new Map([["SPY", bars]]);
}

const MADE_AT = "2023-03-06T20:00:00Z";

/** The baselines for a call on SPY at 400 in a risk-on tape, over the alternating book. */
const priceSpy = (spec: CallSpec) =>
  baselineProbabilities({ spec, regime: "risk_on", entryPrice: 400, versusEntryPrice: null }, book(), MODEL);

/** A SPY range call: inside ±1.5% in 48h at 70%, made at `madeAt`. */
const spyRange = (madeAt: string) =>
  callSpecSchema.parse({
    kind: "range",
    symbol: "SPY",
    direction: "inside",
    level: 1.5,
    probability: 0.7,
    madeAt,
    horizonHours: 48,
  });

describe("baselines on the desk's questions", () => {
  it("prices a range call: coin flip, base rate, a random walk on recent volatility, and the question's own last 20 sessions", () => {
    const p = priceSpy(spyRange(MADE_AT));
    expect(p.coinFlip).toBe(0.5);
    expect(p.baseRate).toBe(0.72);
    // Always-up says nothing about a range.
    expect(p.alwaysUp).toBeUndefined();
    // Two sessions at ~1% a day: sigma ≈ 1.414%, so P(|move| ≤ 1.5%) ≈ 2Φ(1.06) − 1 ≈ 0.71.
    expect(p.randomWalk).toBeGreaterThan(0.69);
    expect(p.randomWalk).toBeLessThan(0.73);
    // Alternating ±1% makes every two-session move about −0.01%: inside on all 20, so (20+1)/22.
    expect(p.momentum20).toBeCloseTo(21 / 22, 12);
  });

  it("gives a down call the other side of each baseline, and always-up its fixed 45%", () => {
    const spec = callSpecSchema.parse({
      kind: "direction",
      symbol: "SPY",
      direction: "down",
      probability: 0.6,
      madeAt: MADE_AT,
      horizonHours: 48,
    });
    const p = priceSpy(spec);
    expect(p.baseRate).toBeCloseTo(0.44, 12);
    expect(p.alwaysUp).toBeCloseTo(0.45, 12);
    expect(p.randomWalk).toBeGreaterThan(0.45);
    expect(p.randomWalk).toBeLessThan(0.55);
  });

  it("leaves out what cannot be known: no history before the call, no random walk or momentum", () => {
    const p = priceSpy(spyRange("2021-01-04T20:00:00Z"));
    expect(Object.keys(p).sort()).toEqual(["baseRate", "coinFlip"]);
  });

  it("has a normal CDF accurate to 1e-6 at known points", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
  });
});

describe("weekly bootstrap", () => {
  const items = Array.from({ length: 200 }, (_, i) => ({
    week: `2023-${Math.floor(i / 5)}`,
    diff: -0.01 + ((i * 7919) % 13) / 1000,
  }));

  it("is the mean difference with an interval around it, the same for the same seed", () => {
    const a = weeklyBootstrap(items, 42);
    expect(weeklyBootstrap(items, 42)).toEqual(a);
    expect(a.questions).toBe(200);
    const mean = items.reduce((s, x) => s + x.diff, 0) / items.length;
    expect(a.brierDiff).toBeCloseTo(mean, 5);
    expect(a.ci95[0]).toBeLessThan(a.brierDiff);
    expect(a.ci95[1]).toBeGreaterThan(a.brierDiff);
    expect(weeklyBootstrap(items, 43).ci95).not.toEqual(a.ci95);
  });

  it("resamples whole weeks: one week's questions moving together widen the interval", () => {
    const independent = items.map((x, i) => ({ ...x, week: `w${i}` }));
    const clustered = items.map((x, i) => ({ ...x, diff: Math.floor(i / 5) % 2 ? 0.02 : -0.02 }));
    const spread = (r: { ci95: [number, number] }) => r.ci95[1] - r.ci95[0];
    const asWeeks = weeklyBootstrap(clustered, 1);
    const asSingles = weeklyBootstrap(
      clustered.map((x, i) => ({ ...x, week: independent[i]?.week ?? "" })),
      1,
    );
    expect(spread(asWeeks)).toBeGreaterThan(spread(asSingles) * 1.5);
  });

  it("puts an interval wholly below zero when the desk is better on every week, and reports an empty sample as such", () => {
    const better = items.map((x) => ({ ...x, diff: -0.02 - Math.abs(x.diff) }));
    expect(weeklyBootstrap(better, 7).ci95[1]).toBeLessThan(0);
    expect(weeklyBootstrap([], 7)).toEqual({ brierDiff: 0, ci95: [0, 0], questions: 0 });
  });
});
