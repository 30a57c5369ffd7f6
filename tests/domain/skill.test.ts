import { describe, expect, it } from "vitest";
import { baseRateOf, horizonBucketOf } from "../../src/domain/base-rate.ts";
import { baselineScore } from "../../src/domain/scoring.ts";
import {
  ALWAYS_UP_P,
  alwaysUpOnDeskSide,
  callSkill,
  isUpSide,
  meanInterval,
  median,
  momentsOf,
  SHRINK_K,
  shrunkMean,
  skillStats,
  tQuantile975,
} from "../../src/domain/skill.ts";
import { verdictOf } from "../../src/resolution/leaderboard.ts";

/** `right` calls at p that came true and `wrong` that did not, as baseline scores. */
const calls = (p: number, right: number, wrong: number) => [
  ...Array.from({ length: right }, () => baselineScore(p, 1)),
  ...Array.from({ length: wrong }, () => baselineScore(p, 0)),
];

describe("leaderboard skill", () => {
  it("works the README example: 500 calls at 0.55 hitting 56% against 5 at 0.80 all right", () => {
    const a = skillStats(momentsOf(calls(0.55, 280, 220)));
    const b = skillStats(momentsOf(calls(0.8, 5, 0)));
    expect(a.mean).toBeCloseTo(1.01, 2);
    expect(a.shrunk).toBeCloseTo(0.99, 2);
    expect(a.interval?.low).toBeCloseTo(-0.252, 3);
    expect(a.interval?.high).toBeCloseTo(2.276, 3);
    expect(b.mean).toBeCloseTo(67.81, 2);
    expect(b.shrunk).toBeCloseTo(22.6, 1);
    expect(b.shrunk).toBeGreaterThan(a.shrunk);
  });

  it("never lets volume alone climb: a record ×100 at the same mean stays below a higher mean with enough calls", () => {
    const steady = momentsOf(calls(0.8, 27, 3));
    for (const copies of [1, 10, 100, 10_000]) {
      const copied = momentsOf(Array.from({ length: copies }, () => calls(0.7, 7, 3)).flat());
      expect(shrunkMean(copied)).toBeLessThan(shrunkMean(steady));
      expect(shrunkMean(copied)).toBeLessThan(copied.sum / copied.n); // shrinkage only ever pulls in
    }
    expect(SHRINK_K).toBe(10);
  });

  it("uses Student's t for the interval and gives none under two calls", () => {
    expect(tQuantile975(4)).toBe(2.776);
    expect(tQuantile975(1000)).toBeCloseTo(1.9623, 3);
    expect(tQuantile975(60)).toBeCloseTo(2.0003, 3);
    expect(meanInterval(momentsOf([10]))).toBeNull();
    const i = meanInterval(momentsOf([10, 20, 30]));
    expect(i?.low).toBeCloseTo(20 - 4.303 * (10 / Math.sqrt(3)), 3);
  });

  it("says in words when an interval cannot tell a member from the desk or a coin flip", () => {
    const wide = { n: 10, mean: 2, interval: { low: -5, high: 9 } };
    const clear = { n: 10, mean: 20, interval: { low: 5, high: 35 } };
    expect(verdictOf(wide, wide)).toBe(
      "cannot be told apart from the desk; indistinguishable from a coin flip",
    );
    expect(verdictOf(clear, clear)).toBe("beats the desk; better than a coin flip");
    expect(verdictOf(null, { n: 1, mean: 3, interval: null })).toBe("too few calls to tell from a coin flip");
  });

  it("puts every call on one scale: peer score against the desk, else against a coin flip", () => {
    expect(callSkill(50, 12)).toBe(12);
    expect(callSkill(baselineScore(0.8, 1), null)).toBeCloseTo(100 * Math.log(0.8 / 0.5), 9);
    expect(median([0.8, 0.3, 0.6])).toBe(0.6);
    expect(median([0.8, 0.6])).toBeCloseTo(0.7, 12);
    expect(median([])).toBeNull();
  });

  it("gives always up its fixed probability on the up side only", () => {
    expect(isUpSide({ kind: "direction", direction: "down", comparator: null })).toBe(false);
    expect(isUpSide({ kind: "threshold", direction: null, comparator: "above" })).toBe(true);
    expect(isUpSide({ kind: "relative", direction: "outperform", comparator: null })).toBe(true);
    expect(alwaysUpOnDeskSide(true)).toBe(ALWAYS_UP_P);
    expect(alwaysUpOnDeskSide(false)).toBeCloseTo(1 - ALWAYS_UP_P, 12);
    expect(alwaysUpOnDeskSide(null)).toBeNull();
  });

  it("counts a base rate the way the call says, across sides, with no history as null", () => {
    const down = { kind: "direction", direction: "down", comparator: null };
    const past = [
      { kind: "direction", direction: "down", comparator: null, outcome: 1 as const, count: 3 },
      { kind: "direction", direction: "up", comparator: null, outcome: 1 as const, count: 1 },
      { kind: "direction", direction: "up", comparator: null, outcome: 0 as const, count: 4 },
    ];
    expect(baseRateOf(down, past, "2–4 days")).toEqual({ share: 7 / 8, n: 8, bucket: "2–4 days" });
    expect(baseRateOf(down, [], "2–4 days")).toBeNull();
    expect(horizonBucketOf(new Date("2026-04-14T21:00:00Z"), new Date("2026-04-16T21:00:00Z")).label).toBe(
      "2–4 days",
    );
  });
});
