import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runOffline } from "../../src/agents/offline.ts";
import { price } from "../../src/agents/writer/format.ts";
import { assetClassOf, type Bar, barCloseTime, lastBarAtOrBefore } from "../../src/domain/bars.ts";
import type { Observation, Snapshot } from "../../src/domain/observation.ts";
import { resolveCall } from "../../src/domain/resolution.ts";
import { readDailyBars } from "../../src/market/csv-bars.ts";
import { DEFAULT_SYMBOLS } from "../../src/market/symbols.ts";
import { deskInput } from "./fixtures.ts";

const DATA = path.resolve("../shared/data");
const present = existsSync(DATA);
if (!present) console.warn(`replay realism test skipped: ${DATA} is missing`);

/** Mid-morning in New York on 1 April 2026: the last closed equity bar is 31 March. */
const AT = new Date("2026-04-01T13:00:00Z");
// Every default symbol that has a history file in the shared data (ETH is left out to keep the read short).
const SYMBOLS = DEFAULT_SYMBOLS.filter((symbol) => symbol !== "ETH-USD");

/** Last `date,value` row published before `at` (a daily print is known the day after). */
function macroValue(series: string): number {
  const rows = readFileSync(path.join(DATA, `${series}.csv`), "utf8")
    .trim()
    .split("\n")
    .slice(1);
  const known = rows
    .map((r) => r.split(","))
    .filter(([date]) => barCloseTime(date as string, "crypto") <= AT);
  return Number(known.at(-1)?.[1]);
}

async function replaySnapshot(): Promise<{ snapshot: Snapshot; full: Record<string, Bar[]> }> {
  const full: Record<string, Bar[]> = {};
  const history: Record<string, Bar[]> = {};
  const observations: Observation[] = [];
  for (const symbol of SYMBOLS) {
    const assetClass = assetClassOf(symbol);
    full[symbol] = await readDailyBars(DATA, symbol);
    history[symbol] = full[symbol]
      .slice(-400)
      .filter((b) => barCloseTime(b.date, assetClass) <= AT)
      .slice(-260);
    const last = history[symbol].at(-1) as Bar;
    observations.push({
      id: `${assetClass === "crypto" ? "crypto" : "quote"}:${symbol}`,
      source: "replay",
      kind: assetClass === "crypto" ? "crypto" : "quote",
      symbol,
      value: last.close,
      payload: {},
      asOf: barCloseTime(last.date, assetClass),
      trust: "primary",
      flags: [],
    });
  }
  for (const series of ["DGS10", "DGS2", "T10Y2Y", "FEDFUNDS"]) {
    observations.push({
      id: `macro:${series}`,
      source: "replay",
      kind: "macro",
      symbol: series,
      value: macroValue(series),
      payload: {},
      asOf: AT,
      trust: "primary",
      flags: [],
    });
  }
  return { snapshot: { at: AT, source: "replay", observations, history, flags: [] }, full };
}

describe.skipIf(!present)("a desk cycle replayed over ../shared/data at 2026-04-01", () => {
  it("reads the real numbers, writes them into the essay, and makes calls that resolve on the following bars", async () => {
    const { snapshot, full } = await replaySnapshot();
    const input = deskInput({
      snapshot,
      symbols: ["SPY", "QQQ", "IWM", "NVDA", "BTC-USD"],
      cycleNumber: 460,
    });
    const out = runOffline(input);
    if (process.env.SHOW_DISPATCH) console.log(`${out.dispatch.title}\n\n${out.dispatch.body}`);

    const spy = lastBarAtOrBefore(full.SPY as Bar[], AT, "us_equity") as Bar;
    const vix = lastBarAtOrBefore(full["^VIX"] as Bar[], AT, "us_equity") as Bar;
    expect(spy.date).toBe("2026-03-31");
    expect(out.regime.inputs.vix).toBe(vix.close);
    expect(out.dispatch.body).toContain(`SPY ${price(spy.close)}`);
    expect(out.dispatch.body).toContain(`VIX ${price(vix.close)}`);
    expect(out.dispatch.body).toContain(`10Y ${macroValue("DGS10").toFixed(2)}%`);
    expect(out.dispatch.debateLine).toMatch(/^Debate: \w+ \| Conviction \d+% \| Macro/);

    expect(out.calls.length).toBeGreaterThan(0);
    for (const call of out.calls) {
      const bars = full[call.spec.symbol] as Bar[];
      const assetClass = assetClassOf(call.spec.symbol);
      expect(call.entryPrice).toBe(lastBarAtOrBefore(bars, AT, assetClass)?.close);
      const resolution = resolveCall({
        call: call.spec,
        bars: { [call.spec.symbol]: bars },
        dataThrough: barCloseTime((bars.at(-1) as Bar).date, assetClass),
      });
      expect(["right", "wrong", "void"]).toContain(resolution.status);
      if (resolution.status !== "pending") expect(resolution.entry).toBe(call.entryPrice);
    }
  });
});
