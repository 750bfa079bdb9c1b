/**
 * The status rules run twice: as pure functions (one letter's page) and in SQL (lists and counts,
 * from stored columns for today and computed from the facts for past dates). These tests hold the
 * two to the same answers, letter by letter, on the demo data and on hand-made edge cases.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { seedFromFile, DEMO_SEED_FILE } from "../../db/seed.server";
import { today } from "~/domain/dates";
import { parseLetterFilters } from "~/domain/filters";
import { getLetterDetail, listLetters } from "~/models/letters.server";
import { deadlineInForce } from "~/domain/status";
import {
  computedStateAsOf,
  letterStatusSql,
  refreshLetterState,
  stateAsOf,
  stateHistoryComplete,
  syncStateSettings,
} from "~/models/letter-state.server";
import { addAssessment, addExtension, addResponse, closeLetter, createLetter } from "../factories";
import { freshDatabase } from "../support/database";

let db: Db;
const scenario: Record<string, string> = {};

beforeAll(() => {
  db = freshDatabase();
  seedFromFile({ db, file: DEMO_SEED_FILE });

  // Extended twice, then answered in full after the first extended deadline.
  const extended = createLetter(db, { sent_on: "2024-01-10", deadline: "2024-02-01" });
  addExtension(db, extended.id, { newDeadline: "2024-03-01", grantedOn: "2024-01-30" });
  addExtension(db, extended.id, { newDeadline: "2024-04-01", grantedOn: "2024-02-28" });
  addResponse(db, extended.id, { receivedOn: "2024-03-15", completeness: "full" });
  scenario.extended = extended.slug;

  // Acknowledged, then assessed question by question over two responses.
  const assessed = createLetter(db, { sent_on: "2024-01-10", deadline: "2024-01-31" });
  addResponse(db, assessed.id, { receivedOn: "2024-01-20", completeness: "acknowledgment" });
  const first = addResponse(db, assessed.id, { receivedOn: "2024-02-10", completeness: "partial" });
  addAssessment(db, assessed.id, { responseId: first, questionNumber: 1, verdict: "refused" });
  addAssessment(db, assessed.id, { responseId: first, questionNumber: 2, verdict: "not_addressed" });
  const second = addResponse(db, assessed.id, { receivedOn: "2024-03-10", completeness: "partial" });
  addAssessment(db, assessed.id, { responseId: second, questionNumber: 2, verdict: "answered" });
  addAssessment(db, assessed.id, { responseId: second, questionNumber: 1, verdict: "answered" });
  scenario.assessed = assessed.slug;

  // Refused, then closed.
  const closed = createLetter(db, { sent_on: "2024-01-10", deadline: "2024-02-01" });
  addResponse(db, closed.id, { receivedOn: "2024-02-05", completeness: "refusal" });
  closeLetter(db, closed.id, "2024-03-01");
  scenario.closed = closed.slug;

  // Full response that leaves one question not addressed.
  const gap = createLetter(db, { sent_on: "2024-01-10", deadline: null });
  const full = addResponse(db, gap.id, { receivedOn: "2024-02-01", completeness: "full" });
  addAssessment(db, gap.id, { responseId: full, questionNumber: 2, verdict: "not_addressed" });
  scenario.gap = gap.slug;

  // One question partly answered, the other refused: partial.
  const mixed = createLetter(db, { sent_on: "2024-01-10", deadline: "2024-02-01" });
  const mixedResponse = addResponse(db, mixed.id, { receivedOn: "2024-02-01", completeness: "refusal" });
  addAssessment(db, mixed.id, { responseId: mixedResponse, questionNumber: 1, verdict: "partial" });
  scenario.mixed = mixed.slug;

  // No deadline and no reply: due 30 days after sending (DEFAULT_RESPONSE_DAYS), overdue after.
  scenario.implied = createLetter(db, { sent_on: "2024-01-02", deadline: null }).slug;
  // No deadline, then an extension: the extension rules from the day it was granted.
  const impliedExtended = createLetter(db, { sent_on: "2024-01-02", deadline: null });
  addExtension(db, impliedExtended.id, { newDeadline: "2024-04-01", grantedOn: "2024-02-06" });
  scenario.impliedExtended = impliedExtended.slug;

  // No questions at all; overdue.
  scenario.noQuestions = createLetter(db, { sent_on: "2024-01-10", deadline: "2024-01-20", questions: [] }).slug;
});

function listAll(asOf: string) {
  const { filters } = parseLetterFilters(new URLSearchParams());
  return listLetters({ filters, asOf, pageSize: 1000 }).letters;
}

// Around every deadline, extension and response of the cases above, and across the demo data.
const DATES = [
  "2023-01-01",
  "2023-01-26",
  "2023-01-27",
  "2024-01-20",
  "2024-01-31",
  "2024-02-01",
  "2024-02-02",
  "2024-04-01",
  "2024-04-02",
  "2024-07-18",
  "2024-07-19",
  "2023-03-21",
  "2023-06-16",
  "2024-01-25",
  "2024-02-06",
  "2024-02-15",
  "2024-03-01",
  "2024-03-12",
  "2024-07-20",
  "2025-05-01",
  today(),
];

describe("SQL and the pure rules agree", () => {
  it.each(DATES)("on every letter as of %s", (asOf) => {
    const rows = listAll(asOf);
    for (const row of rows) {
      const detail = getLetterDetail({ slug: row.slug, asOf })!;
      expect(
        {
          status: row.status,
          effectiveDeadline: row.effectiveDeadline,
          deadlineSource: row.deadlineSource,
          daysOutstanding: row.daysOutstanding,
          responseDays: row.responseDays,
          questionsOpen: row.questionsOpen,
        },
        `${row.slug} as of ${asOf}`,
      ).toEqual({
        status: detail.status,
        effectiveDeadline: detail.effectiveDeadline,
        deadlineSource: detail.deadlineSource,
        daysOutstanding: detail.daysOutstanding,
        responseDays: detail.responseDays,
        // The letter page's count (the model's, decision 0023 addendum): the demo seed's repeated
        // questions are open at their latest ask only.
        questionsOpen: detail.questionCounts.open,
      });
    }
    // Letters not yet sent are left out.
    expect(rows.every((row) => row.sentOn <= asOf)).toBe(true);
  });

  it("the hand-made cases land where the rules say", () => {
    const statusOf = (slug: string, asOf: string) => listAll(asOf).find((row) => row.slug === slug)?.status;
    expect(statusOf(scenario.extended!, "2024-02-15")).toBe("awaiting");
    expect(statusOf(scenario.extended!, "2024-02-29")).toBe("awaiting");
    expect(statusOf(scenario.extended!, "2024-03-12")).toBe("awaiting");
    expect(statusOf(scenario.extended!, today())).toBe("answered");
    expect(statusOf(scenario.assessed!, "2024-01-25")).toBe("awaiting");
    expect(statusOf(scenario.assessed!, "2024-02-01")).toBe("overdue");
    expect(statusOf(scenario.assessed!, "2024-02-15")).toBe("refused");
    expect(statusOf(scenario.assessed!, today())).toBe("answered");
    expect(statusOf(scenario.closed!, "2024-02-10")).toBe("refused");
    expect(statusOf(scenario.closed!, today())).toBe("closed");
    expect(statusOf(scenario.gap!, today())).toBe("partial");
    expect(statusOf(scenario.mixed!, today())).toBe("partial");
    expect(statusOf(scenario.mixed!, "2024-02-01")).toBe("partial");
    expect(statusOf(scenario.noQuestions!, today())).toBe("overdue");
    // Implied deadlines: 2024-01-02 + 30 days = 2024-02-01.
    const rowOf = (slug: string, asOf: string) => listAll(asOf).find((row) => row.slug === slug)!;
    expect(rowOf(scenario.implied!, "2024-02-01")).toMatchObject({ status: "awaiting", effectiveDeadline: "2024-02-01", deadlineSource: "implied" });
    expect(rowOf(scenario.implied!, "2024-02-02")).toMatchObject({ status: "overdue", effectiveDeadline: "2024-02-01", deadlineSource: "implied" });
    expect(rowOf(scenario.implied!, today())).toMatchObject({ status: "overdue", deadlineSource: "implied" });
    expect(rowOf(scenario.impliedExtended!, "2024-02-05")).toMatchObject({ status: "overdue", deadlineSource: "implied" });
    expect(rowOf(scenario.impliedExtended!, "2024-02-06")).toMatchObject({ status: "awaiting", effectiveDeadline: "2024-04-01", deadlineSource: "extension" });
    expect(rowOf(scenario.extended!, "2024-01-20")).toMatchObject({ effectiveDeadline: "2024-02-01", deadlineSource: "letter" });
    // A letter with no deadline and no reply is no longer left "awaiting" for years.
    const stillAwaiting = listAll(today()).filter((row) => row.status === "awaiting" && row.deadline === null);
    expect(stillAwaiting.every((row) => row.daysOutstanding === null || row.daysOutstanding <= 30)).toBe(true);
  });

  it("the stored state equals a full recomputation", () => {
    const snapshot = () =>
      db.all(sql`SELECT id, effective_deadline, deadline_source, first_response_on, latest_response_on, latest_completeness,
        answer_status, questions_total, questions_open FROM letters ORDER BY id`);
    const questionSnapshot = () => db.all(sql`SELECT id, status FROM questions ORDER BY id`);
    const before = [snapshot(), questionSnapshot()];
    db.run(sql`UPDATE letters SET answer_status = NULL, effective_deadline = NULL, deadline_source = NULL, questions_open = 0`);
    db.run(sql`UPDATE questions SET status = 'open'`);
    db.transaction((tx) => refreshLetterState({ tx }));
    expect([snapshot(), questionSnapshot()]).toEqual(before);
  });
});

describe("DEFAULT_RESPONSE_DAYS", () => {
  const stored = () =>
    db.all<{ id: number; effective_deadline: string | null; deadline_source: string | null }>(
      sql`SELECT id, effective_deadline, deadline_source FROM letters ORDER BY id`,
    );

  it.each([0, 7, 30, 90])("the stored, row-by-row and set-based state agree with the pure rule at %i days", (days) => {
    db.transaction((tx) => refreshLetterState({ tx, days }));
    const asOf = "2026-01-01";
    const columns = sql`letter_id, effective_deadline, deadline_source`;
    const set = db.all(sql`${computedStateAsOf(asOf, "set", days)} SELECT ${columns} FROM letter_state ORDER BY letter_id`);
    expect(db.all(sql`${computedStateAsOf(asOf, "row", days)} SELECT ${columns} FROM letter_state ORDER BY letter_id`)).toEqual(set);
    expect(db.all(sql`${computedStateAsOf(asOf, "materialized", days)} SELECT ${columns} FROM letter_state ORDER BY letter_id`)).toEqual(set);
    expect(stored().map((row) => ({ letter_id: row.id, effective_deadline: row.effective_deadline, deadline_source: row.deadline_source }))).toEqual(set);
    const letters = db.all<{ id: number; sent_on: string; deadline: string | null }>(sql`SELECT id, sent_on, deadline FROM letters ORDER BY id`);
    for (const letter of letters) {
      const changes = db.all<{ id: number; newDeadline: string; grantedOn: string }>(
        sql`SELECT id, new_deadline AS newDeadline, granted_on AS grantedOn FROM deadline_changes WHERE letter_id = ${letter.id}`,
      );
      const expected = deadlineInForce({ sentOn: letter.sent_on, deadline: letter.deadline, deadlineChanges: changes }, asOf, days);
      const row = (set as Array<{ letter_id: number; effective_deadline: string | null; deadline_source: string | null }>).find(
        (each) => each.letter_id === letter.id,
      )!;
      expect({ date: row.effective_deadline, source: row.deadline_source }, `letter ${letter.id}`).toEqual(
        expected ? { date: expected.date, source: expected.source } : { date: null, source: null },
      );
    }
    const sources = new Set(stored().map((row) => row.deadline_source));
    expect(sources.has("implied")).toBe(days > 0);
    expect(sources.has("letter") && sources.has("extension")).toBe(true);
  });

  it("a start with another value recomputes the stored state, and remembers it", () => {
    // The migrate step remembered this process's value (30, the default).
    expect(db.get<{ value: string }>(sql`SELECT value FROM state_settings WHERE key = 'default_response_days'`)?.value).toBe("30");
    expect(syncStateSettings(db, 30)).toBe(false);
    db.transaction((tx) => refreshLetterState({ tx, days: 30 }));
    const at30 = stored();
    expect(at30.find((row) => row.deadline_source === "implied")).toBeDefined();
    expect(syncStateSettings(db, 0)).toBe(true);
    expect(syncStateSettings(db, 0)).toBe(false);
    expect(stored().some((row) => row.deadline_source === "implied")).toBe(false);
    expect(db.get<{ value: string }>(sql`SELECT value FROM state_settings WHERE key = 'default_response_days'`)?.value).toBe("0");
    expect(syncStateSettings(db, 30)).toBe(true);
    expect(stored()).toEqual(at30);
  });

  it("a start with another value rewrites the state history: a past date shows the new implied deadline and status", () => {
    syncStateSettings(db, 30);
    // Sent without a deadline, never answered; read as of a past date 61 days after sending.
    const silent = createLetter(db, { sent_on: "2024-05-01", deadline: null });
    const asOf = "2024-07-01";
    const pastState = () =>
      db.get<{ status: string; effective_deadline: string | null; deadline_source: string | null }>(sql`${stateAsOf(asOf, { history: true })}
        SELECT ${letterStatusSql(asOf)} AS status, s.effective_deadline, s.deadline_source
        FROM letters l JOIN letter_state s ON s.letter_id = l.id WHERE l.id = ${silent.id}`);
    const history = () => db.all(sql`${computedStateAsOf(asOf, "history")} SELECT * FROM letter_state ORDER BY letter_id`);
    const computed = (days: number) => db.all(sql`${computedStateAsOf(asOf, "row", days)} SELECT * FROM letter_state ORDER BY letter_id`);
    expect(pastState()).toEqual({ status: "overdue", effective_deadline: "2024-05-31", deadline_source: "implied" });
    expect(history()).toEqual(computed(30));

    expect(syncStateSettings(db, 0)).toBe(true);
    expect(pastState()).toEqual({ status: "awaiting", effective_deadline: null, deadline_source: null });
    expect(history()).toEqual(computed(0));
    expect(stateHistoryComplete(db)).toBe(true);

    expect(syncStateSettings(db, 45)).toBe(true);
    expect(pastState()).toEqual({ status: "overdue", effective_deadline: "2024-06-15", deadline_source: "implied" });
    expect(history()).toEqual(computed(45));
    syncStateSettings(db, 30);
  });
});
