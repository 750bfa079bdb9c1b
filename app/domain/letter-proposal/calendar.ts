/**
 * Dates as letters write them ("April 17, 2025", "17 April 2025", "4/17/2025", "Friday, May 2,
 * 2025", "June 15") and the calendar rules deadlines need: business days skip weekends and US
 * federal holidays (5 U.S.C. 6103, with the Friday/Monday observed days), weekdays after a date.
 */
import { addDays, format, getDay, isValid, lastDayOfMonth, parse } from "date-fns";
import type { CalendarDate } from "../dates";

export const MONTH_PATTERN =
  "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?";
export const WEEKDAY_NAMES = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const;
const WEEKDAY_PREFIX = "(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\\.?,?\\s+)?";
/** A date with or without its year; the weekday before it is allowed and ignored. */
export const DATE_PATTERN = `(?:${WEEKDAY_PREFIX}${MONTH_PATTERN}\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?|${WEEKDAY_PREFIX}\\d{1,2}(?:st|nd|rd|th)?\\s+${MONTH_PATTERN},?(?:\\s+\\d{4})?|\\d{1,2}/\\d{1,2}/(?:\\d{4}|\\d{2}))(?![\\d/])`;
/** A date that names its year (a letter's date line). */
export const FULL_DATE_PATTERN = `(?:${WEEKDAY_PREFIX}${MONTH_PATTERN}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}|${WEEKDAY_PREFIX}\\d{1,2}(?:st|nd|rd|th)?\\s+${MONTH_PATTERN},?\\s+\\d{4}|\\d{1,2}/\\d{1,2}/\\d{4})(?!\\d)`;

const REFERENCE = new Date(2000, 0, 1);

export function toDate(value: CalendarDate): Date {
  return parse(value, "yyyy-MM-dd", REFERENCE);
}

export function fromDate(date: Date): CalendarDate {
  return format(date, "yyyy-MM-dd");
}

/**
 * The calendar date a date phrase names. Without a year: the first such date on or after
 * `reference` (a deadline of "January 10" in a December letter is next year's); with no reference
 * either, null.
 */
export function parseDateText(text: string, reference: CalendarDate | null): CalendarDate | null {
  const cleaned = text
    .replace(new RegExp(`^${WEEKDAY_PREFIX}`, "i"), "")
    .replace(/(\d)(st|nd|rd|th)\b/i, "$1")
    .replace(/\./g, "")
    .replace(/,/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/\bSept\b/i, "Sep");
  const base = reference ? toDate(reference) : REFERENCE;
  for (const pattern of ["MMMM d yyyy", "MMM d yyyy", "d MMMM yyyy", "d MMM yyyy", "M/d/yyyy"]) {
    const parsed = parse(cleaned, pattern, base);
    if (isValid(parsed) && parsed.getFullYear() >= 1900) return fromDate(parsed);
  }
  const short = parse(cleaned, "M/d/yy", base);
  if (/^\d{1,2}\/\d{1,2}\/\d{2}$/.test(cleaned) && isValid(short)) return fromDate(short);
  if (!reference) return null;
  for (const pattern of ["MMMM d", "MMM d", "d MMMM", "d MMM"]) {
    const parsed = parse(cleaned, pattern, base);
    if (!isValid(parsed)) continue;
    let candidate = fromDate(parsed);
    if (candidate < reference) candidate = fromDate(new Date(parsed.getFullYear() + 1, parsed.getMonth(), parsed.getDate()));
    return candidate;
  }
  return null;
}

function nthWeekday(year: number, month: number, weekday: number, nth: number): Date {
  const first = new Date(year, month, 1);
  const offset = (weekday - first.getDay() + 7) % 7;
  return new Date(year, month, 1 + offset + (nth - 1) * 7);
}

function lastWeekday(year: number, month: number, weekday: number): Date {
  const last = lastDayOfMonth(new Date(year, month, 1));
  return addDays(last, -((last.getDay() - weekday + 7) % 7));
}

/** A fixed-date holiday falling on a weekend is observed on the Friday before or the Monday after. */
function observed(date: Date): Date {
  if (date.getDay() === 6) return addDays(date, -1);
  if (date.getDay() === 0) return addDays(date, 1);
  return date;
}

const holidayCache = new Map<number, Set<CalendarDate>>();

/** The US federal holidays observed in a year (New Year's Day of the next year may fall on 31 December). */
export function federalHolidays(year: number): Set<CalendarDate> {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  const days = [
    observed(new Date(year, 0, 1)),
    nthWeekday(year, 0, 1, 3), // Birthday of Martin Luther King, Jr.
    nthWeekday(year, 1, 1, 3), // Washington's Birthday
    lastWeekday(year, 4, 1), // Memorial Day
    ...(year >= 2021 ? [observed(new Date(year, 5, 19))] : []), // Juneteenth
    observed(new Date(year, 6, 4)),
    nthWeekday(year, 8, 1, 1), // Labor Day
    nthWeekday(year, 9, 1, 2), // Columbus Day
    observed(new Date(year, 10, 11)), // Veterans Day
    nthWeekday(year, 10, 4, 4), // Thanksgiving
    observed(new Date(year, 11, 25)),
    observed(new Date(year + 1, 0, 1)),
  ];
  const set = new Set(days.map(fromDate));
  holidayCache.set(year, set);
  return set;
}

export function isBusinessDay(date: Date): boolean {
  const day = date.getDay();
  return day !== 0 && day !== 6 && !federalHolidays(date.getFullYear()).has(fromDate(date));
}

/** The date `days` business days after `start` (the start itself not counted). */
export function addBusinessDays(start: CalendarDate, days: number): CalendarDate {
  let date = toDate(start);
  let left = Math.min(days, 2_000);
  while (left > 0) {
    date = addDays(date, 1);
    if (isBusinessDay(date)) left--;
  }
  return fromDate(date);
}

export function addCalendarDays(start: CalendarDate, days: number): CalendarDate {
  return fromDate(addDays(toDate(start), days));
}

export function endOfMonth(start: CalendarDate): CalendarDate {
  return fromDate(lastDayOfMonth(toDate(start)));
}

/** The first `weekday` (0 Sunday … 6 Saturday) strictly after `start`. */
export function nextWeekday(start: CalendarDate, weekday: number): CalendarDate {
  const date = toDate(start);
  const ahead = (weekday - getDay(date) + 7) % 7 || 7;
  return fromDate(addDays(date, ahead));
}

/** The `weekday` of the week (Monday to Sunday) after the one `start` falls in. */
export function weekdayOfNextWeek(start: CalendarDate, weekday: number): CalendarDate {
  const date = toDate(start);
  const sinceMonday = (getDay(date) + 6) % 7;
  const nextMonday = addDays(date, 7 - sinceMonday);
  return fromDate(addDays(nextMonday, (weekday + 6) % 7));
}
