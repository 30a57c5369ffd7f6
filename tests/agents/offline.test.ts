import { afterEach, describe, expect, it, vi } from "vitest";
import { MODEST_CAP } from "../../src/agents/calibration.ts";
import { runOffline } from "../../src/agents/offline.ts";
import { deskInput, quoteObs, recordRows, tapeSnapshot } from "./fixtures.ts";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const DEBATE_LINE =
  /^Debate: (aligned_bullish|aligned_bearish|lean_bullish|lean_bearish|split|abstain) \| Conviction \d{1,3}% \| Macro (\d{1,3}%|—) \| Flow (\d{1,3}%|—) \| Contrarian (\d{1,3}%|—)$/;

describe("offline engine", () => {
  it("is deterministic: same input, same output, whatever the clock or Math.random", () => {
    const random = vi.spyOn(Math, "random");
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2030-01-01T00:00:00Z"));
    const first = runOffline(deskInput());
    vi.setSystemTime(new Date("2031-06-15T12:34:56Z"));
    const second = runOffline(deskInput());
    expect(second).toEqual(first);
    expect(random).not.toHaveBeenCalled();
    expect(first.calls.length).toBeGreaterThan(0);
  });

  it("reads a falling tape with rising VIX as risk_off: Flow calls SPY lower on a broad decline, Macro prices the fear; modest with no record", () => {
    const out = runOffline(deskInput());
    expect(out.regime.label).toBe("risk_off");
    expect(out.regime.inputs.vix).toBe(24.5);
    const spy = out.calls.find((c) => c.spec.symbol === "SPY");
    expect(spy).toMatchObject({ mind: "flow", spec: { direction: "down" } });
    const macroOnSpy = out.stances.round1.find((s) => s.mind === "macro" && s.symbol === "SPY");
    expect(macroOnSpy).toMatchObject({ abstained: false, direction: "up" });
    expect(macroOnSpy?.reason).toBe(
      "VIX at 24.5 (+4.5 pts in 5 sessions): fear is priced in, and paid-for fear has preceded better returns than calm, so I lean higher on SPY.",
    );
    const flowOnSpy = out.stances.round1.find((s) => s.mind === "flow" && s.symbol === "SPY");
    expect(flowOnSpy?.reason).toMatch(/none of the 6 names I track are above theirs: a broad decline/);
    for (const call of out.calls) {
      expect(call.spec.kind).toBe("direction");
      expect(call.spec.probability).toBeLessThanOrEqual(MODEST_CAP);
      expect(call.spec.madeAt).toBe("2026-04-01T21:00:00.000Z");
      // A quarter of the span to the deciding close: Bitcoin's 24h from Wednesday 21:00 UTC would be
      // decided by that day's midnight, so it runs 48h to Friday 00:00 (27h, locks after 6h45);
      // equities' 48h ends on Good Friday, so Thursday's 16:00 close decides them (23h, 5h45).
      expect(call.spec.horizonHours).toBe(48);
      expect(call.lockAt).toBe(
        call.spec.symbol === "BTC-USD" ? "2026-04-02T03:45:00.000Z" : "2026-04-02T02:45:00.000Z",
      );
      expect(call.flatBandPct).toBeGreaterThan(0);
    }
    expect(out.engine).toBe("offline");
    expect(out.stances.round1).toHaveLength(3 * 4);
    expect(out.stances.round2).toHaveLength(3 * 4);
  });

  it("makes Flow abstain on a symbol whose quote is flagged, and says so", () => {
    const snapshot = tapeSnapshot({ flags: { SPY: ["stale_quote"] } });
    const out = runOffline(deskInput({ snapshot }));
    const flowOnSpy = out.stances.round1.find((s) => s.mind === "flow" && s.symbol === "SPY");
    expect(flowOnSpy?.abstained).toBe(true);
    expect(flowOnSpy?.reason).toMatch(/stale_quote/);
    expect(out.stances.round2.find((s) => s.mind === "flow" && s.symbol === "SPY")?.abstained).toBe(true);
    const flowOnQqq = out.stances.round1.find((s) => s.mind === "flow" && s.symbol === "QQQ");
    expect(flowOnQqq?.abstained).toBe(false);
    expect(out.flags).toContain("quality_flags");
    expect(out.dispatch.body).toMatch(/SPY: stale_quote/);
  });

  it("lets a learned rule suppress a call it would otherwise make", () => {
    const free = runOffline(deskInput());
    expect(free.calls.some((c) => c.spec.symbol === "SPY")).toBe(true);
    const rule = {
      scope: "symbol_horizon" as const,
      symbol: "SPY",
      horizonHours: 48,
      reason: "stop calling SPY at 48h: 4 of 14 right",
    };
    const ruled = runOffline(deskInput({ rules: [rule] }));
    expect(ruled.calls.some((c) => c.spec.symbol === "SPY")).toBe(false);
    expect(ruled.suppressed).toContainEqual({ symbol: "SPY", reason: `learned rule: ${rule.reason}` });
    expect(ruled.flags).toContain("rules_applied");
    expect(ruled.dispatch.body).toMatch(/stop calling SPY at 48h/);
  });

  it("benches a mind under a mind rule: it still argues, but cannot lead or count", () => {
    const rule = { scope: "mind" as const, mind: "flow" as const, reason: "bench Flow: 5 of 15 right" };
    const out = runOffline(deskInput({ rules: [rule] }));
    expect(out.calls.every((c) => c.mind !== "flow")).toBe(true);
    expect(out.stances.round2.some((s) => s.mind === "flow" && !s.abstained)).toBe(true);
    expect(out.dispatch.body).toMatch(/not counting Flow this cycle/);
  });

  it("never states more than the record supports: a poor record drags every call down or out", () => {
    const record = ["up" as const, "down" as const].flatMap((direction) =>
      ["macro", "flow", "contrarian"].flatMap((mind) =>
        recordRows(40, 18, 0.62, { regime: "risk_off", direction, mind }),
      ),
    );
    const out = runOffline(deskInput({ record }));
    // 18 of 40 at 62%, shrunk by 10 coin flips: (18 + 5) / 50 = 0.46, below a coin: no call survives.
    expect(out.calls).toEqual([]);
    expect(out.flags).toContain("no_call");
    expect(out.suppressed.find((s) => s.symbol === "SPY")?.reason).toMatch(/edge too thin/);
  });

  it("cites the snapshot's real numbers in the essay", () => {
    const input = deskInput();
    const spyClose = input.snapshot.history.SPY?.at(-1)?.close as number;
    const { body } = runOffline(input).dispatch;
    expect(body).toContain(`SPY ${spyClose.toFixed(2)}`);
    expect(body).toContain("VIX 24.50");
    expect(body).toContain("10Y 4.31%");
    expect(body).toContain("2s10s +0.51");
    expect(body).toMatch(/VIX 24\.5 \(\+4\.5 pts in five sessions\)/);
    // The record on this kind of call, said even when it is empty: that is why the number is modest.
    expect(body).toMatch(
      /no resolved \w+-led (higher|lower) calls|\w+-led (higher|lower) calls are new ground|Nothing in my record speaks to \w+-led/,
    );
  });

  it("ends with a debate line in the desk's format, showing — for an abstaining mind", () => {
    const out = runOffline(deskInput());
    const lastLine = out.dispatch.body.split("\n").at(-1);
    expect(lastLine).toBe(out.dispatch.debateLine);
    expect(out.dispatch.debateLine).toMatch(DEBATE_LINE);
    // Nothing is stretched in this tape, so Contrarian abstains on the headline symbol.
    expect(out.dispatch.debateLine).toMatch(/\| Contrarian —$/);
    // The headline is the strongest call: Bitcoin, where Macro and Flow both lean up.
    expect(out.dispatch.debateLine).toMatch(/^Debate: aligned_bullish/);
  });

  it("labels a simulated market in the body and the flags", () => {
    const out = runOffline(deskInput({ snapshot: tapeSnapshot({ source: "simulated" }) }));
    expect(out.dispatch.body.startsWith("[simulated market]")).toBe(true);
    expect(out.dispatch.flags).toContain("simulated_market");
  });

  it("has Contrarian fade an extreme move and a lopsided crowd of members", () => {
    const snapshot = tapeSnapshot({ drift: 0.1, lastMove: { NVDA: -6 } });
    const crowd = Array.from({ length: 4 }, () => ({
      symbol: "QQQ",
      direction: "up" as const,
      probability: 0.7,
    }));
    const out = runOffline(deskInput({ snapshot, crowd, symbols: ["NVDA", "QQQ"] }));
    const onNvda = out.stances.round1.find((s) => s.mind === "contrarian" && s.symbol === "NVDA");
    expect(onNvda).toMatchObject({ abstained: false, direction: "up" });
    expect(onNvda?.reason).toMatch(/standard deviations/);
    const onQqq = out.stances.round1.find((s) => s.mind === "contrarian" && s.symbol === "QQQ");
    expect(onQqq).toMatchObject({ abstained: false, direction: "down" });
    expect(onQqq?.reason).toMatch(/100% of 4 recent member calls on QQQ are bullish/);
  });

  it("passes with no call, on the record, when every input is missing", () => {
    const snapshot = {
      ...tapeSnapshot(),
      history: {},
      observations: [quoteObs("SPY", null, ["source_down"])],
    };
    const out = runOffline(deskInput({ snapshot, symbols: ["SPY"] }));
    expect(out.calls).toEqual([]);
    expect(out.stances.round2.every((s) => s.abstained)).toBe(true);
    expect(out.dispatch.debateLine).toBe("Debate: abstain | Conviction 0% | Macro — | Flow — | Contrarian —");
    expect(out.dispatch.body).toMatch(/no call/i);
  });
});
