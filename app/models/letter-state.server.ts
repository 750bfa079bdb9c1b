/**
 * The status rules of app/domain/status.ts, in SQL, so that lists, counts and charts over 100k
 * letters never load letters into JavaScript.
 *
 * Three sources give the same columns:
 * - as of today or later: the derived columns stored on `letters` and `questions`, kept current by
 *   refreshLetterState() in the same transaction as every write that changes them (facts may not be
 *   dated in the future, so "all facts" is "facts up to today");
 * - for a past `asOf`, in the queries of pages, figures and exports (stateAsOf): the stored history
 *   (letter_state_history, question_state_history; decision 13), the row of each letter and question
 *   whose interval holds `asOf`, one seek each. The history is written with the stored state, by
 *   computing the per-row rules below at each date of the letter's facts;
 * - until an existing database's history is backfilled, and to write the history: computed row by
 *   row from the facts dated up to `asOf`, by index lookups of that letter's or question's own
 *   facts, for the rows a statement actually reads: a page of a list reads the state of its page,
 *   a member's figures that of the member's letters, and only whole-tracker figures that of every
 *   letter;
 * - set-based over every letter (or a list of letters), for refreshLetterState(): the same rules
 *   as window functions and joins, which rewrite many letters' stored state at once.
 * test/integration/letter-state.test.ts checks all three against the pure functions and each other.
 */
import { getTableColumns, sql, type SQL } from "drizzle-orm";
import { getDb, type Db, type DbOrTx } from "../../db/client.server";
import { letterStateHistory } from "../../db/schema";
import { today, type CalendarDate } from "~/domain/dates";
import { OPEN_LETTER_STATUSES } from "~/domain/vocabulary";
import { env } from "~/env.server";
import { preparedSql } from "./prepared.server";
import { recordOverdueAfterWindowChange } from "./letter-events.server";

/** DEFAULT_RESPONSE_DAYS: a letter that sets no deadline is due this many days after sending (0: never). */
export function defaultResponseDays(): number {
  return env.DEFAULT_RESPONSE_DAYS;
}

/**
 * The deadline in force (deadlineInForce in app/domain/status.ts), packed as one text: the date
 * (10 characters), then where it comes from (`2025-05-17implied`); NULL when there is none. The
 * latest extension granted by then (`extension`, an SQL value), else the letter's own deadline,
 * else `days` after sending. The one place each SQL form of the state takes its deadline from.
 */
function deadlineInForceSql(extension: SQL, letter: string, days: number): SQL<string | null> {
  const l = sql.raw(letter);
  const implied = days > 0 ? sql`date(${l}.sent_on, ${`+${days} days`}) || 'implied'` : sql`NULL`;
  return sql<string | null>`COALESCE(${extension} || 'extension', ${l}.deadline || 'letter', ${implied})`;
}
/** The date of a packed deadline. */
const deadlineDate = (packed: SQL) => sql`substr(${packed}, 1, 10)`;
/** The source of a packed deadline. */
const deadlineSource = (packed: SQL) => sql`nullif(substr(${packed}, 11), '')`;

/** Later than any real date: "all facts", and the end of a letter's last history interval. */
const ALL_FACTS: CalendarDate = "9999-12-31";
/** Earlier than any real date: the start of a letter's first history interval. */
const BEFORE_ALL_FACTS: CalendarDate = "0000-01-01";

/**
 * The columns of `letter_state` besides letter_id, in order: those letter_state_history stores
 * (db/schema.ts defines them once for `letters` and the history). A column added there is read,
 * stored and compared by every statement below that lists the state's columns.
 */
export const LETTER_STATE_COLUMNS: readonly string[] = Object.values(getTableColumns(letterStateHistory))
  .map((column) => column.name)
  .filter((name) => !["letter_id", "valid_from", "valid_to"].includes(name));
const stateColumns = (prefix = "") => sql.raw(LETTER_STATE_COLUMNS.map((column) => `${prefix}${column}`).join(", "));

function onlyLetters(column: string, letterIds: readonly number[] | SQL | undefined): SQL {
  if (!letterIds) return sql``;
  // One letter, named by a placeholder: the statement is built once (refreshLetterState).
  if (!Array.isArray(letterIds)) return sql`AND ${sql.raw(column)} = ${letterIds}`;
  return sql`AND ${sql.raw(column)} IN (${sql.join(
    letterIds.map((id) => sql`${id}`),
    sql`, `,
  )})`;
}

/**
 * CTEs `question_state(question_id, letter_id, status, status_on)` and `letter_state(letter_id,
 * effective_deadline, first_response_on, latest_response_on, latest_completeness, answer_status,
 * questions_total, questions_open)` computed from the facts as of `asOf`, set-based: each CTE reads
 * the facts of every letter (or of `letterIds`) at once. refreshLetterState() uses it.
 */
function computedStateCtes(asOf: CalendarDate, letterIds?: readonly number[] | SQL, days: number = defaultResponseDays()): SQL {
  const deadline = deadlineInForceSql(sql`e.new_deadline`, "l", days);
  return sql`
  substantive AS (
    SELECT r.letter_id, r.received_on, r.completeness,
      ROW_NUMBER() OVER (PARTITION BY r.letter_id ORDER BY r.received_on DESC, r.id DESC) AS recency,
      MIN(r.received_on) OVER (PARTITION BY r.letter_id) AS first_on
    FROM responses r
    WHERE r.completeness <> 'acknowledgment' AND r.received_on <= ${asOf}
      ${onlyLetters("r.letter_id", letterIds)}
  ),
  latest_substantive AS (
    SELECT letter_id, received_on, completeness, first_on FROM substantive WHERE recency = 1
  ),
  verdicts AS (
    SELECT qa.question_id, qa.verdict, r.received_on,
      ROW_NUMBER() OVER (PARTITION BY qa.question_id ORDER BY r.received_on DESC, r.id DESC) AS recency
    FROM question_assessments qa JOIN responses r ON r.id = qa.response_id
    WHERE r.received_on <= ${asOf} ${onlyLetters("r.letter_id", letterIds)}
  ),
  question_facts AS (
    SELECT q.id AS question_id, q.letter_id, v.verdict IS NOT NULL AS assessed,
      CASE
        WHEN v.verdict = 'not_addressed' THEN NULL
        WHEN v.verdict IS NOT NULL THEN v.received_on
        WHEN ls.completeness IN ('full', 'refusal') THEN ls.received_on
      END AS status_on,
      CASE
        WHEN v.verdict = 'not_addressed' THEN 'open'
        WHEN v.verdict IS NOT NULL THEN v.verdict
        WHEN ls.completeness = 'full' THEN 'answered'
        WHEN ls.completeness = 'refusal' THEN 'refused'
        ELSE 'open'
      END AS status
    FROM questions q
    LEFT JOIN verdicts v ON v.question_id = q.id AND v.recency = 1
    LEFT JOIN latest_substantive ls ON ls.letter_id = q.letter_id
    WHERE 1 ${onlyLetters("q.letter_id", letterIds)}
  ),
  question_state AS (SELECT question_id, letter_id, status, status_on FROM question_facts),
  question_totals AS (
    SELECT letter_id, COUNT(*) AS total,
      SUM(status = 'answered') AS answered, SUM(status = 'partial') AS partial,
      SUM(status = 'refused') AS refused, SUM(status = 'open') AS open, MAX(assessed) AS assessed
    FROM question_facts GROUP BY letter_id
  ),
  extensions AS (
    SELECT letter_id, new_deadline,
      ROW_NUMBER() OVER (PARTITION BY letter_id ORDER BY granted_on DESC, id DESC) AS recency
    FROM deadline_changes
    WHERE granted_on <= ${asOf} ${onlyLetters("letter_id", letterIds)}
  ),
  letter_state AS (
    SELECT l.id AS letter_id,
      ${deadlineDate(deadline)} AS effective_deadline,
      ${deadlineSource(deadline)} AS deadline_source,
      ls.first_on AS first_response_on,
      ls.received_on AS latest_response_on,
      ls.completeness AS latest_completeness,
      COALESCE(
        CASE WHEN qt.assessed THEN
          CASE
            WHEN qt.answered = qt.total THEN 'answered'
            WHEN qt.answered + qt.partial > 0 THEN 'partial'
            WHEN qt.refused > 0 THEN 'refused'
          END
        END,
        CASE ls.completeness
          WHEN 'full' THEN 'answered' WHEN 'partial' THEN 'partial' WHEN 'refusal' THEN 'refused'
        END
      ) AS answer_status,
      COALESCE(qt.total, 0) AS questions_total,
      COALESCE(qt.open, 0) AS questions_open,
      COALESCE(qt.answered, 0) AS questions_answered,
      COALESCE(qt.partial, 0) AS questions_partial,
      COALESCE(qt.refused, 0) AS questions_refused
    FROM letters l
    LEFT JOIN latest_substantive ls ON ls.letter_id = l.id
    LEFT JOIN question_totals qt ON qt.letter_id = l.id
    LEFT JOIN extensions e ON e.letter_id = l.id AND e.recency = 1
    WHERE 1 ${onlyLetters("l.id", letterIds)}
  )`;
}

const storedStateCtes = sql`
  question_state AS (SELECT id AS question_id, letter_id, status, status_on FROM questions),
  letter_state AS (SELECT id AS letter_id, ${stateColumns()} FROM letters)`;

/**
 * CTEs `question_state` and `letter_state` as of a past `asOf`, read from the stored history
 * (decision 13): the row of each letter and question whose interval holds `asOf`, one seek of the
 * history's primary key (letter_id or question_id, valid_to) for each row a statement reads. With
 * `of`, only those letters (and their questions) have a state.
 */
function historyStateCtes(asOf: CalendarDate, { of }: { of?: SQL } = {}): SQL {
  const holds = (alias: string) => sql`${sql.raw(alias)}.valid_to > ${asOf} AND ${sql.raw(alias)}.valid_from <= ${asOf}`;
  const questionState = of
    ? sql`SELECT h.question_id, h.letter_id, h.status, h.status_on
      FROM questions qx JOIN question_state_history h ON h.question_id = qx.id AND ${holds("h")}
      WHERE qx.letter_id IN (${of})`
    : sql`SELECT h.question_id, h.letter_id, h.status, h.status_on FROM question_state_history h WHERE ${holds("h")}`;
  return sql`
  question_state AS NOT MATERIALIZED (${questionState}),
  letter_state AS NOT MATERIALIZED (
    SELECT h.letter_id, ${stateColumns("h.")} FROM letter_state_history h
    WHERE ${holds("h")} ${of ? sql`AND h.letter_id IN (${of})` : sql``}
  )`;
}

/**
 * The latest substantive response to letter `letterId` received by `asOf`, as one text: its date
 * (10 characters) then its completeness; NULL when none has come. The letter's responses by date
 * (responses_letter_received_idx, read backwards: the latest date, then the latest entered).
 */
function latestSubstantiveSql(letterId: SQL, asOf: CalendarDate | SQL): SQL<string | null> {
  return sql<string | null>`(SELECT r.received_on || r.completeness FROM responses r
    WHERE r.letter_id = ${letterId} AND r.completeness <> 'acknowledgment' AND r.received_on <= ${asOf}
    ORDER BY r.received_on DESC, r.id DESC LIMIT 1)`;
}

/**
 * What decides a question's status as of `asOf`, as one text: the status, then the date it took
 * effect when it is not open ("answered2025-03-01", "open"). The question's latest verdict from a
 * response received by then (question_assessments_question_idx), a `not_addressed` verdict leaving
 * it open; else its letter's latest substantive response: full answers it, a refusal refuses it.
 */
function questionDecisionSql(question: { id: SQL; letterId: SQL }, asOf: CalendarDate | SQL): SQL<string> {
  return sql<string>`COALESCE(
    (SELECT CASE qa.verdict WHEN 'not_addressed' THEN 'open' ELSE qa.verdict || r.received_on END
      FROM question_assessments qa JOIN responses r ON r.id = qa.response_id
      WHERE qa.question_id = ${question.id} AND r.received_on <= ${asOf}
      ORDER BY r.received_on DESC, r.id DESC LIMIT 1),
    (SELECT CASE r.completeness WHEN 'full' THEN 'answered' || r.received_on
        WHEN 'refusal' THEN 'refused' || r.received_on ELSE 'open' END
      FROM responses r
      WHERE r.letter_id = ${question.letterId} AND r.completeness <> 'acknowledgment' AND r.received_on <= ${asOf}
      ORDER BY r.received_on DESC, r.id DESC LIMIT 1),
    'open')`;
}

/**
 * An assessed letter's questions counted by status in one pass: answered count 1, partly answered
 * 2^21, refused 2^42 in one integer sum (a letter has far fewer than 2^21 questions), so one
 * subquery per letter gives all three; the open ones are the rest.
 */
const PACKED_PARTIAL = sql.raw(String(2 ** 21));
const PACKED_REFUSED = sql.raw(String(2 ** 42));

/** The status part of a question decision (each use evaluates the decision once). */
const decisionStatus = (decision: SQL) => sql`rtrim(${decision}, '0123456789-')`;
/** The date part of a question decision; NULL while the question is open. */
const decisionDate = (decision: SQL) => sql`nullif(ltrim(${decision}, 'abcdefghijklmnopqrstuvwxyz'), '')`;

/** A letter's answer as its latest substantive response (packed as latestSubstantiveSql) gives it. */
const answerOfLatest = (latest: SQL) =>
  sql`CASE substr(${latest}, 11) WHEN 'full' THEN 'answered' WHEN 'partial' THEN 'partial' WHEN 'refusal' THEN 'refused' END`;

/**
 * CTEs `question_state` and `letter_state` (the columns of computedStateCtes) as of a past `asOf`,
 * row by row: every column is a lookup of that question's or letter's own facts by index, so a
 * statement pays for the rows it reads, not for every letter.
 *
 * `letter_facts` and `question_facts` hold the lookups, `letter_state` and `question_state` the
 * rules that combine them. Read lazily (the default, for pages), NOT MATERIALIZED lets SQLite put
 * them into the statement that joins them by primary key, instead of computing them for every
 * letter first; each use of a column is then a lookup of its own, cheap for the rows of a page.
 * Materialized (`of`, for figures over a selection; `materialized`, for a snapshot of every letter),
 * the facts of the letters `of` selects (a subquery of letter ids), or of every letter, are looked
 * up once each, and the statement reads them from there.
 *
 * A letter counts as assessed when a response to it received by `asOf` carries a verdict: the
 * letter writer only takes verdicts on the letter's own questions (verdictProblems), so that is
 * "some question of it has a verdict by then", read from the letter's few responses instead of
 * every question. An assessed letter's questions are counted by status in one pass over them
 * (PACKED_PARTIAL), and its answer is worked out from those counts.
 */
function rowStateCtes(
  asOfDate: CalendarDate,
  {
    materialized = false,
    of,
    at,
    days = defaultResponseDays(),
  }: { materialized?: boolean; of?: SQL; at?: SQL; days?: number } = {},
): SQL {
  // `at` (the history's writer): a table of (letter_id, as_of) pairs; each letter's state is
  // computed at each of its dates, and every CTE carries the date as `as_of`.
  const asOf: CalendarDate | SQL = at ? sql`p.as_of` : asOfDate;
  const atColumn = at ? sql`p.as_of AS as_of,` : sql``;
  const passAt = at ? sql`as_of,` : sql``;
  const question = { id: sql`qx.id`, letterId: sql`qx.letter_id` };
  const decision = questionDecisionSql(question, asOf);
  const assessed = sql`EXISTS (SELECT 1 FROM responses r JOIN question_assessments qa ON qa.response_id = r.id
      WHERE r.letter_id = lx.id AND r.received_on <= ${asOf})`;
  const ofLetter = sql`FROM questions qx WHERE qx.letter_id = lx.id`;
  const materialize = sql.raw(materialized || of || at ? "MATERIALIZED" : "NOT MATERIALIZED");
  const questionsFrom = at
    ? sql`FROM ${at} p JOIN questions qx ON qx.letter_id = p.letter_id`
    : sql`FROM questions qx ${of ? sql`WHERE qx.letter_id IN (${of})` : sql``}`;
  const lettersFrom = at
    ? sql`FROM ${at} p JOIN letters lx ON lx.id = p.letter_id`
    : sql`FROM letters lx ${of ? sql`WHERE lx.id IN (${of})` : sql``}`;
  return sql`
  question_facts AS ${materialize} (
    SELECT qx.id AS question_id, qx.letter_id AS letter_id, ${atColumn} ${decision} AS decision ${questionsFrom}
  ),
  question_state AS NOT MATERIALIZED (
    SELECT question_id, letter_id, ${passAt} ${decisionStatus(sql`decision`)} AS status, ${decisionDate(sql`decision`)} AS status_on
    FROM question_facts
  ),
  letter_facts AS ${materialize} (
    SELECT lx.id AS letter_id, ${atColumn}
      ${deadlineInForceSql(
        sql`(SELECT dc.new_deadline FROM deadline_changes dc WHERE dc.letter_id = lx.id AND dc.granted_on <= ${asOf}
          ORDER BY dc.granted_on DESC, dc.id DESC LIMIT 1)`,
        "lx",
        days,
      )} AS deadline,
      (SELECT MIN(r.received_on) FROM responses r
        WHERE r.letter_id = lx.id AND r.completeness <> 'acknowledgment' AND r.received_on <= ${asOf}) AS first_response_on,
      ${latestSubstantiveSql(sql`lx.id`, asOf)} AS latest,
      ${assessed} AS assessed,
      CASE WHEN ${assessed} THEN (SELECT SUM(CASE ${decisionStatus(decision)}
        WHEN 'answered' THEN 1 WHEN 'partial' THEN ${PACKED_PARTIAL} WHEN 'refused' THEN ${PACKED_REFUSED} ELSE 0 END) ${ofLetter}) END AS packed_counts,
      (SELECT COUNT(*) ${ofLetter}) AS questions_total
    ${lettersFrom}
  ),
  letter_counts AS NOT MATERIALIZED (
    SELECT letter_facts.*,
      CASE WHEN assessed THEN COALESCE(packed_counts, 0) % ${PACKED_PARTIAL}
        WHEN substr(latest, 11) = 'full' THEN questions_total ELSE 0 END AS answered,
      CASE WHEN assessed THEN COALESCE(packed_counts, 0) / ${PACKED_PARTIAL} % ${PACKED_PARTIAL} ELSE 0 END AS partial,
      CASE WHEN assessed THEN COALESCE(packed_counts, 0) / ${PACKED_REFUSED}
        WHEN substr(latest, 11) = 'refusal' THEN questions_total ELSE 0 END AS refused
    FROM letter_facts
  ),
  letter_state AS NOT MATERIALIZED (
    SELECT letter_id, ${passAt} ${deadlineDate(sql`deadline`)} AS effective_deadline, ${deadlineSource(sql`deadline`)} AS deadline_source,
      first_response_on,
      substr(latest, 1, 10) AS latest_response_on,
      substr(latest, 11) AS latest_completeness,
      CASE WHEN assessed
        THEN COALESCE(
          CASE
            WHEN questions_total = 0 THEN NULL
            WHEN answered = questions_total THEN 'answered'
            WHEN answered + partial > 0 THEN 'partial'
            WHEN refused > 0 THEN 'refused'
          END,
          ${answerOfLatest(sql`latest`)})
        ELSE ${answerOfLatest(sql`latest`)}
      END AS answer_status,
      questions_total,
      questions_total - answered - partial - refused AS questions_open,
      answered AS questions_answered,
      partial AS questions_partial,
      refused AS questions_refused
    FROM letter_counts
  )`;
}

/**
 * A `WITH` clause defining `letter_state` and `question_state` as of `asOf`. Join them as
 * `letter_state s ON s.letter_id = l.id` and `question_state qs ON qs.question_id = q.id`;
 * `letterStatusSql` and friends expect aliases `l` and `s`. As of today the stored columns; for a
 * past date the stored history (decision 13): each row a statement reads is one seek. Until an
 * existing database's history has been backfilled (`history`, stateHistoryComplete), a past date's
 * state is computed from the facts (rowStateCtes): by default the state of each row the statement
 * reads, as it reads it (a page); with `of` (a subquery of letter ids), once for each of those
 * letters, which is cheaper when a statement reads many columns of every letter of a selection
 * (figures). Either way, with `of` only those letters have a state.
 */
export function stateAsOf(
  asOf: CalendarDate,
  { of, now = today(), history }: { of?: SQL; now?: CalendarDate; history?: boolean } = {},
): SQL {
  if (readsStoredState(asOf, now)) return sql`WITH ${storedStateCtes}`;
  return sql`WITH ${(history ?? stateHistoryComplete()) ? historyStateCtes(asOf, { of }) : rowStateCtes(asOf, { of })}`;
}

/**
 * The state as of any `asOf` computed from the facts, row by row (as stateAsOf before the history
 * is complete), set-based (as refreshLetterState), or read from the stored history: for tests that
 * hold the ways of computing it to each other.
 */
export function computedStateAsOf(
  asOf: CalendarDate,
  by: "row" | "materialized" | "set" | "history",
  days: number = defaultResponseDays(),
): SQL {
  if (by === "history") return sql`WITH ${historyStateCtes(asOf)}`;
  return sql`WITH ${by === "set" ? computedStateCtes(asOf, undefined, days) : rowStateCtes(asOf, { materialized: by === "materialized", days })}`;
}

/**
 * A SELECT of every letter's state as of `asOf` (the columns of `letter_state`), for a snapshot of
 * it stored in a temporary table: from the stored history (one pass over it), else each letter's
 * facts looked up once.
 */
export function everyLetterStateSql(asOf: CalendarDate, now: CalendarDate = today()): SQL {
  if (readsStoredState(asOf, now)) return sql`WITH ${storedStateCtes} SELECT * FROM letter_state`;
  if (stateHistoryComplete()) return sql`WITH ${historyStateCtes(asOf)} SELECT * FROM letter_state`;
  return sql`WITH ${rowStateCtes(asOf, { materialized: true })} SELECT * FROM letter_state`;
}

/**
 * For a long read of a past `asOf` (an export), the state as of that date stored once in indexed
 * temporary tables of the reading connection, so that the walk that streams the file reads it by
 * key. Run `materializeStateAsOf` first, then prefix the queries with `materializedState`; pass
 * `questions: false` when the file reads no question's state. As of today or later the stored
 * columns serve directly (stateAsOf).
 */
export function materializeStateAsOf(asOf: CalendarDate, { questions = true }: { questions?: boolean } = {}): SQL[] {
  const state = stateHistoryComplete() ? historyStateCtes(asOf) : rowStateCtes(asOf, { materialized: true });
  return [
    sql`CREATE TEMP TABLE state_letter AS WITH ${state} SELECT * FROM letter_state`,
    sql`CREATE UNIQUE INDEX temp.state_letter_id ON state_letter (letter_id)`,
    ...(questions
      ? [
          sql`CREATE TEMP TABLE state_question AS WITH ${state} SELECT * FROM question_state`,
          sql`CREATE UNIQUE INDEX temp.state_question_id ON state_question (question_id)`,
        ]
      : []),
  ];
}

/** Reads the tables materializeStateAsOf made (without questions, question_state is empty). */
export function materializedState({ questions = true }: { questions?: boolean } = {}): SQL {
  return sql`WITH
  question_state AS (${questions ? sql`SELECT * FROM temp.state_question` : sql`SELECT NULL AS question_id, NULL AS letter_id, NULL AS status, NULL AS status_on WHERE 0`}),
  letter_state AS (SELECT * FROM temp.state_letter)`;
}

/**
 * The status of question `alias` (a row of `questions`) as of `asOf`, for a statement that reads a
 * few questions without the `question_state` CTE (a snapshot of letter state has none): the stored
 * column as of today; else one seek of the stored history; until that is backfilled, its decision
 * from the facts.
 */
export function questionStatusAtSql(alias: string, asOf: CalendarDate, now: CalendarDate = today()): SQL<string> {
  const q = sql.raw(alias);
  if (readsStoredState(asOf, now)) return sql<string>`${q}.status`;
  if (stateHistoryComplete()) {
    return sql<string>`(SELECT h.status FROM question_state_history h WHERE h.question_id = ${q}.id AND h.valid_to > ${asOf} AND h.valid_from <= ${asOf})`;
  }
  return sql<string>`${decisionStatus(questionDecisionSql({ id: sql`${q}.id`, letterId: sql`${q}.letter_id` }, asOf))}`;
}

/** Whether `asOf` reads the stored state columns (today or later) rather than computing it. */
export function readsStoredState(asOf: CalendarDate, now: CalendarDate = today()): boolean {
  return asOf >= now;
}

/**
 * The letter's status (see letterStatus in app/domain/status.ts). Needs `l` and `s`. Each state
 * column is named once: for a past date each use is a lookup of the letter's facts.
 */
export function letterStatusSql(asOf: CalendarDate): SQL<string> {
  return sql<string>`COALESCE(
    CASE WHEN l.closed_on IS NOT NULL AND l.closed_on <= ${asOf} THEN 'closed' END,
    s.answer_status,
    CASE WHEN s.effective_deadline < ${asOf} THEN 'overdue' ELSE 'awaiting' END)`;
}

/**
 * A letter closed on or before `asOf` (alias l): its unanswered questions are no longer waiting
 * for an answer (decision 0014 addendum).
 */
export function letterClosedSql(asOf: CalendarDate): SQL<number> {
  return sql<number>`(l.closed_on IS NOT NULL AND l.closed_on <= ${asOf})`;
}

/**
 * Whether the question (alias `q`) is asked again by a later letter sent on or before `asOf`: then
 * it is counted at its latest ask, not here (decision 0023). One column of the row (the stored
 * `repeated_on`, kept by the letter writer), no join.
 */
export function repeatedBySql(asOf: CalendarDate, alias = "q"): SQL<number> {
  const q = sql.raw(alias);
  return sql<number>`(${q}.repeated_on IS NOT NULL AND ${q}.repeated_on <= ${asOf})`;
}

/**
 * How many of letter `l`'s questions were open as of `asOf` and asked again by a later letter by
 * then (decision 0023): for a letter whose questions_repeated_from is set and not after `asOf`, a
 * seek of the partial index questions_repeated_idx, and each such question's status as of then
 * (questionStatusAtSql: no `question_state` needed, so it works over a snapshot of letter state).
 */
export function repeatedOpenSql(asOf: CalendarDate): SQL<number> {
  // The letter's own column says whether any of its questions was asked again by then
  // (questions_repeated_from, decision 0024): most letters need no probe of the index at all.
  return sql<number>`(CASE WHEN l.questions_repeated_from IS NULL OR l.questions_repeated_from > ${asOf} THEN 0 ELSE (SELECT COUNT(*) FROM questions rq
    WHERE rq.letter_id = l.id AND rq.repeated_on IS NOT NULL AND rq.repeated_on <= ${asOf} AND ${questionStatusAtSql("rq", asOf)} = 'open') END)`;
}

/**
 * A question still open as of `asOf` (aliases q, qs, l): its status is open, its letter was not
 * closed by then, and no later letter sent by then asks it again (then it is open there: a chain
 * of asks counts once, at its latest ask; decision 0023). The question-level form of
 * openQuestionsSql: the two give one count.
 */
export function questionOpenSql(asOf: CalendarDate): SQL<number> {
  return sql<number>`(qs.status = 'open' AND NOT ${letterClosedSql(asOf)} AND NOT ${repeatedBySql(asOf)})`;
}

/**
 * How many of a letter's questions are still open as of `asOf` (aliases l, s): letter_state's
 * questions_open less those a later letter asks again (repeatedOpenSql, decision 0023), none once
 * the letter is closed. Every count of open questions by letter
 * (/questions' total, letters.csv, the API, the data package, agencies' figures) reads this, and
 * every count by question questionOpenSql, so they cannot disagree (decision 0014 addendum).
 */
export function openQuestionsSql(asOf: CalendarDate): SQL<number> {
  return sql<number>`CASE WHEN ${letterClosedSql(asOf)} THEN 0 ELSE s.questions_open - ${repeatedOpenSql(asOf)} END`;
}

/** `'awaiting', 'overdue'`: the open letter statuses as an SQL list, for `status IN (…)`. */
export const openLetterStatusesSql = sql.raw(OPEN_LETTER_STATUSES.map((status) => `'${status}'`).join(", "));

/** Calendar days since sending while no substantive response has come, else NULL. */
export function daysOutstandingSql(asOf: CalendarDate): SQL<number | null> {
  return sql<number | null>`(CASE WHEN s.first_response_on IS NULL
    THEN CAST(julianday(${asOf}) - julianday(l.sent_on) AS INTEGER) END)`;
}

/** Calendar days from sending to the first substantive response, else NULL. */
export const responseDaysSql = sql<number | null>`(CAST(
  julianday(s.first_response_on) - julianday(l.sent_on) AS INTEGER))`;

/**
 * Rewrites the derived columns of the given letters (all letters when omitted) and of their
 * questions, and their state history (decision 13). Call it inside the transaction that changed
 * their facts.
 */
export function refreshLetterState({
  tx,
  letterIds,
  days = defaultResponseDays(),
}: {
  tx: DbOrTx;
  letterIds?: readonly number[];
  /** DEFAULT_RESPONSE_DAYS (tests pass others). */
  days?: number;
}): void {
  if (letterIds && letterIds.length === 0) return;
  if (!letterIds) {
    for (const statement of refreshStatements) tx.run(statement.build(undefined, days));
    // The history letter by letter in slices: each slice's dates and states stay small.
    refreshStateHistory({ tx, letterIds: tx.all<{ id: number }>(sql`SELECT id FROM letters ORDER BY id`).map((row) => row.id), days });
    return;
  }
  // SQLite caps bound parameters; refresh large sets in slices.
  if (letterIds.length > 500) {
    for (let start = 0; start < letterIds.length; start += 500) {
      refreshLetterState({ tx, letterIds: letterIds.slice(start, start + 500), days });
    }
    return;
  }
  if (letterIds.length === 1) {
    // The writer's case, once per letter written: statements built and prepared once.
    for (const statement of [...refreshStatements, ...historyStatements]) {
      preparedSql(tx, `${statement.key}:${days}`, () => statement.build(sql`${sql.placeholder("letterId")}`, days)).run({
        letterId: letterIds[0],
      });
    }
    return;
  }
  for (const statement of [...refreshStatements, ...historyStatements]) tx.run(statement.build(letterIds, days));
}

/**
 * Rewrites the state history of the given letters and of their questions from their facts, and
 * nothing else (the stored state as of today is refreshLetterState's). The backfill's step.
 */
export function refreshStateHistory({
  tx,
  letterIds,
  days = defaultResponseDays(),
}: {
  tx: DbOrTx;
  letterIds: readonly number[];
  days?: number;
}): void {
  for (let start = 0; start < letterIds.length; start += 500) {
    const slice = letterIds.slice(start, start + 500);
    for (const statement of historyStatements) tx.run(statement.build(slice, days));
  }
}

/** The stored state's settings (state_settings): the DEFAULT_RESPONSE_DAYS it was computed with. */
const RESPONSE_DAYS_SETTING = "default_response_days";

/**
 * At start, after migrating: when the stored state was computed with another DEFAULT_RESPONSE_DAYS
 * than this start's (or before the setting was remembered), recompute every letter's stored state
 * and its whole state history (set-based, in one transaction, before any request is served; the
 * history is then complete, so the backfill has nothing left to do) and remember the value.
 * Returns whether it recomputed (decision 0014).
 */
export function syncStateSettings(db: Db, days: number = defaultResponseDays()): boolean {
  // A database migrated only part of the way (a migration's test) has no such table yet.
  if (!db.get(sql`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'state_settings'`)) return false;
  const stored = db.get<{ value: string }>(sql`SELECT value FROM state_settings WHERE key = ${RESPONSE_DAYS_SETTING}`);
  if (stored?.value === String(days)) return false;
  // The window changed (not its first recording, and not from 0, which had no implied deadlines:
  // turning them on is news like a first recording, left to the daily pass's catch-up window;
  // decision 0025): letters it makes overdue get their overdue event, however far back their new
  // implied deadline lies (recordOverdueAfterWindowChange).
  const windowChanged = stored !== undefined && stored.value !== "0";
  const day = today();
  db.transaction(
    (tx) => {
      if (windowChanged) {
        tx.run(sql`CREATE TEMP TABLE IF NOT EXISTS window_not_overdue (id INTEGER PRIMARY KEY)`);
        tx.run(sql`DELETE FROM temp.window_not_overdue`);
        // Open, unanswered, and not overdue under the previous window: no deadline at all, or an
        // implied one not yet passed. (Letters with a deadline of their own are not changed.)
        tx.run(sql`INSERT INTO temp.window_not_overdue (id)
          SELECT id FROM letters WHERE closed_on IS NULL AND answer_status IS NULL
            AND (effective_deadline IS NULL OR (deadline_source = 'implied' AND effective_deadline >= ${day}))`);
      }
      refreshLetterState({ tx, days });
      tx.run(sql`UPDATE state_history_progress SET complete = 1,
        backfilled_through = (SELECT COALESCE(MAX(id), 0) FROM letters) WHERE id = 1`);
      tx.run(sql`INSERT INTO state_settings (key, value) VALUES (${RESPONSE_DAYS_SETTING}, ${String(days)})
        ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
      if (windowChanged) {
        recordOverdueAfterWindowChange(tx, day);
        tx.run(sql`DROP TABLE temp.window_not_overdue`);
      }
    },
    { behavior: "immediate" },
  );
  return true;
}

const refreshStatements = [
  {
    key: "refreshLetterState.letters",
    build: (letterIds: readonly number[] | SQL | undefined, days: number) => sql`WITH ${computedStateCtes(ALL_FACTS, letterIds, days)}
    UPDATE letters SET ${sql.join(
      LETTER_STATE_COLUMNS.map((column) => sql.raw(`${column} = s.${column}`)),
      sql`, `,
    )}
    FROM letter_state s
    WHERE letters.id = s.letter_id`,
  },
  {
    key: "refreshLetterState.questions",
    build: (letterIds: readonly number[] | SQL | undefined, days: number) => sql`WITH ${computedStateCtes(ALL_FACTS, letterIds, days)}
    UPDATE questions SET status = qs.status, status_on = qs.status_on
    FROM question_state qs
    WHERE questions.id = qs.question_id
      AND (questions.status IS NOT qs.status OR questions.status_on IS NOT qs.status_on)`,
  },
];

/**
 * The dates on which the state of the given letters may change: the start of time and the dates
 * of their own facts that the rules read by date (responses received, which carry the verdicts,
 * and extensions granted). Between two of them no input of rowStateCtes changes, so neither does
 * the state: the state computed on each date holds until the next one.
 */
function historyPoints(letterIds: readonly number[] | SQL): SQL {
  return sql`history_points AS MATERIALIZED (
    SELECT id AS letter_id, ${BEFORE_ALL_FACTS} AS as_of FROM letters WHERE 1 ${onlyLetters("id", letterIds)}
    UNION SELECT letter_id, received_on FROM responses WHERE 1 ${onlyLetters("letter_id", letterIds)}
    UNION SELECT letter_id, granted_on FROM deadline_changes WHERE 1 ${onlyLetters("letter_id", letterIds)}
  )`;
}

/**
 * The history's writer: the letters' and questions' rows are deleted, then the state is computed by
 * the per-row rules (rowStateCtes) at each of the letter's dates, and a row is kept where the state
 * differs from the previous date's; it holds until the next kept row (or for ever).
 */
const historyStatements = [
  {
    key: "refreshStateHistory.deleteLetters",
    build: (letterIds: readonly number[] | SQL, _days: number) => sql`DELETE FROM letter_state_history WHERE 1 ${onlyLetters("letter_id", letterIds)}`,
  },
  {
    key: "refreshStateHistory.deleteQuestions",
    build: (letterIds: readonly number[] | SQL, _days: number) => sql`DELETE FROM question_state_history
    WHERE question_id IN (SELECT id FROM questions WHERE 1 ${onlyLetters("letter_id", letterIds)})`,
  },
  {
    key: "refreshStateHistory.letters",
    build: (letterIds: readonly number[] | SQL, days: number) => sql`WITH ${historyPoints(letterIds)},
    ${rowStateCtes(ALL_FACTS, { at: sql.raw("history_points"), days })},
    letter_steps AS (
      SELECT letter_id, as_of, ${stateColumns()},
        json_array(${stateColumns()}) AS state,
        LAG(json_array(${stateColumns()})) OVER (PARTITION BY letter_id ORDER BY as_of) AS previous
      FROM letter_state
    )
    INSERT INTO letter_state_history (letter_id, valid_from, valid_to, ${stateColumns()})
    SELECT letter_id, as_of, COALESCE(LEAD(as_of) OVER (PARTITION BY letter_id ORDER BY as_of), ${ALL_FACTS}), ${stateColumns()}
    FROM letter_steps WHERE previous IS NULL OR previous <> state`,
  },
  {
    key: "refreshStateHistory.questions",
    build: (letterIds: readonly number[] | SQL, days: number) => sql`WITH ${historyPoints(letterIds)},
    ${rowStateCtes(ALL_FACTS, { at: sql.raw("history_points"), days })},
    question_steps AS (
      SELECT question_id, letter_id, as_of, status, status_on,
        json_array(status, status_on) AS state,
        LAG(json_array(status, status_on)) OVER (PARTITION BY question_id ORDER BY as_of) AS previous
      FROM question_state
    )
    INSERT INTO question_state_history (question_id, letter_id, valid_from, valid_to, status, status_on)
    SELECT question_id, letter_id, as_of, COALESCE(LEAD(as_of) OVER (PARTITION BY question_id ORDER BY as_of), ${ALL_FACTS}), status, status_on
    FROM question_steps WHERE previous IS NULL OR previous <> state`,
  },
];

/** Per connection: its database's history is complete (it never becomes incomplete again). */
const historyCompleteOn = new WeakSet<object>();

/**
 * Whether every letter's state history has been written (state_history_progress), on `db` (the
 * connection the statement will run on; this thread's by default). Until then a past date's state
 * is computed from the facts. Asked once per past-date statement until it is true, then never.
 */
export function stateHistoryComplete(db: DbOrTx = getDb()): boolean {
  const client = (db as Db).$client;
  if (client && historyCompleteOn.has(client)) return true;
  const row = db.get<{ complete: number }>(sql`SELECT complete FROM state_history_progress WHERE id = 1`);
  const complete = row?.complete === 1;
  if (complete && client) historyCompleteOn.add(client);
  return complete;
}

/**
 * One step of the backfill of a database that had letters before the history existed (decision
 * 13): the history of the next `batch` letters by id, in one immediate transaction; when no letter
 * is left, the history is marked complete. Letters written meanwhile get their history from the
 * writer (refreshLetterState); rewriting one again here gives the same rows.
 */
export function backfillStateHistoryStep(db: Db, { batch = 200 }: { batch?: number } = {}): { through: number; complete: boolean } {
  return db.transaction(
    (tx) => {
      const progress = tx.get<{ through: number; complete: number }>(
        sql`SELECT backfilled_through AS through, complete FROM state_history_progress WHERE id = 1`,
      );
      if (!progress) throw new Error("state_history_progress has no row: run the migrations");
      if (progress.complete === 1) return { through: progress.through, complete: true };
      const ids = tx.all<{ id: number }>(sql`SELECT id FROM letters WHERE id > ${progress.through} ORDER BY id LIMIT ${batch}`).map((row) => row.id);
      if (ids.length === 0) {
        tx.run(sql`UPDATE state_history_progress SET complete = 1 WHERE id = 1`);
        return { through: progress.through, complete: true };
      }
      refreshStateHistory({ tx, letterIds: ids });
      const through = ids[ids.length - 1]!;
      tx.run(sql`UPDATE state_history_progress SET backfilled_through = ${through} WHERE id = 1`);
      return { through, complete: false };
    },
    { behavior: "immediate" },
  );
}

/** The whole backfill at once (CLI scripts and tests): steps until the history is complete. */
export function backfillStateHistory(db: Db, { batch = 200, onStep }: { batch?: number; onStep?: (through: number) => void } = {}): void {
  for (;;) {
    const step = backfillStateHistoryStep(db, { batch });
    if (step.complete) return;
    onStep?.(step.through);
  }
}
