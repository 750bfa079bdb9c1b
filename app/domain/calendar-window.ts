/**
 * Which deadlines the calendar feed sends: by default those from 90 days before the state-of-play
 * date to a year after it, so a subscription stays small however many letters the tracker holds.
 * `from` and `to` (YYYY-MM-DD) choose another window of at most MAX_DAYS.
 */
import { addCalendarDays, daysBetween, isCalendarDate, type CalendarDate } from "./dates";

export const CALENDAR_DAYS_BEFORE = 90;
export const CALENDAR_DAYS_AFTER = 365;
export const CALENDAR_MAX_DAYS = 3 * 366;
/** The first day there is (isCalendarDate: years start at 1): the default window starts no earlier. */
const FIRST_DAY: CalendarDate = "0001-01-01";

export interface CalendarWindow {
  from: CalendarDate;
  to: CalendarDate;
}

export function parseCalendarWindow(
  params: URLSearchParams,
  asOf: CalendarDate,
): { window: CalendarWindow; problems: string[] } {
  const problems: string[] = [];
  const read = (name: "from" | "to", fallback: CalendarDate): CalendarDate => {
    const values = params.getAll(name);
    if (values.length === 0) return fallback;
    if (values.length > 1) problems.push(`"${name}" is given ${values.length} times: give it once.`);
    const value = values[0]!;
    if (!isCalendarDate(value)) {
      problems.push(`"${name}" must be a date written YYYY-MM-DD, not "${value.slice(0, 40)}".`);
      return fallback;
    }
    return value;
  };
  // An asOf in the first 90 days of year 1 would put the default start in year 0, which is no
  // date: the next sum on it (the default end) threw, a 500.
  const from = read("from", daysBetween(FIRST_DAY, asOf) >= CALENDAR_DAYS_BEFORE ? addCalendarDays(asOf, -CALENDAR_DAYS_BEFORE) : FIRST_DAY);
  const to = read("to", addCalendarDays(from, CALENDAR_DAYS_BEFORE + CALENDAR_DAYS_AFTER));
  if (problems.length === 0) {
    if (to < from) problems.push(`"to" (${to}) is before "from" (${from}).`);
    else if (daysBetween(from, to) > CALENDAR_MAX_DAYS) {
      problems.push(`"from" to "to" spans ${daysBetween(from, to)} days; the calendar sends at most ${CALENDAR_MAX_DAYS}.`);
    }
  }
  return { window: { from, to }, problems };
}
