/** What the deadline calendar and the news feed show. */
import { sql } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import type { CalendarDate } from "~/domain/dates";
import type { LetterFilters } from "~/domain/filters";
import { OPEN_LETTER_STATUSES, type LetterStatus } from "~/domain/vocabulary";
import type { ExportLetter } from "~/domain/export-columns";
import { selectedLetters } from "./export.server";

/**
 * Open letters with an effective deadline among those /letters shows for `filters` (a status
 * filter narrows the open ones further), soonest deadline first.
 */
export function deadlineLetters({ filters, asOf }: { filters: Omit<LetterFilters, "asOf" | "page">; asOf: CalendarDate }): ExportLetter[] {
  const open: readonly LetterStatus[] = OPEN_LETTER_STATUSES;
  const statuses = filters.statuses.length === 0 ? [...open] : filters.statuses.filter((status) => open.includes(status));
  if (statuses.length === 0) return [];
  const result: ExportLetter[] = [];
  for (const letter of selectedLetters({ filters: { ...filters, statuses, sort: "deadline", dir: "asc" }, asOf })) {
    // Letters without a deadline come last in this order: none after this one has one either.
    if (!letter.effectiveDeadline) break;
    result.push(letter);
  }
  return result;
}

export interface FeedEntry {
  kind: "letter" | "response";
  /** Stable: the letter's slug, or the response's id. */
  key: string;
  letterSlug: string;
  letterTitle: string;
  createdAt: number;
  /** Letter: sent date; response: received date. */
  on: string;
  from: string | null;
  completeness: string | null;
  summary: string | null;
}

/** The most recently logged letters and responses (by when they were entered), newest first. */
export function recentActivity({ limit = 50 }: { limit?: number } = {}): FeedEntry[] {
  return getDb().all<FeedEntry>(sql`
    SELECT * FROM (
      SELECT 'letter' AS kind, l.slug AS key, l.slug AS letterSlug, l.title AS letterTitle,
        l.created_at AS createdAt, l.sent_on AS "on", NULL AS "from", NULL AS completeness, l.summary AS summary
      FROM letters l ORDER BY l.created_at DESC, l.id DESC LIMIT ${limit}
    )
    UNION ALL
    SELECT * FROM (
      SELECT 'response', CAST(r.id AS TEXT), l.slug, l.title, r.created_at, r.received_on, r."from",
        r.completeness, r.summary
      FROM responses r JOIN letters l ON l.id = r.letter_id
      ORDER BY r.created_at DESC, r.id DESC LIMIT ${limit}
    )
    ORDER BY createdAt DESC, kind, key
    LIMIT ${limit}`);
}
