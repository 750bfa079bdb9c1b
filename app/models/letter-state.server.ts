/**
 * The status rules of app/domain/status.ts, in SQL, so that lists, counts and charts over 100k
 * letters never load letters into JavaScript.
 *
 * Two sources give the same columns:
 * - as of today or later: the derived columns stored on `letters` and `questions`, kept current by
 *   refreshLetterState() in the same transaction as every write that changes them (facts may not be
 *   dated in the future, so "all facts" is "facts up to today");
 * - for a past `asOf`: computed from the facts, leaving out what came after that date.
 * test/integration/letter-state.test.ts checks both against the pure functions.
 */
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.server";
import { today, type CalendarDate } from "~/domain/dates";
import { OPEN_LETTER_STATUSES } from "~/domain/vocabulary";

/** Later than any real date: "all facts". */
const ALL_FACTS: CalendarDate = "9999-12-31";

function onlyLetters(column: string, letterIds: readonly number[] | undefined): SQL {
  if (!letterIds) return sql``;
  return sql`AND ${sql.raw(column)} IN (${sql.join(
    letterIds.map((id) => sql`${id}`),
    sql`, `,
  )})`;
}

/**
 * CTEs `question_state(question_id, letter_id, status, status_on)` and `letter_state(letter_id,
 * effective_deadline, first_response_on, latest_response_on, latest_completeness, answer_status,
 * questions_total, questions_open)` computed from the facts as of `asOf`.
 */
function computedStateCtes(asOf: CalendarDate, letterIds?: readonly number[]): SQL {
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
      COALESCE(e.new_deadline, l.deadline) AS effective_deadline,
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
      COALESCE(qt.open, 0) AS questions_open
    FROM letters l
    LEFT JOIN latest_substantive ls ON ls.letter_id = l.id
    LEFT JOIN question_totals qt ON qt.letter_id = l.id
    LEFT JOIN extensions e ON e.letter_id = l.id AND e.recency = 1
    WHERE 1 ${onlyLetters("l.id", letterIds)}
  )`;
}

const storedStateCtes = sql`
  question_state AS (SELECT id AS question_id, letter_id, status, status_on FROM questions),
  letter_state AS (
    SELECT id AS letter_id, effective_deadline, first_response_on, latest_response_on,
      latest_completeness, answer_status, questions_total, questions_open
    FROM letters
  )`;

/**
 * A `WITH` clause defining `letter_state` and `question_state` as of `asOf`. Join them as
 * `letter_state s ON s.letter_id = l.id`; `letterStatusSql` and friends expect aliases `l` and `s`.
 */
export function stateAsOf(asOf: CalendarDate, now: CalendarDate = today()): SQL {
  return sql`WITH ${readsStoredState(asOf, now) ? storedStateCtes : computedStateCtes(asOf)}`;
}

/**
 * For a long read of a past `asOf` (an export), the state as of that date stored once in indexed
 * temporary tables of the reading connection: computed inline, SQLite may re-scan the computed
 * facts for every row it joins them to. Run `materializeStateAsOf` first, then prefix the queries
 * with `materializedState`. As of today or later the stored columns serve directly (stateAsOf).
 */
export function materializeStateAsOf(asOf: CalendarDate): SQL[] {
  return [
    sql`CREATE TEMP TABLE state_letter AS WITH ${computedStateCtes(asOf)} SELECT * FROM letter_state`,
    sql`CREATE UNIQUE INDEX temp.state_letter_id ON state_letter (letter_id)`,
    sql`CREATE TEMP TABLE state_question AS WITH ${computedStateCtes(asOf)} SELECT * FROM question_state`,
    sql`CREATE UNIQUE INDEX temp.state_question_id ON state_question (question_id)`,
  ];
}

export const materializedState = sql`WITH
  question_state AS (SELECT * FROM temp.state_question),
  letter_state AS (SELECT * FROM temp.state_letter)`;

/** Whether `asOf` reads the stored state columns (today or later) rather than computing it. */
export function readsStoredState(asOf: CalendarDate, now: CalendarDate = today()): boolean {
  return asOf >= now;
}

/** The letter's status (see letterStatus in app/domain/status.ts). Needs `l` and `s`. */
export function letterStatusSql(asOf: CalendarDate): SQL<string> {
  return sql<string>`(CASE
    WHEN l.closed_on IS NOT NULL AND l.closed_on <= ${asOf} THEN 'closed'
    WHEN s.answer_status IS NOT NULL THEN s.answer_status
    WHEN s.effective_deadline < ${asOf} THEN 'overdue'
    ELSE 'awaiting'
  END)`;
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
 * questions. Call it inside the transaction that changed their facts.
 */
export function refreshLetterState({
  tx,
  letterIds,
}: {
  tx: DbOrTx;
  letterIds?: readonly number[];
}): void {
  if (letterIds && letterIds.length === 0) return;
  // SQLite caps bound parameters; refresh large sets in slices.
  if (letterIds && letterIds.length > 500) {
    for (let start = 0; start < letterIds.length; start += 500) {
      refreshLetterState({ tx, letterIds: letterIds.slice(start, start + 500) });
    }
    return;
  }
  const ctes = computedStateCtes(ALL_FACTS, letterIds);
  tx.run(sql`WITH ${ctes}
    UPDATE letters SET
      effective_deadline = s.effective_deadline,
      first_response_on = s.first_response_on,
      latest_response_on = s.latest_response_on,
      latest_completeness = s.latest_completeness,
      answer_status = s.answer_status,
      questions_total = s.questions_total,
      questions_open = s.questions_open
    FROM letter_state s
    WHERE letters.id = s.letter_id`);
  tx.run(sql`WITH ${ctes}
    UPDATE questions SET status = qs.status, status_on = qs.status_on
    FROM question_state qs
    WHERE questions.id = qs.question_id
      AND (questions.status IS NOT qs.status OR questions.status_on IS NOT qs.status_on)`);
}
