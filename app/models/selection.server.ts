/**
 * SQL for the shared filter model (app/domain/filters.ts): which letters a selection covers.
 * Letter lists, question lists, exports, the API and the briefing all build on it.
 */
import { sql, type SQL } from "drizzle-orm";
import type { CalendarDate } from "~/domain/dates";
import type { SelectionFilters } from "~/domain/filters";
import { toFtsQuery } from "~/domain/search";

/** How a query reads the letters of a selection; see selectionWhereSql. */
export interface SelectionReading {
  /**
   * The query walks an index in its ORDER BY and stops at its LIMIT (a page of a list sorted by
   * date or by title). Agency, member and topic then only test each letter it walks (`+l.id IN (…)`,
   * which SQLite checks against a Bloom filter) instead of driving the query from their list of
   * letters, which would sort the whole selection first: a page of the largest agency's letters or
   * questions at 100k letters takes 2.5 ms instead of 30–95 ms; an agency with no letters walks
   * the whole index, about 4 ms. Walking titles (letters_title_idx), "sent by asOf" is only tested
   * too (`+l.sent_on`), else SQLite would start from the date index and sort every letter by title.
   */
  inIndexOrder?: "date" | "title" | false;
}

/** The reading of a page of a list sorted by `sort`: which index its ORDER BY can walk, if any. */
export function readingForSort(sort: string): SelectionReading {
  return { inIndexOrder: sort === "sent" ? "date" : sort === "title" || sort === "letter" ? "title" : false };
}

/**
 * Conditions on the letter aliased `l` (sent on or before `asOf`, agency, committee, member, tag,
 * sent-date range). Free text is applied by the caller: letters and questions match it differently.
 */
export function selectionWhereSql(
  filters: Omit<SelectionFilters, "asOf" | "q">,
  asOf: CalendarDate,
  { inIndexOrder = false }: SelectionReading = {},
): SQL[] {
  // The unary plus keeps SQLite from using the condition to look letters up by id (or by date).
  const letterId = inIndexOrder ? sql`+l.id` : sql`l.id`;
  const conditions: SQL[] = [inIndexOrder === "title" ? sql`+l.sent_on <= ${asOf}` : sql`l.sent_on <= ${asOf}`];
  if (filters.sentFrom) conditions.push(sql`l.sent_on >= ${filters.sentFrom}`);
  if (filters.sentTo) conditions.push(sql`l.sent_on <= ${filters.sentTo}`);
  if (filters.agency) {
    conditions.push(sql`${letterId} IN (SELECT lr.letter_id FROM letter_recipients lr
      WHERE lr.agency_id = (SELECT id FROM agencies WHERE slug = ${filters.agency}))`);
  }
  if (filters.committee) {
    conditions.push(sql`l.committee_id = (SELECT id FROM committees WHERE slug = ${filters.committee})`);
  }
  if (filters.member) {
    conditions.push(sql`${letterId} IN (SELECT ls.letter_id FROM letter_senders ls
      WHERE ls.member_id = (SELECT id FROM members WHERE slug = ${filters.member}))`);
  }
  if (filters.tag) {
    conditions.push(sql`${letterId} IN (SELECT lt.letter_id FROM letter_tags lt
      WHERE lt.tag_id = (SELECT id FROM tags WHERE slug = ${filters.tag}))`);
  }
  return conditions;
}

/** Whether a selection is narrower than every letter sent by its date (a subject, dates or text). */
export function narrowsSelection(filters: Omit<SelectionFilters, "asOf">): boolean {
  return [filters.agency, filters.committee, filters.member, filters.tag, filters.sentFrom, filters.sentTo, filters.q].some(
    (value) => value !== null && value !== "",
  );
}

/** Letters whose title, summary, questions or responses match `q`; null when `q` has no words. */
export function letterTextMatchSql(q: string | null): SQL | null {
  const match = q ? toFtsQuery(q) : null;
  if (!match) return null;
  return sql`l.id IN (SELECT letter_id FROM search_index WHERE search_index MATCH ${match})`;
}

/** Questions (alias `q`) whose text matches; null when `q` has no words. */
export function questionTextMatchSql(q: string | null): SQL | null {
  const match = q ? toFtsQuery(q) : null;
  if (!match) return null;
  return sql`q.id IN (SELECT item_id FROM search_index WHERE search_index MATCH ${match} AND kind = 'question')`;
}

export function and(conditions: Array<SQL | null>): SQL {
  const present = conditions.filter((condition): condition is SQL => condition !== null);
  return present.length === 0 ? sql`1` : sql.join(present, sql` AND `);
}
