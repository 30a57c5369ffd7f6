import { DateTime } from "luxon";
import { tradingDays } from "../market/calendar.ts";

export type Cadence = "daily" | "weekly";

/**
 * The moments the walk runs a cycle: one per NYSE trading day (or the first trading day of each
 * week) at a fixed New York time. 15:00 is the desk's last scheduled cycle of the day: late enough
 * to be a full day's read, before the close so no same-day bar can leak in.
 */
export function cycleMoments(from: string, to: string, cadence: Cadence, timeOfDay = "15:00"): Date[] {
  const days = tradingDays(from, to);
  const picked =
    cadence === "daily"
      ? days
      : days.filter((day, i) => i === 0 || weekOf(day) !== weekOf(days[i - 1] as string));
  return picked.map((day) =>
    DateTime.fromISO(`${day}T${timeOfDay}`, { zone: "America/New_York" }).toJSDate(),
  );
}

/** The ISO week of a day ("2023-01-06") or a moment (read in New York): "2023-1". */
export function weekOf(day: string | Date): string {
  const d =
    typeof day === "string"
      ? DateTime.fromISO(day, { zone: "utc" })
      : DateTime.fromJSDate(day, { zone: "America/New_York" });
  return `${d.weekYear}-${d.weekNumber}`;
}
