/**
 * Calendar dates are `YYYY-MM-DD` strings throughout the tracker: they compare correctly as text
 * and carry no time zone. "Today" is the server's local date (set TZ to change it).
 */
import { addDays, differenceInCalendarDays, format, isValid, parse } from "date-fns";

export type CalendarDate = string;

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date in `YYYY-MM-DD` form (rejects 2025-02-30). */
export function isCalendarDate(value: string): boolean {
  if (!DATE_SHAPE.test(value)) return false;
  const parsed = parse(value, "yyyy-MM-dd", new Date(2000, 0, 1));
  return isValid(parsed) && format(parsed, "yyyy-MM-dd") === value;
}

export function toDate(value: CalendarDate): Date {
  return parse(value, "yyyy-MM-dd", new Date(2000, 0, 1));
}

export function today(now: Date = new Date()): CalendarDate {
  return format(now, "yyyy-MM-dd");
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return differenceInCalendarDays(toDate(to), toDate(from));
}

/** formatDate's answers by date: a page shows a few dozen dates, formatting one costs date-fns a format parse. */
const formattedDates = new Map<string, string>();
const FORMATTED_DATES_KEPT = 20_000;

/** "17 Apr 2025": unambiguous for US and international readers alike. */
export function formatDate(value: CalendarDate | null | undefined): string {
  if (!value) return "";
  let formatted = formattedDates.get(value);
  if (formatted === undefined) {
    formatted = format(toDate(value), "d MMM yyyy");
    if (formattedDates.size >= FORMATTED_DATES_KEPT) formattedDates.clear();
    formattedDates.set(value, formatted);
  }
  return formatted;
}

/** The date `days` calendar days after `value` (before, for a negative number). */
export function addCalendarDays(value: CalendarDate, days: number): CalendarDate {
  return format(addDays(toDate(value), days), "yyyy-MM-dd");
}

/** "Friday 12 June 2026": a date said plainly, weekday and all (reminders: no one counts days). */
export function formatLongDate(value: CalendarDate): string {
  return format(toDate(value), "EEEE d MMMM yyyy");
}
