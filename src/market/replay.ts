import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { type Bar, countAtOrBefore } from "../domain/bars.ts";
import { quoteFromBars, visibleBars } from "./bar-quotes.ts";
import { readDailyBars } from "./csv-bars.ts";
import { NoData } from "./http.ts";
import { parseMacroValue, releasedAt } from "./macro.ts";
import type { BarSeries, DateRange, MacroPoint, MacroSeries, MarketSource, Quote } from "./ports.ts";

/**
 * Serves the market ports from a folder of CSVs (`SYMBOL.csv` bars, `SERIES.csv` macro) as of any
 * moment: a bar is visible only once its close time has passed, a macro value once it was released.
 * It has no filings or headlines, so those lists are empty.
 */
/** The folder mirrors Yahoo history, so it is trusted as Yahoo is. */
const PRICES = { source: "replay", trust: "secondary" as const };

export class ReplayMarket {
  readonly name = "replay";
  private readonly bars = new Map<string, Promise<Bar[]>>();
  private readonly macroFiles = new Map<string, Promise<ReleasedPoints>>();

  constructor(private readonly dir: string) {}

  source(): MarketSource {
    return {
      kind: "replay",
      quotes: {
        name: this.name,
        latestQuote: (symbol, asOf) => this.latestQuote(symbol, asOf),
        dailyBars: (symbol, range, asOf) => this.dailyBars(symbol, range, asOf),
      },
      crypto: { name: this.name, cryptoQuote: (symbol, asOf) => this.latestQuote(symbol, asOf) },
      macro: { name: this.name, series: (id, asOf) => this.series(id, asOf) },
      filings: { name: this.name, recentFilings: async () => [] },
      news: { name: this.name, headlines: async () => ({ headlines: [], failedFeeds: [] }) },
    };
  }

  async dailyBars(symbol: string, range: DateRange, asOf: Date): Promise<BarSeries> {
    const bars = visibleBars(symbol, await this.barsOf(symbol), range, asOf);
    return { ...PRICES, symbol, bars };
  }

  async latestQuote(symbol: string, asOf: Date): Promise<Quote> {
    return quoteFromBars(PRICES, symbol, await this.barsOf(symbol), asOf);
  }

  async series(id: string, asOf: Date): Promise<MacroSeries> {
    const { points, released } = await this.macroOf(id);
    // Points are in date order and so in release order: everything before the first unreleased one.
    const known = countAtOrBefore(released, asOf.getTime());
    return { source: this.name, trust: "primary", id, points: points.slice(0, known) };
  }

  private barsOf(symbol: string): Promise<Bar[]> {
    let bars = this.bars.get(symbol);
    if (!bars) {
      bars = readDailyBars(this.dir, symbol);
      this.bars.set(symbol, bars);
    }
    return bars;
  }

  private macroOf(id: string): Promise<ReleasedPoints> {
    let points = this.macroFiles.get(id);
    if (!points) {
      points = readMacro(path.join(this.dir, `${id}.csv`), id).then((read) => ({
        points: read,
        released: read.map((p) => releasedAt(id, p.date).getTime()),
      }));
      this.macroFiles.set(id, points);
    }
    return points;
  }
}

/** A macro file with each point's release time worked out once, not on every read of a walk. */
interface ReleasedPoints {
  points: MacroPoint[];
  released: number[];
}

/** `date,value`; a missing value is kept as null so it can be flagged. */
async function readMacro(file: string, id: string): Promise<MacroPoint[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new NoData("replay", `no macro file for ${id}: ${(error as Error).message}`);
  }
  const rows: { date?: string; value?: string }[] = parse(text, {
    columns: true,
    skip_empty_lines: true,
    trim: true,
  });
  return rows
    .filter((row) => /^\d{4}-\d{2}-\d{2}$/.test(row.date ?? ""))
    .map((row) => ({ date: row.date!, value: parseMacroValue(row.value ?? "") }))
    .sort((a, b) => a.date.localeCompare(b.date));
}
