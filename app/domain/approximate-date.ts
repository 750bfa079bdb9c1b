/**
 * Month-only dates ("a June 2025 reply"): a response the record dates only by its month is written
 * `2025-06` in forms, files, exports and the API, shown as "June 2025", and stored as the day it
 * counts as (decision 0007):
 *
 * - the month's last day, so status, overdue rules and figures count it as received then
 *   (a reply of "2025-06" to a letter due 2025-06-10 is late);
 * - while that month is still running, today: a fact is never dated in the future, and the latest
 *   day a reply logged today can have come is today. The stored day then stays put (an edit or a
 *   re-import that keeps the month keeps the day: see keptMonthDay).
 *
 * Pure: no database. The text form (`factDateText`) is what every reader and writer exchanges.
 */
import { format } from "date-fns";
import { formatDate, isCalendarDate, toDate, type CalendarDate } from "./dates";
import { factDateProblems, type RuleProblem } from "./letter-rules";
import type { DatePrecision } from "./vocabulary";

/** `YYYY-MM`: a calendar month. */
export type CalendarMonth = string;

const MONTH_SHAPE = /^\d{4}-(0[1-9]|1[0-2])$/;

/** True for `YYYY-MM` with a month 01–12. */
export function isCalendarMonth(value: string): boolean {
  return MONTH_SHAPE.test(value);
}

/** The month of a date: "2025-06-17" → "2025-06". */
export function monthOf(date: CalendarDate): CalendarMonth {
  return date.slice(0, 7);
}

/** "2025-02" → "2025-02-28"; "2024-02" → "2024-02-29". */
export function lastDayOfMonth(month: CalendarMonth): CalendarDate {
  const [year, monthNumber] = month.split("-").map(Number) as [number, number];
  // Day 0 of the next month is this month's last day.
  return format(new Date(year, monthNumber, 0), "yyyy-MM-dd");
}

/** What a form or file says: a day, a month, or neither (null). */
export type FactDateText = { precision: "day"; date: CalendarDate } | { precision: "month"; month: CalendarMonth };

export function readFactDate(value: string): FactDateText | null {
  const text = value.trim();
  if (isCalendarDate(text)) return { precision: "day", date: text };
  if (isCalendarMonth(text)) return { precision: "month", month: text };
  return null;
}

/** A stored fact date: the day it counts as, and how precisely the record gives it. */
export interface FactDate {
  date: CalendarDate;
  precision: DatePrecision;
}

/** The day a month-only date counts as: its last day, or `today` while the month is running. */
export function countedDay(month: CalendarMonth, today: CalendarDate): CalendarDate {
  const last = lastDayOfMonth(month);
  return last > today ? today : last;
}

/**
 * The stored form of what a form or file says, as of `today`; null when it is neither a date nor a
 * month. Check it with factDateTextProblems first: this does not refuse a future month.
 */
export function resolveFactDate(value: string, today: CalendarDate): FactDate | null {
  const read = readFactDate(value);
  if (!read) return null;
  return read.precision === "day" ? { date: read.date, precision: "day" } : { date: countedDay(read.month, today), precision: "month" };
}

/**
 * An edit (form or import) that keeps a month-only date's month keeps its stored day: a reply
 * logged as "2026-12" on 1 December counts from that day, not from the 31st once December is over.
 */
export function keptMonthDay(resolved: FactDate, stored: FactDate | null | undefined): FactDate {
  if (resolved.precision === "month" && stored?.precision === "month" && monthOf(stored.date) === monthOf(resolved.date)) {
    return stored;
  }
  return resolved;
}

/**
 * The text of a stored date in forms, CSV, JSON and the API: `2025-06-17`, or `2025-06`. Also a
 * valid `datetime` for a `<time>` element (a month string).
 */
export function factDateText(date: CalendarDate, precision: DatePrecision | null | undefined): string {
  return precision === "month" ? monthOf(date) : date;
}

/** "June 2025" for a month-only date; otherwise the app's usual "17 Jun 2025". */
export function formatFactDate(date: CalendarDate | null | undefined, precision: DatePrecision | null | undefined): string {
  if (!date) return "";
  return precision === "month" ? format(toDate(date), "MMMM yyyy") : formatDate(date);
}

/**
 * Problems with a fact date as typed, before any letter is known (the form schema's check): it is
 * given, it is a real date or month, and it is not in the future (a month: not after this month).
 */
export function factDateTextProblems({ field, label, value, today }: { field: string; label: string; value: string | null | undefined; today: CalendarDate }): RuleProblem[] {
  if (value == null || value.trim() === "") {
    return [{ field, message: `${label} is required: a date (YYYY-MM-DD), or the month (YYYY-MM) when the record gives only the month` }];
  }
  const read = readFactDate(value);
  if (!read) return [{ field, message: `${label} must be a real date (YYYY-MM-DD) or a month (YYYY-MM)` }];
  if (read.precision === "day") {
    return read.date > today ? [{ field, message: `${label} cannot be in the future (today is ${today})` }] : [];
  }
  if (read.month > monthOf(today)) return [{ field, message: `${label} cannot be in the future (this month is ${monthOf(today)})` }];
  return [];
}

/**
 * The writer's rule for a fact that may be dated by month only (a response): as factDateProblems
 * for a day; for a month, given, not after this month and not before the month the letter was sent.
 */
export function approximateFactDateProblems({
  field,
  label,
  value,
  sentOn,
  today,
}: {
  field: string;
  label: string;
  value: string | null | undefined;
  sentOn: CalendarDate;
  today: CalendarDate;
}): RuleProblem[] {
  const read = value == null ? null : readFactDate(value);
  if (read?.precision === "day") return factDateProblems({ field, label, date: read.date, sentOn, today });
  const problems = factDateTextProblems({ field, label, value, today });
  if (problems.length > 0 || !read) return problems;
  if (read.month < monthOf(sentOn)) {
    return [{ field, message: `${label} cannot be before the month the letter was sent (${monthOf(sentOn)})` }];
  }
  return [];
}
