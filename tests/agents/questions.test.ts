import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitQuestionModel, type QuestionSample } from "../../src/agents/questions/fit.ts";
import {
  MAX_ADJUSTMENT,
  priceQuestion,
  type QuestionKey,
  type QuestionModel,
} from "../../src/agents/questions/model.ts";
import { rangeBandPct, volModel } from "../../src/agents/questions/volatility.ts";

const SPLIT = "2023-01-01";
const key = (over: Partial<QuestionKey> = {}): QuestionKey => ({
  kind: "range",
  symbol: "SPY",
  regime: "risk_on",
  horizonHours: 48,
  ...over,
});

/** A deterministic stream of past questions: the positive side comes true with probability base + 0.08·signal. */
function samples(n: number, start: string, base: number, slope: number, seed = 1): QuestionSample[] {
  let s = seed;
  const random = () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
  return Array.from({ length: n }, (_, i) => {
    const madeAt = new Date(Date.parse(`${start}T20:00:00Z`) + i * 86_400_000);
    const signal = random() * 2 - 1;
    return {
      key: key(),
      signal,
      outcome: random() < base + slope * signal ? 1 : 0,
      madeAt,
      decidedAt: new Date(madeAt.getTime() + 86_400_000),
    };
  });
}

describe("question model", () => {
  it("starts at the base rate and never moves further than MAX_ADJUSTMENT, whatever the slope and signal", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: -10, max: 10, noNaN: true }),
        (share, slope, signal) => {
          const model: QuestionModel = {
            split: SPLIT,
            fittedFrom: "2018-01-01",
            baseRates: { "range|SPY": { share, n: 100 } },
            kinds: {
              direction: { slope: 0, n: 0, t: 0, edge: false },
              relative: { slope: 0, n: 0, t: 0, edge: false },
              range: { slope, n: 100, t: 3, edge: true },
              vix: { slope: 0, n: 0, t: 0, edge: false },
            },
          };
          const priced = priceQuestion(model, key(), signal);
          expect(priced?.base).toBe(share);
          expect(Math.abs((priced?.p ?? 0) - share)).toBeLessThanOrEqual(MAX_ADJUSTMENT + 1e-12);
        },
      ),
    );
  });

  it("gives no adjustment to a kind whose slope did not earn its place, and none without a base rate", () => {
    const model = fitQuestionModel(samples(400, "2019-01-01", 0.7, 0), {
      split: SPLIT,
      fittedFrom: "2019-01-01",
    });
    expect(model.kinds.range.edge).toBe(false);
    const priced = priceQuestion(model, key(), 1);
    expect(priced?.adjustment).toBe(0);
    expect(priced?.p).toBeCloseTo(model.baseRates["range|SPY|risk_on|48h"]?.share ?? 0, 12);
    expect(priceQuestion(model, key({ kind: "vix", symbol: "^VIX" }), 1)).toBeNull();
  });

  it("finds a real signal and keeps its slope, and prices the base rate near the sample's own", () => {
    const model = fitQuestionModel(samples(3000, "2014-01-01", 0.7, 0.1), {
      split: SPLIT,
      fittedFrom: "2014-01-01",
    });
    expect(model.kinds.range.edge).toBe(true);
    expect(model.kinds.range.slope).toBeGreaterThan(0.05);
    expect(model.kinds.range.slope).toBeLessThan(0.15);
    expect(model.baseRates["range|SPY|risk_on|48h"]?.share).toBeGreaterThan(0.66);
    expect(model.baseRates["range|SPY|risk_on|48h"]?.share).toBeLessThan(0.74);
  });

  it("shrinks a thin row toward its parent", () => {
    const many = samples(600, "2019-01-01", 0.8, 0);
    const thin = samples(6, "2019-01-01", 0, 0).map((s) => ({
      ...s,
      key: key({ regime: "crisis" }),
      outcome: 0 as const,
    }));
    const model = fitQuestionModel([...many, ...thin], { split: SPLIT, fittedFrom: "2019-01-01" });
    const crisis = model.baseRates["range|SPY|crisis"]?.share ?? 0;
    // Six misses alone would say 0%; thirty pseudo-questions at the parent's ~80% keep it near two-thirds.
    expect(crisis).toBeGreaterThan(0.55);
    expect(crisis).toBeLessThan(0.75);
  });

  it("keeps a row's difference from its parent only as far as it lasted across the fit's two halves", () => {
    const symbols = ["SPY", "QQQ", "IWM", "DIA", "XLF", "XLE"];
    const rows = (rate: (symbol: string, i: number) => number) =>
      symbols.flatMap((symbol, i) =>
        samples(400, "2019-01-01", rate(symbol, i), 0, 11 + i).map((s) => ({ ...s, key: key({ symbol }) })),
      );
    const options = { split: SPLIT, fittedFrom: "2019-01-01" };
    const spread = (model: QuestionModel) => {
      const shares = symbols.map((symbol) => model.baseRates[`range|${symbol}`]?.share ?? 0);
      return Math.max(...shares) - Math.min(...shares);
    };
    // Every symbol truly 75%: what the rows show is noise, so they fold into the kind's rate.
    const noise = fitQuestionModel(
      rows(() => 0.75),
      options,
    );
    expect(spread(noise)).toBeLessThan(0.02);
    // Symbols truly 60% and 90%, in both halves: each row keeps nearly all of its difference.
    const real = fitQuestionModel(
      rows((_, i) => (i % 2 ? 0.9 : 0.6)),
      options,
    );
    expect(spread(real)).toBeGreaterThan(0.25);
    // A difference that reverses between the halves is drift, not a property of the row, even though
    // pooled it would still say the odd symbols run five points higher.
    const drifting = symbols.flatMap((symbol, i) =>
      [
        ...samples(300, "2019-01-01", i % 2 ? 0.9 : 0.6, 0, 31 + i),
        ...samples(300, "2020-06-01", i % 2 ? 0.65 : 0.85, 0, 41 + i),
      ].map((s) => ({ ...s, key: key({ symbol }) })),
    );
    expect(spread(fitQuestionModel(drifting, options))).toBeLessThan(0.02);
  });

  it("ignores every question decided on or after the split: rewriting their outcomes changes nothing", () => {
    const before = samples(800, "2020-06-01", 0.7, 0.1);
    const after = samples(500, "2023-01-01", 0.7, 0.1, 7);
    // One question made before the split but decided after it belongs to the future too.
    const straddling = { ...(before.at(-1) as QuestionSample), decidedAt: new Date("2023-01-03T21:00:00Z") };
    const options = { split: SPLIT, fittedFrom: "2020-06-01" };
    const fitted = fitQuestionModel([...before, straddling, ...after], options);
    const flipped = [straddling, ...after].map((s) => ({
      ...s,
      outcome: (1 - s.outcome) as 0 | 1,
      signal: -s.signal,
    }));
    expect(fitQuestionModel([...before, ...flipped], options)).toEqual(fitted);
    expect(fitQuestionModel(before, options)).toEqual(fitted);
  });
});

describe("volatility model", () => {
  /** Closes alternating ±step% (so each return is about that size), from 100. */
  const zigzag = (n: number, stepPct: number, from = 100) =>
    Array.from({ length: n }, (_, i) => from * (1 + (i % 2 ? stepPct : -stepPct) / 100));

  it("blends the last month's volatility with the year's, and sizes the band over two sessions from it", () => {
    const year = zigzag(200, 0.5);
    const wild = zigzag(20, 2, year.at(-1));
    const model = volModel([...year, ...wild]);
    if (!model) throw new Error("expected a model");
    expect(model.shortPct).toBeGreaterThan(model.longPct);
    expect(model.blendPct).toBeGreaterThan(model.longPct);
    expect(model.blendPct).toBeLessThan(model.shortPct);
    expect(model.blendPct).toBeCloseTo(Math.sqrt((model.shortPct ** 2 + model.longPct ** 2) / 2), 12);
    expect(rangeBandPct(model, "SPY", 48)).toBe(Math.round(model.blendPct * Math.SQRT2 * 10) / 10);
    // A day of crypto is one session.
    expect(rangeBandPct(model, "BTC-USD", 24)).toBe(Math.round(model.blendPct * 10) / 10);
    expect(volModel(year.slice(0, 20))).toBeNull();
  });
});
