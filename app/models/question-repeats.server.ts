/**
 * Questions asked again in a follow-up letter (decision 0023). A question's `repeats_question_id`
 * names the question of an earlier letter in its follow-up chain that it asks again; the letter
 * writer keeps two derived columns in the same transaction as every write that can move them:
 * - `repeated_on`: the sent date of the earliest later letter whose question repeats this one. As
 *   of a date on or after it the question is counted at its latest ask, not here
 *   (`repeatedBySql`), so a chain of asks counts once;
 * - `first_asked_on`: for a repeat, the sent date of the chain's first ask, from which its days
 *   unanswered run.
 */
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.server";
import type { CalendarDate } from "~/domain/dates";
import type { QuestionRepeat } from "~/domain/letter-input";
import type { RuleProblem } from "~/domain/letter-rules";
import { preparedSql } from "./prepared.server";

const p = sql.placeholder;

/** Follow-up links are acyclic (the writer refuses circles); this only bounds a walk over bad data. */
const MAX_CHAIN = 10_000;

/**
 * The question a `repeats` value names, as an id; a problem for `field` when there is none. A slug
 * and number (the exchange format) is looked up by the letter's current slug.
 */
export function resolveRepeat(tx: DbOrTx, repeats: Exclude<QuestionRepeat, null | undefined>, field: string): number | RuleProblem {
  if (typeof repeats === "number") {
    const found = preparedSql(tx, "repeats.byId", () => sql`SELECT id FROM questions WHERE id = ${p("id")}`).get<{ id: number }>({ id: repeats });
    return found ? found.id : { field, message: `Repeats: there is no question ${repeats} (it may have been removed); draft the follow-up again` };
  }
  const found = preparedSql(
    tx,
    "repeats.bySlug",
    () => sql`SELECT q.id FROM questions q JOIN letters l ON l.id = q.letter_id WHERE l.slug = ${p("slug")} AND q.number = ${p("number")}`,
  ).get<{ id: number }>({ slug: repeats.letter, number: repeats.number });
  return found ? found.id : { field, message: `Repeats: the letter "${repeats.letter}" has no question ${repeats.number}` };
}

/**
 * Problems with the stored repeats of letter `letterId` (after its questions are written): each
 * must name a question of a letter this one follows up, directly or through earlier follow-ups;
 * no two of its questions may repeat the same one, nor may it repeat a question another letter
 * already repeats (a chain of asks is one line: counted once, at its latest ask). `fieldOf` names a question's field by its
 * position on the letter (0-based).
 */
export function repeatProblems(tx: DbOrTx, letterId: number, fieldOf: (index: number) => string): RuleProblem[] {
  const rows = preparedSql(
    tx,
    "repeats.check",
    () => sql`
    WITH RECURSIVE chain(id, depth) AS (
      SELECT follows_up_id, 1 FROM letters WHERE id = ${p("letterId")} AND follows_up_id IS NOT NULL
      UNION ALL SELECT l.follows_up_id, c.depth + 1 FROM letters l JOIN chain c ON l.id = c.id
        WHERE l.follows_up_id IS NOT NULL AND c.depth < ${MAX_CHAIN}
    )
    SELECT q.number, q.repeats_question_id AS target, t.number AS targetNumber, tl.slug AS targetSlug,
      EXISTS (SELECT 1 FROM chain WHERE chain.id = t.letter_id) AS inChain,
      (SELECT MIN(o.number) FROM questions o WHERE o.letter_id = q.letter_id AND o.repeats_question_id = q.repeats_question_id) AS firstNumber,
      (SELECT ol.slug || ' question ' || o.number FROM questions o JOIN letters ol ON ol.id = o.letter_id
        WHERE o.repeats_question_id = q.repeats_question_id AND o.letter_id <> q.letter_id ORDER BY ol.sent_on, o.id LIMIT 1) AS otherRepeat
    FROM questions q JOIN questions t ON t.id = q.repeats_question_id JOIN letters tl ON tl.id = t.letter_id
    WHERE q.letter_id = ${p("letterId")}
    ORDER BY q.number`,
  ).all<{ number: number; target: number; targetNumber: number; targetSlug: string; inChain: number; firstNumber: number; otherRepeat: string | null }>({
    letterId,
  });
  const problems: RuleProblem[] = [];
  for (const row of rows) {
    if (!row.inChain) {
      problems.push({
        field: fieldOf(row.number - 1),
        message: `Repeats: question ${row.targetNumber} of "${row.targetSlug}" is not on a letter this one follows up (directly or through earlier follow-ups)`,
      });
    } else if (row.firstNumber !== row.number) {
      problems.push({ field: fieldOf(row.number - 1), message: `Repeats: question ${row.firstNumber} already repeats that question` });
    } else if (row.otherRepeat !== null) {
      // One chain of asks is one line, so it is counted once: repeat the latest ask instead.
      problems.push({
        field: fieldOf(row.number - 1),
        message: `Repeats: question ${row.targetNumber} of "${row.targetSlug}" is already asked again by ${row.otherRepeat}; repeat that one`,
      });
    }
  }
  return problems;
}

/**
 * The letter, the letters it follows up (through their chain) and those that follow it up (through
 * theirs): every letter whose questions' repeat columns a write to it can move.
 */
export function repeatChainOf(tx: DbOrTx, letterId: number): number[] {
  return preparedSql(
    tx,
    "repeats.chain",
    () => sql`
    WITH RECURSIVE up(id, depth) AS (
      SELECT ${p("letterId")}, 0
      UNION SELECT l.follows_up_id, u.depth + 1 FROM letters l JOIN up u ON l.id = u.id
        WHERE l.follows_up_id IS NOT NULL AND u.depth < ${MAX_CHAIN}
    ),
    down(id, depth) AS (
      SELECT ${p("letterId")}, 0
      UNION SELECT l.id, d.depth + 1 FROM letters l JOIN down d ON l.follows_up_id = d.id WHERE d.depth < ${MAX_CHAIN}
    )
    SELECT id FROM up UNION SELECT id FROM down`,
  )
    .all<{ id: number }>({ letterId })
    .map((row) => row.id);
}

/**
 * Recomputes `repeated_on` and `first_asked_on` of the questions of `letterIds` (a repeat chain:
 * repeatChainOf). Run by the writer in the transaction of the change.
 */
export function refreshRepeats(tx: DbOrTx, letterIds: readonly number[]): void {
  if (letterIds.length === 0) return;
  const ids = sql.join(
    letterIds.map((id) => sql`${id}`),
    sql`, `,
  );
  tx.run(sql`UPDATE questions SET repeated_on = (
      SELECT MIN(rl.sent_on) FROM questions r JOIN letters rl ON rl.id = r.letter_id WHERE r.repeats_question_id = questions.id)
    WHERE letter_id IN (${ids})
      AND repeated_on IS NOT (SELECT MIN(rl.sent_on) FROM questions r JOIN letters rl ON rl.id = r.letter_id WHERE r.repeats_question_id = questions.id)`);
  // Each repeat's first ask, walking from the first asks down (the walk is bounded: a repeat names a
  // question of an earlier letter in an acyclic chain).
  tx.run(sql`WITH RECURSIVE firsts(id, first_on, depth) AS (
      SELECT q.id, l.sent_on, 0 FROM questions q JOIN letters l ON l.id = q.letter_id
        WHERE q.letter_id IN (${ids}) AND q.repeats_question_id IS NULL
      UNION ALL SELECT q.id, f.first_on, f.depth + 1 FROM questions q JOIN firsts f ON q.repeats_question_id = f.id
        WHERE f.depth < ${MAX_CHAIN}
    )
    UPDATE questions SET first_asked_on = (SELECT f.first_on FROM firsts f WHERE f.id = questions.id AND f.depth > 0)
    WHERE letter_id IN (${ids})
      AND first_asked_on IS NOT (SELECT f.first_on FROM firsts f WHERE f.id = questions.id AND f.depth > 0)`);
  // The letters' guard for counts of open questions (letters.questions_repeated_from, decision 0024):
  // every write of repeated_on is the first statement above, for these letters' questions.
  tx.run(sql`UPDATE letters SET questions_repeated_from = (
      SELECT MIN(q.repeated_on) FROM questions q WHERE q.letter_id = letters.id AND q.repeated_on IS NOT NULL)
    WHERE id IN (${ids})
      AND questions_repeated_from IS NOT (
        SELECT MIN(q.repeated_on) FROM questions q WHERE q.letter_id = letters.id AND q.repeated_on IS NOT NULL)`);
}

/** A question at the other end of a repeat link, as the letter page and the exports name it. */
export interface RepeatLink {
  number: number;
  letterSlug: string;
  letterTitle: string;
  sentOn: CalendarDate;
}

/** A question's repeat links as of a date: the question it asks again, and the later asks of it. */
export interface RepeatLinks {
  repeats: RepeatLink | null;
  /** The later questions that ask it again, of letters sent by the date, first sent first. */
  askedAgainIn: RepeatLink[];
}

/**
 * Which later asks count as of `asOf` (alias `al`: the letter of a question that repeats another):
 * those of letters sent by then. The rule of repeatLinksOf and of the data package's
 * `asked_again_*` columns.
 */
export function askedAgainBySql(asOf: CalendarDate): SQL {
  return sql`al.sent_on <= ${asOf}`;
}

/** Runs one SELECT on the caller's connection (the app's, or an export's snapshot). */
export type ReadRows = <T>(query: SQL) => T[];

/**
 * The repeat links of the questions `questionIds` as of `asOf`, in one statement (the letter page's
 * questions, or a batch of an export's rows): the question each repeats (by its
 * `repeats_question_id`, by key; NOT INDEXED: after ANALYZE SQLite would scan the repeats' partial
 * index for each id instead) and the questions of letters sent by `asOf` that repeat it
 * (questions_repeats_idx). A question without links is absent from the map.
 */
export function repeatLinksOf(read: ReadRows, questionIds: readonly number[], asOf: CalendarDate): Map<number, RepeatLinks> {
  const links = new Map<number, RepeatLinks>();
  if (questionIds.length === 0) return links;
  const ids = JSON.stringify(questionIds);
  const rows = read<RepeatLink & { id: number; later: number }>(sql`
    SELECT o.id AS id, 0 AS later, t.number AS number, tl.slug AS letterSlug, tl.title AS letterTitle, tl.sent_on AS sentOn
      FROM json_each(${ids}) CROSS JOIN questions o NOT INDEXED ON o.id = json_each.value
      JOIN questions t ON t.id = o.repeats_question_id JOIN letters tl ON tl.id = t.letter_id
    UNION ALL
    SELECT a.repeats_question_id, 1, a.number, al.slug, al.title, al.sent_on
      FROM json_each(${ids}) CROSS JOIN questions a ON a.repeats_question_id = json_each.value
      JOIN letters al ON al.id = a.letter_id
      WHERE ${askedAgainBySql(asOf)}
    ORDER BY later, sentOn, letterSlug, number`);
  for (const { id, later, ...link } of rows) {
    const entry = links.get(id) ?? { repeats: null, askedAgainIn: [] };
    if (later) entry.askedAgainIn.push(link);
    else entry.repeats = link;
    links.set(id, entry);
  }
  return links;
}
