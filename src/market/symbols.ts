import { assetClassOf } from "../domain/bars.ts";

export const DEFAULT_SYMBOLS = [
  "SPY",
  "QQQ",
  "IWM",
  "DIA",
  "AAPL",
  "MSFT",
  "NVDA",
  "AMZN",
  "GOOGL",
  "META",
  "TSLA",
  "^VIX",
  "BTC-USD",
  "ETH-USD",
] as const;

export const DEFAULT_MACRO_SERIES = ["DGS10", "DGS2", "T10Y2Y", "CPIAUCSL", "FEDFUNDS"] as const;

/** Indices (^VIX) have no traded volume; their bars are close-only in most history. */
export function isIndex(symbol: string): boolean {
  return symbol.startsWith("^");
}

export function isCrypto(symbol: string): boolean {
  return assetClassOf(symbol) === "crypto";
}

/** Single stocks among the symbols: the ones that file with the SEC. */
export function isSingleStock(symbol: string): boolean {
  return !isIndex(symbol) && !isCrypto(symbol) && !ETFS.has(symbol);
}

const ETFS = new Set(["SPY", "QQQ", "IWM", "DIA"]);
