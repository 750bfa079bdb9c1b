/**
 * The deadline calendar's text (RFC 5545), written where its letters are read: in the read pool.
 * A page of 500 events is a few hundred kilobytes of text built by ical-generator; written on the
 * event loop, a calendar over a long window held every other visitor for seconds (issue 11).
 */
import ical, { foldLines, type ICalCalendar } from "ical-generator";
import { formatDate, type CalendarDate } from "~/domain/dates";
import { deadlineEventText } from "~/domain/deadline-event";
import { defaultResponseDays } from "./letter-state.server";
import { deadlineLetterPage, type DeadlineCursor, type DeadlineLetter } from "./feeds.server";

function newCalendar(window: { from: CalendarDate; to: CalendarDate }): ICalCalendar {
  return ical({
    name: "Oversight letter deadlines",
    description: `Deadlines from ${formatDate(window.from)} to ${formatDate(window.to)} of congressional oversight letters still awaiting an answer`,
    prodId: { company: "Oversight Letter Tracker", product: "deadlines", language: "EN" },
  });
}

/** The calendar's own lines without events, split where its events go. */
export function calendarFrame(window: { from: CalendarDate; to: CalendarDate }): { head: string; tail: string } {
  const [head = "", tail = ""] = newCalendar(window).toString().split("END:VCALENDAR");
  return { head, tail: `END:VCALENDAR${tail}\r\n` };
}

/** One event per letter. An event written alone is not folded (the calendar folds only what it writes whole): fold it here, so no line passes 75 octets (RFC 5545, 3.1). */
export function calendarEvents(letters: readonly DeadlineLetter[], window: { from: CalendarDate; to: CalendarDate }, siteUrl: string): string {
  const calendar = newCalendar(window);
  return letters
    .map((letter) =>
      foldLines(
        calendar
          .createEvent({
            id: `letter-${letter.slug}@oversight-letter-tracker`,
            // ical-generator writes an all-day date from the UTC fields: give it UTC midnight, so the
            // server's time zone cannot shift the day.
            start: new Date(`${letter.effectiveDeadline}T00:00:00Z`),
            allDay: true,
            // An implied deadline says so (decision 0014): "Deadline (implied): …".
            ...deadlineEventText(letter, defaultResponseDays()),
            // Absolute from PUBLIC_URL, never from the request's Host header.
            url: `${siteUrl}/letters/${encodeURIComponent(letter.slug)}`,
          })
          .toString(),
      ),
    )
    .join("");
}

/**
 * A page of the calendar's events as UTF-8 bytes (copied, not re-encoded, across the thread
 * boundary), and where the next page starts (null after the last).
 */
export function deadlineCalendarChunk(
  args: Parameters<typeof deadlineLetterPage>[0] & { siteUrl: string },
): { bytes: Uint8Array; after: DeadlineCursor | null } {
  const { siteUrl, ...page } = args;
  const letters = deadlineLetterPage(page);
  const last = letters.at(-1);
  return {
    bytes: new TextEncoder().encode(calendarEvents(letters, { from: page.from, to: page.to }, siteUrl)),
    after: last && letters.length >= page.limit ? { deadline: last.effectiveDeadline, id: last.id } : null,
  };
}
