/**
 * Reading questions across letters: the unanswered-questions list, its exports and the API.
 */
import { sql, type SQL } from "drizzle-orm";
import { statementReader } from "./prepared.server";
import { getDb } from "../../db/client.server";
import type { CalendarDate } from "~/domain/dates";
import { PAGE_SIZE, questionReadingOrder, type QuestionFilters, type QuestionSort } from "~/domain/filters";
import { QUESTION_STATUSES, type DeadlineSource, type LetterStatus, type QuestionStatus } from "~/domain/vocabulary";
import { letterStatusSql, openQuestionsSql, questionOpenSql, readsStoredState, stateAsOf } from "./letter-state.server";
import { agenciesOfLetters, type AgencyRef } from "./letters.server";
import { cachedForToday } from "./figure-cache.server";
import { and, questionTextMatchSql, readingForSort, selectionWhereSql, type SelectionReading } from "./selection.server";

type Filters = Omit<QuestionFilters, "asOf" | "sort" | "dir" | "page">;

/**
 * Days from the first ask until the question stopped being open, or until `asOf` while it is open.
 * A question asked again in a follow-up runs from the chain's first ask (`first_asked_on`,
 * decision 0023); any other from its letter's sending.
 */
export function daysOpenSql(asOf: CalendarDate): SQL<number> {
  return sql<number>`CAST(julianday(CASE WHEN qs.status <> 'open' AND qs.status_on IS NOT NULL
    THEN qs.status_on ELSE ${asOf} END) - julianday(COALESCE(q.first_asked_on, l.sent_on)) AS INTEGER)`;
}

/** An open question whose letter's effective deadline has passed (and which was not closed with its letter). */
export function questionOverdueSql(asOf: CalendarDate): SQL<number> {
  return sql<number>`(${questionOpenSql(asOf)} AND s.effective_deadline IS NOT NULL AND s.effective_deadline < ${asOf})`;
}

/**
 * The status filter. "Open" means unanswered: a question of a letter closed by `asOf` is left out
 * ("Unanswered questions" listed a closed letter's questions, issue 13 item 4), and so is one a
 * later letter sent by then asks again: the chain is listed once, at its latest ask (decision
 * 0023); every status at once is every question.
 */
function questionStatusesSql(statuses: readonly string[], asOf: CalendarDate): SQL | null {
  if (statuses.length === 0 || QUESTION_STATUSES.every((status) => statuses.includes(status))) return null;
  const others = statuses.filter((status) => status !== "open");
  const parts = [
    others.length > 0 ? sql`qs.status IN (${sql.join(others.map((status) => sql`${status}`), sql`, `)})` : null,
    statuses.includes("open") ? questionOpenSql(asOf) : null,
  ].filter((part): part is SQL => part !== null);
  return parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` OR `)})`;
}

/** WHERE conditions over aliases q (questions), qs (question_state), l (letters), s (letter_state). */
export function questionWhereSql({
  filters,
  asOf,
  reading,
}: {
  filters: Filters;
  asOf: CalendarDate;
  reading?: SelectionReading;
}): SQL {
  const list = (column: SQL, values: readonly string[]) =>
    values.length === 0 ? null : sql`${column} IN (${sql.join(values.map((value) => sql`${value}`), sql`, `)})`;
  return and([
    ...selectionWhereSql(filters, asOf, reading),
    questionStatusesSql(filters.statuses, asOf),
    list(sql`q.kind`, filters.kinds),
    questionTextMatchSql(filters.q),
  ]);
}

/**
 * The letter part of a sort that orders questions letter by letter (then by question number), or
 * null for a sort across letters (days open). Exports walk letters in this order.
 */
export function questionLetterOrderSql({ sort, dir }: { sort: QuestionSort; dir: "asc" | "desc" }): SQL | null {
  const direction = sql.raw(dir === "asc" ? "ASC" : "DESC");
  switch (sort) {
    case "sent":
      return sql`l.sent_on ${direction}, l.slug ASC`;
    case "deadline":
      return sql`s.effective_deadline IS NULL, s.effective_deadline ${direction}, l.slug ASC`;
    case "letter":
      return sql`l.title COLLATE NOCASE ${direction}, l.slug ASC`;
    case "open":
      return null;
  }
}

function orderBySql(sort: QuestionSort, dir: "asc" | "desc", asOf: CalendarDate): SQL {
  // Within a letter, questions stay in their numbered order.
  const byLetter = questionLetterOrderSql({ sort, dir });
  if (byLetter) return sql`${byLetter}, q.number ASC`;
  return sql`${daysOpenSql(asOf)} ${sql.raw(dir === "asc" ? "ASC" : "DESC")}, l.slug ASC, q.number ASC`;
}

export interface QuestionRow {
  id: number;
  letterId: number;
  number: number;
  text: string;
  kind: string;
  status: QuestionStatus;
  statusOn: string | null;
  daysOpen: number;
  overdue: boolean;
  letterSlug: string;
  letterTitle: string;
  letterStatus: LetterStatus;
  sentOn: string;
  effectiveDeadline: string | null;
  deadlineSource: DeadlineSource | null;
}

/** The list columns of a question (aliases q, qs, l, s): those of QuestionRow. */
function questionColumnsSql(asOf: CalendarDate): SQL {
  return sql`q.id AS id, q.letter_id AS letterId, q.number AS number, q.text AS text, q.kind AS kind,
      qs.status AS status, qs.status_on AS statusOn, ${daysOpenSql(asOf)} AS daysOpen,
      ${questionOverdueSql(asOf)} AS overdue,
      l.slug AS letterSlug, l.title AS letterTitle, ${letterStatusSql(asOf)} AS letterStatus,
      l.sent_on AS sentOn, s.effective_deadline AS effectiveDeadline, s.deadline_source AS deadlineSource`;
}

/**
 * The tables of a question selection, aliased q, qs, l and s. Sorted by a letter's date or title,
 * SQLite walks letters in index order and stops at the page's end (an export streams in that order
 * from the first row); left to itself it starts from the questions and sorts a million rows (0.5 s
 * against 1 ms).
 */
export function questionFromSql(sort: QuestionSort): SQL {
  return sql`${
    sort === "sent" || sort === "letter"
      ? sql`letters l CROSS JOIN questions q ON q.letter_id = l.id`
      : sql`questions q JOIN letters l ON l.id = q.letter_id`
  }
    JOIN question_state qs ON qs.question_id = q.id
    JOIN letter_state s ON s.letter_id = l.id`;
}

/**
 * How many questions a selection holds. When only letter-level filters apply and the statuses are
 * "open" (the list's default) or all of them, it sums the letters' question counts (letter_state's
 * questions_open, questions_total). As of today those are stored on the letters, so the count reads
 * 100k letters instead of a million questions; for a past date both ways compute the state.
 */
export function countQuestions({ filters, asOf }: { filters: Filters; asOf: CalendarDate }): number {
  const statuses = new Set(filters.statuses);
  const perLetter =
    filters.kinds.length > 0 || questionTextMatchSql(filters.q) !== null
      ? null
      : statuses.size === 0 || QUESTION_STATUSES.every((status) => statuses.has(status))
        ? sql`s.questions_total`
        : statuses.size === 1 && statuses.has("open")
          ? openQuestionsSql(asOf)
          : null;
  const db = getDb();
  if (perLetter) {
    return (
      db.get<{ n: number | null }>(sql`${stateAsOf(asOf)}
      SELECT SUM(${perLetter}) AS n
      FROM letters l JOIN letter_state s ON s.letter_id = l.id
      WHERE ${and(selectionWhereSql(filters, asOf))}`)?.n ?? 0
    );
  }
  return (
    db.get<{ n: number }>(sql`${stateAsOf(asOf)}
      SELECT COUNT(*) AS n
      FROM questions q
      JOIN question_state qs ON qs.question_id = q.id
      JOIN letters l ON l.id = q.letter_id
      JOIN letter_state s ON s.letter_id = l.id
      WHERE ${questionWhereSql({ filters, asOf })}`)?.n ?? 0
  );
}

export interface QuestionListItem extends QuestionRow {
  agencies: AgencyRef[];
}

export function listQuestions({
  filters,
  asOf,
  pageSize = PAGE_SIZE,
  total: given,
}: {
  filters: QuestionFilters;
  asOf: CalendarDate;
  pageSize?: number;
  /** The selection's total, when the caller has it (list-totals.server.ts: shared by the read threads). */
  total?: number;
}): { questions: QuestionListItem[]; total: number; page: number; pageCount: number; pageSize: number } {
  const db = getDb();
  const { page: _page, sort: _sort, dir: _dir, ...selection } = filters;
  // Counting reads the whole selection; for today it is kept until the data changes.
  const total =
    given ??
    cachedForToday({
      asOf,
      key: `questions-count:${JSON.stringify(selection)}`,
      compute: () => countQuestions({ filters, asOf }),
    });
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(filters.page, pageCount);
  const { sort, dir, byFirstAsk } = questionReadingOrder(filters);
  // The page's questions first, by id: sorted by a letter's date, title or deadline a walk of that
  // index (questionFromSql, deadlineWalk) that stops at the page's end, reading each walked
  // question's state only as far as the status filter needs it; then their columns, with the
  // state of those alone.
  const walk = deadlineWalk({ sort, dir, filters, asOf });
  const limit = sql`LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`;
  // Each statement text prepared once per connection (statementReader): about 1 ms of a page.
  const ids = statementReader(db)<{ id: number }>(
      byFirstAsk
        ? sql`${stateAsOf(asOf)} ${firstAskOrderSql({ filters, asOf, dir })} ${limit}`
        : sql`${stateAsOf(asOf)}
      SELECT q.id AS id FROM ${walk?.from ?? questionFromSql(sort)}
      WHERE ${questionWhereSql({ filters, asOf, reading: readingForSort(sort) })}
      ORDER BY ${walk?.orderBy ?? orderBySql(sort, dir, asOf)}
      ${limit}`,
    ).map((row) => row.id);
  const rows = questionsInOrder(ids, asOf);
  const agencies = agenciesOfLetters([...new Set(rows.map((row) => row.letterId))]);
  return {
    questions: rows.map((row) => ({ ...row, agencies: agencies.get(row.letterId) ?? [] })),
    total,
    page,
    pageCount,
    pageSize,
  };
}

/**
 * Sorted by deadline as of today, with nothing narrowing the letters: walk letters in deadline
 * order (letters_deadline_{asc,desc}_order_idx, migration 0021) and stop at the page's end. The
 * order is orderBySql's: today's deadline is the one stored on the letter, and coalescing a missing
 * one to the far end puts it last either way. SQLite does not choose that index by itself (it sorts
 * every open question: 0.7 s a page at 100,000 letters), hence INDEXED BY. With a filter on agency,
 * member, committee, topic, dates or text, finding the selection first and sorting it is cheaper.
 */
function deadlineWalk({ sort, dir, filters, asOf }: { sort: QuestionSort; dir: "asc" | "desc"; filters: QuestionFilters; asOf: CalendarDate }): { from: SQL; orderBy: SQL } | null {
  const narrowed = filters.agency || filters.committee || filters.member || filters.tag || filters.sentFrom || filters.sentTo || filters.q;
  if (sort !== "deadline" || narrowed || !readsStoredState(asOf)) return null;
  const [index, missing, direction] =
    dir === "asc" ? ["letters_deadline_asc_order_idx", "9999-12-31", "ASC"] : ["letters_deadline_desc_order_idx", "0000-00-00", "DESC"];
  return {
    from: sql`letters l INDEXED BY ${sql.raw(index)} CROSS JOIN questions q ON q.letter_id = l.id
      JOIN question_state qs ON qs.question_id = q.id
      JOIN letter_state s ON s.letter_id = l.id`,
    orderBy: sql`coalesce(l.effective_deadline, ${sql.raw(`'${missing}'`)}) ${sql.raw(direction)}, l.slug ASC, q.number ASC`,
  };
}

/**
 * The ids of a selection's questions by the day each was first asked (questionReadingOrder's
 * `byFirstAsk`: open questions by days open), then letter slug, then number: `dir` "asc" is the
 * earliest first ask first (most days open). A first ask (no `repeats_question_id`) was first asked
 * on its letter's sent date: those are a walk of the letters' date index, as sorted by date. A
 * question that asks an earlier one again (decision 0023) was first asked on its chain's
 * `first_asked_on`: those few are read from the repeats' partial index (questions_repeats_idx)
 * and sorted. SQLite merges the two ordered arms of the UNION ALL (a compound SELECT's ORDER BY is
 * a merge of its arms, each in that order), so a page (LIMIT, OFFSET) stops the walk at its end and
 * cuts the same order as the whole list. A repeat's `first_asked_on` is kept by the letter writer
 * whenever its `repeats_question_id` moves (refreshRepeats), so the arms split the questions in two.
 */
export function firstAskOrderSql({ filters, asOf, dir }: { filters: Filters; asOf: CalendarDate; dir: "asc" | "desc" }): SQL {
  const direction = sql.raw(dir === "asc" ? "ASC" : "DESC");
  return sql`SELECT q.id AS id, l.sent_on AS asked, l.slug AS slug, q.number AS number FROM ${questionFromSql("sent")}
      WHERE ${questionWhereSql({ filters, asOf, reading: readingForSort("sent") })} AND q.repeats_question_id IS NULL
    UNION ALL
    SELECT q.id, COALESCE(q.first_asked_on, l.sent_on), l.slug, q.number
      FROM questions q INDEXED BY questions_repeats_idx JOIN letters l ON l.id = q.letter_id
      JOIN question_state qs ON qs.question_id = q.id
      JOIN letter_state s ON s.letter_id = l.id
      WHERE ${questionWhereSql({ filters, asOf })} AND q.repeats_question_id IS NOT NULL
    ORDER BY asked ${direction}, slug ASC, number ASC`;
}

/** The list columns of the questions `ids`, in that order. */
function questionsInOrder(ids: readonly number[], asOf: CalendarDate): QuestionRow[] {
  if (ids.length === 0) return [];
  const rows = statementReader(getDb())<Omit<QuestionRow, "overdue"> & { overdue: number }>(sql`${stateAsOf(asOf)}
    SELECT ${questionColumnsSql(asOf)}
    FROM questions q JOIN question_state qs ON qs.question_id = q.id
    JOIN letters l ON l.id = q.letter_id JOIN letter_state s ON s.letter_id = l.id
    WHERE q.id IN (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )})`);
  const byId = new Map(rows.map((row) => [row.id, { ...row, overdue: row.overdue === 1 }]));
  return ids.map((id) => byId.get(id)!);
}

/** The ORDER BY of listQuestions (aliases q, qs, l, s), so exports give the same rows in the same order. */
export function questionOrderBySql({ sort, dir, asOf }: { sort: QuestionSort; dir: "asc" | "desc"; asOf: CalendarDate }): SQL {
  return orderBySql(sort, dir, asOf);
}
