/**
 * The revision of what one letter's page shows (decision 0029): the count of changes to the
 * letter's own rows and the count of changes that can alter any letter's page (names, titles and
 * links of other letters), both kept by triggers (migration 0026). Read before every anonymous
 * letter page and every nginx generation check for one: one prepared lookup by the slug's index.
 */
import { sql } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import { today } from "~/domain/dates";
import { letterSlugOfPath, pastDayOfPage, pastDayPageRanksWholeIndex } from "~/domain/page-scope";
import { searchRevision } from "./figure-cache.server";
import { preparedSql } from "./prepared.server";

/** `letter-<id>-<own>-<shared>`, or null when no letter has this slug (the page is then a redirect or a 404). */
export function letterPageRevision(slug: string): string | null {
  const row = preparedSql(
    getDb(),
    "letter-page-revision",
    () => sql`SELECT l.id AS id, COALESCE(r.revision, 0) AS own, d.letter_pages_revision AS shared
      FROM letters l CROSS JOIN data_revision d LEFT JOIN letter_page_revisions r ON r.letter_id = l.id
      WHERE l.slug = ${sql.placeholder("slug")} AND d.id = 1`,
  ).get<{ id: number; own: number; shared: number }>({ slug });
  return row ? `letter-${row.id}-${row.own}-${row.shared}` : null;
}

/** Day → history revision, while the highest mark holds (each connection's database its own). */
const historyMemo = new WeakMap<object, { top: number; days: Map<string, number> }>();
const HISTORY_MEMO_DAYS = 20_000;

/**
 * `history-<n>`: what pages of the past day `day` show (decision 0031), the highest mark on or before
 * that day (migration 0028), or null with no mark at all (the migration writes one; without the
 * table it throws, as any query of a database behind its migrations). One indexed lookup of the
 * highest mark per call; the day's own (a walk of the marks up to it, one per sent date) once per
 * mark.
 * `withSearch` (a page that ranks by the whole search index: pastDayPageRanksWholeIndex) adds the
 * search revision, `history-<n>-search-<s>`: a later letter's searchable text reorders its hits.
 */
export function historyRevision(day: string, { withSearch = false }: { withSearch?: boolean } = {}): string | null {
  const db = getDb();
  const top = preparedSql(db, "history-top", () => sql`SELECT MAX(revision) AS top FROM history_marks`).get<{ top: number | null }>()?.top ?? null;
  if (top === null) return null;
  let memo = historyMemo.get(db);
  if (!memo || memo.top !== top) {
    memo = { top, days: new Map() };
    historyMemo.set(db, memo);
  }
  let revision = memo.days.get(day);
  if (revision === undefined) {
    revision =
      preparedSql(db, "history-revision", () => sql`SELECT MAX(revision) AS revision FROM history_marks WHERE from_day <= ${sql.placeholder("day")}`).get<{
        revision: number | null;
      }>({ day })?.revision ?? 0;
    if (memo.days.size >= HISTORY_MEMO_DAYS) memo.days.clear();
    memo.days.set(day, revision);
  }
  if (!withSearch) return `history-${revision}`;
  const search = searchRevision();
  return search === null ? null : `history-${revision}-search-${search}`;
}

/**
 * The page cache's `pageRevision` (scripts/serve.ts): a letter's page (and card, badge) is kept
 * under the letter's own revisions (decision 0029), any other page of a past date under that day's
 * history revision (decision 0031; with the search revision for search), else null (the data revision).
 */
export function pageRevisionOf(pathname: string, search: string, day: string = today()): string | null {
  const slug = letterSlugOfPath(pathname);
  if (slug !== null) return letterPageRevision(slug);
  const pastDay = pastDayOfPage(pathname, search, day);
  return pastDay === null ? null : historyRevision(pastDay, { withSearch: pastDayPageRanksWholeIndex(pathname) });
}
