import { DateTime } from "luxon";
import { z } from "zod";
import { defaultHttp, getJson, type HttpOptions, NoData } from "./http.ts";
import type { CryptoPort, Quote } from "./ports.ts";

export const COINGECKO_BASE_URL = "https://api.coingecko.com";

const COIN_IDS: Record<string, string> = { "BTC-USD": "bitcoin", "ETH-USD": "ethereum" };

/** [epoch ms, value]; a time no Date can hold is a corrupt body, not a moment. */
const point = z.tuple([z.number().int().min(0).max(8.64e15), z.number().nullable()]);
const rangeSchema = z.object({ prices: z.array(point), total_volumes: z.array(point).optional() });

/** CoinGecko's keyless market_chart/range: a price path up to asOf, so a past moment is answerable too. */
export class CoinGeckoCrypto implements CryptoPort {
  readonly name = "coingecko";

  constructor(
    private readonly baseUrl = COINGECKO_BASE_URL,
    private readonly http: HttpOptions = defaultHttp(),
  ) {}

  async cryptoQuote(symbol: string, asOf: Date): Promise<Quote> {
    const id = COIN_IDS[symbol];
    if (!id) throw new NoData(this.name, `no CoinGecko id for ${symbol}`);
    const to = Math.floor(asOf.getTime() / 1000);
    const from = to - 2 * 86_400;
    const url = `${this.baseUrl}/api/v3/coins/${id}/market_chart/range?vs_currency=usd&from=${from}&to=${to}`;
    const body = await getJson(this.name, url, this.http, rangeSchema);
    const prices = body.prices.filter(
      (p): p is [number, number] => p[1] !== null && p[1] > 0 && p[0] <= asOf.getTime(),
    );
    const last = prices.at(-1);
    if (!last) throw new NoData(this.name, `no ${symbol} price at or before ${asOf.toISOString()}`);
    const time = new Date(last[0]);
    const session = DateTime.fromJSDate(time, { zone: "utc" }).toISODate()!;
    // Crypto "sessions" are UTC days: the previous close is the last price before today's UTC midnight.
    const midnight = DateTime.fromISO(session, { zone: "utc" }).toMillis();
    const previous = prices.filter((p) => p[0] < midnight).at(-1);
    return {
      source: this.name,
      trust: "secondary",
      symbol,
      price: last[1],
      time,
      session,
      previousClose: previous?.[1],
    };
  }
}
