import type { LoaderFunctionArgs } from "@remix-run/node";
import ical from "ical-generator";
import { formatDate } from "~/domain/dates";
import { effectiveAsOf, parseLetterFilters } from "~/domain/filters";
import { deadlineLetters } from "~/models/feeds.server";
import { badExportParameters } from "~/utils/http.server";
import { requireUser } from "~/utils/permissions.server";

/**
 * iCalendar (RFC 5545) of open letters' effective deadlines, one all-day event each, filterable like
 * /letters. The UID is the letter's, so an extension moves the event instead of adding one.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  const url = new URL(request.url);
  const { filters, problems } = parseLetterFilters(url.searchParams);
  const bad = badExportParameters(problems);
  if (bad) return bad;
  const asOf = effectiveAsOf(filters);
  const calendar = ical({
    name: "Oversight letter deadlines",
    description: "Deadlines of congressional oversight letters still awaiting an answer",
    prodId: { company: "Oversight Letter Tracker", product: "deadlines", language: "EN" },
  });
  for (const letter of deadlineLetters({ filters, asOf })) {
    const agencies = [...new Set(letter.recipients.map((recipient) => recipient.agency))].join("; ");
    calendar.createEvent({
      id: `letter-${letter.slug}@oversight-letter-tracker`,
      // ical-generator writes an all-day date from the UTC fields: give it UTC midnight, so the
      // server's time zone cannot shift the day.
      start: new Date(`${letter.effectiveDeadline!}T00:00:00Z`),
      allDay: true,
      summary: `Deadline: ${letter.title}`,
      description:
        `To: ${agencies}\nSent: ${formatDate(letter.sentOn)}\nStatus: ${letter.status}` +
        (letter.deadline && letter.deadline !== letter.effectiveDeadline ? `\nExtended from ${formatDate(letter.deadline)}` : ""),
      url: `${url.origin}/letters/${letter.slug}`,
    });
  }
  return new Response(calendar.toString(), {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'inline; filename="deadlines.ics"',
      "Cache-Control": "no-cache",
    },
  });
}
