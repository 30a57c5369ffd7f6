import { beforeEach, describe, expect, it } from "vitest";
import { CoinGeckoCrypto } from "../../src/market/coingecko.ts";
import { NoData } from "../../src/market/http.ts";
import { fakeProvider, fastHttp } from "./fake-provider.ts";

const server = fakeProvider();

const hour = 3_600_000;
const start = Date.parse("2026-03-31T20:00:00Z");
/** market_chart/range: [ms, value] pairs, hourly for a two-day window. */
const RANGE = JSON.stringify({
  prices: Array.from({ length: 8 }, (_, i) => [start + i * hour, 68000 + i * 100]),
  market_caps: Array.from({ length: 8 }, (_, i) => [start + i * hour, 1.35e12]),
  total_volumes: Array.from({ length: 8 }, (_, i) => [start + i * hour, 3.1e10]),
});

const RATE_LIMITED = JSON.stringify({
  status: {
    error_code: 429,
    error_message:
      "You've exceeded the Rate Limit. Please visit https://www.coingecko.com/en/api/pricing to subscribe to our API plans for higher rate limits.",
  },
});

describe("CoinGecko adapter", () => {
  beforeEach(() => server.reset());

  it("takes the last price at or before asOf and the previous UTC day's last price", async () => {
    server.route("/api/v3/coins/bitcoin/market_chart/range", { body: RANGE });
    const asOf = new Date("2026-04-01T01:30:00Z");
    const quote = await new CoinGeckoCrypto(server.url, fastHttp()).cryptoQuote("BTC-USD", asOf);
    expect(quote).toMatchObject({
      symbol: "BTC-USD",
      price: 68500,
      session: "2026-04-01",
      previousClose: 68300,
    });
    expect(quote.time.toISOString()).toBe("2026-04-01T01:00:00.000Z");
    const to = Math.floor(asOf.getTime() / 1000);
    expect(server.seen[0]!.path).toContain(`vs_currency=usd&from=${to - 2 * 86_400}&to=${to}`);
  });

  it("retries the rate-limit body and reports it when it persists", async () => {
    server.route("/api/v3/coins/ethereum/market_chart/range", {
      status: 429,
      body: RATE_LIMITED,
      headers: { "content-type": "application/json", "retry-after": "0" },
    });
    const gecko = new CoinGeckoCrypto(server.url, fastHttp());
    await expect(gecko.cryptoQuote("ETH-USD", new Date())).rejects.toThrow(
      /HTTP 429 .*exceeded the Rate Limit/,
    );
    expect(server.seen).toHaveLength(3);
    server.reset();
    server.route(
      "/api/v3/coins/bitcoin/market_chart/range",
      { status: 429, body: RATE_LIMITED },
      { body: RANGE },
    );
    expect((await gecko.cryptoQuote("BTC-USD", new Date("2026-04-02T00:00:00Z"))).price).toBe(68700);
  });

  it("answers 'no data' for a window with no prices and for a coin it does not map", async () => {
    server.route("/api/v3/coins/bitcoin/market_chart/range", {
      body: JSON.stringify({ prices: [], market_caps: [], total_volumes: [] }),
    });
    const gecko = new CoinGeckoCrypto(server.url, fastHttp());
    await expect(gecko.cryptoQuote("BTC-USD", new Date())).rejects.toBeInstanceOf(NoData);
    await expect(gecko.cryptoQuote("DOGE-USD", new Date())).rejects.toBeInstanceOf(NoData);
  });
});
