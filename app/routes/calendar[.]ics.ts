import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseCalendarWindow } from "~/domain/calendar-window";
import { env } from "~/env.server";
import { effectiveAsOf, parseLetterFilters } from "~/domain/filters";
import { calendarFrame } from "~/models/calendar.server";
import type { DeadlineCursor } from "~/models/feeds.server";
import { badExportParameters } from "~/utils/http.server";
import { requireUser } from "~/utils/permissions.server";
import { readInPool } from "~/utils/read-pool.server";

/** Events per read: each page is one bounded query in the read pool. */
const PAGE = 500;

const CALENDAR_HEADERS = {
  "Content-Type": "text/calendar; charset=utf-8",
  "Content-Disposition": 'inline; filename="deadlines.ics"',
};

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
  // A HEAD gets the calendar's headers without a page of it read in the pool (Remix drops its body).
  if (request.method === "HEAD") return new Response(null, { headers: CALENDAR_HEADERS });
  const { page: _page, sort: _sort, dir: _dir, asOf: _asOf, ...selection } = filters;

  const { head, tail } = calendarFrame(window);
  let after: DeadlineCursor | null = null;
  let done = false;
  // Later pages are one at a time within this stream: they count against the pool's total, not
  // against the client's share, so a started calendar is not cut off by the client's other requests.
  const streamClient = `${context.clientAddress ?? "unknown"}#calendar-${Math.random().toString(36).slice(2)}`;
  let pagesRead = 0;
  // Each page's events are read and written as text in the read pool (calendar.server.ts): the
  // event loop only passes the bytes on.
  const readPage = () =>
    readInPool(
      "deadlineCalendarChunk",
      { filters: selection, asOf, from: window.from, to: window.to, after, limit: PAGE, siteUrl: env.PUBLIC_URL },
      pagesRead++ === 0 ? { context, request } : { context, request, client: streamClient },
    );
  // The first page is read before the response starts: a refusal (503) or an error is then a
  // proper answer, not a calendar cut off after its first line.
  let firstPage: Awaited<ReturnType<typeof readPage>> | null = await readPage();
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(head));
    },
    async pull(controller) {
      if (done) return;
      let chunk: Awaited<ReturnType<typeof readPage>>;
      if (firstPage) {
        chunk = firstPage;
        firstPage = null;
      } else {
        await context.waitForWritable?.();
        chunk = await readPage();
      }
      if (chunk.bytes.length > 0) controller.enqueue(chunk.bytes);
      if (!chunk.after) {
        done = true;
        controller.enqueue(encoder.encode(tail));
        controller.close();
        return;
      }
      after = chunk.after;
    },
  });
  return new Response(body, { headers: CALENDAR_HEADERS });
}
