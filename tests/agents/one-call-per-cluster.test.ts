import { describe, expect, it } from "vitest";
import { runOffline } from "../../src/agents/offline.ts";
import type { QuestionModel } from "../../src/agents/questions/model.ts";
import type { DeskCall } from "../../src/agents/types.ts";
import { deskInput } from "./fixtures.ts";

const NO_FIT = { slope: 0, n: 0, t: 0, edge: false };
/** A slope that earned its place but is flat: every call states its base rate. */
const FLAT_EDGE = { slope: 0, n: 500, t: 2.5, edge: true };
const rate = (share: number) => ({ share, n: 500 });

/** Every equity range question prices well above a coin flip: four candidates, one bet. */
const MODEL: QuestionModel = {
  split: "2023-01-01",
  fittedFrom: "2018-01-01",
  baseRates: {
    "range|SPY": rate(0.8),
    "range|QQQ": rate(0.83),
    "range|IWM": rate(0.78),
    "range|BTC-USD": rate(0.74),
    "relative|QQQ": rate(0.45),
    "relative|IWM": rate(0.45),
    "vix|^VIX": rate(0.3),
    "direction|SPY": rate(0.7),
    "direction|QQQ": rate(0.7),
  },
  kinds: { direction: NO_FIT, relative: FLAT_EDGE, range: FLAT_EDGE, vix: FLAT_EDGE },
};

function clusterOf(call: DeskCall): string {
  const { spec } = call;
  if (spec.symbol === "BTC-USD") return "crypto";
  if (spec.kind === "range" || spec.symbol === "^VIX") return "equity-vol";
  return spec.kind === "relative" ? "equity-relative" : "equity-market";
}

describe("question choice", () => {
  const out = runOffline(deskInput({ symbols: ["SPY", "QQQ", "IWM", "BTC-USD"], questions: MODEL }));

  it("makes one call per correlated cluster: the strongest equity range, never three of them", () => {
    const clusters = out.calls.map(clusterOf);
    expect(new Set(clusters).size).toBe(clusters.length);
    const equityVol = out.calls.filter((c) => clusterOf(c) === "equity-vol");
    expect(equityVol.map((c) => c.spec)).toMatchObject([
      { kind: "range", symbol: "QQQ", direction: "inside" },
    ]);
    expect(out.suppressed.find((s) => s.symbol === "SPY")?.reason).toMatch(
      /^the same bet as QQQ closes within/,
    );
  });

  it("states the question's base rate when no fitted signal moves it", () => {
    const qqq = out.calls.find((c) => c.spec.symbol === "QQQ");
    expect(qqq?.spec.probability).toBe(0.83);
    expect(qqq?.thesis).toMatch(/base rate 83% \(range QQQ, n=500\)/);
    const btc = out.calls.find((c) => c.spec.symbol === "BTC-USD");
    expect(btc?.spec).toMatchObject({ kind: "range", direction: "inside", probability: 0.74 });
  });

  it("makes no direction call where the fit found no edge, however high the base rate", () => {
    expect(out.calls.some((c) => c.spec.kind === "direction")).toBe(false);
    const withEdge: QuestionModel = {
      ...MODEL,
      kinds: { ...MODEL.kinds, direction: { ...NO_FIT, edge: true } },
    };
    const edged = runOffline(deskInput({ symbols: ["SPY", "QQQ", "IWM", "BTC-USD"], questions: withEdge }));
    // With an edge the equity-market cluster may speak, once, and only on a side some mind argued.
    expect(edged.calls.filter((c) => c.spec.kind === "direction").length).toBeLessThanOrEqual(1);
  });

  it("makes no call of any kind whose signal earned no slope before the split, and says so", () => {
    const noRangeEdge = { ...MODEL, kinds: { ...MODEL.kinds, range: NO_FIT } };
    const without = runOffline(
      deskInput({ symbols: ["SPY", "QQQ", "IWM", "BTC-USD"], questions: noRangeEdge }),
    );
    expect(without.calls.some((c) => c.spec.kind === "range")).toBe(false);
    expect(without.suppressed.find((s) => s.symbol === "BTC-USD")?.reason).toMatch(
      /^no measured edge on its size of move/,
    );
  });

  it("takes the side the price favours: a relative base rate below half is an underperform call", () => {
    const relative = out.calls.find((c) => c.spec.kind === "relative");
    if (relative)
      expect(relative.spec).toMatchObject({ direction: "underperform", versus: "SPY", probability: 0.55 });
    else expect(out.suppressed.some((s) => /underperforms SPY/.test(s.reason))).toBe(true);
  });
});
