import { DateTime } from "luxon";
import { GrammarError } from "./grammar-words.ts";

/** Calls are questions about the US tape, so a deadline named by day means that day's 16:00 New York close. */
export const CLOSE_ZONE = "America/New_York";
const CLOSE_HOUR = 16;

/** The longest horizon the call JSON allows (366 days). */
const MAX_HORIZON_HOURS = 24 * 366;

const UNIT_HOURS: Record<string, number> = { h: 1, d: 24, w: 24 * 7 };
/** Spelled-out units, so "24 hours" and "2 days" read like "24h" and "2d". */
const UNIT_WORDS: Record<string, string> = {
  h: "h",
  hr: "h",
  hrs: "h",
  hour: "h",
  hours: "h",
  d: "d",
  day: "d",
  days: "d",
  w: "w",
  wk: "w",
  wks: "w",
  week: "w",
  weeks: "w",
};

/** "24" followed by "hours" → "24h"; undefined when the pair is not a spelled-out duration. */
export function joinDuration(amount: string, unit: string | undefined): string | undefined {
  const short = unit === undefined ? undefined : UNIT_WORDS[unit];
  return short !== undefined && /^\d+(\.\d+)?$/.test(amount) ? `${amount}${short}` : undefined;
}

const WEEKDAYS: Record<string, number> = {
  mon: 1,
  monday: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  wed: 3,
  wednesday: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  fri: 5,
  friday: 5,
  sat: 6,
  saturday: 6,
  sun: 7,
  sunday: 7,
};

export function isDurationToken(token: string): boolean {
  return /^\d+(\.\d+)?[a-z]+$/.test(token);
}

/** "24h", "2d", "1w" → hours. Days and weeks are calendar time, not trading sessions. */
export function parseDuration(token: string): number {
  const match = /^(\d+(?:\.\d+)?)([a-z]+)$/.exec(token);
  if (!match) throw new GrammarError(`"${token}" is not a horizon such as 24h, 2d or 1w`);
  const [, amount = "", unit = ""] = match;
  const perUnit = UNIT_HOURS[UNIT_WORDS[unit] ?? unit];
  if (perUnit === undefined) {
    // "3m" could mean minutes or months; refusing is kinder than guessing.
    throw new GrammarError(`unknown horizon unit in "${token}": use h, d or w, as in 24h, 2d or 1w`);
  }
  const hours = Number(amount) * perUnit;
  if (hours <= 0) throw new GrammarError(`the horizon "${token}" must be longer than zero`);
  if (hours > MAX_HORIZON_HOURS) throw new GrammarError(`the horizon "${token}" is longer than 366 days`);
  return hours;
}

/** Whether `token` can follow "by"; lets the grammar tell "by friday" from "by banana". */
export function isDeadlineToken(token: string): boolean {
  return (
    ["eod", "close", "today", "tomorrow"].includes(token) ||
    token in WEEKDAYS ||
    /^\d{4}-\d{2}-\d{2}(t.*)?$/.test(token)
  );
}

/**
 * The moment a "by ..." phrase names. `timezone` decides which calendar day "today", "tomorrow" and
 * weekday names count from; the deadline itself is always that day's New York close.
 */
export function parseDeadline(token: string, now: Date, timezone: string): Date {
  const local = DateTime.fromJSDate(now, { zone: timezone });
  if (!local.isValid) throw new GrammarError(`unknown timezone "${timezone}"`);
  const deadline = resolveDeadline(token, local, now, timezone);
  if (deadline.getTime() <= now.getTime()) {
    throw new GrammarError(`the deadline "by ${token}" (${describeMoment(deadline)}) has already passed`);
  }
  return deadline;
}

function resolveDeadline(token: string, local: DateTime, now: Date, zone: string): Date {
  if (token === "eod" || token === "close" || token === "today") return closeOn(local);
  if (token === "tomorrow") return closeOn(local.plus({ days: 1 }));
  const weekday = WEEKDAYS[token];
  if (weekday !== undefined) {
    // The first such close still ahead: on a Friday morning "by friday" is today's close.
    for (let ahead = 0; ahead <= 7; ahead += 1) {
      const day = local.plus({ days: ahead });
      const close = closeOn(day);
      if (day.weekday === weekday && close.getTime() > now.getTime()) return close;
    }
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(token)) {
    const day = DateTime.fromISO(token, { zone });
    if (!day.isValid) throw new GrammarError(`"${token}" is not a calendar date`);
    return closeOn(day);
  }
  // A full timestamp must carry its offset: "21:00" alone would depend on who reads it.
  const exact = /^\d{4}-\d{2}-\d{2}t\d{2}:\d{2}(:\d{2}(\.\d+)?)?(z|[+-]\d{2}:\d{2})$/.test(token)
    ? DateTime.fromISO(token.toUpperCase(), { setZone: true })
    : undefined;
  if (!exact?.isValid) {
    throw new GrammarError(`"${token}" is not a time: use a date such as 2026-12-31 or 2026-12-31T21:00Z`);
  }
  return exact.toJSDate();
}

function closeOn(day: DateTime): Date {
  return DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour: CLOSE_HOUR },
    { zone: CLOSE_ZONE },
  ).toJSDate();
}

function describeMoment(moment: Date): string {
  return DateTime.fromJSDate(moment, { zone: CLOSE_ZONE }).toFormat("ccc yyyy-LL-dd HH:mm 'New York'");
}
