import { describe, expect, it } from "vitest";
import { runOffline } from "../../src/agents/offline.ts";
import type { HeldCall } from "../../src/agents/types.ts";
import { inputsFingerprint } from "../../src/domain/fingerprint.ts";
import { questionOf, sameQuestion } from "../../src/domain/question.ts";
import { AT, deskInput, quoteObs, tapeSnapshot } from "./fixtures.ts";

/** The desk's call on `symbol` from a free run, held open as call #12 since a day earlier. */
function heldFrom(symbol: string, id = 12): HeldCall {
  const call = runOffline(deskInput()).calls.find((c) => c.spec.symbol === symbol);
  if (!call) throw new Error(`the fixture desk makes no ${symbol} call`);
  const madeAt = new Date(AT.getTime() - 86_400_000);
  return {
    callId: id,
    spec: { ...call.spec, madeAt: madeAt.toISOString() },
    lockAt: new Date(madeAt.getTime() + 12 * 3_600_000).toISOString(),
    deadline: new Date(madeAt.getTime() + 48 * 3_600_000).toISOString(),
  };
}

describe("one question, one record", () => {
  it("a question held open is said as held, with its call number and lock, and not called again", () => {
    const held = heldFrom("SPY");
    const out = runOffline(deskInput({ held: [held] }));
    expect(out.calls.some((c) => c.spec.symbol === "SPY")).toBe(false);
    expect(out.suppressed).toContainEqual({
      symbol: "SPY",
      reason: expect.stringMatching(/^still holding SPY (higher|lower) in 48h from #12, locks /),
    });
    expect(out.dispatch.body).toMatch(
      /Still holding, not a new call: SPY (higher|lower) in 48h from #12, locks /,
    );
    expect(out.dispatch.body).not.toMatch(/CALL \d+ +. SPY /);
  });

  it("a held call on the other side, or whose window has ended, does not block the call", () => {
    const held = heldFrom("SPY");
    const spec = held.spec.kind === "direction" ? held.spec : null;
    if (!spec) throw new Error("expected a direction call");
    const other = {
      ...held,
      spec: { ...spec, direction: spec.direction === "up" ? "down" : "up" },
    } as HeldCall;
    const ended = { ...held, deadline: new Date(AT.getTime() - 60_000).toISOString() };
    for (const h of [other, ended]) {
      expect(runOffline(deskInput({ held: [h] })).calls.some((c) => c.spec.symbol === "SPY")).toBe(true);
    }
  });

  it("levels within 2% are the same question; kind, side and versus are not negotiable", () => {
    const base = {
      kind: "hold",
      symbol: "^VIX",
      versus: null,
      direction: null,
      comparator: "above",
      level: 18,
    };
    expect(sameQuestion(base, { ...base, level: 18.3 })).toBe(true);
    expect(sameQuestion(base, { ...base, level: 18.5 })).toBe(false);
    expect(sameQuestion(base, { ...base, comparator: "below" })).toBe(false);
    expect(sameQuestion(base, { ...base, kind: "touch" })).toBe(false);
    const rel = questionOf({
      kind: "relative",
      symbol: "QQQ",
      versus: "SPY",
      direction: "outperform",
      probability: 0.6,
      madeAt: AT.toISOString(),
      horizonHours: 48,
    });
    expect(sameQuestion(rel, { ...rel, versus: "IWM" })).toBe(false);
  });

  it("the inputs fingerprint ignores when the cycle looked, and changes with what it saw", () => {
    const down = { ...quoteObs("IWM", null, ["source_down"]), payload: { error: "timed out at 14:05" } };
    const snapshot = { ...tapeSnapshot(), observations: [...tapeSnapshot().observations, down] };
    const symbols = ["SPY", "QQQ"];
    const print = inputsFingerprint(snapshot.observations, symbols);
    expect(print).toMatch(/^[0-9a-f]{64}$/);
    // Same data read later: clock flags and a failed input's fetch time and wording do not count.
    const later = snapshot.observations.map((o) =>
      o.value === null
        ? { ...o, asOf: new Date(o.asOf.getTime() + 3_600_000), payload: { error: "timed out at 15:05" } }
        : { ...o, flags: [...o.flags, "market_closed" as const] },
    );
    expect(inputsFingerprint([...later].reverse(), [...symbols].reverse())).toBe(print);
    const moved = snapshot.observations.map((o, i) => (i === 0 ? { ...o, value: (o.value ?? 1) + 0.01 } : o));
    expect(inputsFingerprint(moved, symbols)).not.toBe(print);
    expect(inputsFingerprint(snapshot.observations, [...symbols, "IWM"])).not.toBe(print);
  });
});
