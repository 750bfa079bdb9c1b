/**
 * Events: what happened to a letter, for its followers (decision 0016). Written by the letter writer
 * (app/models/letter-writer.server.ts) inside the transaction of the change itself, so an event
 * exists exactly when its change does; the date-driven ones (a letter becoming overdue) by the
 * daily pass, once per letter and deadline. The sender (app/models/outbox.server.ts) matches them
 * to followers afterwards.
 */
import { sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.server";
import type { LetterEventKind } from "~/domain/vocabulary";
import { addCalendarDays } from "~/domain/dates";

let currentCause: string | null = null;

/**
 * Runs `write` with every event it records marked as caused by `cause` (one import file:
 * `import:<uuid>`), so that an "as it happens" follower gets one message for all of them
 * (decision 0022). Synchronous, like the transactions it wraps.
 */
export function withEventCause<T>(cause: string, write: () => T): T {
  const before = currentCause;
  currentCause = cause;
  try {
    return write();
  } finally {
    currentCause = before;
  }
}

export function recordLetterEvent(
  tx: DbOrTx,
  { kind, letterId, details = {}, dedupeKey = null, at = Date.now(), cause = currentCause }: { kind: LetterEventKind; letterId: number; details?: Record<string, unknown>; dedupeKey?: string | null; at?: number; cause?: string | null },
): void {
  // The letter's slug and title as they are now: a message still reads right after a rename or deletion.
  tx.run(sql`
    INSERT INTO letter_events (kind, letter_id, letter_slug, letter_title, at, details, dedupe_key, cause)
    SELECT ${kind}, id, slug, title, ${at}, ${JSON.stringify(details)}, ${dedupeKey}, ${cause} FROM letters WHERE id = ${letterId}
    ON CONFLICT (dedupe_key) DO NOTHING`);
}

/** Numbers of the questions a response answered: its verdicts, or every question for a full answer without them. */
export function questionsAnsweredBy(tx: DbOrTx, responseId: number): { answered: number[]; total: number } {
  const rows = tx.all<{ number: number; verdict: string | null; completeness: string }>(sql`
    SELECT q.number, qa.verdict, r.completeness
    FROM responses r JOIN questions q ON q.letter_id = r.letter_id
    LEFT JOIN question_assessments qa ON qa.question_id = q.id AND qa.response_id = r.id
    WHERE r.id = ${responseId} ORDER BY q.number`);
  const anyVerdict = rows.some((row) => row.verdict !== null);
  const answered = rows
    .filter((row) => (anyVerdict ? row.verdict === "answered" : row.completeness === "full"))
    .map((row) => row.number);
  return { answered, total: rows.length };
}

/** How far back the daily pass looks for deadlines that passed: a server down for a few days still tells. */
export const OVERDUE_CATCH_UP_DAYS = 7;

// The cause (decision 0022): the daily pass's events are one message per follower; a write's go
// with the write's own cause (an import's with the import).
const overdueEvents = (today: string, now: number, cause: string | null) => sql`
    INSERT INTO letter_events (kind, letter_id, letter_slug, letter_title, at, details, dedupe_key, cause)
    SELECT 'letter_overdue', id, slug, title, ${now},
      -- Where the deadline came from: an implied one (the letter set none) is worded as such (decision 0014).
      json_object('deadline', effective_deadline, 'source', deadline_source,
        'defaultDays', (SELECT CAST(value AS INTEGER) FROM state_settings WHERE key = 'default_response_days')),
      'overdue:' || id || ':' || effective_deadline, ${cause}
    FROM letters`;

/**
 * The daily pass for date-driven events: every open letter with no status from a response
 * (app/domain/status.ts: overdue) whose effective deadline passed in the last
 * OVERDUE_CATCH_UP_DAYS gets one `letter_overdue` event per deadline (an extension that passes too
 * gives another). It reads those letters by index (answer_status, effective_deadline): every
 * letter overdue since long ago is not news, and scanning them all held the event loop for
 * seconds at 100,000 letters. A letter written with a deadline already passed gets its event from
 * the write (recordOverdueOnWrite). Idempotent: run it as often as you like.
 */
export function recordOverdueEvents(tx: DbOrTx, today: string, now = Date.now()): number {
  const since = addCalendarDays(today, -OVERDUE_CATCH_UP_DAYS);
  const result = tx.run(sql`${overdueEvents(today, now, `overdue:${today}`)} INDEXED BY letters_answer_status_idx
    WHERE answer_status IS NULL AND effective_deadline >= ${since} AND effective_deadline < ${today}
      AND closed_on IS NULL
    ON CONFLICT (dedupe_key) DO NOTHING`);
  return result.changes;
}

/**
 * A write that leaves a letter open past its deadline (logged late, a deadline or extension
 * entered already passed, a response or closing removed) records the overdue event in its own
 * transaction, as the daily pass would have. Same key: never twice for one deadline.
 */
export function recordOverdueOnWrite(tx: DbOrTx, letterId: number, today: string, now = Date.now()): void {
  tx.run(sql`${overdueEvents(today, now, currentCause)}
    WHERE id = ${letterId} AND effective_deadline IS NOT NULL AND effective_deadline < ${today}
      AND closed_on IS NULL AND answer_status IS NULL
    ON CONFLICT (dedupe_key) DO NOTHING`);
}

/**
 * After DEFAULT_RESPONSE_DAYS changed (syncStateSettings at start, once the state is recomputed):
 * the letters in `temp.window_not_overdue` (open, unanswered and not overdue under the previous
 * window) that the new window makes overdue get their overdue event now, however long ago their new
 * implied deadline is: the daily pass reads only the last OVERDUE_CATCH_UP_DAYS by index, and these
 * letters' followers were never told. Same key as the pass (never twice for one deadline), and the
 * pass's cause (one message per follower). Returns how many events it wrote.
 */
export function recordOverdueAfterWindowChange(tx: DbOrTx, today: string, now = Date.now()): number {
  const result = tx.run(sql`${overdueEvents(today, now, `overdue:${today}`)}
    WHERE id IN (SELECT id FROM temp.window_not_overdue) AND effective_deadline IS NOT NULL AND effective_deadline < ${today}
      AND closed_on IS NULL AND answer_status IS NULL
    ON CONFLICT (dedupe_key) DO NOTHING`);
  return result.changes;
}
