import type { MarketConfig } from "../config/index.ts";
import { CoinGeckoCrypto } from "./coingecko.ts";
import { EdgarFilings } from "./edgar.ts";
import { cryptoInOrder, macroInOrder } from "./fallback.ts";
import { FredApiMacro, FredGraphMacro } from "./fred.ts";
import { defaultHttp } from "./http.ts";
import { configuredFeeds, RssNews } from "./news.ts";
import type { MarketSource } from "./ports.ts";
import { ReplayMarket } from "./replay.ts";
import { SimulatedMarket } from "./simulated/market.ts";
import { YahooQuotes } from "./yahoo.ts";

export * from "./calendar.ts";
export type * from "./ports.ts";
export { buildSnapshot, type SnapshotOptions } from "./snapshot.ts";
export { DEFAULT_MACRO_SERIES, DEFAULT_SYMBOLS } from "./symbols.ts";

/**
 * Live providers with a fallback order per kind: crypto Yahoo then CoinGecko; macro the FRED API
 * when a key is set, then the keyless fredgraph.csv. One HTTP setup (and so one rate limiter) is shared.
 */
export function liveSource(config: MarketConfig): MarketSource {
  const http = defaultHttp({ timeoutMs: config.timeoutMs });
  const yahoo = new YahooQuotes(config.urls.yahoo, http);
  const fredGraph = new FredGraphMacro(config.urls.fred, http);
  return {
    kind: "live",
    quotes: yahoo,
    crypto: cryptoInOrder([yahoo, new CoinGeckoCrypto(config.urls.coingecko, http)]),
    macro: macroInOrder(
      config.fredApiKey
        ? [new FredApiMacro(config.fredApiKey, config.urls.fredApi, http), fredGraph]
        : [fredGraph],
    ),
    filings: new EdgarFilings(config.secUserAgent, { www: config.urls.sec, data: config.urls.secData }, http),
    news: new RssNews(configuredFeeds(config.newsFeeds, config.defaultNewsFeeds), http),
  };
}

/** The source MARKET_SOURCE names: live providers, the replay folder, or the seeded simulation. */
export function marketSource(config: MarketConfig): MarketSource {
  switch (config.source) {
    case "live":
      return liveSource(config);
    case "replay":
      return new ReplayMarket(config.dataDir).source();
    case "simulated":
      return new SimulatedMarket(config.simulationSeed).source();
  }
}
