/**
 * Checks of derived columns against the facts they summarise, for tests that write through the
 * letter writer or the import: a derived column that drifts makes counts wrong silently.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.server";

/**
 * Letters whose `questions_repeated_from` is not the earliest `repeated_on` of their questions
 * (decision 0024): the guard that lets counts of open questions skip letters with no repeats.
 */
export function staleRepeatGuards(db: Db): Array<{ id: number; stored: string | null; actual: string | null }> {
  return db.all(sql`SELECT l.id, l.questions_repeated_from AS stored,
      (SELECT MIN(q.repeated_on) FROM questions q WHERE q.letter_id = l.id AND q.repeated_on IS NOT NULL) AS actual
    FROM letters l
    WHERE l.questions_repeated_from IS NOT (
      SELECT MIN(q.repeated_on) FROM questions q WHERE q.letter_id = l.id AND q.repeated_on IS NOT NULL)`);
}
