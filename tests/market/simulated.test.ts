import { describe, expect, it } from "vitest";
import { isTradingDay } from "../../src/market/calendar.ts";
import { simulate } from "../../src/market/simulated/generator.ts";
import { SimulatedMarket } from "../../src/market/simulated/market.ts";
import { buildSnapshot } from "../../src/market/snapshot.ts";

const history = simulate(7, "2026-04-01");
const returns = (symbol: string) => {
  const bars = history.bars[symbol]!;
  return bars.slice(1).map((bar, i) => Math.log(bar.close / bars[i]!.close));
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
function correlation(a: number[], b: number[]): number {
  const [ma, mb] = [mean(a), mean(b)];
  let [cov, va, vb] = [0, 0, 0];
  a.forEach((x, i) => {
    cov += (x - ma) * (b[i]! - mb);
    va += (x - ma) ** 2;
    vb += (b[i]! - mb) ** 2;
  });
  return cov / Math.sqrt(va * vb);
}

describe("simulated market generator", () => {
  it("is deterministic per seed, different across seeds, and stable as the end date moves", () => {
    expect(simulate(7, "2026-04-01").bars.SPY).toEqual(history.bars.SPY);
    expect(simulate(8, "2026-04-01").bars.SPY!.at(-1)!.close).not.toBe(history.bars.SPY!.at(-1)!.close);
    const longer = simulate(7, "2026-06-30");
    expect(longer.bars.SPY!.slice(0, history.bars.SPY!.length)).toEqual(history.bars.SPY);
    expect(longer.macro.DGS10!.slice(0, history.macro.DGS10!.length)).toEqual(history.macro.DGS10);
  });

  it("trades equities on NYSE days only and crypto every day", () => {
    expect(history.bars.SPY!.every((b) => isTradingDay(b.date))).toBe(true);
    expect(history.bars.SPY!.some((b) => b.date === "2026-04-03")).toBe(false);
    expect(history.bars["BTC-USD"]!.some((b) => b.date === "2025-12-25")).toBe(true);
  });

  it("moves VIX against equities and the indices and mega caps together", () => {
    const spy = returns("SPY");
    expect(correlation(spy, returns("^VIX"))).toBeLessThan(-0.5);
    expect(correlation(spy, returns("QQQ"))).toBeGreaterThan(0.8);
    expect(correlation(spy, returns("AAPL"))).toBeGreaterThan(0.3);
  });

  it("has fat tails and an equity-like volatility", () => {
    const spy = returns("SPY");
    const m = mean(spy);
    const variance = mean(spy.map((r) => (r - m) ** 2));
    const kurtosis = mean(spy.map((r) => (r - m) ** 4)) / variance ** 2;
    expect(kurtosis).toBeGreaterThan(4.5); // a normal distribution gives 3
    const annualVol = Math.sqrt(variance * 252);
    expect(annualVol).toBeGreaterThan(0.1);
    expect(annualVol).toBeLessThan(0.35);
  });

  it("switches between volatility regimes", () => {
    expect(new Set(history.regimes.values())).toEqual(new Set(["calm", "normal", "stressed"]));
  });

  it("keeps bars internally consistent", () => {
    for (const bar of history.bars.NVDA!) {
      expect(bar.high!).toBeGreaterThanOrEqual(Math.max(bar.open!, bar.close));
      expect(bar.low!).toBeLessThanOrEqual(Math.min(bar.open!, bar.close));
      expect(bar.volume!).toBeGreaterThan(0);
    }
    expect(history.bars["^VIX"]!.every((b) => b.volume === undefined && b.close >= 9 && b.close <= 85)).toBe(
      true,
    );
  });
});

describe("simulated market source", () => {
  it("labels everything simulated in a snapshot that needs no files and no network", async () => {
    const at = new Date("2026-04-06T18:00:00Z");
    const snapshot = await buildSnapshot(new SimulatedMarket(7).source(), at, { filingDays: 10 });
    expect(snapshot.source).toBe("simulated");
    expect(snapshot.flags).toEqual(["simulated"]); // a Monday, market open
    expect(snapshot.observations.every((o) => o.trust === "simulated" && o.flags.includes("simulated"))).toBe(
      true,
    );
    const headlines = snapshot.observations.filter((o) => o.kind === "headline");
    expect(headlines.length).toBeGreaterThan(0);
    expect(headlines.every((h) => String(h.payload.title).startsWith("[Simulated]"))).toBe(true);
    expect(snapshot.observations.some((o) => o.kind === "filing")).toBe(true);
    expect(
      snapshot.observations.every((o) => o.value !== null || o.kind === "headline" || o.kind === "filing"),
    ).toBe(true);
    for (const o of snapshot.observations) expect(o.asOf <= at, o.id).toBe(true);
    expect(snapshot.history.SPY!.at(-1)!.date).toBe("2026-04-02"); // the 6th has not closed; the 3rd was Good Friday
  });
});
