import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  baselineScore,
  brier,
  brierSkillVsCoinFlip,
  calibrationBuckets,
  expectedCalibrationError,
  peerScore,
  type ScoredForecast,
} from "../../src/domain/scoring.ts";

const probability = fc.double({ min: 0.5, max: 0.99, noNaN: true });
// Beliefs a forecaster could state honestly but that are clearly short of certainty.
const belief = fc.double({ min: 0.5, max: 0.95, noNaN: true });

/** Expected score of reporting p when the call is right with probability q. */
const expected = (score: (p: number, o: 0 | 1) => number, p: number, q: number) =>
  q * score(p, 1) + (1 - q) * score(p, 0);

describe("scoring rules are proper", () => {
  it("Brier: reporting your true belief never scores worse in expectation", () => {
    fc.assert(
      fc.property(probability, probability, (report, truth) => {
        expect(expected(brier, truth, truth)).toBeLessThanOrEqual(expected(brier, report, truth) + 1e-12);
      }),
    );
  });

  it("baseline (log) score: reporting your true belief never scores worse in expectation", () => {
    fc.assert(
      fc.property(probability, probability, (report, truth) => {
        expect(expected(baselineScore, truth, truth)).toBeGreaterThanOrEqual(
          expected(baselineScore, report, truth) - 1e-9,
        );
      }),
    );
  });

  it("an honest forecaster beats one who always shades toward certainty", () => {
    fc.assert(
      fc.property(belief, (q) => {
        expect(expected(baselineScore, q, q)).toBeGreaterThan(expected(baselineScore, 0.99, q));
      }),
    );
  });
});

describe("score values", () => {
  it("gives the documented anchors", () => {
    expect(brier(0.62, 1)).toBeCloseTo(0.1444, 6);
    expect(brier(0.62, 0)).toBeCloseTo(0.3844, 6);
    expect(baselineScore(0.5, 1)).toBeCloseTo(0, 9);
    expect(baselineScore(0.5, 0)).toBeCloseTo(0, 9);
    expect(baselineScore(0.75, 1)).toBeCloseTo(100 * (Math.log2(0.75) + 1), 9);
    expect(baselineScore(0.75, 0)).toBeCloseTo(-100, 9);
  });

  it("peer score rewards the member who weighted the outcome more than the desk", () => {
    expect(peerScore(0.7, 0.6)).toBeCloseTo(100 * Math.log(0.7 / 0.6), 9);
    expect(peerScore(0.4, 0.6)).toBeLessThan(0);
    expect(peerScore(0.6, 0.6)).toBe(0);
  });
});

describe("aggregates", () => {
  const forecasts: ScoredForecast[] = [
    { p: 0.55, outcome: 1 },
    { p: 0.58, outcome: 0 },
    { p: 0.65, outcome: 1 },
    { p: 0.9, outcome: 1 },
    { p: 0.99, outcome: 0 },
    { p: 1.0, outcome: 1 },
  ];

  it("buckets by stated probability, the top bucket including 1.0", () => {
    const buckets = calibrationBuckets(forecasts);
    expect(buckets.map((b) => b.count)).toEqual([2, 1, 0, 0, 3]);
    expect(buckets[0]?.hitRate).toBe(0.5);
    expect(buckets[4]?.meanP).toBeCloseTo((0.9 + 0.99 + 1) / 3, 9);
    expect(buckets[2]?.hitRate).toBeNull();
  });

  it("expected calibration error is zero for a perfectly calibrated record and grows with overconfidence", () => {
    const calibrated: ScoredForecast[] = [
      { p: 0.5, outcome: 1 },
      { p: 0.5, outcome: 0 },
      { p: 0.75, outcome: 1 },
      { p: 0.75, outcome: 1 },
      { p: 0.75, outcome: 1 },
      { p: 0.75, outcome: 0 },
    ];
    expect(expectedCalibrationError(calibrated)).toBeCloseTo(0, 9);
    const overconfident = calibrated.map((f) => ({ ...f, p: 0.95 }));
    expect(expectedCalibrationError(overconfident)).toBeCloseTo(0.95 - 4 / 6, 9);
    expect(expectedCalibrationError([])).toBeNull();
  });

  it("Brier skill vs a coin flip is positive only when the record beats 0.25", () => {
    expect(brierSkillVsCoinFlip([{ p: 0.8, outcome: 1 }])).toBeCloseTo(1 - 0.04 / 0.25, 9);
    expect(brierSkillVsCoinFlip([{ p: 0.8, outcome: 0 }])).toBeLessThan(0);
    expect(brierSkillVsCoinFlip([])).toBeNull();
  });
});
