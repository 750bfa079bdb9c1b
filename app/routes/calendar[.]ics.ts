import type { LoaderFunctionArgs } from "@remix-run/node";
import ical, { foldLines } from "ical-generator";
import { parseCalendarWindow } from "~/domain/calendar-window";
import { deadlineEventText } from "~/domain/deadline-event";
import { formatDate } from "~/domain/dates";
import { env } from "~/env.server";
import { effectiveAsOf, parseLetterFilters } from "~/domain/filters";
import type { DeadlineCursor, DeadlineLetter } from "~/models/feeds.server";
import { badExportParameters } from "~/utils/http.server";
import { requireUser } from "~/utils/permissions.server";
import { readInPool } from "~/utils/read-pool.server";

/** Events per read: each page is one bounded query in the read pool. */
const PAGE = 500;

/**
 * iCalendar (RFC 5545) of open letters' effective deadlines, one all-day event each (an implied
 * deadline included, and titled as such: decision 0014's addendum), filterable like
 * /letters, within a window (app/domain/calendar-window.ts: 90 days back to a year ahead unless
 * `from`/`to` say otherwise). The UID is the letter's, so an extension moves the event instead of
 * adding one. Streamed page by page: memory stays flat however long the window.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  const url = new URL(request.url);
  const { filters, problems } = parseLetterFilters(url.searchParams);
  const asOf = effectiveAsOf(filters);
  const { window, problems: windowProblems } = parseCalendarWindow(url.searchParams, asOf);
  const bad = badExportParameters([...problems, ...windowProblems]);
  if (bad) return bad;
  const { page: _page, sort: _sort, dir: _dir, asOf: _asOf, ...selection } = filters;

  const calendar = ical({
    name: "Oversight letter deadlines",
    description: `Deadlines from ${formatDate(window.from)} to ${formatDate(window.to)} of congressional oversight letters still awaiting an answer`,
    prodId: { company: "Oversight Letter Tracker", product: "deadlines", language: "EN" },
  });
  // The calendar's own lines, without events: its events are written between them as they are read.
  const [head, tail] = calendar.toString().split("END:VCALENDAR");
  // An event written alone is not folded (the calendar folds only what it writes whole): fold it
  // here, so no line passes 75 octets (RFC 5545, 3.1).
  const event = (letter: DeadlineLetter) =>
    foldLines(
      calendar
      .createEvent({
        id: `letter-${letter.slug}@oversight-letter-tracker`,
        // ical-generator writes an all-day date from the UTC fields: give it UTC midnight, so the
        // server's time zone cannot shift the day.
        start: new Date(`${letter.effectiveDeadline}T00:00:00Z`),
        allDay: true,
        // An implied deadline says so (decision 0014): "Deadline (implied): …".
        ...deadlineEventText(letter, env.DEFAULT_RESPONSE_DAYS),
        // Absolute from PUBLIC_URL, never from the request's Host header.
        url: `${env.PUBLIC_URL}/letters/${encodeURIComponent(letter.slug)}`,
      })
      .toString(),
    );

  const encoder = new TextEncoder();
  let after: DeadlineCursor | null = null;
  let done = false;
  // Later pages are one at a time within this stream: they count against the pool's total, not
  // against the client's share, so a started calendar is not cut off by the client's other requests.
  const streamClient = `${context.clientAddress ?? "unknown"}#calendar-${Math.random().toString(36).slice(2)}`;
  let pagesRead = 0;
  const readPage = () =>
    readInPool(
      "deadlineLetterPage",
      { filters: selection, asOf, from: window.from, to: window.to, after, limit: PAGE },
      pagesRead++ === 0 ? { context, request } : { context, request, client: streamClient },
    );
  // The first page is read before the response starts: a refusal (503) or an error is then a
  // proper answer, not a calendar cut off after its first line.
  let firstPage: DeadlineLetter[] | null = await readPage();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(head));
    },
    async pull(controller) {
      if (done) return;
      let letters: DeadlineLetter[];
      if (firstPage) {
        letters = firstPage;
        firstPage = null;
      } else {
        await context.waitForWritable?.();
        letters = await readPage();
      }
      const last = letters.at(-1);
      if (letters.length > 0) controller.enqueue(encoder.encode(letters.map(event).join("")));
      // createEvent keeps each event on the calendar: let this page's go.
      calendar.clear();
      if (!last || letters.length < PAGE) {
        done = true;
        controller.enqueue(encoder.encode(`END:VCALENDAR${tail ?? ""}\r\n`));
        controller.close();
        return;
      }
      after = { deadline: last.effectiveDeadline, id: last.id };
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'inline; filename="deadlines.ics"',
    },
  });
}
