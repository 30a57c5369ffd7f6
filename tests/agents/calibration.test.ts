import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { calibrate, MODEST_CAP } from "../../src/agents/calibration.ts";
import { mindWeights, WINDOW_DAYS } from "../../src/agents/record.ts";
import { MIN_CALL_PROBABILITY } from "../../src/agents/synthesis.ts";
import { type Direction, MIND_NAMES, type MindName, type RecordRow } from "../../src/agents/types.ts";
import { recordRows } from "./fixtures.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2018, 0, 2);
/** A call the desk would make if calibration let it: a confident raw number. */
const RAW = 0.62;

function row(mind: MindName, direction: Direction, outcome: 0 | 1, day: number): RecordRow {
  return {
    mind,
    regime: "choppy",
    symbol: "SPY",
    direction,
    horizonHours: 48,
    probability: 0.55,
    outcome,
    resolvedAt: new Date(T0 + day * DAY),
  };
}

describe("calibration", () => {
  it("caps a thin record at the modest ceiling and never states more than the raw number", () => {
    expect(calibrate(0.75, recordRows(5, 5, 0.7)).probability).toBe(MODEST_CAP);
    expect(calibrate(0.55, []).probability).toBe(0.55);
  });

  it("pulls a confident number down to the recent earned hit rate, on the outcome scale", () => {
    // 25 of 40 right within a month: the rate earned sits near 62%, shrunk toward 56%.
    const cal = calibrate(0.75, recordRows(40, 25, 0.7));
    expect(cal.probability).toBeGreaterThan(0.59);
    expect(cal.probability).toBeLessThan(0.62);
    // The same verdicts at any stated probability earn the same: one scale, outcomes only.
    expect(calibrate(0.75, recordRows(40, 25, 0.9)).probability).toBe(cal.probability);
  });

  it("forgets verdicts older than the window: the side is unproven again, not condemned", () => {
    const bad = Array.from({ length: 20 }, (_, i) => row("flow", "down", i < 8 ? 1 : 0, i));
    const soon = calibrate(RAW, bad, { direction: "down", mind: "flow", at: new Date(T0 + 25 * DAY) });
    expect(soon.probability).toBeLessThan(MIN_CALL_PROBABILITY);
    const later = calibrate(RAW, bad, {
      direction: "down",
      mind: "flow",
      at: new Date(T0 + (20 + WINDOW_DAYS) * DAY),
    });
    expect(later.probability).toBe(MODEST_CAP);
    expect(later.basis).toMatch(/no Flow-led down calls resolved/);
  });

  /**
   * The property behind "no down call after 2018": whatever a bad streak did to a side and its lead
   * mind, and whatever the rest of the desk's record does meanwhile, the side is callable again
   * once time passes, with or without new evidence on it, and good evidence brings it back too.
   */
  it("shuts no side or mind out for good, whatever the verdict stream (property)", () => {
    const verdict = fc.record({
      mind: fc.constantFrom(...MIND_NAMES),
      direction: fc.constantFrom<Direction>("up", "down"),
      outcome: fc.constantFrom<0 | 1>(0, 1),
      gapDays: fc.double({ min: 0, max: 4, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...MIND_NAMES),
        fc.constantFrom<Direction>("up", "down"),
        fc.integer({ min: 1, max: 120 }),
        fc.array(verdict, { maxLength: 150 }),
        fc.array(verdict, { maxLength: 150 }),
        fc.boolean(),
        (mind, side, streak, before, after, evidence) => {
          const record: RecordRow[] = [];
          let day = 0;
          const push = (v: { mind: MindName; direction: Direction; outcome: 0 | 1; gapDays: number }) => {
            day += v.gapDays;
            record.push(row(v.mind, v.direction, v.outcome, day));
          };
          for (const v of before) push(v);
          // The adversary: every call on the target side and mind wrong, one a day.
          for (let i = 0; i < streak; i++) push({ mind, direction: side, outcome: 0, gapDays: 1 });
          const streakEnd = day;
          const scope = { direction: side, mind };
          const callable = () =>
            calibrate(RAW, record, { ...scope, at: new Date(T0 + day * DAY) }).probability >=
            MIN_CALL_PROBABILITY;
          // The rest of the desk goes on (other scopes only), while the target side is called
          // only when calibration allows it and, with `evidence`, is then right.
          for (const v of after) {
            if (v.mind === mind && v.direction === side) continue;
            push(v);
            if (evidence && callable()) push({ mind, direction: side, outcome: 1, gapDays: 0 });
          }
          day = Math.max(day, streakEnd + WINDOW_DAYS);
          expect(callable()).toBe(true);
          // The mind's weight in the debate never reaches zero either.
          for (const w of Object.values(mindWeights(record, "choppy", new Date(T0 + day * DAY)))) {
            expect(w).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("brings a side back on good evidence before the window runs out", () => {
    const record = Array.from({ length: 30 }, (_, i) => row("macro", "down", 0, i / 10));
    const at = (d: number) => ({
      direction: "down" as const,
      mind: "macro" as const,
      at: new Date(T0 + d * DAY),
    });
    expect(calibrate(RAW, record, at(3)).probability).toBeLessThan(MIN_CALL_PROBABILITY);
    // Right, one a day (as shadow stances or calls): the decayed misses are outweighed.
    let day = 3;
    while (calibrate(RAW, record, at(day)).probability < MIN_CALL_PROBABILITY) {
      day += 1;
      record.push(row("macro", "down", 1, day));
    }
    expect(day).toBeLessThan(3 + WINDOW_DAYS);
  });
});
