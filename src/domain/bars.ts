import { DateTime } from "luxon";
import { z } from "zod";
import { lastClosedSession, sessionOf } from "./calendar.ts";

/** One daily bar. Open/high/low/volume may be missing in close-only history (indices, VIX). */
export const barSchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "date must be YYYY-MM-DD"),
  open: z.number().positive().optional(),
  high: z.number().positive().optional(),
  low: z.number().positive().optional(),
  close: z.number().positive(),
  volume: z.number().int().nonnegative().optional(),
});
export type Bar = z.infer<typeof barSchema>;

export type AssetClass = "us_equity" | "crypto";

const CRYPTO_SYMBOL = /^[A-Z0-9]+-(USD|USDT|EUR)$/;

export function assetClassOf(symbol: string): AssetClass {
  return CRYPTO_SYMBOL.test(symbol) ? "crypto" : "us_equity";
}

/**
 * The moment a daily bar stands for: the New York close for US equities (16:00, 13:00 on an early
 * close), the end of the UTC day for crypto. A call may only see bars whose close time is at or before its own moment.
 */
export function barCloseTime(date: string, assetClass: AssetClass): Date {
  const key = `${assetClass}|${date}`;
  let ms = closeTimes.get(key);
  if (ms === undefined) {
    ms =
      assetClass === "crypto"
        ? DateTime.fromISO(date, { zone: "utc" }).plus({ days: 1 }).toMillis()
        : sessionOf(date).close.getTime();
    closeTimes.set(key, ms);
  }
  return new Date(ms);
}

/**
 * A time-zone conversion costs microseconds and every point-in-time filter asks it of every bar, so a
 * walk through years of history spent most of its time here. Dates are few (tens of thousands), so
 * remembering each answer is cheap; a fresh Date is returned so no caller can corrupt the cache.
 */
const closeTimes = new Map<string, number>();

/** A daily bar's span: its date, when it opened and when it closed. */
export interface Session {
  date: string;
  open: Date;
  close: Date;
}

/**
 * The bar that decides a call due at `moment`: the last session whose close is at or before it (a
 * US session, early closes included; a UTC day for crypto). Its close is when the verdict is known.
 */
export function decidingSession(moment: Date, assetClass: AssetClass): Session {
  if (assetClass === "crypto") {
    const close = DateTime.fromJSDate(moment, { zone: "utc" }).startOf("day");
    const open = close.minus({ days: 1 });
    return { date: open.toISODate()!, open: open.toJSDate(), close: close.toJSDate() };
  }
  const date = lastClosedSession(moment);
  return { date, ...sessionOf(date) };
}

/** When a daily bar's session opened: 09:30 New York for US equities, 00:00 UTC for crypto. */
export function barOpenTime(date: string, assetClass: AssetClass): Date {
  return assetClass === "crypto" ? DateTime.fromISO(date, { zone: "utc" }).toJSDate() : sessionOf(date).open;
}

/** The last bar that had closed at or before `moment`, from bars sorted by date ascending. */
export function lastBarAtOrBefore(
  bars: readonly Bar[],
  moment: Date,
  assetClass: AssetClass,
): Bar | undefined {
  const times = closeTimesOf(bars, assetClass);
  if (times) return bars[countAtOrBefore(times, moment.getTime()) - 1];
  let found: Bar | undefined;
  for (const bar of bars) {
    if (barCloseTime(bar.date, assetClass) <= moment) found = bar;
    else break;
  }
  return found;
}

/** Bars that closed inside the window (start, end], in order. */
export function barsInWindow(bars: readonly Bar[], start: Date, end: Date, assetClass: AssetClass): Bar[] {
  const times = closeTimesOf(bars, assetClass);
  if (times)
    return bars.slice(countAtOrBefore(times, start.getTime()), countAtOrBefore(times, end.getTime()));
  return bars.filter((bar) => {
    const closedAt = barCloseTime(bar.date, assetClass);
    return closedAt > start && closedAt <= end;
  });
}

/**
 * A series' close times (ms), worked out once per series: a sweep reads one series for each of the
 * thousands of calls on its symbol, and walking every bar each time was most of deciding them.
 * Null for a series out of date order, which is then walked bar by bar. A series is not changed once
 * fetched; one that grew is worked out again.
 */
function closeTimesOf(bars: readonly Bar[], assetClass: AssetClass): number[] | null {
  const cached = seriesCloseTimes.get(bars)?.get(assetClass);
  if (cached && cached.length === bars.length) return cached.times;
  const times = bars.map((bar) => barCloseTime(bar.date, assetClass).getTime());
  const sorted = times.every((time, i) => i === 0 || (times[i - 1] as number) <= time);
  const byClass = seriesCloseTimes.get(bars) ?? new Map();
  byClass.set(assetClass, { length: bars.length, times: sorted ? times : null });
  seriesCloseTimes.set(bars, byClass);
  return sorted ? times : null;
}

const seriesCloseTimes = new WeakMap<
  readonly Bar[],
  Map<AssetClass, { length: number; times: number[] | null }>
>();

/** How many of `times` (ascending, in ms) are at or before `ms`: a binary search for long histories. */
export function countAtOrBefore(times: readonly number[], ms: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((times[mid] as number) <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
