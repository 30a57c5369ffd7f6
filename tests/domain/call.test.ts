import { describe, expect, it } from "vitest";
import { callSpecSchema, deadlineOf, describeCall, lockAtOf } from "../../src/domain/call.ts";

const base = {
  kind: "direction",
  symbol: "qqq",
  direction: "down",
  horizonHours: 48,
  probability: 0.62,
  madeAt: "2026-04-01T14:00:00Z",
};

function firstMessage(input: unknown): string | undefined {
  const parsed = callSpecSchema.safeParse(input);
  return parsed.success
    ? undefined
    : `${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`;
}

describe("the call JSON", () => {
  it("normalises the symbol and derives deadline and lock time", () => {
    const call = callSpecSchema.parse(base);
    expect(call.symbol).toBe("QQQ");
    expect(deadlineOf(call).toISOString()).toBe("2026-04-03T14:00:00.000Z");
    // Due Fri 04-03 (Good Friday, closed): Thursday's 16:00 close decides it, 30h after the call,
    // so agree/fade closes a quarter of that, 7.5 hours, after the call (not 12h, a quarter of 48h).
    expect(lockAtOf(call, 0.25).toISOString()).toBe("2026-04-01T21:30:00.000Z");
  });

  it("accepts every kind", () => {
    const common = { symbol: "SPY", probability: 0.7, madeAt: "2026-04-01T14:00:00Z", horizonHours: 24 };
    for (const kind of ["threshold", "touch", "hold"]) {
      expect(callSpecSchema.safeParse({ kind, comparator: "above", level: 650, ...common }).success).toBe(
        true,
      );
    }
    expect(
      callSpecSchema.safeParse({ kind: "relative", versus: "IWM", direction: "outperform", ...common })
        .success,
    ).toBe(true);
    const byDeadline = { ...base, horizonHours: undefined, deadline: "2026-04-03T20:00:00Z" };
    expect(deadlineOf(callSpecSchema.parse(byDeadline)).toISOString()).toBe("2026-04-03T20:00:00.000Z");
  });

  it("rejects bad calls with a message naming the field", () => {
    expect(firstMessage({ ...base, probability: 1.2 })).toMatch(/^probability: .*at most 0.99/);
    expect(firstMessage({ ...base, probability: 0.4 })).toMatch(/^probability: .*opposite call/);
    expect(firstMessage({ ...base, horizonHours: undefined })).toMatch(/^horizonHours: give exactly one/);
    expect(firstMessage({ ...base, deadline: "2026-04-05T00:00:00Z" })).toMatch(
      /^horizonHours: give exactly one/,
    );
    expect(firstMessage({ ...base, horizonHours: undefined, deadline: "2026-03-01T00:00:00Z" })).toMatch(
      /^deadline: deadline must be after madeAt/,
    );
    expect(firstMessage({ ...base, symbol: "SP Y" })).toMatch(/^symbol: a ticker/);
    expect(firstMessage({ ...base, madeAt: "yesterday" })).toMatch(/^madeAt: an ISO 8601 time/);
    expect(firstMessage({ ...base, kind: "relative", direction: "outperform", versus: "QQQ" })).toMatch(
      /^versus:/,
    );
    expect(firstMessage({ ...base, extra: 1 })).toBeDefined();
  });
});

describe("the call in words", () => {
  it("reads a horizon with the kind's preposition and a deadline as a UTC time", () => {
    expect(describeCall(callSpecSchema.parse(base))).toBe("QQQ lower in 48h");
    const { direction: _side, horizonHours: _horizon, ...question } = base;
    const byDeadline = callSpecSchema.parse({
      ...question,
      kind: "hold",
      comparator: "above",
      level: 600,
      deadline: "2026-06-11T15:00:00Z",
    });
    expect(describeCall(byDeadline)).toBe("QQQ holds above 600 by Thu 11 Jun 2026 15:00 UTC");
  });
});
