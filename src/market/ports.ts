import type { Bar } from "../domain/bars.ts";
import type { MarketSourceKind, Trust } from "../domain/observation.ts";

/** Who answered and how far to lean on it; every port result carries it. */
export interface Provenance {
  source: string;
  trust: Trust;
}

/** The last price known at or before the `asOf` the caller asked about. */
export interface Quote extends Provenance {
  symbol: string;
  price: number;
  /** When this price was current (a bar's close time or a trade time), never after `asOf`. */
  time: Date;
  /** The session (YYYY-MM-DD) the price belongs to. */
  session: string;
  previousClose?: number;
  volume?: number;
}

export interface BarSeries extends Provenance {
  symbol: string;
  /** Ascending; only bars whose close time is at or before `asOf`. */
  bars: Bar[];
}

/** A bar inside a session; `end` is when it was complete. */
export interface IntradayBar {
  start: Date;
  end: Date;
  open?: number;
  high?: number;
  low?: number;
  close: number;
  volume?: number;
}

export type IntradayMinutes = 1 | 5 | 15 | 30 | 60;

export interface MacroPoint {
  date: string;
  /** Null where the publisher left the value out (FRED writes "."). */
  value: number | null;
}

export interface MacroSeries extends Provenance {
  id: string;
  /** Ascending; only points already published at `asOf`. */
  points: MacroPoint[];
}

export interface Filing extends Provenance {
  form: string;
  company: string;
  cik: string;
  accession: string;
  filedAt: Date;
  link: string;
  title: string;
  symbol: string | null;
  /** False when the entry was there but its text did not parse (raises `unparsed_filing`). */
  parsed: boolean;
}

export interface Headline extends Provenance {
  feed: string;
  title: string;
  link: string;
  publishedAt: Date;
}

export interface DateRange {
  /** Inclusive YYYY-MM-DD bounds. */
  from: string;
  to: string;
}

/**
 * Every method takes `asOf`: an adapter returns nothing newer than that moment, so a replayed or
 * backtested cycle cannot see the future.
 */
export interface QuotePort {
  readonly name: string;
  latestQuote(symbol: string, asOf: Date): Promise<Quote>;
  dailyBars(symbol: string, range: DateRange, asOf: Date): Promise<BarSeries>;
  /** Completed intraday bars of the last few days, where the source has them (replays of daily CSVs do not). */
  intradayBars?(symbol: string, minutes: IntradayMinutes, asOf: Date): Promise<IntradayBar[]>;
}

export interface CryptoPort {
  readonly name: string;
  cryptoQuote(symbol: string, asOf: Date): Promise<Quote>;
}

export interface MacroPort {
  readonly name: string;
  series(id: string, asOf: Date): Promise<MacroSeries>;
}

export interface FilingQuery {
  forms: string[];
  /** Tickers to look up; an adapter may also return market-wide filings of those forms. */
  symbols: string[];
  since: Date;
}

export interface FilingsPort {
  readonly name: string;
  recentFilings(query: FilingQuery, asOf: Date): Promise<Filing[]>;
}

export interface HeadlineBatch {
  headlines: Headline[];
  /** Feeds that failed while others answered: each becomes a flagged observation, not a silent gap. */
  failedFeeds: { feed: string; error: string }[];
}

export interface NewsPort {
  readonly name: string;
  headlines(asOf: Date, limit: number): Promise<HeadlineBatch>;
}

/** One place a cycle reads the market from: live providers, a replay folder or the simulation. */
export interface MarketSource {
  kind: MarketSourceKind;
  quotes: QuotePort;
  crypto: CryptoPort;
  macro: MacroPort;
  filings: FilingsPort;
  news: NewsPort;
}
