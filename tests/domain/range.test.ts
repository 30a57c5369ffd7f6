import { describe, expect, it } from "vitest";
import { formatCallText } from "../../src/commands/format-call.ts";
import { parseCallText } from "../../src/commands/grammar.ts";
import type { Bar } from "../../src/domain/bars.ts";
import { type CallSpec, callSpecSchema, describeCall } from "../../src/domain/call.ts";
import { arrowOf, claimOf, fadeOf, questionFields } from "../../src/domain/claims.ts";
import { resolveCall } from "../../src/domain/resolution.ts";
import { isUpSide } from "../../src/domain/skill.ts";

// Made Wed 2026-04-01 15:00 New York: entry is Tuesday's close 100, 48h decides on Thursday's close.
const MADE_AT = "2026-04-01T19:00:00Z";
const bars = (thursday: number): Bar[] => [
  { date: "2026-03-31", close: 100 },
  { date: "2026-04-01", close: 100.5 },
  { date: "2026-04-02", close: thursday },
];

function range(direction: "inside" | "outside", level: number, flatBandPct?: number): CallSpec {
  return callSpecSchema.parse({
    kind: "range",
    symbol: "SPY",
    direction,
    level,
    probability: 0.7,
    madeAt: MADE_AT,
    horizonHours: 48,
    ...(flatBandPct !== undefined && { flatBandPct }),
  });
}

const decide = (spec: CallSpec, thursday: number) =>
  resolveCall({ call: spec, bars: { SPY: bars(thursday) }, dataThrough: new Date("2026-04-04T00:00:00Z") });

describe("range calls", () => {
  it("are right inside the band and wrong beyond it, on either side of the entry", () => {
    expect(decide(range("inside", 1.2), 101.1).status).toBe("right");
    expect(decide(range("inside", 1.2), 98.9).status).toBe("right");
    expect(decide(range("inside", 1.2), 101.3).status).toBe("wrong");
    expect(decide(range("inside", 1.2), 98.7).status).toBe("wrong");
    expect(decide(range("outside", 1.2), 98.7).status).toBe("right");
    expect(decide(range("outside", 1.2), 100.2).status).toBe("wrong");
    const evidence = decide(range("inside", 1.2), 101.1);
    expect(evidence.status === "right" && evidence.evidence).toBe("SPY 100.00 → 101.10 (+1.10%), band ±1.2%");
  });

  it("are void when the close lands within the flat band of the band's edge, or has no bar", () => {
    const nearEdge = decide(range("inside", 1.2, 0.1), 101.25);
    expect(nearEdge).toMatchObject({ status: "void", reason: "inside_flat_band" });
    expect(decide(range("inside", 1.2, 0.1), 101.35).status).toBe("wrong");
    const noBar = resolveCall({
      call: range("inside", 1.2),
      bars: { SPY: bars(101).slice(0, 1) },
      dataThrough: new Date("2026-04-04T00:00:00Z"),
    });
    expect(noBar).toMatchObject({ status: "void", reason: "no_bar_in_window" });
    expect(decide(range("inside", 1.2), 101).status === "void").toBe(false);
  });

  it("take no side of the market, fade into each other and read as a band", () => {
    const inside = range("inside", 1.2);
    expect(claimOf(inside)).toBe("inside");
    expect(fadeOf(inside)).toMatchObject({ kind: "range", direction: "outside", level: 1.2 });
    expect(isUpSide({ kind: "range", direction: "inside", comparator: null })).toBeNull();
    expect(arrowOf(inside)).toBe("↔");
    expect(describeCall(inside)).toBe("SPY closes within ±1.2% of entry in 48h");
    expect(questionFields("range", { direction: "inside" })).toEqual({
      ok: false,
      error: "a range call needs level: the band's half-width in percent",
    });
  });

  it("round-trip through the text grammar", () => {
    const spec = range("outside", 2.5, 0.2);
    const text = formatCallText(spec);
    expect(text).toBe("SPY outside 2.5% 48h 0.7 flat 0.2%");
    expect(parseCallText(text, { now: new Date(MADE_AT), defaultProbability: 0.6 })).toEqual({
      ok: true,
      call: spec,
    });
    const refused = parseCallText("SPY inside wide 48h", { now: new Date(MADE_AT), defaultProbability: 0.6 });
    expect(refused).toEqual({
      ok: false,
      error: '"wide" after "inside" is not a band: write it as 1.2%. Example: SPY inside 1.2% 48h 70%',
    });
  });
});
