/**
 * Full-text search over letter titles and summaries, question texts and response senders and
 * summaries (the FTS5 table `search_index`), and the pages of letters' and responses' documents
 * (`document_pages_fts`), both kept in step with every write by triggers. Results come grouped by
 * kind, best match first, with highlighted snippets (a document's with its page number).
 */
import { sql, type SQL } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import { env } from "~/env.server";
import { cachedForToday, cachedUntilSearchChanges, searchRevision } from "./figure-cache.server";
import { today, type CalendarDate } from "~/domain/dates";
import { documentUrl } from "~/domain/documents";
import type { DatePrecision, LetterStatus } from "~/domain/vocabulary";
import { daysOutstandingSql, letterStatusSql, openLetterStatusesSql, stateAsOf } from "./letter-state.server";
import { MATCH_END, MATCH_START, NAME_KINDS, NAMES_PER_GROUP, SEARCH_KINDS, toFtsQuery, type NameKind, type SearchKind } from "~/domain/search";
import { MAX_PICKER_RESULTS } from "~/domain/pickers";
import { searchPicker } from "./pickers.server";

export interface SearchHit {
  kind: SearchKind;
  itemId: number;
  /** Highlighted title (letter title, response sender; empty for questions). */
  title: string;
  /** Highlighted passage of the body around the match. */
  snippet: string;
  letterSlug: string;
  letterTitle: string;
  sentOn: string;
  /** Question number, for questions; page number, for documents. */
  number: number | null;
  /** Received date, for responses and their documents (the day it counts as), and its precision (a month-only date). */
  receivedOn: string | null;
  receivedPrecision: DatePrecision | null;
  /** For documents: the download address. */
  url?: string | null;
  /** The letter's status as of the search's date, and its days without a substantive answer (null once answered). */
  status: LetterStatus;
  daysOutstanding: number | null;
}

export interface SearchGroup {
  kind: SearchKind;
  total: number;
  hits: SearchHit[];
  page: number;
  pageCount: number;
}

/** A hit as found in the index, before its letter's state (which moves with every write) is read. */
type FoundHit = Omit<SearchHit, "status" | "daysOutstanding"> & { letterId: number };
type FoundGroup = Omit<SearchGroup, "hits"> & { hits: FoundHit[] };

/** The status and days outstanding of the letters `ids` as of `asOf`, read by key. */
function letterStates(ids: readonly number[], asOf: CalendarDate): Map<number, { status: LetterStatus; daysOutstanding: number | null }> {
  if (ids.length === 0) return new Map();
  const rows = getDb().all<{ id: number; status: LetterStatus; daysOutstanding: number | null }>(sql`${stateAsOf(asOf)}
    SELECT l.id AS id, ${letterStatusSql(asOf)} AS status, ${daysOutstandingSql(asOf)} AS daysOutstanding
    FROM letters l JOIN letter_state s ON s.letter_id = l.id
    WHERE l.id IN (${sql.join(
      [...new Set(ids)].map((id) => sql`${id}`),
      sql`, `,
    )})`);
  return new Map(rows.map(({ id, ...state }) => [id, state]));
}

/** What a row of search_index is, from its rowid (migration 0002): letter id*4, question id*4+1, response id*4+2. */
const ROWID_KIND: Record<Exclude<SearchKind, "document">, number> = { letter: 0, question: 1, response: 2 };

// Title matches count more than body matches (bm25 weights follow column order:
// kind, item_id, letter_id, title, body).
const ORDER = sql`bm25(search_index, 0, 0, 0, 4.0, 1.0), search_index.rowid`;

/** Joins and date limits per kind: nothing sent or received after asOf is found. */
function kindSql(kind: Exclude<SearchKind, "document">, asOf: CalendarDate): { joins: SQL; where: SQL; columns: SQL } {
  switch (kind) {
    case "letter":
      return { joins: sql``, where: sql``, columns: sql`NULL AS number, NULL AS receivedOn, NULL AS receivedPrecision` };
    case "question":
      return {
        joins: sql`JOIN questions q ON q.id = search_index.item_id`,
        where: sql``,
        columns: sql`q.number AS number, NULL AS receivedOn, NULL AS receivedPrecision`,
      };
    case "response":
      return {
        joins: sql`JOIN responses r ON r.id = search_index.item_id`,
        where: sql`AND r.received_on <= ${asOf}`,
        columns: sql`NULL AS number, r.received_on AS receivedOn, r.received_precision AS receivedPrecision`,
      };
  }
}

/**
 * Pages of documents that match, once per letter or response that holds the document: the FTS5
 * match first, then by key to the page, its links and their letter (nothing sent or received
 * after asOf). Each page's snippet says its page number.
 */
function searchDocuments({ match, asOf, limit, page }: { match: string; asOf: CalendarDate; limit: number; page: number }): FoundGroup {
  const db = getDb();
  const letterBranch = sql`FROM document_pages_fts f
      JOIN document_pages p ON p.id = f.rowid
      JOIN letter_documents ld ON ld.document_sha256 = p.document_sha256
      JOIN letters l ON l.id = ld.letter_id
      JOIN documents d ON d.sha256 = p.document_sha256
      WHERE document_pages_fts MATCH ${match} AND l.sent_on <= ${asOf}`;
  const responseBranch = sql`FROM document_pages_fts f
      JOIN document_pages p ON p.id = f.rowid
      JOIN response_documents rd ON rd.document_sha256 = p.document_sha256
      JOIN responses r ON r.id = rd.response_id
      JOIN letters l ON l.id = r.letter_id
      JOIN documents d ON d.sha256 = p.document_sha256
      WHERE document_pages_fts MATCH ${match} AND l.sent_on <= ${asOf} AND r.received_on <= ${asOf}`;
  const total =
    (db.get<{ n: number }>(sql`SELECT COUNT(*) AS n ${letterBranch}`)?.n ?? 0) + (db.get<{ n: number }>(sql`SELECT COUNT(*) AS n ${responseBranch}`)?.n ?? 0);
  const pageCount = Math.max(1, Math.ceil(total / limit));
  const current = Math.min(page, pageCount);
  const columns = (receivedOn: SQL, receivedPrecision: SQL) => sql`p.id AS itemId, d.original_name AS title, d.sha256 AS sha256, d.media_type AS mediaType,
      snippet(document_pages_fts, 0, ${MATCH_START}, ${MATCH_END}, '…', 24) AS snippet, bm25(document_pages_fts) AS rank,
      l.id AS letterId, l.slug AS letterSlug, l.title AS letterTitle, l.sent_on AS sentOn, p.number AS number, ${receivedOn} AS receivedOn, ${receivedPrecision} AS receivedPrecision`;
  const rows = db.all<Omit<SearchHit, "kind" | "url" | "status" | "daysOutstanding"> & { letterId: number; sha256: string; mediaType: string; rank: number }>(sql`
    SELECT * FROM (SELECT ${columns(sql`NULL`, sql`NULL`)} ${letterBranch} UNION ALL SELECT ${columns(sql`r.received_on`, sql`r.received_precision`)} ${responseBranch})
    ORDER BY rank, itemId, letterSlug
    LIMIT ${limit} OFFSET ${(current - 1) * limit}`);
  const hits = rows.map(({ sha256, mediaType, rank: _rank, ...hit }) => ({
    kind: "document" as const,
    ...hit,
    url: documentUrl(sha256, hit.title, mediaType),
  }));
  return { kind: "document", total, hits, page: current, pageCount };
}

function searchKind({
  match,
  kind,
  asOf,
  limit,
  page,
}: {
  match: string;
  kind: SearchKind;
  asOf: CalendarDate;
  limit: number;
  page: number;
}): FoundGroup {
  if (kind === "document") return searchDocuments({ match, asOf, limit, page });
  const db = getDb();
  const { joins, where, columns } = kindSql(kind, asOf);
  // The kind is read from the rowid: `kind` is a stored, unindexed column, and reading it for
  // every match cost 20 times the match itself (118 vs 6 ms for a common word at 100,000 letters).
  const matches = sql`search_index MATCH ${match} AND search_index.rowid % 4 = ${ROWID_KIND[kind]}`;
  // As of today nothing found was sent or received later, so the matches alone are counted and
  // ranked, with no join per match; as of a past date each match's letter (and response) is read.
  const matching =
    asOf < today()
      ? sql`FROM search_index JOIN letters l ON l.id = search_index.letter_id ${joins}
          WHERE ${matches} AND l.sent_on <= ${asOf} ${where}`
      : sql`FROM search_index WHERE ${matches}`;
  const total = db.get<{ n: number }>(sql`SELECT COUNT(*) AS n ${matching}`)?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / limit));
  const current = Math.min(page, pageCount);
  // The page's rows by rank first, then their highlights: highlight() and snippet() read a row's
  // text again, and in one statement with the ORDER BY they ran for every match before the sort.
  const ranked = db.all<{ rowid: number }>(sql`
    SELECT search_index.rowid AS rowid ${matching}
    ORDER BY ${ORDER}
    LIMIT ${limit} OFFSET ${(current - 1) * limit}`);
  const rows =
    ranked.length === 0
      ? []
      : db.all<Omit<SearchHit, "kind" | "status" | "daysOutstanding"> & { rowid: number; letterId: number }>(sql`
    SELECT search_index.rowid AS rowid, search_index.item_id AS itemId, l.id AS letterId,
      highlight(search_index, 3, ${MATCH_START}, ${MATCH_END}) AS title,
      snippet(search_index, 4, ${MATCH_START}, ${MATCH_END}, '…', 32) AS snippet,
      l.slug AS letterSlug, l.title AS letterTitle, l.sent_on AS sentOn, ${columns}
    FROM search_index JOIN letters l ON l.id = search_index.letter_id ${joins}
    WHERE search_index MATCH ${match} AND search_index.rowid IN (${sql.join(
      ranked.map((row) => sql`${row.rowid}`),
      sql`, `,
    )})`);
  const byRowid = new Map(rows.map(({ rowid, ...hit }) => [rowid, hit]));
  const hits = ranked.flatMap((row) => {
    const hit = byRowid.get(row.rowid);
    return hit ? [{ kind, ...hit }] : [];
  });
  return { kind, total, hits, page: current, pageCount };
}

/**
 * Searches for `q` (sanitised by toFtsQuery: every word must appear, FTS5 syntax in the input is
 * never an operator). With `kind`, one page of that kind; otherwise the first `perKind` of each.
 */
/**
 * What the index found for a search as of today (the ranked, highlighted page of each kind, before
 * the letters' state), with the search revision it was found at: the read thread that found it
 * hands it back, and the event loop keeps it (search-findings.server.ts) and passes it to whichever
 * thread serves the same search next, so each is found once per process rather than once per thread.
 */
export interface SearchFindings {
  key: string;
  revision: number;
  found: Array<Omit<SearchGroup, "hits"> & { hits: Array<Omit<SearchHit, "status" | "daysOutstanding"> & { letterId: number }> }>;
}

/**
 * The key of a search's findings as of today, or null when they are not kept (a past date, no
 * words, or FIGURE_CACHE=off: then every request finds its search anew, as it computes its figures).
 */
export function searchFindingsKey({ q, asOf, kind = null, page = 1, perKind = 5, pageSize = 20 }: SearchArgs): string | null {
  const match = toFtsQuery(q);
  if (!match || asOf < today() || !env.FIGURE_CACHE) return null;
  return `search:${JSON.stringify([match, kind, page, perKind, pageSize])}@${asOf}`;
}

interface SearchArgs {
  q: string;
  asOf: CalendarDate;
  kind?: SearchKind | null;
  page?: number;
  perKind?: number;
  pageSize?: number;
}

export function search(
  args: SearchArgs,
  { findings = null }: { findings?: SearchFindings | null } = {},
): { query: string | null; groups: SearchGroup[]; findings: SearchFindings | null } {
  const { q, asOf, kind = null, page = 1, perKind = 5, pageSize = 20 } = args;
  const match = toFtsQuery(q);
  if (!match) return { query: null, groups: [], findings: null };
  const kinds = kind ? [kind] : SEARCH_KINDS;
  // Counting and ranking every match is the cost, and a shared search link is asked for again and
  // again. What the index finds changes only when searchable text does (search_revision), not
  // with each deadline extended or status moved: kept until then, for today.
  const find = () => kinds.map((each) => searchKind({ match, kind: each, asOf, limit: kind ? pageSize : perKind, page: kind ? page : 1 }));
  const key = searchFindingsKey(args);
  // Read before finding: findings are labelled with a revision no newer than what they saw.
  const revision = key ? searchRevision() : null;
  const given = key !== null && findings !== null && findings.key === key && findings.revision === revision ? findings.found : null;
  const found = given ?? (key ? cachedUntilSearchChanges(key, find) : find());
  // Then the hits' letters' state, read by key at every request (as of a past date, each computed).
  const states = letterStates(found.flatMap((group) => group.hits.map((hit) => hit.letterId)), asOf);
  return {
    query: match,
    groups: found.map((group) => ({ ...group, hits: group.hits.map(({ letterId, ...hit }) => ({ ...hit, ...states.get(letterId)! })) })),
    // Handed back only when found here: the caller already holds what it gave.
    findings: key !== null && revision !== null && given === null ? { key, revision, found } : null,
  };
}

export interface NameHit {
  /** The slug of the member, agency or committee (its page's address). */
  value: string;
  /** "Jamie Raskin (D-MD)", "U.S. Department of State". */
  label: string;
  hint: string | null;
  /** Letters sent (a member), received (an agency, by any of its officials) or of the committee, by the search's date. */
  letters: number;
  /** Of them, awaiting a reply or overdue on that date. */
  open: number;
}

export interface NameGroup {
  kind: NameKind;
  hits: NameHit[];
  /** Whether more names match than are shown. */
  more: boolean;
}

/** Each kind's letters, by the slugs of its rows (alias l for letters), for the counts of names found. */
const NAME_LETTERS: Record<NameKind, (slugs: SQL) => SQL> = {
  members: (slugs) => sql`members x JOIN letter_senders j ON j.member_id = x.id JOIN letters l ON l.id = j.letter_id
    JOIN letter_state s ON s.letter_id = l.id WHERE x.slug IN (${slugs})`,
  agencies: (slugs) => sql`agencies x JOIN letter_recipients j ON j.agency_id = x.id JOIN letters l ON l.id = j.letter_id
    JOIN letter_state s ON s.letter_id = l.id WHERE x.slug IN (${slugs})`,
  committees: (slugs) => sql`committees x JOIN letters l ON l.committee_id = x.id JOIN letter_state s ON s.letter_id = l.id WHERE x.slug IN (${slugs})`,
};

/** Letters and open letters of the names `slugs` of a kind, as of `asOf`, by slug. */
function nameCounts(kind: NameKind, slugs: readonly string[], asOf: CalendarDate): Map<string, { letters: number; open: number }> {
  if (slugs.length === 0) return new Map();
  const rows = getDb().all<{ value: string; letters: number; open: number }>(sql`${stateAsOf(asOf)}
    SELECT x.slug AS value, COUNT(DISTINCT l.id) AS letters,
      COUNT(DISTINCT CASE WHEN ${letterStatusSql(asOf)} IN (${openLetterStatusesSql}) THEN l.id END) AS open
    FROM ${NAME_LETTERS[kind](sql.join(
      slugs.map((slug) => sql`${slug}`),
      sql`, `,
    ))}
      AND l.sent_on <= ${asOf}
    GROUP BY x.slug`);
  return new Map(rows.map(({ value, ...counts }) => [value, counts]));
}

/**
 * People (members), agencies and committees whose names match `q`, each a group of its own: the
 * pickers' index and query (searchPicker), NAMES_PER_GROUP of each, or with `only` that group's
 * first MAX_PICKER_RESULTS; each with its letters and open letters as of `asOf`. Kept until the
 * data changes (not only the searchable text: the open letters move with every response).
 */
export function searchNames({ q, asOf, only = null }: { q: string; asOf: CalendarDate; only?: NameKind | null }): NameGroup[] {
  const kinds = only ? [only] : NAME_KINDS;
  return cachedForToday({
    asOf,
    key: `search-names:${JSON.stringify([q.trim().toLowerCase(), only])}`,
    compute: () =>
      kinds.map((kind) => {
        const { items, more } = searchPicker(kind, q, only ? MAX_PICKER_RESULTS : NAMES_PER_GROUP);
        const counts = nameCounts(
          kind,
          items.map((item) => item.value),
          asOf,
        );
        return {
          kind,
          more,
          hits: items.map((item) => ({ value: item.value, label: item.label, hint: item.hint ?? null, ...(counts.get(item.value) ?? { letters: 0, open: 0 }) })),
        };
      }),
  });
}
