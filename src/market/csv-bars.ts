import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { z } from "zod";
import { type Bar, barSchema } from "../domain/bars.ts";

/** `^VIX` is stored as VIX.csv; other tickers keep their name (BTC-USD.csv). */
export function csvFileFor(symbol: string): string {
  return `${symbol.replace(/^\^/, "")}.csv`;
}

const optionalNumber = z
  .string()
  .transform((text) => (text.trim() === "" ? undefined : Number(text)))
  .pipe(z.number().finite().optional());

const rowSchema = z.object({
  date: z.string(),
  open: optionalNumber.optional(),
  high: optionalNumber.optional(),
  low: optionalNumber.optional(),
  close: optionalNumber,
  volume: optionalNumber.optional(),
});

export class MissingDataFile extends Error {
  override name = "MissingDataFile";
}

/** Daily bars from `SYMBOL.csv` (`date,open,high,low,close,volume`), validated and sorted by date. */
export async function readDailyBars(dir: string, symbol: string): Promise<Bar[]> {
  const file = path.join(dir, csvFileFor(symbol));
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw new MissingDataFile(`no data file ${file} for ${symbol}`);
    throw error;
  }
  return parseDailyBars(text, file);
}

export function parseDailyBars(text: string, label: string): Bar[] {
  const records: unknown[] = parse(text, { columns: true, skip_empty_lines: true, trim: true });
  const bars = records.map((record, index) => {
    const row = rowSchema.safeParse(record);
    const bar = row.success ? barSchema.safeParse(dropUndefined(row.data)) : row;
    if (!bar.success)
      throw new Error(`${label} line ${index + 2}: ${bar.error.issues[0]?.message ?? "invalid row"}`);
    return bar.data as Bar;
  });
  return bars.sort((a, b) => a.date.localeCompare(b.date));
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The replay format, `date,open,high,low,close,volume`, with empty cells where a value is missing. */
export function formatDailyBars(bars: readonly Bar[]): string {
  const cell = (value: number | undefined) =>
    value === undefined ? "" : String(Number(value.toPrecision(7)));
  const rows = bars.map((b) =>
    [b.date, cell(b.open), cell(b.high), cell(b.low), cell(b.close), b.volume ?? ""].join(","),
  );
  return `date,open,high,low,close,volume\n${rows.map((r) => `${r}\n`).join("")}`;
}
