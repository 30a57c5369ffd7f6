import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fitBeforeSplit } from "../../src/backtest/fit.ts";
import { ReplayMarket } from "../../src/market/replay.ts";
import { hasSharedData, SHARED_DATA } from "../support/shared-data.ts";

const SPLIT = "2023-01-01";
const FROM = "2022-10-03";
const SYMBOLS = ["SPY", "QQQ", "IWM", "AAPL", "BTC-USD"];

/** The same history, with every price dated on or after the split rewritten (a crash, then a melt-up). */
async function rewrittenAfterSplit(dir: string): Promise<void> {
  await cp(SHARED_DATA, dir, { recursive: true });
  for (const file of (await readdir(dir)).filter((f) => f.endsWith(".csv"))) {
    const lines = (await readFile(path.join(dir, file), "utf8")).split("\n");
    const rewritten = lines.map((line, i) => {
      const [date, ...fields] = line.split(",");
      if (i === 0 || !date || date < SPLIT) return line;
      const factor = i % 2 ? 0.7 : 1.6;
      return [date, ...fields.map((f, j) => (f === "" || j === 4 ? f : String(Number(f) * factor)))].join(
        ",",
      );
    });
    await writeFile(path.join(dir, file), rewritten.join("\n"));
  }
}

describe.skipIf(!hasSharedData)("the fit reads nothing from after the split", () => {
  let altered: string;
  beforeAll(async () => {
    altered = await mkdtemp(path.join(tmpdir(), "tapereader-split-"));
    await rewrittenAfterSplit(altered);
  });
  afterAll(async () => {
    await rm(altered, { recursive: true, force: true });
  });

  it("fits the same model whatever the prices after the split were", async () => {
    const fitOn = (dir: string) =>
      fitBeforeSplit({ market: new ReplayMarket(dir).source(), symbols: SYMBOLS, from: FROM, split: SPLIT });
    const real = await fitOn(SHARED_DATA);
    const rewritten = await fitOn(altered);
    expect(real.samples).toBeGreaterThan(500);
    expect(rewritten).toEqual(real);
    // The last questions of December are decided in January: the fit dropped them rather than peek.
    const late = await fitBeforeSplit({
      market: new ReplayMarket(SHARED_DATA).source(),
      symbols: SYMBOLS,
      from: FROM,
      split: "2023-01-04",
    });
    expect(late.samples).toBeGreaterThan(real.samples);
  }, 600_000);
});
