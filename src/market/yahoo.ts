import { DateTime, IANAZone } from "luxon";
import { z } from "zod";
import { assetClassOf, type Bar, barCloseTime } from "../domain/bars.ts";
import { quoteFromBars, visibleBars } from "./bar-quotes.ts";
import { defaultHttp, getJson, type HttpOptions, ProviderError } from "./http.ts";
import type {
  BarSeries,
  CryptoPort,
  DateRange,
  IntradayBar,
  IntradayMinutes,
  Quote,
  QuotePort,
} from "./ports.ts";

export const YAHOO_BASE_URL = "https://query1.finance.yahoo.com";

const series = z.array(z.number().nullable());
/** Unix seconds a Date can hold; anything else is a corrupt body, not a moment. */
const seconds = z.number().int().min(0).max(8.64e12);

/** The v8 chart answer: either `result` or `error`, never both. */
const chartSchema = z.object({
  chart: z.object({
    result: z
      .array(
        z.object({
          meta: z.object({
            symbol: z.string(),
            // Every bar is dated in this zone: an unknown one would date none of them.
            exchangeTimezoneName: z
              .string()
              .refine((zone) => IANAZone.isValidZone(zone), "an IANA time zone"),
            regularMarketPrice: z.number().optional(),
            regularMarketTime: seconds.optional(),
            regularMarketVolume: z.number().optional(),
          }),
          timestamp: z.array(seconds).optional(),
          indicators: z.object({
            quote: z.array(
              z.object({ open: series, high: series, low: series, close: series, volume: series }).partial(),
            ),
          }),
        }),
      )
      .nullable(),
    error: z.object({ code: z.string(), description: z.string() }).nullable(),
  }),
});
type ChartResult = NonNullable<z.infer<typeof chartSchema>["chart"]["result"]>[number];

/** Yahoo's chart API is unofficial: good enough to read, not the record of last resort. */
const YAHOO = { source: "yahoo", trust: "secondary" as const };

/** Quotes and daily bars from Yahoo's keyless chart API; also serves crypto (BTC-USD). */
export class YahooQuotes implements QuotePort, CryptoPort {
  readonly name = YAHOO.source;

  constructor(
    private readonly baseUrl = YAHOO_BASE_URL,
    private readonly http: HttpOptions = defaultHttp(),
  ) {}

  async dailyBars(symbol: string, range: DateRange, asOf: Date): Promise<BarSeries> {
    const start = DateTime.fromISO(range.from, { zone: "utc" }).toSeconds();
    const end = Math.min(
      DateTime.fromISO(range.to, { zone: "utc" }).plus({ days: 1 }).toSeconds(),
      asOf.getTime() / 1000,
    );
    const result = await this.chart(symbol, start, end);
    const bars = visibleBars(symbol, barsOf(result), range, asOf);
    return { ...YAHOO, symbol, bars };
  }

  async latestQuote(symbol: string, asOf: Date): Promise<Quote> {
    const end = asOf.getTime() / 1000;
    const result = await this.chart(symbol, end - 10 * 86_400, end);
    const assetClass = assetClassOf(symbol);
    const closed = barsOf(result).filter((bar) => barCloseTime(bar.date, assetClass) <= asOf);
    const { regularMarketPrice, regularMarketTime, regularMarketVolume, exchangeTimezoneName } = result.meta;
    const lastClose = closed.at(-1);
    // The live trade price is usable only when it is not newer than asOf (a cycle asking "now")
    // and not older than the last closed bar (a replayed moment in the past).
    if (regularMarketPrice !== undefined && regularMarketTime !== undefined && regularMarketTime <= end) {
      const time = new Date(regularMarketTime * 1000);
      if (!lastClose || barCloseTime(lastClose.date, assetClass) <= time) {
        const session = DateTime.fromJSDate(time, { zone: exchangeTimezoneName }).toISODate()!;
        return {
          ...YAHOO,
          symbol,
          price: regularMarketPrice,
          time,
          session,
          previousClose: closed.filter((bar) => bar.date < session).at(-1)?.close,
          volume: regularMarketVolume,
        };
      }
    }
    return quoteFromBars(YAHOO, symbol, closed, asOf);
  }

  /** Completed bars of the last three days; the bar still forming at asOf is left out. */
  async intradayBars(symbol: string, minutes: IntradayMinutes, asOf: Date): Promise<IntradayBar[]> {
    const end = asOf.getTime() / 1000;
    const result = await this.chart(symbol, end - 3 * 86_400, end, `${minutes}m`);
    return rowsOf(result)
      .map(({ seconds, ...bar }) => ({
        ...bar,
        start: new Date(seconds * 1000),
        end: new Date((seconds + minutes * 60) * 1000),
      }))
      .filter((bar) => bar.end <= asOf);
  }

  cryptoQuote(symbol: string, asOf: Date): Promise<Quote> {
    return this.latestQuote(symbol, asOf);
  }

  private async chart(
    symbol: string,
    period1: number,
    period2: number,
    interval = "1d",
  ): Promise<ChartResult> {
    const url = `${this.baseUrl}/v8/finance/chart/${encodeURIComponent(symbol)}?period1=${Math.floor(period1)}&period2=${Math.floor(period2)}&interval=${interval}&includePrePost=false&events=div%2Csplit`;
    const body = await getJson(this.name, url, this.http, chartSchema);
    const result = body.chart.result?.[0];
    if (!result) {
      const error = body.chart.error;
      throw new ProviderError(
        this.name,
        `${symbol}: ${error ? `${error.code}: ${error.description}` : "empty chart"}`,
      );
    }
    return result;
  }
}

interface Row {
  seconds: number;
  open?: number;
  high?: number;
  low?: number;
  close: number;
  volume?: number;
}

/** Rows of the chart arrays; a row with a null close (halts, gaps) is dropped rather than filled. */
function rowsOf(result: ChartResult): Row[] {
  const quote = result.indicators.quote[0] ?? {};
  const rows: Row[] = [];
  (result.timestamp ?? []).forEach((seconds, i) => {
    const close = quote.close?.[i];
    if (close === null || close === undefined || close <= 0) return;
    const row: Row = { seconds, close };
    const open = quote.open?.[i];
    const high = quote.high?.[i];
    const low = quote.low?.[i];
    const volume = quote.volume?.[i];
    if (open) row.open = open;
    if (high) row.high = high;
    if (low) row.low = low;
    if (volume !== null && volume !== undefined) row.volume = Math.round(volume);
    rows.push(row);
  });
  return rows;
}

/** Daily rows are stamped at the session open; their date is the exchange's calendar date. */
function barsOf(result: ChartResult): Bar[] {
  return rowsOf(result).map(({ seconds, ...bar }) => ({
    date: DateTime.fromSeconds(seconds, { zone: result.meta.exchangeTimezoneName }).toISODate()!,
    ...bar,
  }));
}
