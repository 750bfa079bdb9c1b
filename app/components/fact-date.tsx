/**
 * A fact's date: "17 Jun 2025", or "June 2025" for a date the record gives only by month
 * (app/domain/approximate-date.ts), in a `<time>` whose `datetime` is the date or the month.
 */
import { factDateText, formatFactDate } from "~/domain/approximate-date";
import type { CalendarDate } from "~/domain/dates";
import type { DatePrecision } from "~/domain/vocabulary";

export function FactDate({ date, precision }: { date: CalendarDate; precision: DatePrecision | null | undefined }) {
  return <time dateTime={factDateText(date, precision)}>{formatFactDate(date, precision)}</time>;
}
