/**
 * Questions counted by status from each letter's stored counts (decision 0035): the figures of
 * agency, committee, member and briefing pages sum one row a letter instead of reading every
 * question. Against a real SQLite file with the real migrations, on the demo letters (repeated
 * questions, closed letters) and synthetic ones (verdicts, partial answers, refusals):
 * - every letter's counts, as of every date and whichever way the state is read (stored today,
 *   the stored history, computed row by row before the history is complete, set-based), are its
 *   questions' statuses counted;
 * - questionCounts gives what counting question by question gives, for every selection and date;
 * - migration 0030 fills the counts of rows written before it with what the writer writes.
 */
import fs from "node:fs";
import path from "node:path";
import { sql, type SQL } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb, type Db } from "../../db/client.server";
import { MIGRATIONS_FOLDER } from "../../db/migrate.server";
import { seedFromFile, DEMO_SEED_FILE } from "../../db/seed.server";
import { today, type CalendarDate } from "~/domain/dates";
import { ALL_LETTERS, type SelectionFilters } from "~/domain/filters";
import { QUESTION_STATUSES } from "~/domain/vocabulary";
import { questionCounts } from "~/models/dashboard.server";
import { computedStateAsOf, LETTER_STATE_COLUMNS, questionOpenSql, repeatedBySql, stateAsOf } from "~/models/letter-state.server";
import { addAssessment, addResponse, createLetter, seedSyntheticLetters } from "../factories";
import { freshDatabase } from "../support/database";
import { plannedStatements, planText } from "../support/query-plans";

let db: Db;

beforeAll(() => {
  db = freshDatabase();
  // Synthetic letters go into an empty database; the demo letters then join them.
  seedSyntheticLetters(db, { letters: 150, seed: 11 });
  seedFromFile({ db, file: DEMO_SEED_FILE });
}, 300_000);

/** Dates around every fact, and today: where counts change. */
function datesOfFacts(): CalendarDate[] {
  const facts = db
    .all<{ d: string }>(sql`SELECT received_on AS d FROM responses UNION SELECT sent_on FROM letters UNION SELECT closed_on FROM letters WHERE closed_on IS NOT NULL`)
    .map((row) => row.d);
  const shift = (date: string, days: number) => {
    const day = new Date(`${date}T00:00:00Z`);
    day.setUTCDate(day.getUTCDate() + days);
    return day.toISOString().slice(0, 10);
  };
  const dates = new Set<string>([today()]);
  // Every fourth fact date and its neighbours keeps the test quick while crossing every kind of fact.
  facts.sort().forEach((date, index) => {
    if (index % 4 === 0) for (const days of [-1, 0, 1]) dates.add(shift(date, days));
  });
  return [...dates].filter((date) => date <= today()).sort() as CalendarDate[];
}

const COUNTS = sql`letter_id, questions_total, questions_open, questions_answered, questions_partial, questions_refused`;

/** Each letter's questions counted by status from question_state (the reference). */
function countedFromQuestions(state: SQL) {
  return db.all(sql`${state}
    SELECT letter_id, COUNT(*) AS questions_total, SUM(status = 'open') AS questions_open, SUM(status = 'answered') AS questions_answered,
      SUM(status = 'partial') AS questions_partial, SUM(status = 'refused') AS questions_refused
    FROM question_state GROUP BY letter_id ORDER BY letter_id`);
}
function storedCounts(state: SQL) {
  return db.all(sql`${state} SELECT ${COUNTS} FROM letter_state WHERE questions_total > 0 ORDER BY letter_id`);
}

describe("each letter's questions counted by status", () => {
  it("are its questions' statuses counted, as of every date, whichever way the state is read", () => {
    const dates = datesOfFacts();
    expect(dates.length).toBeGreaterThan(20);
    for (const asOf of dates) {
      for (const by of ["set", "row", "history"] as const) {
        const state = computedStateAsOf(asOf, by);
        expect(storedCounts(state), `${by} as of ${asOf}`).toEqual(countedFromQuestions(state));
      }
    }
    // As of today: the columns stored on the letters.
    const stored = stateAsOf(today());
    expect(storedCounts(stored)).toEqual(countedFromQuestions(stored));
    // Some letters have each status, so the check above is not of zeros.
    const totals = db.get<Record<string, number>>(
      sql`SELECT SUM(questions_answered) AS answered, SUM(questions_partial) AS partial, SUM(questions_refused) AS refused, SUM(questions_open) AS open FROM letters`,
    )!;
    for (const status of ["answered", "partial", "refused", "open"]) expect(totals[status], status).toBeGreaterThan(0);
  });
});

/** questionCounts the way it was computed before decision 0035: question by question. */
function countedQuestionByQuestion(asOf: CalendarDate, where: SQL) {
  const rows = db.all<{ status: string; n: number }>(sql`${stateAsOf(asOf)}
    SELECT CASE WHEN ${questionOpenSql(asOf)} THEN 'open'
      WHEN qs.status = 'open' AND ${repeatedBySql(asOf)} THEN 'asked-again'
      WHEN qs.status = 'open' THEN 'closed' ELSE qs.status END AS status, COUNT(*) AS n
    FROM questions q JOIN question_state qs ON qs.question_id = q.id
    JOIN letters l ON l.id = q.letter_id
    WHERE l.sent_on <= ${asOf} AND ${where}
    GROUP BY 1`);
  const counts: Record<string, number> = Object.fromEntries([...QUESTION_STATUSES, "closedUnanswered", "askedAgain"].map((key) => [key, 0]));
  for (const row of rows) counts[row.status === "closed" ? "closedUnanswered" : row.status === "asked-again" ? "askedAgain" : row.status] = row.n;
  return { ...counts, total: Object.values(counts).reduce((sum, n) => sum + n, 0) };
}

describe("questionCounts", () => {
  it("gives what counting question by question gives, for every kind of selection and date", () => {
    const busiest = (table: string, column: string) =>
      db.get<{ slug: string; id: number }>(
        sql`SELECT t.slug, t.id FROM ${sql.raw(table)} t JOIN ${sql.raw(column === "committee_id" ? "letters" : column === "agency_id" ? "letter_recipients" : "letter_senders")} x ON x.${sql.raw(column)} = t.id GROUP BY t.id ORDER BY COUNT(*) DESC LIMIT 1`,
      )!;
    const agency = busiest("agencies", "agency_id");
    const committee = busiest("committees", "committee_id");
    const member = busiest("members", "member_id");
    const selections: Array<[string, Partial<SelectionFilters>, SQL]> = [
      ["every letter", {}, sql`1`],
      ["an agency", { agency: agency.slug }, sql`l.id IN (SELECT letter_id FROM letter_recipients WHERE agency_id = ${agency.id})`],
      ["a committee", { committee: committee.slug }, sql`l.committee_id = ${committee.id}`],
      ["a member", { member: member.slug }, sql`l.id IN (SELECT letter_id FROM letter_senders WHERE member_id = ${member.id})`],
    ];
    const dates = datesOfFacts();
    let askedAgainSeen = false;
    let closedSeen = false;
    for (const asOf of dates) {
      for (const [label, filters, where] of selections) {
        const expected = countedQuestionByQuestion(asOf, where);
        const actual = questionCounts({ asOf, selection: { ...ALL_LETTERS, ...filters } });
        expect(actual, `${label} as of ${asOf}`).toEqual(expected);
        askedAgainSeen ||= actual.askedAgain > 0;
        closedSeen ||= actual.closedUnanswered > 0;
      }
    }
    // The demo letters ask questions again and close letters: both rules were exercised.
    expect(askedAgainSeen).toBe(true);
    expect(closedSeen).toBe(true);
  });

  it("gives the same before the state history is complete (computed from the facts)", () => {
    const asOf = datesOfFacts().find((date) => date < today() && date > "2025-06-01")!;
    const expected = questionCounts({ asOf, selection: ALL_LETTERS });
    db.run(sql`UPDATE state_history_progress SET complete = 0`);
    closeDb();
    db = getDb();
    try {
      expect(questionCounts({ asOf, selection: ALL_LETTERS })).toEqual(expected);
    } finally {
      db.run(sql`UPDATE state_history_progress SET complete = 1`);
      closeDb();
      db = getDb();
    }
  });

  it("counts a letter's repeated questions once, not once per sum that reads them", () => {
    // Flattened into the sums, the per-letter row's asked_again (repeatedOpenSql: a seek of the
    // letter's repeated questions, rq) was copied into each of the three sums that read it: three
    // seeks a letter that has any. The plan is the app's own connection's (plannedStatements).
    const agency = db.get<{ slug: string }>(sql`SELECT a.slug FROM agencies a JOIN letter_recipients lr ON lr.agency_id = a.id LIMIT 1`)!.slug;
    const pastDate = datesOfFacts().find((date) => date < today() && date > "2025-06-01")!;
    for (const asOf of [today(), pastDate]) {
      for (const selection of [ALL_LETTERS, { ...ALL_LETTERS, agency }]) {
        const statements = plannedStatements(() => questionCounts({ asOf, selection })).filter((statement) => /SUM\(questions_total\) AS total/.test(statement.sql));
        expect(statements).toHaveLength(1);
        const plan = planText(statements[0]!.plan);
        expect(plan.match(/^\s*SEARCH rq /gm), `as of ${asOf}:\n${plan}`).toHaveLength(1);
      }
    }
  });

  it("before the state history is complete, computes each letter's counts once, not once per column that reads them", () => {
    // Read lazily (letterStateSql without `of`), SQLite copied the packed count's subquery, a pass
    // over the letter's questions deciding each one, into every column built from it: several passes
    // a letter. Materialized for the selection (selectionStateSql), each letter's facts are looked up
    // once: one pass over its questions for the packed counts and one to count them.
    const asOf = datesOfFacts().find((date) => date < today() && date > "2025-06-01")!;
    db.run(sql`UPDATE state_history_progress SET complete = 0`);
    closeDb();
    db = getDb();
    try {
      for (const selection of [ALL_LETTERS, { ...ALL_LETTERS, agency: db.get<{ slug: string }>(sql`SELECT a.slug FROM agencies a JOIN letter_recipients lr ON lr.agency_id = a.id LIMIT 1`)!.slug }]) {
        const statements = plannedStatements(() => questionCounts({ asOf, selection })).filter((statement) => /SUM\(questions_total\) AS total/.test(statement.sql));
        expect(statements).toHaveLength(1);
        const plan = planText(statements[0]!.plan);
        // Inside the per-letter rows' co-routine.
        expect(plan).toMatch(/^\s*MATERIALIZE letter_facts$/m);
        // Each pass over a letter's questions is a search of qx (its alias in the state's facts).
        expect(plan.match(/^\s*SEARCH qx /gm), plan).toHaveLength(2);
        // And its repeated questions are counted once (rq: repeatedOpenSql's alias).
        expect(plan.match(/^\s*SEARCH rq /gm), plan).toHaveLength(1);
      }
    } finally {
      db.run(sql`UPDATE state_history_progress SET complete = 1`);
      closeDb();
      db = getDb();
    }
  });
});

/** The statements of a migration's file (by its number), optionally only those matching `only`. */
function migrationStatements(number: string, only?: RegExp): string[] {
  const file = fs.readdirSync(MIGRATIONS_FOLDER).find((name) => new RegExp(`^${number}_.*\\.sql$`).test(name))!;
  return fs
    .readFileSync(path.join(MIGRATIONS_FOLDER, file), "utf8")
    .split("--> statement-breakpoint")
    .map((statement) => statement.trim())
    .filter((statement) => statement !== "" && (!only || only.test(statement)));
}

describe("migration 0030", () => {
  it("fills the counts of letters and of their history written before it with what the writer writes", () => {
    const file = fs.readdirSync(MIGRATIONS_FOLDER).find((name) => /^0030_.*\.sql$/.test(name))!;
    const backfill = fs
      .readFileSync(path.join(MIGRATIONS_FOLDER, file), "utf8")
      .split("--> statement-breakpoint")
      .map((statement) => statement.trim())
      .filter((statement) => /^(--.*\n)*UPDATE/.test(statement));
    expect(backfill).toHaveLength(2);
    const snapshot = () => ({
      letters: db.all(sql`SELECT id, questions_answered, questions_partial, questions_refused FROM letters ORDER BY id`),
      history: db.all(sql`SELECT letter_id, valid_from, questions_answered, questions_partial, questions_refused FROM letter_state_history ORDER BY letter_id, valid_from`),
    });
    const written = snapshot();
    // As the rows were before the migration added the columns (their default).
    db.run(sql`UPDATE letters SET questions_answered = 0, questions_partial = 0, questions_refused = 0`);
    db.run(sql`UPDATE letter_state_history SET questions_answered = 0, questions_partial = 0, questions_refused = 0`);
    expect(snapshot()).not.toEqual(written);
    for (const statement of backfill) db.$client.exec(statement);
    expect(snapshot()).toEqual(written);
  });
});

describe("migrations 0030 and 0031 on a history written before 0030", () => {
  it("cut the intervals where only the counts change, as the writer does", () => {
    // A verdict carried by an acknowledgment moves no response date: the partly answered question
    // becomes answered, and the letter stays partly answered with one question open. Before 0030
    // nothing stored changed on that date, so the history had no interval starting there.
    const { id } = createLetter(db, { sent_on: "2025-01-10" });
    const first = addResponse(db, id, { receivedOn: "2025-02-01", completeness: "partial" });
    addAssessment(db, id, { responseId: first, questionNumber: 1, verdict: "partial" });
    addAssessment(db, id, { responseId: first, questionNumber: 2, verdict: "not_addressed" });
    const acknowledgment = addResponse(db, id, { receivedOn: "2025-03-01", completeness: "acknowledgment" });
    addAssessment(db, id, { responseId: acknowledgment, questionNumber: 1, verdict: "answered" });

    const history = () => db.all(sql`SELECT * FROM letter_state_history ORDER BY letter_id, valid_from`);
    const written = { letters: db.all(sql`SELECT id, ${sql.raw(LETTER_STATE_COLUMNS.join(", "))} FROM letters ORDER BY id`), history: history() };
    expect(db.all(sql`SELECT valid_from FROM letter_state_history WHERE letter_id = ${id} ORDER BY valid_from`).map((row) => (row as { valid_from: string }).valid_from)).toEqual([
      "0000-01-01",
      "2025-02-01",
      "2025-03-01",
    ]);

    // The history as the writer before 0030 left it: a row only where the columns it stored change.
    const old = sql.raw("effective_deadline, deadline_source, first_response_on, latest_response_on, latest_completeness, answer_status, questions_total, questions_open");
    db.run(sql`CREATE TEMP TABLE old_history AS
      WITH c AS (SELECT *, json_array(${old}) AS s, LAG(json_array(${old})) OVER (PARTITION BY letter_id ORDER BY valid_from) AS p FROM letter_state_history)
      SELECT letter_id, valid_from, COALESCE(LEAD(valid_from) OVER (PARTITION BY letter_id ORDER BY valid_from), '9999-12-31') AS valid_to, ${old}
      FROM c WHERE p IS NULL OR p <> s`);
    db.run(sql`DELETE FROM letter_state_history`);
    db.run(sql`INSERT INTO letter_state_history (letter_id, valid_from, valid_to, ${old}) SELECT letter_id, valid_from, valid_to, ${old} FROM temp.old_history`);
    db.run(sql`DROP TABLE temp.old_history`);
    db.run(sql`UPDATE letters SET questions_answered = 0, questions_partial = 0, questions_refused = 0`);
    expect(history()).not.toEqual(written.history);

    for (const statement of [...migrationStatements("0030", /^(--.*\n)*UPDATE/), ...migrationStatements("0031")]) db.$client.exec(statement);
    expect({ letters: db.all(sql`SELECT id, ${sql.raw(LETTER_STATE_COLUMNS.join(", "))} FROM letters ORDER BY id`), history: history() }).toEqual(written);
    // And the pages' reading of it: as of a date after the acknowledgment, the question is answered.
    const state = stateAsOf("2025-03-15");
    expect(storedCounts(state)).toEqual(countedFromQuestions(state));
  });

  it("0031 changes nothing in a history the writer wrote", () => {
    const before = db.all(sql`SELECT * FROM letter_state_history ORDER BY letter_id, valid_from`);
    for (const statement of migrationStatements("0031")) db.$client.exec(statement);
    expect(db.all(sql`SELECT * FROM letter_state_history ORDER BY letter_id, valid_from`)).toEqual(before);
  });
});
