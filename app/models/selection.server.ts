/**
 * SQL for the shared filter model (app/domain/filters.ts): which letters a selection covers.
 * Letter lists, question lists, exports, the API and the briefing all build on it.
 */
import { sql, type SQL } from "drizzle-orm";
import type { CalendarDate } from "~/domain/dates";
import type { SelectionFilters } from "~/domain/filters";
import { toFtsQuery } from "~/domain/search";

/**
 * Conditions on the letter aliased `l` (sent on or before `asOf`, agency, committee, member, tag,
 * sent-date range). Free text is applied by the caller: letters and questions match it differently.
 */
export function selectionWhereSql(filters: Omit<SelectionFilters, "asOf" | "q">, asOf: CalendarDate): SQL[] {
  const conditions: SQL[] = [sql`l.sent_on <= ${asOf}`];
  if (filters.sentFrom) conditions.push(sql`l.sent_on >= ${filters.sentFrom}`);
  if (filters.sentTo) conditions.push(sql`l.sent_on <= ${filters.sentTo}`);
  if (filters.agency) {
    conditions.push(sql`l.id IN (SELECT lr.letter_id FROM letter_recipients lr
      WHERE lr.agency_id = (SELECT id FROM agencies WHERE slug = ${filters.agency}))`);
  }
  if (filters.committee) {
    conditions.push(sql`l.committee_id = (SELECT id FROM committees WHERE slug = ${filters.committee})`);
  }
  if (filters.member) {
    conditions.push(sql`l.id IN (SELECT ls.letter_id FROM letter_senders ls
      WHERE ls.member_id = (SELECT id FROM members WHERE slug = ${filters.member}))`);
  }
  if (filters.tag) {
    conditions.push(sql`l.id IN (SELECT lt.letter_id FROM letter_tags lt
      WHERE lt.tag_id = (SELECT id FROM tags WHERE slug = ${filters.tag}))`);
  }
  return conditions;
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
