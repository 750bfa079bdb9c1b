/**
 * The stored state history (decision 13): for every letter and question, the intervals over which
 * its derived state is constant, written by the one writer with the stored state.
 *
 * - As of any date (every fact's date, the day before and after it, and dates between), the history
 *   gives the state the set-based and per-row computations give from the facts, on the demo letters
 *   and hand-made ones, after edits: responses deleted and re-dated, verdicts changed, extensions
 *   removed, a letter re-opened, a month-only reply, letters imported with their responses.
 * - Its intervals cover all time without gaps or overlaps, and two neighbours differ; the last one
 *   is the state stored on the letter.
 * - An existing database's backfill (batches, with writes in between) writes the same rows as the
 *   writer; until it is complete, past dates are computed from the facts, with the same answers.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { closeDb, getDb, type Db } from "../../db/client.server";
import { seedFromFile, DEMO_SEED_FILE } from "../../db/seed.server";
import { today } from "~/domain/dates";
import { parseLetterFilters } from "~/domain/filters";
import { SYSTEM_ACTOR } from "~/models/audit.server";
import {
  backfillStateHistory,
  backfillStateHistoryStep,
  computedStateAsOf,
  LETTER_STATE_COLUMNS,
  refreshLetterState,
  stateAsOf,
  stateHistoryComplete,
} from "~/models/letter-state.server";
import { listLetters } from "~/models/letters.server";
import { deleteDeadlineChange, deleteResponse, writeClosing, writeResponse } from "~/models/letter-writer.server";
import { addAssessment, addExtension, addResponse, closeLetter, createLetter } from "../factories";
import { freshDatabase } from "../support/database";

let db: Db;
const dialect = new SQLiteSyncDialect();

const LETTER_COLUMNS = sql.raw(["letter_id", ...LETTER_STATE_COLUMNS].join(", "));

function letterStates(asOf: string, by: "set" | "row" | "history") {
  return db.all(sql`${computedStateAsOf(asOf, by)} SELECT ${LETTER_COLUMNS} FROM letter_state ORDER BY letter_id`);
}
function questionStates(asOf: string, by: "set" | "row" | "history") {
  return db.all(sql`${computedStateAsOf(asOf, by)} SELECT question_id, letter_id, status, status_on FROM question_state ORDER BY question_id`);
}

function shiftDay(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/** Every date a fact of any letter falls on, with the days either side, and some dates between. */
function datesOfFacts(): string[] {
  const facts = db
    .all<{ d: string }>(
      sql`SELECT received_on AS d FROM responses UNION SELECT granted_on FROM deadline_changes
      UNION SELECT sent_on FROM letters UNION SELECT deadline FROM letters WHERE deadline IS NOT NULL
      UNION SELECT new_deadline FROM deadline_changes UNION SELECT closed_on FROM letters WHERE closed_on IS NOT NULL`,
    )
    .map((row) => row.d);
  const dates = new Set<string>(["2000-01-01", "2023-01-01", "2024-06-15", shiftDay(today(), -1)]);
  for (const date of facts) for (const shift of [-1, 0, 1]) dates.add(shiftDay(date, shift));
  return [...dates].filter((date) => date < today()).sort();
}

function expectHistoryToBeTheFacts(label: string) {
  const dates = datesOfFacts();
  expect(dates.length).toBeGreaterThan(30);
  for (const asOf of dates) {
    expect(letterStates(asOf, "history"), `${label}: letters as of ${asOf}`).toEqual(letterStates(asOf, "set"));
    expect(questionStates(asOf, "history"), `${label}: questions as of ${asOf}`).toEqual(questionStates(asOf, "set"));
  }
}

beforeAll(() => {
  db = freshDatabase();
  seedFromFile({ db, file: DEMO_SEED_FILE });
}, 120_000);

describe("the state history", () => {
  const made: Record<string, { id: number; slug: string }> = {};

  beforeAll(() => {
    // Extended twice, then answered in full; assessed question by question; refused then closed.
    made.extended = createLetter(db, { sent_on: "2024-01-10", deadline: "2024-02-01" });
    addExtension(db, made.extended.id, { newDeadline: "2024-03-01", grantedOn: "2024-01-30" });
    addExtension(db, made.extended.id, { newDeadline: "2024-04-01", grantedOn: "2024-02-28" });
    addResponse(db, made.extended.id, { receivedOn: "2024-03-15", completeness: "full" });

    made.assessed = createLetter(db, { sent_on: "2024-01-10", deadline: "2024-01-31" });
    addResponse(db, made.assessed.id, { receivedOn: "2024-01-20", completeness: "acknowledgment" });
    const first = addResponse(db, made.assessed.id, { receivedOn: "2024-02-10", completeness: "partial" });
    addAssessment(db, made.assessed.id, { responseId: first, questionNumber: 1, verdict: "refused" });
    addAssessment(db, made.assessed.id, { responseId: first, questionNumber: 2, verdict: "not_addressed" });
    const second = addResponse(db, made.assessed.id, { receivedOn: "2024-03-10", completeness: "partial" });
    addAssessment(db, made.assessed.id, { responseId: second, questionNumber: 2, verdict: "answered" });

    made.closed = createLetter(db, { sent_on: "2024-01-10", deadline: "2024-02-01" });
    addResponse(db, made.closed.id, { receivedOn: "2024-02-05", completeness: "refusal" });
    closeLetter(db, made.closed.id, "2024-03-01");

    // Imported with its responses (the import's path: createLetterRecords), one of them dated by
    // the month only (stored as the month's last day).
    made.imported = createLetter(db, {
      sent_on: "2024-02-01",
      deadline: "2024-03-01",
      responses: [
        { received_on: "2024-03", from: "Agency", completeness: "partial", summary: null, notes: null },
        { received_on: "2024-06-03", from: "Agency", completeness: "full", summary: null, notes: null },
      ],
    });
  }, 120_000);

  it("is the facts' state on every date, for the demo letters and the hand-made ones", () => {
    expect(stateHistoryComplete(db)).toBe(true);
    expectHistoryToBeTheFacts("as written");
  });

  it("follows edits: a response deleted and one re-dated, a verdict changed, an extension removed, a letter re-opened", () => {
    const extensions = db.all<{ id: number }>(sql`SELECT id FROM deadline_changes WHERE letter_id = ${made.extended!.id} ORDER BY granted_on`);
    expect(deleteDeadlineChange({ letterSlug: made.extended!.slug, changeId: extensions[0]!.id, actor: SYSTEM_ACTOR }).ok).toBe(true);

    const [acknowledgment, first] = db.all<{ id: number }>(sql`SELECT id FROM responses WHERE letter_id = ${made.assessed!.id} ORDER BY received_on`);
    expect(deleteResponse({ letterSlug: made.assessed!.slug, responseId: acknowledgment!.id, actor: SYSTEM_ACTOR }).ok).toBe(true);
    // The first partial response re-dated after the second, its verdict on question 1 now "answered".
    const question1 = db.get<{ id: number }>(sql`SELECT id FROM questions WHERE letter_id = ${made.assessed!.id} AND number = 1`)!;
    db.transaction(
      (tx) =>
        writeResponse({
          tx,
          letterId: made.assessed!.id,
          responseId: first!.id,
          actor: SYSTEM_ACTOR,
          input: { from: "Agency", receivedOn: "2024-04-02", completeness: "partial", summary: null, sourceUrl: null, notes: null, verdicts: [{ questionId: question1.id, verdict: "answered" }] },
        }),
      { behavior: "immediate" },
    );
    db.transaction((tx) => writeClosing({ tx, letterId: made.closed!.id, closing: null, actor: SYSTEM_ACTOR }), { behavior: "immediate" });

    const history = (letterId: number) =>
      db.all<{ valid_from: string; answer_status: string | null }>(sql`SELECT valid_from, answer_status FROM letter_state_history WHERE letter_id = ${letterId} ORDER BY valid_from`);
    expect(history(made.assessed!.id).map((row) => row.valid_from)).toEqual(["0000-01-01", "2024-03-10", "2024-04-02"]);
    expectHistoryToBeTheFacts("after edits");
  });

  it("covers all time in intervals without gaps, neighbours differ, and the last is the stored state", () => {
    const letters = db.all<Record<string, unknown> & { letter_id: number; valid_from: string; valid_to: string }>(
      sql`SELECT letter_id, valid_from, valid_to, ${sql.raw(LETTER_STATE_COLUMNS.join(", "))} FROM letter_state_history ORDER BY letter_id, valid_from`,
    );
    const byLetter = new Map<number, typeof letters>();
    for (const row of letters) byLetter.set(row.letter_id, [...(byLetter.get(row.letter_id) ?? []), row]);
    expect(byLetter.size).toBe(db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM letters`)!.n);
    const stored = new Map(
      db.all<Record<string, unknown> & { letter_id: number }>(sql`SELECT id AS letter_id, ${sql.raw(LETTER_STATE_COLUMNS.join(", "))} FROM letters`).map((row) => [row.letter_id, row]),
    );
    const state = (row: Record<string, unknown>) => JSON.stringify(LETTER_STATE_COLUMNS.map((column) => row[column]));
    for (const [letterId, rows] of byLetter) {
      expect(rows[0]!.valid_from).toBe("0000-01-01");
      expect(rows.at(-1)!.valid_to).toBe("9999-12-31");
      for (let i = 1; i < rows.length; i++) {
        expect(rows[i]!.valid_from).toBe(rows[i - 1]!.valid_to);
        expect(state(rows[i]!)).not.toBe(state(rows[i - 1]!));
      }
      expect(state(rows.at(-1)!), `letter ${letterId}`).toBe(state(stored.get(letterId)!));
    }
    const questionGaps = db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM (
      SELECT valid_from, LAG(valid_to) OVER (PARTITION BY question_id ORDER BY valid_from) AS previous_to FROM question_state_history)
      WHERE previous_to IS NOT NULL AND previous_to <> valid_from`)!;
    expect(questionGaps.n).toBe(0);
    expect(
      db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM questions q LEFT JOIN question_state_history h
        ON h.question_id = q.id AND h.valid_to = '9999-12-31' AND h.status = q.status AND h.status_on IS q.status_on WHERE h.question_id IS NULL`)!.n,
    ).toBe(0);
  });

  it("of a deleted letter or question goes with it", () => {
    const letter = createLetter(db, { sent_on: "2024-05-01" });
    addResponse(db, letter.id, { receivedOn: "2024-05-20", completeness: "full" });
    expect(db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM letter_state_history WHERE letter_id = ${letter.id}`)!.n).toBe(2);
    db.run(sql`DELETE FROM letters WHERE id = ${letter.id}`);
    expect(db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM letter_state_history WHERE letter_id = ${letter.id}`)!.n).toBe(0);
    expect(db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM question_state_history WHERE letter_id = ${letter.id}`)!.n).toBe(0);
  });
});

describe("an existing database's backfill", () => {
  const everything = () => ({
    letters: db.all(sql`SELECT * FROM letter_state_history ORDER BY letter_id, valid_from`),
    questions: db.all(sql`SELECT * FROM question_state_history ORDER BY question_id, valid_from`),
  });
  const listAll = (asOf: string) =>
    listLetters({ filters: parseLetterFilters(new URLSearchParams("sort=status")).filters, asOf, pageSize: 1000 }).letters;

  it("computes past dates from the facts until it is complete, then writes what the writer writes", () => {
    const written = everything();
    const pages = ["2024-02-15", "2024-03-12", "2025-05-01"].map((asOf) => listAll(asOf));
    // As a database migrated with letters in it: nothing written, not complete.
    db.run(sql`DELETE FROM letter_state_history`);
    db.run(sql`DELETE FROM question_state_history`);
    db.run(sql`UPDATE state_history_progress SET complete = 0, backfilled_through = 0`);
    // A process started on it (a connection that has not seen the history complete).
    closeDb();
    db = getDb();
    expect(stateHistoryComplete(db)).toBe(false);
    expect(dialect.sqlToQuery(stateAsOf("2024-02-15")).sql).not.toContain("letter_state_history");
    expect(["2024-02-15", "2024-03-12", "2025-05-01"].map((asOf) => listAll(asOf))).toEqual(pages);

    // A batch, then a write to a letter the backfill has not reached yet, then the rest.
    expect(backfillStateHistoryStep(db, { batch: 3 })).toMatchObject({ complete: false });
    expect(stateHistoryComplete(db)).toBe(false);
    const last = db.get<{ id: number }>(sql`SELECT MAX(id) AS id FROM letters`)!;
    addResponse(db, last.id, { receivedOn: "2024-06-10", completeness: "partial" });
    backfillStateHistory(db, { batch: 4 });
    expect(stateHistoryComplete(db)).toBe(true);
    expect(dialect.sqlToQuery(stateAsOf("2024-02-15")).sql).toContain("letter_state_history");
    const backfilled = everything();
    expect(backfilled.letters.length).toBeGreaterThan(written.letters.length);
    // What the writer writes for every letter.
    db.transaction((tx) => refreshLetterState({ tx }), { behavior: "immediate" });
    expect(everything()).toEqual(backfilled);
    expectHistoryToBeTheFacts("after the backfill");
  });
});
