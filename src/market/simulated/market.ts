import { assetClassOf, barCloseTime, lastBarAtOrBefore } from "../../domain/bars.ts";
import { quoteFromBars, visibleBars } from "../bar-quotes.ts";
import { newYorkDate, previousTradingDay } from "../calendar.ts";
import { ProviderError } from "../http.ts";
import { releasedAt } from "../macro.ts";
import type { Filing, FilingQuery, Headline, MarketSource } from "../ports.ts";
import { isSingleStock } from "../symbols.ts";
import { type SimulatedHistory, simulate } from "./generator.ts";
import { COMPANY_NAMES } from "./params.ts";
import { Random } from "./random.ts";

const SIMULATED = { source: "simulated", trust: "simulated" as const };

/**
 * A seeded market that needs no files and no network. Everything it returns is labelled
 * "simulated" (source and trust), and every headline and filing says so in its title.
 */
export class SimulatedMarket {
  private history: SimulatedHistory | undefined;
  private through = "";

  constructor(private readonly seed: number) {}

  source(): MarketSource {
    const name = SIMULATED.source;
    return {
      kind: "simulated",
      quotes: {
        name,
        latestQuote: async (symbol, asOf) =>
          quoteFromBars(SIMULATED, symbol, this.barsOf(symbol, asOf), asOf),
        dailyBars: async (symbol, range, asOf) => ({
          ...SIMULATED,
          symbol,
          bars: visibleBars(symbol, this.barsOf(symbol, asOf), range, asOf),
        }),
      },
      crypto: {
        name,
        cryptoQuote: async (symbol, asOf) =>
          quoteFromBars(SIMULATED, symbol, this.barsOf(symbol, asOf), asOf),
      },
      macro: {
        name,
        series: async (id, asOf) => {
          const points = this.historyThrough(asOf).macro[id];
          if (!points) throw new ProviderError(name, `no simulated series ${id}`);
          return { ...SIMULATED, id, points: points.filter((p) => releasedAt(id, p.date) <= asOf) };
        },
      },
      filings: { name, recentFilings: async (query, asOf) => this.filings(query, asOf) },
      news: {
        name,
        headlines: async (asOf, limit) => ({
          headlines: this.headlines(asOf).slice(0, limit),
          failedFeeds: [],
        }),
      },
    };
  }

  private historyThrough(asOf: Date): SimulatedHistory {
    const date = asOf.toISOString().slice(0, 10);
    // The path is prefix-stable, so one run through the latest date serves every earlier moment.
    if (!this.history || date > this.through) {
      this.history = simulate(this.seed, date);
      this.through = date;
    }
    return this.history;
  }

  private barsOf(symbol: string, asOf: Date) {
    const bars = this.historyThrough(asOf).bars[symbol];
    if (!bars) throw new ProviderError(SIMULATED.source, `no simulated symbol ${symbol}`);
    return bars;
  }

  /** A market wrap after each of the last three closes, written from the simulated bars themselves. */
  private headlines(asOf: Date): Headline[] {
    const spy = this.barsOf("SPY", asOf);
    const vix = this.barsOf("^VIX", asOf);
    const headlines: Headline[] = [];
    let session = lastBarAtOrBefore(spy, asOf, "us_equity")?.date;
    for (let i = 0; i < 3 && session; i++, session = previousTradingDay(session)) {
      const day = spy.findIndex((bar) => bar.date === session);
      const today = spy[day];
      const before = spy[day - 1];
      const vixToday = vix.find((bar) => bar.date === session);
      if (!today || !before || !vixToday) break;
      const change = (today.close / before.close - 1) * 100;
      const verb = change >= 0.5 ? "rally" : change <= -0.5 ? "slide" : "drift";
      headlines.push({
        ...SIMULATED,
        feed: "simulated",
        title: `[Simulated] Stocks ${verb} ${change >= 0 ? "+" : ""}${change.toFixed(2)}% as VIX ends at ${vixToday.close.toFixed(1)}`,
        link: "",
        publishedAt: new Date(barCloseTime(session, "us_equity").getTime() + 15 * 60_000),
      });
    }
    return headlines;
  }

  /** A few 8-Ks and Form 4s per week, drawn from a seed of their own per day so they never move. */
  private filings(query: FilingQuery, asOf: Date): Filing[] {
    const stocks = query.symbols.filter((s) => isSingleStock(s) && COMPANY_NAMES[s]);
    const filings: Filing[] = [];
    for (
      let day = newYorkDate(asOf);
      new Date(`${day}T23:59:59Z`) >= query.since;
      day = previousTradingDay(day)
    ) {
      const rng = new Random(this.seed ^ Number(day.replaceAll("-", "")));
      for (const form of ["8-K", "4"]) {
        const symbol = stocks[Math.floor(rng.uniform() * stocks.length)];
        const files = rng.uniform() < (form === "8-K" ? 0.25 : 0.35);
        const filedAt = new Date(barCloseTime(day, assetClassOf("SPY")).getTime() + 30 * 60_000);
        if (!symbol || !files || !query.forms.includes(form) || filedAt > asOf || filedAt < query.since)
          continue;
        filings.push({
          ...SIMULATED,
          form,
          company: COMPANY_NAMES[symbol]!,
          cik: "",
          accession: `SIM-${day}-${form}`,
          filedAt,
          link: "",
          title: `[Simulated] ${form} - ${COMPANY_NAMES[symbol]}`,
          symbol,
          parsed: true,
        });
      }
    }
    return filings;
  }
}
