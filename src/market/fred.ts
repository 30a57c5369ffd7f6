import { parse } from "csv-parse/sync";
import { z } from "zod";
import { defaultHttp, getJson, getText, type HttpOptions, ProviderError } from "./http.ts";
import { parseMacroValue, releasedAt, releasedOn } from "./macro.ts";
import type { MacroPoint, MacroPort, MacroSeries } from "./ports.ts";

export const FRED_GRAPH_BASE_URL = "https://fred.stlouisfed.org";
export const FRED_API_BASE_URL = "https://api.stlouisfed.org";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function pointInTime(id: string, points: MacroPoint[], asOf: Date): MacroPoint[] {
  return points.filter((p) => releasedAt(id, p.date) <= asOf).sort((a, b) => a.date.localeCompare(b.date));
}

/** Keyless: fred.stlouisfed.org/graph/fredgraph.csv?id=DGS10 (`observation_date,DGS10`). */
export class FredGraphMacro implements MacroPort {
  readonly name = "fred";

  constructor(
    private readonly baseUrl = FRED_GRAPH_BASE_URL,
    private readonly http: HttpOptions = defaultHttp(),
  ) {}

  async series(id: string, asOf: Date): Promise<MacroSeries> {
    const text = await getText(
      this.name,
      `${this.baseUrl}/graph/fredgraph.csv?id=${encodeURIComponent(id)}`,
      this.http,
    );
    let rows: string[][];
    try {
      rows = parse(text, { skip_empty_lines: true, trim: true });
    } catch (error) {
      throw new ProviderError(
        this.name,
        `${id}: answered with a body that is not CSV (${(error as Error).message})`,
      );
    }
    const [header, ...body] = rows;
    // Older files say DATE, newer ones observation_date; the second column is the series id.
    if (!header || header.length < 2 || !/date/i.test(header[0] ?? "") || header[1] !== id)
      throw new ProviderError(this.name, `${id}: unexpected CSV header ${JSON.stringify(header)}`);
    const points = body
      .filter((row) => DATE.test(row[0] ?? ""))
      .map((row) => ({ date: row[0]!, value: parseMacroValue(row[1] ?? "") }));
    return { source: this.name, trust: "primary", id, points: pointInTime(id, points, asOf) };
  }
}

const observationsSchema = z.object({
  output_type: z.number().optional(),
  observations: z.array(
    z.object({
      date: z.string().regex(DATE),
      value: z.string(),
      realtime_start: z.string().regex(DATE).optional(),
    }),
  ),
});

/**
 * With an API key: api.stlouisfed.org/fred/series/observations, bounded to what was known at asOf.
 * It asks ALFRED for initial releases only (output_type=4), so each value is the one first published
 * and its realtime_start the day it was: a replay sees it from then, not from a guessed lag.
 */
export class FredApiMacro implements MacroPort {
  readonly name = "fred-api";

  constructor(
    private readonly apiKey: string,
    private readonly baseUrl = FRED_API_BASE_URL,
    private readonly http: HttpOptions = defaultHttp(),
  ) {}

  async series(id: string, asOf: Date): Promise<MacroSeries> {
    const end = asOf.toISOString().slice(0, 10);
    const url = `${this.baseUrl}/fred/series/observations?series_id=${encodeURIComponent(id)}&api_key=${encodeURIComponent(this.apiKey)}&file_type=json&observation_end=${end}&realtime_start=1776-07-04&realtime_end=9999-12-31&output_type=4`;
    const body = await getJson(this.name, url, this.http, observationsSchema);
    const points = body.observations.map((o) => ({ date: o.date, value: parseMacroValue(o.value) }));
    if (body.output_type !== 4)
      return { source: this.name, trust: "primary", id, points: pointInTime(id, points, asOf) };
    // An observation without its release date falls back to the conservative lag.
    const visible = body.observations
      .filter((o) => (o.realtime_start ? releasedOn(o.realtime_start) : releasedAt(id, o.date)) <= asOf)
      .map((o) => ({ date: o.date, value: parseMacroValue(o.value) }));
    return {
      source: this.name,
      trust: "primary",
      id,
      points: visible.sort((a, b) => a.date.localeCompare(b.date)),
    };
  }
}
