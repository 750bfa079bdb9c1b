/** What the deadline calendar and the news feed show. */
import { sql } from "drizzle-orm";
import { XMLBuilder } from "fast-xml-parser";
import { getDb } from "../../db/client.server";
import { formatFactDate } from "~/domain/approximate-date";
import { formatDate, type CalendarDate } from "~/domain/dates";
import type { LetterFilters } from "~/domain/filters";
import { COMPLETENESS_TERMS, OPEN_LETTER_STATUSES, type DatePrecision, type DeadlineSource, type LetterStatus } from "~/domain/vocabulary";
import { defaultResponseDays, letterStatusSql, readsStoredState, stateAsOf } from "./letter-state.server";
import { agenciesOfLetters, letterWhereSql } from "./letters.server";

export interface DeadlineLetter {
  id: number;
  slug: string;
  title: string;
  sentOn: CalendarDate;
  status: LetterStatus;
  deadline: CalendarDate | null;
  effectiveDeadline: CalendarDate;
  /** Where effectiveDeadline comes from: an implied one is said to be implied (decision 0014). */
  deadlineSource: DeadlineSource;
  agencies: string[];
}

/** Where a page of deadlines ends: the next page starts after this (deadline, letter id). */
export interface DeadlineCursor {
  deadline: CalendarDate;
  id: number;
}

/**
 * One page of open letters whose effective deadline falls in [from, to], among those /letters
 * shows for `filters` (a status filter narrows the open ones further), soonest deadline first.
 * The calendar streams page after page (keyset: bounded work per page, whatever the window).
 */
export function deadlineLetterPage({
  filters,
  asOf,
  from,
  to,
  after,
  limit,
}: {
  filters: Omit<LetterFilters, "asOf" | "page" | "sort" | "dir">;
  asOf: CalendarDate;
  from: CalendarDate;
  to: CalendarDate;
  after: DeadlineCursor | null;
  limit: number;
}): DeadlineLetter[] {
  const open: readonly LetterStatus[] = OPEN_LETTER_STATUSES;
  const statuses = filters.statuses.length === 0 ? [...open] : filters.statuses.filter((status) => open.includes(status));
  if (statuses.length === 0) return [];
  const where = letterWhereSql({ filters: { ...filters, statuses }, asOf });
  // As of a past date the effective deadline is computed per letter: only for the letters whose own
  // deadline, or one they were extended to by then, falls in the window (by index), not for every
  // letter on every page. As of today the stored one is walked in letters_effective_deadline_idx.
  // A letter that sets no deadline is due DEFAULT_RESPONSE_DAYS after sending: those sent that
  // many days before the window (letters_sent_on_idx).
  const days = defaultResponseDays();
  const implied =
    days > 0
      ? sql`UNION ALL SELECT id FROM letters WHERE sent_on BETWEEN date(${from}, ${`-${days} days`}) AND date(${to}, ${`-${days} days`}) AND deadline IS NULL`
      : sql``;
  const inWindow = readsStoredState(asOf)
    ? sql``
    : sql`AND l.id IN (SELECT id FROM letters WHERE deadline BETWEEN ${from} AND ${to}
        UNION ALL SELECT letter_id FROM deadline_changes WHERE new_deadline BETWEEN ${from} AND ${to} AND granted_on <= ${asOf}
        ${implied})`;
  const rows = getDb().all<Omit<DeadlineLetter, "agencies">>(sql`${stateAsOf(asOf)}
    SELECT l.id AS id, l.slug AS slug, l.title AS title, l.sent_on AS sentOn, ${letterStatusSql(asOf)} AS status,
      l.deadline AS deadline, s.effective_deadline AS effectiveDeadline, s.deadline_source AS deadlineSource
    FROM letters l JOIN letter_state s ON s.letter_id = l.id
    WHERE ${where} AND s.effective_deadline BETWEEN ${from} AND ${to} ${inWindow}
      ${after ? sql`AND (s.effective_deadline > ${after.deadline} OR (s.effective_deadline = ${after.deadline} AND l.id > ${after.id}))` : sql``}
    ORDER BY s.effective_deadline, l.id
    LIMIT ${limit}`);
  const agencies = agenciesOfLetters(rows.map((row) => row.id));
  return rows.map((row) => ({
    ...row,
    agencies: (agencies.get(row.id) ?? []).map((agency) => agency.name),
  }));
}

export interface FeedEntry {
  kind: "letter" | "response";
  /** Stable: the letter's slug, or the response's id. */
  key: string;
  letterSlug: string;
  letterTitle: string;
  createdAt: number;
  /** Letter: sent date; response: received date (the day it counts as). */
  on: string;
  /** Response: 'month' when the record gives only the month; letter: null. */
  precision: DatePrecision | null;
  from: string | null;
  completeness: string | null;
  summary: string | null;
}

/** The most recently logged letters and responses (by when they were entered), newest first. */
export function recentActivity({ limit = 50 }: { limit?: number } = {}): FeedEntry[] {
  return getDb().all<FeedEntry>(sql`
    SELECT * FROM (
      SELECT 'letter' AS kind, l.slug AS key, l.slug AS letterSlug, l.title AS letterTitle,
        l.created_at AS createdAt, l.sent_on AS "on", NULL AS precision, NULL AS "from", NULL AS completeness, l.summary AS summary
      FROM letters l ORDER BY l.created_at DESC, l.id DESC LIMIT ${limit}
    )
    UNION ALL
    SELECT * FROM (
      SELECT 'response', CAST(r.id AS TEXT), l.slug, l.title, r.created_at, r.received_on, r.received_precision, r."from",
        r.completeness, r.summary
      FROM responses r JOIN letters l ON l.id = r.letter_id
      ORDER BY r.created_at DESC, r.id DESC LIMIT ${limit}
    )
    ORDER BY createdAt DESC, kind, key
    LIMIT ${limit}`);
}

/** What XML 1.0 cannot carry at all (control characters other than tab, LF, CR; lone surrogates). */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Plain text for an Atom text construct: `type="text"`, escaped by the XML writer (never markup). */
function text(value: string) {
  return { "@_type": "text", "#text": value.replace(NOT_XML, "") };
}

export const FEED_TITLE = "Oversight Letter Tracker: new letters and responses";
export const FEED_AUTHOR = "Oversight Letter Tracker";

/**
 * The Atom feed (RFC 4287) of the most recently logged letters and responses: the feed's author,
 * ids and links from `publicUrl` (PUBLIC_URL, never a request's Host header), titles and summaries
 * as plain text (`type="text"`), so a title holding markup reaches a feed reader as the text it is.
 * Written by fast-xml-parser's builder, which escapes every text and attribute.
 */
export function atomFeedXml({ publicUrl, limit = 50 }: { publicUrl: string; limit?: number }): string {
  const entries = recentActivity({ limit });
  const letterUrl = (slug: string) => `${publicUrl}/letters/${encodeURIComponent(slug)}`;
  const feed = {
    "?xml": { "@_version": "1.0", "@_encoding": "utf-8" },
    feed: {
      "@_xmlns": "http://www.w3.org/2005/Atom",
      id: `${publicUrl}/feed.xml`,
      title: text(FEED_TITLE),
      subtitle: text("Congressional oversight letters and the responses to them, as they are logged"),
      updated: new Date(entries[0]?.createdAt ?? 0).toISOString(),
      author: { name: FEED_AUTHOR, uri: `${publicUrl}/` },
      link: [
        { "@_rel": "self", "@_type": "application/atom+xml", "@_href": `${publicUrl}/feed.xml` },
        { "@_rel": "alternate", "@_type": "text/html", "@_href": `${publicUrl}/` },
      ],
      rights: text("Public record"),
      entry: entries.map((entry) => {
        const link = letterUrl(entry.letterSlug);
        const isLetter = entry.kind === "letter";
        return {
          id: isLetter ? `${link}#letter` : `${link}#response-${entry.key}`,
          title: text(
            isLetter
              ? `New letter: ${entry.letterTitle}`
              : `Response (${COMPLETENESS_TERMS.labelOf(entry.completeness ?? "").toLowerCase()}) to: ${entry.letterTitle}`,
          ),
          link: { "@_rel": "alternate", "@_type": "text/html", "@_href": link },
          updated: new Date(entry.createdAt).toISOString(),
          summary: text(
            isLetter
              ? `Sent ${formatDate(entry.on)}.${entry.summary ? ` ${entry.summary}` : ""}`
              : `Received ${formatFactDate(entry.on, entry.precision)} from ${entry.from}.${entry.summary ? ` ${entry.summary}` : ""}`,
          ),
        };
      }),
    },
  };
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", format: true, processEntities: true });
  return builder.build(feed) as string;
}
