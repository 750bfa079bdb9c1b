/**
 * The queries the page-plans work replaced (issue 11), kept as references: the letter and question
 * lists as one statement each, and the agency figures' (letter, agency) pairs as a DISTINCT over
 * every recipient, all reading a past date's state set-based (every letter's facts at once, as
 * refreshLetterState computes it). test/integration/page-queries-equal.test.ts holds the rewritten
 * queries to the same answers.
 */
import { sql, type SQL } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import { today, type CalendarDate } from "~/domain/dates";
import type { LetterFilters, LetterSort, QuestionFilters, QuestionSort } from "~/domain/filters";
import { questionReadingOrder } from "~/domain/filters";
import { LETTER_STATUSES, QUESTION_STATUSES } from "~/domain/vocabulary";
import { MATCH_END, MATCH_START } from "~/domain/search";
import { computedStateAsOf, daysOutstandingSql, responseDaysSql, stateAsOf } from "~/models/letter-state.server";
import { and, letterTextMatchSql, questionTextMatchSql, selectionWhereSql } from "~/models/selection.server";

/** The state as the previous queries read it: stored for today, set-based for a past date. */
function previousState(asOf: CalendarDate): SQL {
  return asOf >= today() ? stateAsOf(asOf) : computedStateAsOf(asOf, "set");
}

function previousLetterStatusSql(asOf: CalendarDate): SQL {
  return sql`(CASE
    WHEN l.closed_on IS NOT NULL AND l.closed_on <= ${asOf} THEN 'closed'
    WHEN s.answer_status IS NOT NULL THEN s.answer_status
    WHEN s.effective_deadline < ${asOf} THEN 'overdue'
    ELSE 'awaiting'
  END)`;
}

type Selection = Omit<LetterFilters, "asOf" | "sort" | "dir" | "page">;

function letterWhere(filters: Selection, asOf: CalendarDate): SQL {
  const statuses =
    filters.statuses.length > 0
      ? sql`${previousLetterStatusSql(asOf)} IN (${sql.join(
          filters.statuses.map((status) => sql`${status}`),
          sql`, `,
        )})`
      : null;
  return and([...selectionWhereSql(filters, asOf), statuses, letterTextMatchSql(filters.q)]);
}

function letterOrder(sort: LetterSort, dir: "asc" | "desc", asOf: CalendarDate): SQL {
  const direction = sql.raw(dir === "asc" ? "ASC" : "DESC");
  const statusRank = sql`(CASE ${previousLetterStatusSql(asOf)} ${sql.join(
    LETTER_STATUSES.map((status, index) => sql`WHEN ${status} THEN ${index}`),
    sql` `,
  )} END)`;
  switch (sort) {
    case "sent":
      return sql`l.sent_on ${direction}, l.slug ASC`;
    case "deadline":
      return sql`s.effective_deadline IS NULL, s.effective_deadline ${direction}, l.sent_on DESC, l.slug ASC`;
    case "outstanding":
      return sql`${daysOutstandingSql(asOf)} IS NULL, ${daysOutstandingSql(asOf)} ${direction}, l.slug ASC`;
    case "title":
      return sql`l.title COLLATE NOCASE ${direction}, l.slug ASC`;
    case "status":
      return sql`${statusRank} ${direction}, l.sent_on DESC, l.slug ASC`;
  }
}

/** The previous listLetters: count and page, without the agencies (read the same way by both). */
export function previousLetterPage({ filters, asOf, pageSize }: { filters: LetterFilters; asOf: CalendarDate; pageSize: number }) {
  const db = getDb();
  const from = sql`FROM letters l JOIN letter_state s ON s.letter_id = l.id LEFT JOIN committees c ON c.id = l.committee_id`;
  const where = letterWhere(filters, asOf);
  const total = db.get<{ n: number }>(sql`${previousState(asOf)} SELECT COUNT(*) AS n ${from} WHERE ${where}`)?.n ?? 0;
  const page = Math.min(filters.page, Math.max(1, Math.ceil(total / pageSize)));
  const letters = db.all(sql`${previousState(asOf)}
    SELECT l.id AS id, l.slug AS slug, l.title AS title, l.sent_on AS sentOn, l.chamber AS chamber,
      c.name AS committee, ${previousLetterStatusSql(asOf)} AS status, l.deadline AS deadline,
      s.effective_deadline AS effectiveDeadline, s.deadline_source AS deadlineSource, ${daysOutstandingSql(asOf)} AS daysOutstanding,
      ${responseDaysSql} AS responseDays, s.questions_total AS questionsTotal,
      -- A letter closed by asOf has no open question (decision 0014 addendum), written out here.
      CASE WHEN l.closed_on <= ${asOf} THEN 0 ELSE s.questions_open END AS questionsOpen
    ${from}
    WHERE ${where}
    ORDER BY ${letterOrder(filters.sort, filters.dir, asOf)}
    LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`);
  return { total, page, letters };
}

function daysOpen(asOf: CalendarDate): SQL {
  return sql`CAST(julianday(CASE WHEN qs.status <> 'open' AND qs.status_on IS NOT NULL
    THEN qs.status_on ELSE ${asOf} END) - julianday(l.sent_on) AS INTEGER)`;
}

function questionOrder(sort: QuestionSort, dir: "asc" | "desc", asOf: CalendarDate): SQL {
  const direction = sql.raw(dir === "asc" ? "ASC" : "DESC");
  switch (sort) {
    case "sent":
      return sql`l.sent_on ${direction}, l.slug ASC, q.number ASC`;
    case "deadline":
      return sql`s.effective_deadline IS NULL, s.effective_deadline ${direction}, l.slug ASC, q.number ASC`;
    case "letter":
      return sql`l.title COLLATE NOCASE ${direction}, l.slug ASC, q.number ASC`;
    case "open":
      return sql`${daysOpen(asOf)} ${direction}, l.slug ASC, q.number ASC`;
  }
}

/** The previous listQuestions: every matching question counted one by one, and the page. */
export function previousQuestionPage({ filters, asOf, pageSize }: { filters: QuestionFilters; asOf: CalendarDate; pageSize: number }) {
  const db = getDb();
  const list = (column: SQL, values: readonly string[]) =>
    values.length === 0 ? null : sql`${column} IN (${sql.join(values.map((value) => sql`${value}`), sql`, `)})`;
  const where = and([
    ...selectionWhereSql(filters, asOf),
    // Open means unanswered: a letter closed by asOf has no open questions (issue 13 item 4); every
    // status at once is every question.
    filters.statuses.length === 0 || QUESTION_STATUSES.every((status) => filters.statuses.includes(status))
      ? null
      : sql`(${list(sql`qs.status`, filters.statuses)} AND NOT (qs.status = 'open' AND l.closed_on IS NOT NULL AND l.closed_on <= ${asOf}))`,
    list(sql`q.kind`, filters.kinds),
    questionTextMatchSql(filters.q),
  ]);
  const from = sql`FROM questions q JOIN question_state qs ON qs.question_id = q.id
    JOIN letters l ON l.id = q.letter_id JOIN letter_state s ON s.letter_id = l.id`;
  const total = db.get<{ n: number }>(sql`${previousState(asOf)} SELECT COUNT(*) AS n ${from} WHERE ${where}`)?.n ?? 0;
  const page = Math.min(filters.page, Math.max(1, Math.ceil(total / pageSize)));
  const { sort, dir } = questionReadingOrder(filters);
  const questions = db.all<{ overdue: number }>(sql`${previousState(asOf)}
    SELECT q.id AS id, q.letter_id AS letterId, q.number AS number, q.text AS text, q.kind AS kind,
      qs.status AS status, qs.status_on AS statusOn, ${daysOpen(asOf)} AS daysOpen,
      (qs.status = 'open' AND NOT (l.closed_on IS NOT NULL AND l.closed_on <= ${asOf})
        AND s.effective_deadline IS NOT NULL AND s.effective_deadline < ${asOf}) AS overdue,
      l.slug AS letterSlug, l.title AS letterTitle, ${previousLetterStatusSql(asOf)} AS letterStatus,
      l.sent_on AS sentOn, s.effective_deadline AS effectiveDeadline, s.deadline_source AS deadlineSource
    ${from}
    WHERE ${where}
    ORDER BY ${questionOrder(sort, dir, asOf)}
    LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`);
  return { total, page, questions: questions.map((row) => ({ ...row, overdue: row.overdue === 1 })) };
}

/**
 * The previous agency figures' input: per agency, its distinct (letter, agency) pairs' sums, from
 * a DISTINCT over every recipient joined to the selected letters.
 */
export function previousAgencyTotals({ asOf, selection, agencySlugs }: { asOf: CalendarDate; selection: Selection; agencySlugs?: readonly string[] }) {
  const only =
    agencySlugs === undefined
      ? sql``
      : sql`AND la.agency_id IN (SELECT id FROM agencies WHERE slug IN (${sql.join(
          agencySlugs.map((slug) => sql`${slug}`),
          sql`, `,
        )}))`;
  return getDb().all<{ slug: string; letters: number; answered: number; rated: number; onTime: number; overdue: number; openQuestions: number; days: number }>(sql`${previousState(asOf)}
    SELECT a.slug AS slug, COUNT(*) AS letters, SUM(s.first_response_on IS NOT NULL) AS answered,
      SUM(s.first_response_on IS NOT NULL AND s.effective_deadline IS NOT NULL) AS rated,
      SUM(s.first_response_on IS NOT NULL AND s.effective_deadline IS NOT NULL AND s.first_response_on <= s.effective_deadline) AS onTime,
      SUM(${previousLetterStatusSql(asOf)} = 'overdue') AS overdue, SUM(CASE WHEN l.closed_on IS NOT NULL AND l.closed_on <= ${asOf} THEN 0 ELSE s.questions_open END) AS openQuestions,
      SUM(CAST(julianday(CASE WHEN s.first_response_on IS NOT NULL THEN s.first_response_on
        WHEN l.closed_on IS NOT NULL AND l.closed_on <= ${asOf} THEN l.closed_on ELSE ${asOf} END) - julianday(l.sent_on) AS INTEGER)) AS days
    FROM (SELECT DISTINCT letter_id, agency_id FROM letter_recipients) la
    JOIN letters l ON l.id = la.letter_id JOIN letter_state s ON s.letter_id = l.id
    JOIN agencies a ON a.id = la.agency_id
    WHERE ${letterWhere({ ...selection, statuses: [] }, asOf)} ${only}
    GROUP BY a.id ORDER BY a.slug`);
}

/**
 * The previous questionCounts: each question's state from the set-based computation; the open
 * questions of letters closed by `asOf` apart, as `closedUnanswered` (decision 0014 addendum), and
 * the open questions a later letter sent by `asOf` asks again apart, as `askedAgain` (decision
 * 0023 addendum).
 */
export function previousQuestionCounts({ asOf, selection }: { asOf: CalendarDate; selection: Selection }) {
  const rows = getDb().all<{ status: string; n: number }>(sql`${previousState(asOf)}
    SELECT CASE WHEN qs.status = 'open' AND q.repeated_on <= ${asOf} THEN 'askedAgain'
      WHEN qs.status = 'open' AND l.closed_on <= ${asOf} THEN 'closedUnanswered' ELSE qs.status END AS status, COUNT(*) AS n
    FROM questions q JOIN question_state qs ON qs.question_id = q.id
    JOIN letters l ON l.id = q.letter_id JOIN letter_state s ON s.letter_id = l.id
    WHERE ${letterWhere({ ...selection, statuses: [] }, asOf)}
    GROUP BY 1`);
  const counts = Object.fromEntries([...QUESTION_STATUSES, "closedUnanswered", "askedAgain"].map((status) => [status, 0])) as Record<string, number>;
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/**
 * Every open letter whose effective deadline as of `asOf` falls in [from, to], soonest first, as
 * the calendar's pages read them before they looked only at letters with a deadline in the window:
 * every letter's state, set-based.
 */
export function previousDeadlineLetters({ asOf, from, to }: { asOf: CalendarDate; from: CalendarDate; to: CalendarDate }) {
  return getDb().all<{ id: number; status: string; effectiveDeadline: string }>(sql`${previousState(asOf)}
    SELECT l.id AS id, ${previousLetterStatusSql(asOf)} AS status, s.effective_deadline AS effectiveDeadline
    FROM letters l JOIN letter_state s ON s.letter_id = l.id
    WHERE l.sent_on <= ${asOf} AND ${previousLetterStatusSql(asOf)} IN ('awaiting', 'overdue')
      AND s.effective_deadline BETWEEN ${from} AND ${to}
    ORDER BY s.effective_deadline, l.id`);
}

/**
 * One kind of search results as one statement (before issue 11's search work): every match joined
 * to its letter, highlighted, then ranked. Hits as `search` gives them, without their kind.
 */
export function previousSearchPage({
  match,
  kind,
  asOf,
  limit,
  page,
}: {
  match: string;
  kind: "letter" | "question" | "response";
  asOf: CalendarDate;
  limit: number;
  page: number;
}): { total: number; hits: unknown[] } {
  const db = getDb();
  const joins =
    kind === "question"
      ? sql`JOIN questions q ON q.id = search_index.item_id`
      : kind === "response"
        ? sql`JOIN responses r ON r.id = search_index.item_id`
        : sql``;
  const where = kind === "response" ? sql`AND r.received_on <= ${asOf}` : sql``;
  const columns =
    kind === "question"
      ? sql`q.number AS number, NULL AS receivedOn, NULL AS receivedPrecision`
      : kind === "response"
        ? sql`NULL AS number, r.received_on AS receivedOn, r.received_precision AS receivedPrecision`
        : sql`NULL AS number, NULL AS receivedOn, NULL AS receivedPrecision`;
  const base = sql`FROM search_index JOIN letters l ON l.id = search_index.letter_id ${joins}
    WHERE search_index MATCH ${match} AND search_index.kind = ${kind} AND l.sent_on <= ${asOf} ${where}`;
  const total = db.get<{ n: number }>(sql`SELECT COUNT(*) AS n ${base}`)?.n ?? 0;
  const current = Math.min(page, Math.max(1, Math.ceil(total / limit)));
  const hits = db.all(sql`
    SELECT search_index.item_id AS itemId,
      highlight(search_index, 3, ${MATCH_START}, ${MATCH_END}) AS title,
      snippet(search_index, 4, ${MATCH_START}, ${MATCH_END}, '…', 32) AS snippet,
      l.slug AS letterSlug, l.title AS letterTitle, l.sent_on AS sentOn, ${columns}
    ${base}
    ORDER BY bm25(search_index, 0, 0, 0, 4.0, 1.0), search_index.rowid
    LIMIT ${limit} OFFSET ${(current - 1) * limit}`);
  return { total, hits };
}
