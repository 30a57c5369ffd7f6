import { DateTime } from "luxon";

/**
 * When a macro observation became public, so a replay does not read it early. A value dated D is
 * not known on D: H.15 daily rates are posted after the close (we take the next UTC midnight), CPI
 * for month M comes out mid month M+1, the monthly fed funds average on the first days of M+1.
 */
const RELEASE_LAG: Record<string, { months: number; days: number }> = {
  CPIAUCSL: { months: 1, days: 14 },
  CPIAUCNS: { months: 1, days: 14 },
  FEDFUNDS: { months: 1, days: 1 },
  GS10: { months: 1, days: 1 },
};
const DAILY_LAG = { months: 0, days: 1 };

export function releasedAt(seriesId: string, date: string): Date {
  const lag = RELEASE_LAG[seriesId] ?? DAILY_LAG;
  const key = `${lag.months}|${lag.days}|${date}`;
  let ms = releaseTimes.get(key);
  if (ms === undefined) {
    ms = DateTime.fromISO(date, { zone: "utc" }).plus(lag).toMillis();
    releaseTimes.set(key, ms);
  }
  return new Date(ms);
}

/** Replays filter decades of points by release time on every read: each answer is worth remembering. */
const releaseTimes = new Map<string, number>();

export function isMonthly(seriesId: string): boolean {
  return seriesId in RELEASE_LAG;
}

/** FRED marks a day without an observation (a bond-market holiday) with "." or an empty cell. */
export function parseMacroValue(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === "." || trimmed === "") return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}
