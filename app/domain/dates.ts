/**
 * Calendar dates are `YYYY-MM-DD` strings throughout the tracker: they compare correctly as text
 * and carry no time zone. "Today" is the server's local date (set TZ to change it).
 */
import { format, parse } from "date-fns";

export type CalendarDate = string;

const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * A calendar date's days since 1970-01-01, or NaN when it is not a real date in `YYYY-MM-DD` form.
 * Plain arithmetic on the parts: date-fns's parse, format and differenceInCalendarDays cost 10–25 µs
 * a call, and a page of letters makes hundreds of these calls (test/unit/dates-fast.test.ts holds
 * every function here to date-fns's answers, day by day over three centuries).
 */
function dayNumber(value: CalendarDate): number {
  const match = DATE_SHAPE.exec(value);
  if (!match) return Number.NaN;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  // Year 0000 is no date to date-fns (its years start at 1), nor here.
  if (year < 1 || month < 1 || month > 12 || day < 1) return Number.NaN;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  // A day past the month's end rolls over into the next month: not a real date.
  if (date.getUTCDate() !== day) return Number.NaN;
  return date.getTime() / DAY_MS;
}

/** `YYYY-MM-DD` of a day number (dayNumber's inverse); a RangeError past what a Date can hold, as date-fns's format. */
function calendarDateOf(days: number): CalendarDate {
  const date = new Date(days * DAY_MS);
  if (Number.isNaN(date.getTime())) throw new RangeError("Invalid time value");
  return `${String(date.getUTCFullYear()).padStart(4, "0")}-${String(date.getUTCMonth() + 1).padStart(2, "0")}-${String(date.getUTCDate()).padStart(2, "0")}`;
}

/** True for a real calendar date in `YYYY-MM-DD` form (rejects 2025-02-30). */
export function isCalendarDate(value: string): boolean {
  return !Number.isNaN(dayNumber(value));
}

/** Local midnight of the date (an Invalid Date when it is not one), as date-fns's parse gives it. */
export function toDate(value: CalendarDate): Date {
  const days = dayNumber(value);
  if (Number.isNaN(days)) return new Date(Number.NaN);
  const utc = new Date(days * DAY_MS);
  const local = new Date(2000, 0, 1);
  local.setFullYear(utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate());
  return local;
}

export function today(now: Date = new Date()): CalendarDate {
  if (Number.isNaN(now.getTime())) throw new RangeError("Invalid time value");
  return `${String(now.getFullYear()).padStart(4, "0")}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier; NaN when either is not a date). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return dayNumber(to) - dayNumber(from);
}

const MONTHS_SHORT = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "17 Apr 2025": unambiguous for US and international readers alike (date-fns's "d MMM yyyy"). */
export function formatDate(value: CalendarDate | null | undefined): string {
  if (!value) return "";
  const days = dayNumber(value);
  // Not in YYYY-MM-DD form: as date-fns read it before (leniently, or a RangeError).
  if (Number.isNaN(days)) return format(parse(value, "yyyy-MM-dd", new Date(2000, 0, 1)), "d MMM yyyy");
  const date = new Date(days * DAY_MS);
  return `${date.getUTCDate()} ${MONTHS_SHORT[date.getUTCMonth()]} ${String(date.getUTCFullYear()).padStart(4, "0")}`;
}

/** The date `days` calendar days after `value` (before, for a negative number). */
export function addCalendarDays(value: CalendarDate, days: number): CalendarDate {
  const from = dayNumber(value);
  // As date-fns: an invalid date cannot be formatted.
  if (Number.isNaN(from) || Number.isNaN(days)) throw new RangeError("Invalid time value");
  // As Date's setDate (date-fns's addDays), a fraction is dropped from the day of the month it gives.
  const dayOfMonth = new Date(from * DAY_MS).getUTCDate();
  return calendarDateOf(from + Math.trunc(dayOfMonth + days) - dayOfMonth);
}

/** "Friday 12 June 2026": a date said plainly, weekday and all (reminders: no one counts days). */
export function formatLongDate(value: CalendarDate): string {
  return format(toDate(value), "EEEE d MMMM yyyy");
}
