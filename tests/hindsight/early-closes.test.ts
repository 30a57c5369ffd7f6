import { describe, expect, it } from "vitest";
import type { Bar } from "../../src/domain/bars.ts";
import { barCloseTime } from "../../src/domain/bars.ts";
import { callSpecSchema } from "../../src/domain/call.ts";
import { resolveCall } from "../../src/domain/resolution.ts";
import { isMarketOpen, lastClosedSession, sessionOf } from "../../src/market/calendar.ts";

/** Issue #15, problem 4: NYSE's 13:00 closes. */
const EARLY = [
  // Day after Thanksgiving, every year.
  "2000-11-24",
  "2008-11-28",
  "2019-11-29",
  "2025-11-28",
  "2030-11-29",
  // Christmas Eve on a Monday to Thursday.
  "2001-12-24",
  "2018-12-24",
  "2025-12-24",
  "2026-12-24",
  // The day before Independence Day (July 3 on a Monday, Tuesday, Wednesday from 2013, Thursday).
  "2012-07-03",
  "2013-07-03",
  "2019-07-03",
  "2025-07-03",
  // One-offs: Friday after July 4 in 2002, the day after Christmas 2003.
  "2002-07-05",
  "2003-12-26",
];
const FULL = [
  "2025-11-26", // Wednesday before Thanksgiving
  "2002-07-03", // a Wednesday before 2013: full day
  "2016-07-01", // July 4 on a Monday: the Friday before is a full day
  "2021-07-02", // July 4 on a Sunday (observed Monday): full day
  "2014-12-26",
  "2025-12-26",
  "2024-07-05", // Friday after a Thursday July 4 from 2013: full day
];

describe("NYSE early closes", () => {
  it.each(EARLY)("%s closes at 13:00 New York", (date) => {
    const close = sessionOf(date).close;
    expect(close.toLocaleString("en-US", { timeZone: "America/New_York", hour12: false })).toMatch(
      /, 13:00:00$/,
    );
    expect(barCloseTime(date, "us_equity").getTime()).toBe(close.getTime());
  });

  it.each(FULL)("%s is a full session to 16:00", (date) => {
    expect(
      sessionOf(date).close.toLocaleString("en-US", { timeZone: "America/New_York", hour12: false }),
    ).toMatch(/, 16:00:00$/);
  });

  it("the market is shut at 14:00 on 2025-11-28 and that day's close is already the last one", () => {
    const two = new Date("2025-11-28T19:00:00Z"); // 14:00 New York
    expect(isMarketOpen(two)).toBe(false);
    expect(lastClosedSession(two)).toBe("2025-11-28");
  });

  const SPY: Bar[] = [
    { date: "2025-11-26", close: 679.68, high: 681, low: 675 },
    { date: "2025-11-28", close: 683.39, high: 684, low: 679 },
    { date: "2025-12-01", close: 680.27, high: 682, low: 677 },
  ];

  it("a call made at 14:00 on 2025-11-28 enters at that day's 13:00 close, not Wednesday's", () => {
    const call = callSpecSchema.parse({
      kind: "direction",
      direction: "up",
      symbol: "SPY",
      probability: 0.6,
      madeAt: "2025-11-28T19:00:00Z",
      horizonHours: 96,
    });
    const result = resolveCall({ call, bars: { SPY }, dataThrough: new Date("2025-12-03T00:00:00Z") });
    expect(result).toMatchObject({ entry: 683.39, exit: 680.27 });
  });

  it("a call whose deadline is 14:00 on 2025-11-28 is decided by that day's 13:00 close, not voided", () => {
    const call = callSpecSchema.parse({
      kind: "direction",
      direction: "up",
      symbol: "SPY",
      probability: 0.6,
      madeAt: "2025-11-26T22:00:00Z",
      deadline: "2025-11-28T19:00:00Z",
    });
    const result = resolveCall({ call, bars: { SPY }, dataThrough: new Date("2025-12-03T00:00:00Z") });
    expect(result).toMatchObject({ status: "right", entry: 679.68, exit: 683.39, exitDate: "2025-11-28" });
  });
});
