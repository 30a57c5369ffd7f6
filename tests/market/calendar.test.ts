import { describe, expect, it } from "vitest";
import {
  closureName,
  isMarketOpen,
  isTradingDay,
  lastClosedSession,
  nextTradingDay,
  previousTradingDay,
  sessionOf,
  tradingDays,
} from "../../src/market/calendar.ts";

describe("NYSE calendar", () => {
  it("knows the 2026 holidays, including observed ones", () => {
    expect(closureName("2026-04-03")).toBe("Good Friday");
    expect(closureName("2026-07-03")).toBe("Independence Day"); // July 4 is a Saturday
    expect(closureName("2026-11-26")).toBe("Thanksgiving Day");
    expect(isTradingDay("2026-06-19")).toBe(false);
    expect(isTradingDay("2026-04-02")).toBe(true);
    expect(isTradingDay("2026-04-04")).toBe(false); // Saturday
  });

  it("steps over weekends and holidays", () => {
    expect(nextTradingDay("2026-04-02")).toBe("2026-04-06");
    expect(previousTradingDay("2026-04-06")).toBe("2026-04-02");
    expect(tradingDays("2026-03-30", "2026-04-07")).toEqual([
      "2026-03-30",
      "2026-03-31",
      "2026-04-01",
      "2026-04-02",
      "2026-04-06",
      "2026-04-07",
    ]);
  });

  it("places the session in New York time across daylight saving", () => {
    expect(sessionOf("2026-01-05").open.toISOString()).toBe("2026-01-05T14:30:00.000Z");
    expect(sessionOf("2026-04-01").open.toISOString()).toBe("2026-04-01T13:30:00.000Z");
    expect(isMarketOpen(new Date("2026-04-01T13:00:00Z"))).toBe(false);
    expect(isMarketOpen(new Date("2026-04-01T13:30:00Z"))).toBe(true);
    expect(isMarketOpen(new Date("2026-04-01T20:00:00Z"))).toBe(false);
    expect(isMarketOpen(new Date("2026-04-03T15:00:00Z"))).toBe(false);
  });

  it("names the last session whose close has passed", () => {
    expect(lastClosedSession(new Date("2026-04-01T13:00:00Z"))).toBe("2026-03-31");
    expect(lastClosedSession(new Date("2026-04-01T20:00:00Z"))).toBe("2026-04-01");
    expect(lastClosedSession(new Date("2026-04-05T12:00:00Z"))).toBe("2026-04-02");
  });
});
