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
import { refreshLetterState } from "~/models/letter-state.server";
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
          daysOutstanding: row.daysOutstanding,
          responseDays: row.responseDays,
          questionsOpen: row.questionsOpen,
        },
        `${row.slug} as of ${asOf}`,
      ).toEqual({
        status: detail.status,
        effectiveDeadline: detail.effectiveDeadline,
        daysOutstanding: detail.daysOutstanding,
        responseDays: detail.responseDays,
        questionsOpen: detail.questions.filter((question) => question.status === "open").length,
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
  });

  it("the stored state equals a full recomputation", () => {
    const snapshot = () =>
      db.all(sql`SELECT id, effective_deadline, first_response_on, latest_response_on, latest_completeness,
        answer_status, questions_total, questions_open FROM letters ORDER BY id`);
    const questionSnapshot = () => db.all(sql`SELECT id, status FROM questions ORDER BY id`);
    const before = [snapshot(), questionSnapshot()];
    db.run(sql`UPDATE letters SET answer_status = NULL, effective_deadline = NULL, questions_open = 0`);
    db.run(sql`UPDATE questions SET status = 'open'`);
    db.transaction((tx) => refreshLetterState({ tx }));
    expect([snapshot(), questionSnapshot()]).toEqual(before);
  });
});
