import { DateTime } from "luxon";

/**
 * When a macro observation became public, so a replay does not read it early. Where the source
 * gives no release date (the CSV history, the keyless FRED graph), a bound that is never early:
 * - CPI for month M: from the first day of M+2. BLS publishes mid M+1 (10th–15th, 08:30 New York,
 *   so "the 15th" was already hours early for December 2024's CPI, out on 15 January 2025), and the
 *   late-2025 shutdown pushed September's to 24 October and November's to 18 December; no release
 *   from 2013 to 2026 came after the end of M+1 (October 2025's never came at all).
 * - Monthly averages (FEDFUNDS, GS10) for M: from the 8th of M+1; H.15 posts them on the first
 *   business day of M+1, which holidays and weekends can push to the 4th.
 * - Daily H.15 rates dated D: from the next UTC midnight, after Treasury's end-of-day curve.
 */
const RELEASE_LAG: Record<string, { months: number; days: number }> = {
  CPIAUCSL: { months: 2, days: 0 },
  CPIAUCNS: { months: 2, days: 0 },
  FEDFUNDS: { months: 1, days: 7 },
  GS10: { months: 1, days: 7 },
};
const DAILY_LAG = { months: 0, days: 1 };

/**
 * A value whose real first-release date is known (ALFRED's realtime_start): from 17:00 New York
 * that day, after every release it could be (BLS at 08:30, H.15 at 16:15), since the date has no time.
 */
export function releasedOn(date: string): Date {
  return DateTime.fromISO(`${date}T17:00`, { zone: "America/New_York" }).toJSDate();
}

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
