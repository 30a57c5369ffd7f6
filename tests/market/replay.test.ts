import { describe, expect, it } from "vitest";
import { closureName, isTradingDay, tradingDays } from "../../src/market/calendar.ts";
import { readDailyBars } from "../../src/market/csv-bars.ts";
import { ReplayMarket } from "../../src/market/replay.ts";
import { buildSnapshot } from "../../src/market/snapshot.ts";
import { hasSharedData, SHARED_DATA } from "../support/shared-data.ts";

const year = { from: "2025-01-01", to: "2026-12-31" };

describe.skipIf(!hasSharedData)("replay over the shared market history", () => {
  const replay = new ReplayMarket(SHARED_DATA);

  it("serves the SPY close of 2026-04-02 and no bar for Good Friday 2026-04-03", async () => {
    const { bars } = await replay.dailyBars("SPY", year, new Date("2026-04-07T00:00:00Z"));
    expect(bars.find((b) => b.date === "2026-04-02")?.close).toBe(655.83);
    expect(bars.find((b) => b.date === "2026-04-03")).toBeUndefined();
    expect(closureName("2026-04-03")).toBe("Good Friday");
  });

  it("never returns a later bar when asked as of 2026-04-01", async () => {
    const asOf = new Date("2026-04-01T13:00:00Z"); // before the open: the 1st has not closed
    const { bars } = await replay.dailyBars("SPY", year, asOf);
    expect(bars.at(-1)!.date).toBe("2026-03-31");
    const quote = await replay.latestQuote("SPY", asOf);
    expect(quote.session).toBe("2026-03-31");
    expect(quote.time <= asOf).toBe(true);
    const btc = await replay.latestQuote("BTC-USD", asOf);
    expect(btc.session).toBe("2026-03-31"); // the UTC day of the 1st is not over
    const tenYear = await replay.series("DGS10", asOf);
    expect(tenYear.points.at(-1)!.date).toBe("2026-03-31");
  });

  it("builds the snapshot a cycle would see, with nothing newer than its moment", async () => {
    const at = new Date("2026-04-01T13:00:00Z");
    const snapshot = await buildSnapshot(replay.source(), at);
    expect(snapshot.source).toBe("replay");
    expect(snapshot.flags).toEqual(["market_closed"]);
    for (const o of snapshot.observations) expect(o.asOf <= at, o.id).toBe(true);
    expect(snapshot.observations.find((o) => o.id === "quote:SPY")?.value).toBe(650.34);
    expect(snapshot.history.SPY!.length).toBeGreaterThan(240);
    expect(snapshot.history.SPY!.at(-1)!.date).toBe("2026-03-31");
    // VIX has no volume by nature; no observation is flagged missing here.
    expect(snapshot.observations.flatMap((o) => o.flags)).toEqual([]);
  });

  it("flags the gap when asked after the VIX file ends (CBOE snapshot date)", async () => {
    const snapshot = await buildSnapshot(replay.source(), new Date("2026-08-19T18:00:00Z"), {
      symbols: ["SPY", "^VIX"],
      macroSeries: ["DGS10"],
    });
    const vix = snapshot.observations.find((o) => o.id === "quote:^VIX")!;
    expect(vix.flags).toContain("stale_quote");
    expect(snapshot.observations.find((o) => o.id === "quote:SPY")!.flags).toEqual([]);
    expect(snapshot.observations.find((o) => o.id === "macro:DGS10")!.flags).toContain("stale_series");
  });

  it("matches the NYSE calendar: SPY trades exactly on the library's trading days since 2000", async () => {
    const spy = await readDailyBars(SHARED_DATA, "SPY");
    const traded = spy.map((b) => b.date).filter((d) => d >= "2000-01-01");
    expect(traded).toEqual(tradingDays("2000-01-01", traded.at(-1)!));
    expect(isTradingDay("2025-01-09")).toBe(false); // ad hoc closure, mourning for Jimmy Carter
  });
});
