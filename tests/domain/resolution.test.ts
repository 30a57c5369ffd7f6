import { describe, expect, it } from "vitest";
import type { Bar } from "../../src/domain/bars.ts";
import { type CallSpec, callSpecSchema } from "../../src/domain/call.ts";
import { type Resolution, resolveCall } from "../../src/domain/resolution.ts";

const bar = (date: string, close: number, high = close, low = close): Bar => ({
  date,
  open: close,
  high,
  low,
  close,
});

// Thu 2026-04-02, Good Friday 2026-04-03 (closed), weekend, Mon 2026-04-06 ...
const SPY: Bar[] = [
  bar("2026-03-31", 650.34, 651.54, 637.98),
  bar("2026-04-01", 655.24, 658.52, 653.0),
  bar("2026-04-02", 655.83, 658.2, 645.11),
  bar("2026-04-06", 660.0, 664.0, 652.0),
  bar("2026-04-07", 648.0, 661.0, 640.0),
  bar("2026-04-08", 649.0, 650.0, 646.0),
];
const IWM: Bar[] = [
  bar("2026-04-01", 200),
  bar("2026-04-02", 202),
  bar("2026-04-06", 199),
  bar("2026-04-07", 198),
];
const dataEnd = new Date("2026-04-08T20:00:00Z");

function call(fields: Record<string, unknown>): CallSpec {
  return callSpecSchema.parse({ symbol: "SPY", probability: 0.6, ...fields });
}

function resolve(spec: CallSpec, extra: { entryPrice?: number; dataThrough?: Date } = {}): Resolution {
  return resolveCall({ call: spec, bars: { SPY, IWM }, dataThrough: extra.dataThrough ?? dataEnd, ...extra });
}

describe("resolveCall", () => {
  it("direction: entry is the last close at or before madeAt, exit the last close at or before the deadline", () => {
    // Made 10:00 New York on Thu 04-02: entry is Wed's close; 24h later (Fri, closed) the last close is Thu's.
    const result = resolve(
      call({ kind: "direction", direction: "up", horizonHours: 24, madeAt: "2026-04-02T14:00:00Z" }),
    );
    expect(result).toMatchObject({ status: "right", entry: 655.24, exit: 655.83, exitDate: "2026-04-02" });
    expect(result.status !== "pending" && result.evidence).toBe("SPY 655.24 → 655.83 (+0.09%)");
  });

  it("never uses a bar that closed after the deadline, even one hour after", () => {
    // Deadline Mon 04-06 19:00 UTC = 15:00 New York, one hour before Monday's close.
    const result = resolve(
      call({
        kind: "direction",
        direction: "up",
        deadline: "2026-04-06T19:00:00Z",
        madeAt: "2026-04-02T21:00:00Z",
      }),
    );
    expect(result.status).toBe("void");
    expect(result).toMatchObject({ reason: "no_bar_in_window" });
  });

  it("spans the holiday and weekend to the next session", () => {
    const result = resolve(
      call({ kind: "direction", direction: "down", horizonHours: 96, madeAt: "2026-04-02T21:00:00Z" }),
    );
    // Entry Thu close 655.83; deadline Mon 21:00 UTC is after Monday's 20:00 UTC close (EDT).
    expect(result).toMatchObject({ status: "wrong", entry: 655.83, exit: 660, exitDate: "2026-04-06" });
  });

  it("voids a call whose window holds no session (made after Thursday's close, due before Monday's)", () => {
    const result = resolve(
      call({ kind: "direction", direction: "up", horizonHours: 48, madeAt: "2026-04-02T21:00:00Z" }),
    );
    expect(result).toMatchObject({ status: "void", reason: "no_bar_in_window" });
  });

  it("stays pending while the deadline is beyond the data", () => {
    const spec = call({
      kind: "direction",
      direction: "up",
      horizonHours: 48,
      madeAt: "2026-04-07T14:00:00Z",
    });
    expect(resolve(spec).status).toBe("pending");
  });

  it("voids a move inside the declared flat band, and decides one just outside it", () => {
    const made = { kind: "direction", direction: "up", horizonHours: 24, madeAt: "2026-04-02T14:00:00Z" };
    expect(resolve(call({ ...made, flatBandPct: 0.1 }))).toMatchObject({
      status: "void",
      reason: "inside_flat_band",
    });
    expect(resolve(call({ ...made, flatBandPct: 0.08 }))).toMatchObject({ status: "right" });
  });

  it("uses the member's own entry price when given", () => {
    const spec = call({
      kind: "direction",
      direction: "up",
      horizonHours: 24,
      madeAt: "2026-04-02T14:00:00Z",
    });
    expect(resolve(spec, { entryPrice: 656.5 })).toMatchObject({ status: "wrong", entry: 656.5 });
  });

  it("voids when there is no entry price and none before the call", () => {
    const spec = call({
      kind: "direction",
      direction: "up",
      horizonHours: 24,
      madeAt: "2026-03-30T14:00:00Z",
    });
    expect(resolve(spec)).toMatchObject({ status: "void", reason: "no_entry_price" });
  });

  it("voids with data_unavailable when the symbol has no data at all", () => {
    const spec = call({
      kind: "direction",
      symbol: "QQQ",
      direction: "up",
      horizonHours: 24,
      madeAt: "2026-04-02T14:00:00Z",
    });
    expect(resolve(spec)).toMatchObject({ status: "void", reason: "data_unavailable" });
  });

  it("threshold: judges the close at the deadline against the level", () => {
    const made = { kind: "threshold", horizonHours: 120, madeAt: "2026-04-02T21:00:00Z" };
    // Window closes: Mon 660, Tue 648 -> last close 648.
    expect(resolve(call({ ...made, comparator: "below", level: 650 }))).toMatchObject({
      status: "right",
      exit: 648,
    });
    expect(resolve(call({ ...made, comparator: "above", level: 650 }))).toMatchObject({ status: "wrong" });
    expect(resolve(call({ ...made, comparator: "above", level: 649, flatBandPct: 0.5 }))).toMatchObject({
      status: "void",
      reason: "inside_flat_band",
    });
  });

  it("touch: uses intraday highs and lows, not only closes", () => {
    const made = { kind: "touch", horizonHours: 120, madeAt: "2026-04-02T21:00:00Z" };
    // Closes never reach 663, but Monday's high of 664 does.
    expect(resolve(call({ ...made, comparator: "above", level: 663 }))).toMatchObject({ status: "right" });
    expect(resolve(call({ ...made, comparator: "above", level: 665 }))).toMatchObject({ status: "wrong" });
    expect(resolve(call({ ...made, comparator: "below", level: 641 }))).toMatchObject({ status: "right" });
  });

  it("hold: fails when any low in the window breaches the level", () => {
    const made = { kind: "hold", horizonHours: 120, madeAt: "2026-04-02T21:00:00Z" };
    expect(resolve(call({ ...made, comparator: "above", level: 645 }))).toMatchObject({ status: "wrong" });
    expect(resolve(call({ ...made, comparator: "above", level: 639 }))).toMatchObject({ status: "right" });
    expect(resolve(call({ ...made, comparator: "below", level: 665 }))).toMatchObject({ status: "right" });
  });

  it("relative: compares the two moves over the same window", () => {
    // SPY 655.83 -> 648 (-1.19%), IWM 202 -> 198 (-1.98%): SPY outperformed.
    const made = { kind: "relative", versus: "IWM", horizonHours: 120, madeAt: "2026-04-02T21:00:00Z" };
    expect(resolve(call({ ...made, direction: "outperform" }))).toMatchObject({ status: "right" });
    expect(resolve(call({ ...made, direction: "underperform" }))).toMatchObject({ status: "wrong" });
  });

  it("relative: uses the stored entry of the second symbol when one was taken", () => {
    const spec = call({
      kind: "relative",
      versus: "IWM",
      direction: "outperform",
      horizonHours: 120,
      madeAt: "2026-04-02T21:00:00Z",
    });
    // IWM entered at 196 -> 198 (+1.02%) beats SPY's -1.19%.
    const result = resolveCall({
      call: spec,
      bars: { SPY, IWM },
      dataThrough: dataEnd,
      versusEntryPrice: 196,
    });
    expect(result).toMatchObject({ status: "wrong" });
  });

  it("crypto bars stand for the end of the UTC day, seven days a week", () => {
    const btc: Bar[] = [bar("2026-04-03", 80000), bar("2026-04-04", 81000), bar("2026-04-05", 79000)];
    const spec = call({
      kind: "direction",
      symbol: "BTC-USD",
      direction: "up",
      horizonHours: 24,
      madeAt: "2026-04-04T00:00:00Z",
    });
    const result = resolveCall({
      call: spec,
      bars: { "BTC-USD": btc },
      dataThrough: new Date("2026-04-06T00:00:00Z"),
    });
    // Entry: the 04-03 bar closed at 04-04 00:00 UTC; exit: the 04-04 bar closed at 04-05 00:00 UTC.
    expect(result).toMatchObject({ status: "right", entry: 80000, exit: 81000 });
  });
});
