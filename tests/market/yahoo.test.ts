import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { ProviderError } from "../../src/market/http.ts";
import { YahooQuotes } from "../../src/market/yahoo.ts";
import { fakeProvider, fastHttp } from "./fake-provider.ts";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
const server = fakeProvider();
const yahoo = () => new YahooQuotes(server.url, fastHttp());

describe("Yahoo chart adapter", () => {
  beforeEach(() => server.reset());

  it("reads daily bars, dating each by the exchange's time zone and dropping null rows", async () => {
    server.route("/v8/finance/chart/SPY", { body: fixture("yahoo-chart-spy.json") });
    const { bars, source, trust } = await yahoo().dailyBars(
      "SPY",
      { from: "2026-03-01", to: "2026-04-30" },
      new Date("2026-04-03T00:00:00Z"),
    );
    expect(source).toBe("yahoo");
    expect(trust).toBe("secondary");
    expect(bars.map((b) => b.date)).toEqual(["2026-03-30", "2026-04-01", "2026-04-02"]);
    expect(bars[1]).toMatchObject({ open: 652.9, close: 655.2399902344, volume: 97841500 });
    expect(server.seen[0]!.path).toMatch(/period1=\d+&period2=\d+&interval=1d/);
  });

  it("never returns a bar whose session had not closed at asOf", async () => {
    server.route("/v8/finance/chart/SPY", { body: fixture("yahoo-chart-spy.json") });
    const asOf = new Date("2026-04-02T15:00:00Z"); // 11:00 New York, the 2nd still trading
    const { bars } = await yahoo().dailyBars("SPY", { from: "2026-03-01", to: "2026-04-30" }, asOf);
    expect(bars.at(-1)!.date).toBe("2026-04-01");
    const quote = await yahoo().latestQuote("SPY", asOf);
    // regularMarketTime (after the 2nd's close) is newer than asOf, so the last closed bar answers.
    expect(quote).toMatchObject({
      price: 655.2399902344,
      session: "2026-04-01",
      previousClose: 632.0100097656,
    });
    expect(quote.time.toISOString()).toBe("2026-04-01T20:00:00.000Z");
  });

  it("uses the live trade price when it is not newer than asOf", async () => {
    server.route("/v8/finance/chart/SPY", { body: fixture("yahoo-chart-spy.json") });
    const quote = await yahoo().latestQuote("SPY", new Date("2026-04-02T22:00:00Z"));
    expect(quote).toMatchObject({
      price: 655.11,
      session: "2026-04-02",
      previousClose: 655.2399902344,
      volume: 68012345,
    });
  });

  it("dates crypto bars by the UTC day and serves them as crypto quotes", async () => {
    server.route("/v8/finance/chart/BTC-USD", { body: fixture("yahoo-chart-btc.json") });
    const quote = await yahoo().cryptoQuote("BTC-USD", new Date("2026-04-02T09:00:00Z"));
    // The 2nd's UTC day has not ended and the live price (10:15) is after asOf: the 1st's close.
    expect(quote).toMatchObject({ price: 67100.2, session: "2026-04-01", previousClose: 68233.31 });
  });

  it("serves completed intraday bars and leaves out the one still forming", async () => {
    server.route("/v8/finance/chart/SPY", { body: fixture("yahoo-chart-spy-5m.json") });
    const asOf = new Date("2026-04-01T13:47:00Z"); // the 13:45 bar ends at 13:50
    const bars = await yahoo().intradayBars("SPY", 5, asOf);
    expect(server.seen[0]!.path).toContain("interval=5m");
    expect(bars.map((b) => [b.start.toISOString(), b.close])).toEqual([
      ["2026-04-01T13:30:00.000Z", 654.55],
      ["2026-04-01T13:35:00.000Z", 654.9],
    ]);
    expect(bars[0]!.end.toISOString()).toBe("2026-04-01T13:35:00.000Z");
  });

  it("retries a 429 'Too Many Requests' and then succeeds", async () => {
    server.route(
      "/v8/finance/chart/SPY",
      { status: 429, body: "Too Many Requests\r\n", headers: { "content-type": "text/plain" } },
      { body: fixture("yahoo-chart-spy.json") },
    );
    const quote = await yahoo().latestQuote("SPY", new Date("2026-04-03T00:00:00Z"));
    expect(quote.price).toBe(655.11);
    expect(server.hits("/v8/finance/chart/SPY")).toHaveLength(2);
  });

  it("gives up after the retries with the provider's own words", async () => {
    server.route("/v8/finance/chart/SPY", { status: 429, body: "Too Many Requests\r\n" });
    const error = await yahoo()
      .latestQuote("SPY", new Date("2026-04-03T00:00:00Z"))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toMatch(/down after 3 attempts \(HTTP 429 Too Many Requests\)/);
    expect(server.hits("/v8/finance/chart/SPY")).toHaveLength(3);
  });

  it("reports Yahoo's error object for an unknown symbol without retrying", async () => {
    server.route("/v8/finance/chart/NOPE", { status: 404, body: fixture("yahoo-chart-notfound.json") });
    await expect(yahoo().latestQuote("NOPE", new Date())).rejects.toThrow(/HTTP 404/);
    expect(server.hits("/v8/finance/chart/NOPE")).toHaveLength(1);
  });

  it("rejects a body that is not a chart", async () => {
    server.route("/v8/finance/chart/SPY", { body: JSON.stringify({ finance: { result: null } }) });
    await expect(yahoo().latestQuote("SPY", new Date())).rejects.toThrow(/unexpected response shape/);
  });
});
