import { describe, expect, it } from "vitest";
import type { Bar } from "../../src/domain/bars.ts";
import { cryptoInOrder } from "../../src/market/fallback.ts";
import { NoData, ProviderError } from "../../src/market/http.ts";
import type { CryptoPort, MarketSource, Quote } from "../../src/market/ports.ts";
import { calendarFlags, quoteFlags } from "../../src/market/quality.ts";
import { buildSnapshot } from "../../src/market/snapshot.ts";

const AT = new Date("2026-04-02T18:00:00Z"); // Thursday 14:00 New York, market open

function quote(overrides: Partial<Quote>): Quote {
  return {
    source: "test",
    trust: "secondary",
    symbol: "SPY",
    price: 650,
    time: new Date("2026-04-01T20:00:00Z"),
    session: "2026-04-01",
    previousClose: 648,
    volume: 1_000_000,
    ...overrides,
  };
}

describe("quality flags on a quote", () => {
  it("passes a fresh, normal quote", () => {
    expect(quoteFlags(quote({}), AT)).toEqual([]);
  });

  it("flags a quote older than the last closed session", () => {
    expect(quoteFlags(quote({ session: "2026-03-31" }), AT)).toEqual(["stale_quote"]);
    // Over Good Friday and the weekend, Thursday's close is still the latest.
    expect(quoteFlags(quote({ session: "2026-04-02" }), new Date("2026-04-06T12:00:00Z"))).toEqual([]);
  });

  it("flags zero and missing volume, except for an index", () => {
    expect(quoteFlags(quote({ volume: 0 }), AT)).toEqual(["zero_volume"]);
    expect(quoteFlags(quote({ volume: undefined }), AT)).toEqual(["missing_volume"]);
    expect(
      quoteFlags(quote({ symbol: "^VIX", price: 20, previousClose: 19, volume: undefined }), AT),
    ).toEqual([]);
  });

  it("flags implausible levels and jumps", () => {
    expect(quoteFlags(quote({ price: 1300 }), AT)).toEqual(["out_of_range"]);
    expect(
      quoteFlags(quote({ symbol: "^VIX", price: 2, previousClose: 2.1, volume: undefined }), AT),
    ).toEqual(["out_of_range"]);
  });

  it("judges crypto staleness by UTC days", () => {
    const btc = quote({ symbol: "BTC-USD", session: "2026-03-31", price: 68000, previousClose: 67000 });
    expect(quoteFlags(btc, AT)).toEqual(["stale_quote"]);
    expect(quoteFlags({ ...btc, session: "2026-04-01" }, AT)).toEqual([]);
  });
});

describe("calendar flags", () => {
  it("says when the market is closed and when it is a holiday", () => {
    expect(calendarFlags(AT)).toEqual([]);
    expect(calendarFlags(new Date("2026-04-02T21:00:00Z"))).toEqual(["market_closed"]);
    expect(calendarFlags(new Date("2026-04-03T15:00:00Z"))).toEqual(["holiday", "market_closed"]);
    expect(calendarFlags(new Date("2026-04-04T15:00:00Z"))).toEqual(["market_closed"]);
  });
});

const bar = (date: string, close: number): Bar => ({ date, close, volume: 1000 });
const fail = (error: Error) => async () => {
  throw error;
};

/** A source whose ports misbehave in the ways providers do. */
function troubledSource(): MarketSource {
  return {
    kind: "live",
    quotes: {
      name: "fake",
      latestQuote: async (symbol) => {
        if (symbol === "QQQ") throw new ProviderError("yahoo", "down after 4 attempts (HTTP 503)");
        if (symbol === "IWM") return quote({ symbol, time: new Date("2026-04-02T19:00:00Z") }); // after AT
        return quote({ symbol });
      },
      dailyBars: async (symbol) => ({
        source: "fake",
        trust: "secondary",
        symbol,
        bars: symbol === "DIA" ? [bar("2026-04-01", 400), bar("2026-04-02", 401)] : [bar("2026-04-01", 650)],
      }),
    },
    crypto: { name: "fake", cryptoQuote: fail(new NoData("coingecko", "no BTC-USD price")) },
    macro: {
      name: "fake",
      series: async (id) => ({
        source: "fred",
        trust: "primary",
        id,
        points: [
          { date: "2026-03-30", value: 4.31 },
          { date: "2026-03-31", value: id === "DGS10" ? 4.3 : 99 },
        ],
      }),
    },
    filings: {
      name: "fake",
      recentFilings: async () => [
        {
          source: "sec-edgar",
          trust: "primary",
          form: "8-K",
          company: "?",
          cik: "",
          accession: "x",
          filedAt: new Date("2026-04-02T15:00:00Z"),
          link: "",
          title: "8-K GARBLED",
          symbol: null,
          parsed: false,
        },
      ],
    },
    news: { name: "fake", headlines: fail(new ProviderError("rss", "every feed failed")) },
  };
}

describe("buildSnapshot", () => {
  it("turns every failure into a null value with a named flag, never a number", async () => {
    const snapshot = await buildSnapshot(troubledSource(), AT, {
      symbols: ["SPY", "QQQ", "IWM", "DIA", "BTC-USD"],
      macroSeries: ["DGS10", "DGS2"],
    });
    const byId = Object.fromEntries(snapshot.observations.map((o) => [o.id, o]));
    expect(byId["quote:SPY"]).toMatchObject({ value: 650, flags: [] });
    expect(byId["quote:QQQ"]).toMatchObject({ value: null, flags: ["source_down"], trust: "untrusted" });
    expect(byId["quote:QQQ"]!.payload.error).toContain("HTTP 503");
    // A provider that answers with a price from after the snapshot's moment is not believed.
    expect(byId["quote:IWM"]).toMatchObject({ value: null, flags: ["source_down"] });
    // History holding a bar that had not closed at `at` is dropped and flagged.
    expect(byId["quote:DIA"]!.flags).toContain("source_down");
    expect(snapshot.history.DIA).toEqual([]);
    expect(byId["crypto:BTC-USD"]).toMatchObject({ value: null, flags: ["missing_value"] });
    expect(byId["macro:DGS10"]).toMatchObject({ value: 4.3, flags: [] });
    expect(byId["macro:DGS2"]).toMatchObject({ value: 99, flags: ["out_of_range"] });
    expect(byId["filing:x"]!.flags).toEqual(["unparsed_filing"]);
    expect(byId["headline:unavailable"]).toMatchObject({ value: null, flags: ["source_down"] });
    expect(snapshot.flags).toEqual([]);
  });

  it("keeps the headlines of live feeds and flags the one that failed", async () => {
    const headline = {
      source: "dw",
      trust: "secondary" as const,
      feed: "dw",
      title: "Markets steady",
      link: "",
      publishedAt: new Date("2026-04-02T12:00:00Z"),
    };
    const source: MarketSource = {
      ...troubledSource(),
      news: {
        name: "fake",
        headlines: async () => ({
          headlines: [headline],
          failedFeeds: [{ feed: "bbc", error: "bbc: HTTP 502" }],
        }),
      },
    };
    const snapshot = await buildSnapshot(source, AT, { symbols: ["SPY"], macroSeries: [] });
    const news = snapshot.observations.filter((o) => o.kind === "headline");
    expect(news.map((o) => [o.id, o.flags])).toEqual([
      ["headline:dw:0", []],
      ["headline:bbc:unavailable", ["source_down"]],
    ]);
    expect(news[1]?.payload.error).toContain("HTTP 502");
  });
});

describe("fallback order", () => {
  const port = (name: string, answer: () => Promise<Quote>): CryptoPort => ({ name, cryptoQuote: answer });

  it("uses the next provider when the first is down", async () => {
    const chain = cryptoInOrder([
      port("yahoo", fail(new ProviderError("yahoo", "HTTP 429"))),
      port("coingecko", async () => quote({ symbol: "BTC-USD", source: "coingecko" })),
    ]);
    expect((await chain.cryptoQuote("BTC-USD", AT)).source).toBe("coingecko");
  });

  it("is down if any provider was down, missing only if all lacked the value", async () => {
    const down = cryptoInOrder([
      port("yahoo", fail(new ProviderError("yahoo", "HTTP 503"))),
      port("coingecko", fail(new NoData("coingecko", "no price"))),
    ]);
    const error = await down.cryptoQuote("BTC-USD", AT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).not.toBeInstanceOf(NoData);
    expect((error as Error).message).toBe("yahoo > coingecko: yahoo: HTTP 503 | coingecko: no price");
    const missing = cryptoInOrder([
      port("a", fail(new NoData("a", "none"))),
      port("b", fail(new NoData("b", "none"))),
    ]);
    await expect(missing.cryptoQuote("BTC-USD", AT)).rejects.toBeInstanceOf(NoData);
  });
});
