import { assetClassOf, type Bar, barCloseTime } from "../domain/bars.ts";
import type { Observation, QualityFlag, Snapshot, Trust } from "../domain/observation.ts";
import { addDays, newYorkDate } from "./calendar.ts";
import { MissingDataFile } from "./csv-bars.ts";
import { NoData } from "./http.ts";
import { isMonthly, releasedAt } from "./macro.ts";
import type { MacroPoint, MarketSource, Quote } from "./ports.ts";
import { calendarFlags, quoteFlags, readMacro, trustFlags } from "./quality.ts";
import { DEFAULT_MACRO_SERIES, DEFAULT_SYMBOLS, isCrypto, isSingleStock } from "./symbols.ts";

export interface SnapshotOptions {
  symbols?: readonly string[];
  macroSeries?: readonly string[];
  /** Calendar days of daily history per symbol. */
  historyDays?: number;
  headlines?: number;
  filingForms?: readonly string[];
  filingDays?: number;
}

/**
 * Everything a cycle may look at as of `at`, read in parallel from one source. A failed input
 * becomes an observation with a null value and a flag; nothing newer than `at` gets in.
 */
export async function buildSnapshot(
  source: MarketSource,
  at: Date,
  options: SnapshotOptions = {},
): Promise<Snapshot> {
  const symbols = options.symbols ?? DEFAULT_SYMBOLS;
  const macroSeries = options.macroSeries ?? DEFAULT_MACRO_SERIES;
  const [quotes, macro, headlines, filings] = await Promise.all([
    Promise.all(symbols.map((symbol) => observeSymbol(source, symbol, at, options.historyDays ?? 365))),
    Promise.all(macroSeries.map((id) => observeMacro(source, id, at))),
    observeHeadlines(source, at, options.headlines ?? 12),
    observeFilings(source, symbols, at, options),
  ]);
  const flags = calendarFlags(at);
  if (source.kind === "simulated") flags.push("simulated");
  return {
    at,
    source: source.kind,
    observations: [...quotes.map((q) => q.observation), ...macro, ...headlines, ...filings],
    history: Object.fromEntries(quotes.map((q) => [q.symbol, q.history])),
    flags,
  };
}

async function observeSymbol(source: MarketSource, symbol: string, at: Date, historyDays: number) {
  const crypto = isCrypto(symbol);
  const kind = crypto ? "crypto" : "quote";
  const id = `${kind}:${symbol}`;
  const to = crypto ? at.toISOString().slice(0, 10) : newYorkDate(at);
  const [quote, series] = await Promise.allSettled([
    crypto ? source.crypto.cryptoQuote(symbol, at) : source.quotes.latestQuote(symbol, at),
    source.quotes.dailyBars(symbol, { from: addDays(to, -historyDays), to }, at),
  ]);
  const history = series.status === "fulfilled" ? series.value.bars : [];
  const historyProblem =
    series.status === "rejected" ? messageOf(series.reason) : futureBars(symbol, history, at);
  let observation: Observation;
  if (quote.status === "rejected") {
    observation = failed(source, id, kind, symbol, at, quote.reason);
  } else if (quote.value.time > at) {
    observation = failed(
      source,
      id,
      kind,
      symbol,
      at,
      `${quote.value.source} returned a price from after ${at.toISOString()}`,
    );
  } else {
    observation = quoteObservation(id, kind, quote.value, at);
  }
  if (historyProblem) {
    // Once: a symbol whose quote failed as well is already flagged.
    if (!observation.flags.includes("source_down")) observation.flags.push("source_down");
    observation.payload.historyError = historyProblem;
  }
  return { symbol, observation, history: historyProblem ? [] : history };
}

function quoteObservation(id: string, kind: "quote" | "crypto", quote: Quote, at: Date): Observation {
  const change = quote.previousClose ? quote.price / quote.previousClose - 1 : null;
  return {
    id,
    source: quote.source,
    kind,
    symbol: quote.symbol,
    value: quote.price,
    payload: {
      session: quote.session,
      previousClose: quote.previousClose ?? null,
      changePct: change === null ? null : Number((change * 100).toFixed(3)),
      volume: quote.volume ?? null,
    },
    asOf: quote.time,
    trust: quote.trust,
    flags: quoteFlags(quote, at),
  };
}

async function observeMacro(source: MarketSource, id: string, at: Date): Promise<Observation> {
  try {
    const series = await source.macro.series(id, at);
    const { latest, previous, flags } = readMacro(id, series.points, series.trust, at);
    const asOf = latest ? releasedAt(id, latest.date) : at;
    if (asOf > at)
      return failed(
        source,
        `macro:${id}`,
        "macro",
        id,
        at,
        `${series.source} returned a value released after ${at.toISOString()}`,
      );
    return {
      id: `macro:${id}`,
      source: series.source,
      kind: "macro",
      symbol: id,
      value: latest?.value ?? null,
      payload: {
        date: latest?.date ?? null,
        previous: previous?.value ?? null,
        previousDate: previous?.date ?? null,
        recent: recentPoints(id, series.points),
      },
      asOf,
      trust: series.trust,
      flags,
    };
  } catch (error) {
    return failed(source, `macro:${id}`, "macro", id, at, error);
  }
}

/** Monthly: 16 prints, enough for inflation a year ago and three months before; daily: about six weeks. */
const RECENT_MONTHLY = 16;
const RECENT_DAILY = 30;

/** The series' latest released values, oldest first: the trend the desk reads (CPI y/y, the 2y's path). */
function recentPoints(id: string, points: readonly MacroPoint[]): { date: string; value: number }[] {
  return points
    .flatMap((p) => (p.value === null ? [] : [{ date: p.date, value: p.value }]))
    .slice(-(isMonthly(id) ? RECENT_MONTHLY : RECENT_DAILY));
}

async function observeHeadlines(source: MarketSource, at: Date, limit: number): Promise<Observation[]> {
  try {
    const { headlines, failedFeeds } = await source.news.headlines(at, limit);
    const down = failedFeeds.map(({ feed, error }) =>
      failed(source, `headline:${feed}:unavailable`, "headline", null, at, new Error(error)),
    );
    const read = headlines
      .filter((h) => h.publishedAt <= at)
      .map((h, i) => ({
        id: `headline:${h.feed}:${i}`,
        source: h.source,
        kind: "headline" as const,
        symbol: null,
        value: null,
        payload: { title: h.title, link: h.link, feed: h.feed },
        asOf: h.publishedAt,
        trust: h.trust,
        flags: trustFlags(h.trust),
      }));
    return [...read, ...down];
  } catch (error) {
    return [failed(source, "headline:unavailable", "headline", null, at, error)];
  }
}

async function observeFilings(
  source: MarketSource,
  symbols: readonly string[],
  at: Date,
  options: SnapshotOptions,
): Promise<Observation[]> {
  const since = new Date(at.getTime() - (options.filingDays ?? 3) * 86_400_000);
  const query = {
    forms: [...(options.filingForms ?? ["8-K", "4"])],
    symbols: symbols.filter(isSingleStock),
    since,
  };
  try {
    const filings = await source.filings.recentFilings(query, at);
    return filings
      .filter((f) => f.filedAt <= at)
      .map((f) => ({
        id: `filing:${f.accession}`,
        source: f.source,
        kind: "filing" as const,
        symbol: f.symbol,
        value: null,
        payload: {
          form: f.form,
          company: f.company,
          cik: f.cik,
          accession: f.accession,
          title: f.title,
          link: f.link,
        },
        asOf: f.filedAt,
        trust: f.trust,
        flags: [...trustFlags(f.trust), ...(f.parsed ? [] : (["unparsed_filing"] as QualityFlag[]))],
      }));
  } catch (error) {
    return [failed(source, "filing:unavailable", "filing", null, at, error)];
  }
}

/** A missing input: no value, the reason in the payload, and a flag. */
function failed(
  source: MarketSource,
  id: string,
  kind: Observation["kind"],
  symbol: string | null,
  at: Date,
  error: unknown,
): Observation {
  const trust: Trust = source.kind === "simulated" ? "simulated" : "untrusted";
  const missing = error instanceof NoData || error instanceof MissingDataFile;
  return {
    id,
    source: source.kind,
    kind,
    symbol,
    value: null,
    payload: { error: messageOf(error) },
    asOf: at,
    trust,
    flags: [
      missing ? "missing_value" : "source_down",
      ...(trust === "simulated" ? (["simulated"] as const) : []),
    ],
  };
}

function futureBars(symbol: string, bars: readonly Bar[], at: Date): string | undefined {
  const late = bars.find((bar) => barCloseTime(bar.date, assetClassOf(symbol)) > at);
  return late ? `history holds ${symbol} ${late.date}, which closed after ${at.toISOString()}` : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
