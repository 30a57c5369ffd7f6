import { DateTime } from "luxon";
import { getHolidays } from "nyse-holidays";

const NEW_YORK = "America/New_York";

/**
 * Closures NYSE announced ad hoc (weather, attacks, national days of mourning). No rule can
 * derive them, so nyse-holidays does not know them; they are historical facts, checked against
 * the SPY trading days in tests.
 */
const UNSCHEDULED_CLOSURES: Record<string, string> = {
  "2001-09-11": "September 11 attacks",
  "2001-09-12": "September 11 attacks",
  "2001-09-13": "September 11 attacks",
  "2001-09-14": "September 11 attacks",
  "2004-06-11": "Day of mourning for Ronald Reagan",
  "2007-01-02": "Day of mourning for Gerald Ford",
  "2012-10-29": "Hurricane Sandy",
  "2012-10-30": "Hurricane Sandy",
  "2018-12-05": "Day of mourning for George H. W. Bush",
  "2025-01-09": "Day of mourning for Jimmy Carter",
};

const holidaysByYear = new Map<number, Map<string, string>>();

function holidaysOf(year: number): Map<string, string> {
  let holidays = holidaysByYear.get(year);
  if (!holidays) {
    // dateString is formatted in the same local zone the library builds its dates in, so it is zone-safe.
    holidays = new Map(getHolidays(year).map((h) => [h.dateString, h.name]));
    holidaysByYear.set(year, holidays);
  }
  return holidays;
}

/** The reason NYSE is closed on a weekday (a holiday or an ad hoc closure), if it is. */
export function closureName(date: string): string | undefined {
  const year = Number(date.slice(0, 4));
  return holidaysOf(year).get(date) ?? UNSCHEDULED_CLOSURES[date];
}

export function isWeekend(date: string): boolean {
  return DateTime.fromISO(date, { zone: NEW_YORK }).weekday > 5;
}

export function isTradingDay(date: string): boolean {
  return !isWeekend(date) && closureName(date) === undefined;
}

/** The New York calendar date of a moment. */
export function newYorkDate(moment: Date): string {
  return DateTime.fromJSDate(moment, { zone: NEW_YORK }).toISODate()!;
}

export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: "utc" }).plus({ days }).toISODate()!;
}

export function previousTradingDay(date: string): string {
  let day = addDays(date, -1);
  while (!isTradingDay(day)) day = addDays(day, -1);
  return day;
}

export function nextTradingDay(date: string): string {
  let day = addDays(date, 1);
  while (!isTradingDay(day)) day = addDays(day, 1);
  return day;
}

/** Trading days in [from, to], in order. */
export function tradingDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) if (isTradingDay(day)) days.push(day);
  return days;
}

/**
 * NYSE's 13:00 closes, from the exchange's standing rules (nyse-holidays lists no early closes):
 * the day after Thanksgiving; Christmas Eve on a Monday to Thursday; July 3 on a Monday, Tuesday or
 * Thursday, and on a Wednesday from 2013 (before 2013 a Thursday July 4 moved the half day to
 * Friday July 5); plus the one-off 2003-12-26. Tested against the announced dates for 2000–2030.
 */
export function earlyCloseName(date: string): string | undefined {
  if (!isTradingDay(date)) return undefined;
  const day = DateTime.fromISO(date, { zone: "utc" });
  const { year, month, weekday } = day;
  if (date in EARLY_CLOSE_ONE_OFFS) return EARLY_CLOSE_ONE_OFFS[date];
  if (month === 11 && weekday === 5 && closureName(addDays(date, -1)) === "Thanksgiving Day")
    return "Day after Thanksgiving";
  if (month === 12 && day.day === 24 && weekday <= 4) return "Christmas Eve";
  if (month === 7 && day.day === 3 && (weekday === 1 || weekday === 2 || weekday === 4))
    return "Eve of Independence Day";
  if (month === 7 && day.day === 3 && weekday === 3 && year >= 2013) return "Eve of Independence Day";
  if (month === 7 && day.day === 5 && weekday === 5 && year < 2013) return "Day after Independence Day";
  return undefined;
}

const EARLY_CLOSE_ONE_OFFS: Record<string, string> = { "2003-12-26": "Day after Christmas" };

/** The regular session, 09:30–16:00 New York, or 09:30–13:00 on an early close. */
export function sessionOf(date: string): { open: Date; close: Date } {
  const closing = earlyCloseName(date) === undefined ? "16:00" : "13:00";
  return {
    open: DateTime.fromISO(`${date}T09:30`, { zone: NEW_YORK }).toJSDate(),
    close: DateTime.fromISO(`${date}T${closing}`, { zone: NEW_YORK }).toJSDate(),
  };
}

export function isMarketOpen(moment: Date): boolean {
  const date = newYorkDate(moment);
  if (!isTradingDay(date)) return false;
  const { open, close } = sessionOf(date);
  return moment >= open && moment < close;
}

/** The last trading day whose close (16:00, or 13:00 on an early close) is at or before `moment`. */
export function lastClosedSession(moment: Date): string {
  const today = newYorkDate(moment);
  if (isTradingDay(today) && sessionOf(today).close <= moment) return today;
  return previousTradingDay(today);
}
