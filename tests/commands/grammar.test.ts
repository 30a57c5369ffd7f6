import { describe, expect, it } from "vitest";
import { type GrammarOptions, parseCallText } from "../../src/commands/grammar.ts";

// Wednesday 2026-04-01, 10:00 in New York (EDT): Friday's close is 2026-04-03T20:00Z.
const NOW = new Date("2026-04-01T14:00:00Z");
const MADE_AT = NOW.toISOString();
const options: GrammarOptions = { now: NOW, defaultProbability: 0.6 };

function parse(text: string, extra: Partial<GrammarOptions> = {}) {
  return parseCallText(text, { ...options, ...extra });
}

describe("parseCallText accepts", () => {
  const friday = "2026-04-03T20:00:00.000Z";
  const qqqDown = {
    kind: "direction",
    symbol: "QQQ",
    direction: "down",
    horizonHours: 48,
    probability: 0.65,
  };
  const spyBelow = { kind: "threshold", symbol: "SPY", comparator: "below", level: 650, probability: 0.7 };
  const nvdaHolds = { kind: "hold", symbol: "NVDA", comparator: "above", level: 176, horizonHours: 24 };
  const spyTouches = { kind: "touch", symbol: "SPY", comparator: "above", level: 700, horizonHours: 120 };
  const qqqVsIwm = {
    kind: "relative",
    symbol: "QQQ",
    versus: "IWM",
    direction: "outperform",
    horizonHours: 24,
  };
  // Expected calls without madeAt, which is always NOW here; probability 0.6 is the default.
  const cases: [string, Record<string, unknown>, Partial<GrammarOptions>?][] = [
    ["QQQ down 48h 65%", qqqDown],
    ["qqq DOWN 48H 65%", qqqDown],
    ["QQQ 65% down 48h", qqqDown],
    ["QQQ lower in 48h 65 %", qqqDown],
    ["QQQ falls 36h .65", { ...qqqDown, horizonHours: 36 }],
    ["QQQ down by eod 0.65", { ...qqqDown, horizonHours: undefined, deadline: "2026-04-01T20:00:00.000Z" }],
    [
      "QQQ down by 2026-04-10T18:30:00+02:00 65%",
      { ...qqqDown, horizonHours: undefined, deadline: "2026-04-10T16:30:00.000Z" },
    ],
    ["QQQ down 48h 65% -- Fed at 2pm -- Powell too", { ...qqqDown, note: "Fed at 2pm -- Powell too" }],
    ["QQQ down 48h 65% --", qqqDown],
    [
      "BTC up 3d",
      { kind: "direction", symbol: "BTC-USD", direction: "up", horizonHours: 72, probability: 0.6 },
    ],
    [
      "eth higher 1w 0.55",
      { kind: "direction", symbol: "ETH-USD", direction: "up", horizonHours: 168, probability: 0.55 },
    ],
    [
      "BRK.B rises 2d 99%",
      { kind: "direction", symbol: "BRK.B", direction: "up", horizonHours: 48, probability: 0.99 },
    ],
    ["SPY below 650 by friday 70%", { ...spyBelow, deadline: friday }],
    [
      "SPY closes above 650.5 by fri 0.7",
      { ...spyBelow, comparator: "above", level: 650.5, deadline: friday },
    ],
    [
      "^vix above 30 by tomorrow",
      {
        ...spyBelow,
        symbol: "^VIX",
        comparator: "above",
        level: 30,
        probability: 0.6,
        deadline: "2026-04-02T20:00:00.000Z",
      },
    ],
    [
      "SPY below $6,500 by 2026-12-31 70% flat 0.5%",
      { ...spyBelow, level: 6500, deadline: "2026-12-31T21:00:00.000Z", flatBandPct: 0.5 },
    ],
    ["NVDA holds above 176 24h", { ...nvdaHolds, probability: 0.6 }],
    [
      "NVDA stays below 150 for 2d 80%",
      { ...nvdaHolds, comparator: "below", level: 150, horizonHours: 48, probability: 0.8 },
    ],
    ["SPY touches above 700 within 5d 55%", { ...spyTouches, probability: 0.55 }],
    [
      "SPY hits below 600 in 1w 60%",
      { ...spyTouches, comparator: "below", level: 600, horizonHours: 168, probability: 0.6 },
    ],
    ["SPY touches 700 within 5d 55%", { ...spyTouches, probability: 0.55 }, { referencePrice: 650 }],
    [
      "SPY reaches 600 within 5d 55%",
      { ...spyTouches, comparator: "below", level: 600, probability: 0.55 },
      { referencePrice: 650 },
    ],
    ["QQQ outperforms IWM 24h 60%", { ...qqqVsIwm, probability: 0.6 }],
    [
      "qqq lags spy over 2d 75%",
      { ...qqqVsIwm, versus: "SPY", direction: "underperform", horizonHours: 48, probability: 0.75 },
    ],
    [
      "ETH beats BTC 1w",
      { ...qqqVsIwm, symbol: "ETH-USD", versus: "BTC-USD", horizonHours: 168, probability: 0.6 },
    ],
    // Phrasings people type (issue #17): each was refused before.
    [
      "SPY closes higher in 24h",
      { ...qqqDown, symbol: "SPY", direction: "up", horizonHours: 24, probability: 0.6 },
    ],
    ["SPY closes lower 2 days 70%", { ...qqqDown, symbol: "SPY", probability: 0.7 }],
    [
      "TSLA lower tomorrow",
      {
        ...qqqDown,
        symbol: "TSLA",
        horizonHours: undefined,
        deadline: "2026-04-02T20:00:00.000Z",
        probability: 0.6,
      },
    ],
    ["SPY up 24 hours", { ...qqqDown, symbol: "SPY", direction: "up", horizonHours: 24, probability: 0.6 }],
    ["QQQ down in 2 days 65%", qqqDown],
    ["QQQ down 1 week 65%", { ...qqqDown, horizonHours: 168 }],
    ["QQQ down 48hours 65%", qqqDown],
    ["NVDA hold above 176 24h", { ...nvdaHolds, probability: 0.6 }],
    ["$SPY up 24h", { ...qqqDown, symbol: "SPY", direction: "up", horizonHours: 24, probability: 0.6 }],
    [
      "$eth beats $btc 1w",
      { ...qqqVsIwm, symbol: "ETH-USD", versus: "BTC-USD", horizonHours: 168, probability: 0.6 },
    ],
    [
      "BTC touches 100k within 5d 55%",
      { ...spyTouches, symbol: "BTC-USD", level: 100_000, probability: 0.55 },
      { referencePrice: 90_000 },
    ],
    [
      "BTC touches 100k 5d",
      { ...spyTouches, symbol: "BTC-USD", level: 100_000, probability: 0.6 },
      { referencePrice: 90_000 },
    ],
    ["SPY below 1.1k 2d", { ...spyBelow, level: 1100, horizonHours: 48, probability: 0.6 }],
    [
      "BRK.A above $1.5m 1w",
      {
        ...spyBelow,
        symbol: "BRK.A",
        comparator: "above",
        level: 1_500_000,
        horizonHours: 168,
        probability: 0.6,
      },
    ],
  ];

  it.each(cases)("%s", (text, expected, extra) => {
    expect(parse(text, extra)).toEqual({ ok: true, call: { ...expected, madeAt: MADE_AT } });
  });

  it("reads weekdays and days from the caller's calendar, always ending at the New York close", () => {
    const fridayMorning = new Date("2026-04-03T14:00:00Z");
    const fridayEvening = new Date("2026-04-03T21:00:00Z");
    expect(deadline("SPY up by friday", { now: fridayMorning })).toBe("2026-04-03T20:00:00.000Z");
    expect(deadline("SPY up by friday", { now: fridayEvening })).toBe("2026-04-10T20:00:00.000Z");
    // Wednesday 22:00 in New York is already Thursday 11:00 in Tokyo.
    const lateWednesday = new Date("2026-04-02T02:00:00Z");
    expect(deadline("SPY up by tomorrow", { now: lateWednesday })).toBe("2026-04-02T20:00:00.000Z");
    expect(deadline("SPY up by tomorrow", { now: lateWednesday, timezone: "Asia/Tokyo" })).toBe(
      "2026-04-03T20:00:00.000Z",
    );
    // Winter: the close is 21:00Z.
    expect(deadline("SPY up by 2027-01-08")).toBe("2027-01-08T21:00:00.000Z");
  });
});

function deadline(text: string, extra: Partial<GrammarOptions> = {}): string | undefined {
  const result = parse(text, extra);
  return result.ok ? result.call.deadline : result.error;
}

describe("parseCallText rejects, saying what is wrong and showing a valid example", () => {
  const direction = "Example: QQQ down 48h 65%";
  const threshold = "Example: SPY below 650 by friday 70%";
  const cases: [string, string, string, Partial<GrammarOptions>?][] = [
    ["", "the call is empty", direction],
    ["up 48h", 'start with the ticker: "up" is not a ticker', direction],
    ["QQQ up down 48h", '"up" and "down" contradict each other', direction],
    ["SPY above 650 below 600 2d", 'one claim per call: found both "above" and "below"', threshold],
    ["QQQ down 48h 65% 70%", "one probability per call: found both 65% and 70%", direction],
    ["QQQ down 48h 2d", 'one horizon per call: found both "48h" and "2d"', direction],
    ["QQQ down 65%", "the horizon is missing", direction],
    ["SPY below 650 70%", "the horizon is missing", threshold],
    ["QQQ 48h 65%", "say what QQQ will do", direction],
    ["QQQ down 48h maybe", 'unknown word "maybe"', direction],
    ["QQQ down 48h 120%", "probability 120% is too high: give 50% to 99%", direction],
    ["QQQ down 48h 40%", "probability 40% is below 50%: make the opposite call at 60%", direction],
    ["QQQ down 48h 1", "probability 1 is too high", direction],
    [
      "QQQ down by 2026-03-01",
      'the deadline "by 2026-03-01" (Sun 2026-03-01 16:00 New York) has already passed',
      direction,
    ],
    [
      "QQQ down by eod",
      'the deadline "by eod" (Wed 2026-04-01 16:00 New York) has already passed',
      direction,
      { now: new Date("2026-04-01T21:00:00Z") },
    ],
    ["QQQ down by someday", '"by someday" is not a deadline', direction],
    ["QQQ down by 2026-02-30", '"2026-02-30" is not a calendar date', direction],
    ["QQQ down by 2026-04-10T18:30", '"2026-04-10t18:30" is not a time', direction],
    ["SPY below 650 by next friday", '"by next ..." is ambiguous', threshold],
    ["QQQ down 3m", 'unknown horizon unit in "3m": use h, d or w', direction],
    ["QQQ down 0h", 'the horizon "0h" must be longer than zero', direction],
    ["QQQ down 400d", 'the horizon "400d" is longer than 366 days', direction],
    ["SPY below 48h", '"48h" after "below" is not a positive price level', threshold],
    ["SPY below 0 48h", '"0" after "below" is not a positive price level', threshold],
    ["SPY below 650 24h 650", '"650" is a number without a meaning', threshold],
    [
      "NVDA holds 176 24h",
      'after "holds" write "above" or "below", not "176"',
      "Example: NVDA holds above 176 24h",
    ],
    [
      "SPY touches 700 5d",
      '"touches 700" is ambiguous without today\'s price',
      "Example: SPY touches above 700 within 5d 55%",
    ],
    [
      "QQQ outperforms 24h",
      'after "outperforms" give a ticker: "24h" is not a ticker',
      "Example: QQQ outperforms IWM 24h 60%",
    ],
    ["QQQ outperforms qqq 24h", "QQQ cannot outperform itself", "Example: QQQ outperforms IWM 24h 60%"],
    ["SPY below", 'expected a price level after "below" at the end', threshold],
    ["QQQ down 48h flat 30%", "flatBandPct:", direction],
    ["QQQ down 48h flat wide", '"flat wide" is not a flat band', direction],
    [`QQQ down 48h -- ${"x".repeat(281)}`, "note:", direction],
    // "closes" alone is neither a direction nor a level: the error names all four ways on.
    ["SPY closes 24h", 'after "closes" write "higher", "lower", "above" or "below", not "24h"', threshold],
    ["SPY closes", 'expected "higher", "lower", "above" or "below" after "closes" at the end', threshold],
    ["SPY closes higher", "the horizon is missing", direction],
    ["QQQ down 24 minutes", '"24" is a number without a meaning', direction],
    ["QQQ down 3m", 'unknown horizon unit in "3m"', direction],
    [
      "SPY below 650 tomorrow by friday",
      'one horizon per call: found both "tomorrow" and "by friday"',
      threshold,
    ],
    ["$650 up 24h", 'start with the ticker: "$650" is not a ticker', direction],
    ["SPY below 10x 2d", '"10x" after "below" is not a positive price level', threshold],
  ];

  it.each(cases)("%s", (text, problem, example, extra) => {
    const result = parse(text, extra);
    expect(result.ok).toBe(false);
    const error = result.ok ? "" : result.error;
    expect(error).toContain(problem);
    expect(error.endsWith(example)).toBe(true);
  });

  it("uses the schema to refuse a default probability outside the allowed range", () => {
    expect(parse("QQQ down 48h", { defaultProbability: 0.3 })).toMatchObject({
      ok: false,
      error: expect.stringContaining("probability: probability must be at least 0.5"),
    });
  });
});
