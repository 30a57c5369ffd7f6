import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatCallText } from "../../src/commands/format-call.ts";
import { parseCallText } from "../../src/commands/grammar.ts";
import { KEYWORDS } from "../../src/commands/grammar-words.ts";
import { type CallSpec, callSpecSchema } from "../../src/domain/call.ts";

describe("text and call JSON agree", () => {
  const plainTicker = fc
    .stringMatching(/^[A-Z]{1,5}$/)
    .filter((t) => !KEYWORDS.has(t.toLowerCase()) && t !== "BTC" && t !== "ETH");
  const ticker = fc.oneof(plainTicker, fc.constantFrom("BRK.B", "BTC-USD", "^VIX", "ETH-USD"));
  const level = fc.double({ min: 0.01, max: 1e6, noNaN: true });
  const comparator = fc.constantFrom("above" as const, "below" as const);
  const claim = fc.oneof(
    fc.record({
      kind: fc.constant("direction" as const),
      direction: fc.constantFrom("up" as const, "down" as const),
    }),
    fc.record({
      kind: fc.constantFrom("threshold" as const, "touch" as const, "hold" as const),
      comparator,
      level,
    }),
    fc.record({
      kind: fc.constant("relative" as const),
      versus: ticker,
      direction: fc.constantFrom("outperform" as const, "underperform" as const),
    }),
    fc.record({
      kind: fc.constant("range" as const),
      direction: fc.constantFrom("inside" as const, "outside" as const),
      level: fc.integer({ min: 1, max: 5000 }).map((b) => b / 100),
    }),
  );
  const madeAt = fc.date({
    min: new Date("2020-01-01T00:00:00Z"),
    max: new Date("2030-01-01T00:00:00Z"),
    noInvalidDate: true,
  });
  const spec = fc
    .record({
      claim,
      symbol: ticker,
      madeAt,
      horizon: fc.oneof(
        fc.record({ hours: fc.integer({ min: 1, max: 24 * 366 }) }),
        fc.record({ afterMs: fc.integer({ min: 1, max: 366 * 24 * 3_600_000 }) }),
      ),
      probability: fc.oneof(
        fc.double({ min: 0.5, max: 0.99, noNaN: true }),
        fc.integer({ min: 50, max: 99 }).map((p) => p / 100),
      ),
      flatBandPct: fc.option(
        fc.integer({ min: 0, max: 2000 }).map((b) => b / 100),
        { nil: undefined },
      ),
      note: fc.option(
        fc
          .string({ unit: "grapheme", minLength: 1, maxLength: 60 })
          .map((n) => n.trim())
          .filter((n) => n !== ""),
        { nil: undefined },
      ),
    })
    .map(({ claim, madeAt, horizon, ...rest }) =>
      callSpecSchema.safeParse({
        ...claim,
        ...rest,
        madeAt: madeAt.toISOString(),
        ...("hours" in horizon
          ? { horizonHours: horizon.hours }
          : { deadline: new Date(madeAt.getTime() + horizon.afterMs).toISOString() }),
      }),
    )
    .filter((parsed) => parsed.success)
    .map((parsed) => parsed.data as CallSpec);

  it("parses the rendered text of any valid call back to the same call", () => {
    fc.assert(
      fc.property(spec, (call) => {
        const text = formatCallText(call);
        expect(parseCallText(text, { now: new Date(call.madeAt), defaultProbability: 0.6 })).toEqual({
          ok: true,
          call,
        });
      }),
      { numRuns: 500 },
    );
  });

  it("never throws and never returns an invalid call, whatever the text", () => {
    const word = fc.oneof(
      fc.constantFrom(
        ...KEYWORDS,
        "QQQ",
        "btc",
        "650",
        "$6,500",
        "65%",
        "0.7",
        "120%",
        "48h",
        "3m",
        "friday",
        "eod",
        "--",
        "2026-05-01",
      ),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 8 }), (words) => {
        const result = parseCallText(words.join(" "), {
          now: new Date("2026-04-01T14:00:00Z"),
          defaultProbability: 0.6,
        });
        if (result.ok) expect(callSpecSchema.safeParse(result.call).success).toBe(true);
        else expect(result.error).toMatch(/Example: \S/);
      }),
      { numRuns: 1000 },
    );
  });
});
