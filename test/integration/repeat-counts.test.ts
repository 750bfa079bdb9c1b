/**
 * One rule for re-asked questions in counts by status (decision 0023 addendum): only an open
 * question leaves its letter's counts once a later letter asks it again (its openness moved to the
 * latest ask, counted open there; in the counts it is "asked again"); an answered, partly answered
 * or refused question keeps its status, so questionCounts (agency, member, committee pages, the
 * briefing) gives for every status what /questions lists with that status filter, as of today and
 * as of past dates.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { today } from "~/domain/dates";
import { ALL_LETTERS, parseLetterFilters, parseQuestionFilters } from "~/domain/filters";
import { QUESTION_STATUSES } from "~/domain/vocabulary";
import { questionCounts } from "~/models/dashboard.server";
import { getLetterDetail, listLetters } from "~/models/letters.server";
import { listQuestions } from "~/models/questions.server";
import { addAssessment, addResponse, closeLetter, createLetter } from "../factories";
import { freshDatabase } from "../support/database";

let db: Db;
let original: { id: number; slug: string };
let followUp: { id: number; slug: string };
let closed: { id: number; slug: string };
const STATE = "u-s-department-of-state";

const listTotal = (search: string, asOf: string) => listQuestions({ filters: parseQuestionFilters(new URLSearchParams(search)).filters, asOf }).total;

beforeAll(() => {
  db = freshDatabase();
  // The original: question 1 refused, 2 answered, 3 partly answered, 4 open (a partial reply
  // with no verdict on it).
  original = createLetter(db, {
    sent_on: "2025-01-10",
    questions: [
      { n: 1, text: "Refused question?", kind: "question" },
      { n: 2, text: "Answered question?", kind: "question" },
      { n: 3, text: "Partly answered question?", kind: "question" },
      { n: 4, text: "Open question?", kind: "question" },
    ],
  });
  const reply = addResponse(db, original.id, { receivedOn: "2025-02-01", completeness: "partial" });
  addAssessment(db, original.id, { responseId: reply, questionNumber: 1, verdict: "refused" });
  addAssessment(db, original.id, { responseId: reply, questionNumber: 2, verdict: "answered" });
  addAssessment(db, original.id, { responseId: reply, questionNumber: 3, verdict: "partial" });
  // The follow-up asks the refused, the partly answered and the open question again, and one of its own.
  followUp = createLetter(db, {
    sent_on: "2025-03-01",
    follows_up: original.slug,
    questions: [
      { n: 1, text: "Refused question, again?", kind: "question", repeats: { letter: original.slug, n: 1 } },
      { n: 2, text: "Partly answered question, again?", kind: "question", repeats: { letter: original.slug, n: 3 } },
      { n: 3, text: "Open question, again?", kind: "question", repeats: { letter: original.slug, n: 4 } },
      { n: 4, text: "A new question?", kind: "question" },
    ],
  });
  // A letter closed without its answers: its open questions are "unanswered when closed".
  closed = createLetter(db, { sent_on: "2025-01-20" });
  closeLetter(db, closed.id, "2025-02-15");
});

describe("questions by status with a question asked again", () => {
  for (const asOf of ["2025-01-31", "2025-02-20", "2025-04-01", today()]) {
    for (const [label, search, selection] of [
      ["every letter", "", undefined],
      ["the agency's letters", `agency=${STATE}`, { ...ALL_LETTERS, agency: STATE }],
    ] as const) {
      it(`gives the /questions list's total for each status filter (${label}, as of ${asOf})`, () => {
        const counts = questionCounts({ asOf, selection });
        for (const status of QUESTION_STATUSES) {
          expect(counts[status], `${status} as of ${asOf}`).toBe(listTotal(`${search}&status=${status}`, asOf));
        }
        expect(counts.total, `all as of ${asOf}`).toBe(listTotal(`${search}&status=all`, asOf));
      });
    }
  }

  it("keeps a refused, answered or partly answered original where it is, and moves an open one to its latest ask", () => {
    // Before the follow-up: the original's four, the closed letter's two (closed on 15 February).
    expect(questionCounts({ asOf: "2025-02-20" })).toMatchObject({
      open: 1,
      refused: 1,
      answered: 1,
      partial: 1,
      closedUnanswered: 2,
      askedAgain: 0,
      total: 6,
    });
    // After it: the follow-up's four open; the original's open question 4 asked again (counted
    // there); its refused and partly answered questions keep their status.
    for (const asOf of ["2025-04-01", today()]) {
      expect(questionCounts({ asOf }), asOf).toMatchObject({
        open: 4,
        refused: 1,
        answered: 1,
        partial: 1,
        closedUnanswered: 2,
        askedAgain: 1,
        total: 10,
      });
      expect(listTotal("status=refused", asOf), asOf).toBe(1);
    }
  });
});

describe("the letter page's question counts", () => {
  const detail = (slug: string, asOf: string) => getLetterDetail({ slug, asOf })!.questionCounts;
  const listed = (asOf: string) =>
    new Map(listLetters({ filters: parseLetterFilters(new URLSearchParams("")).filters, asOf }).letters.map((row) => [row.slug, row.questionsOpen]));

  it("come from the model, by the rule of every other count", () => {
    // Before the follow-up was sent, the original's open question is open here.
    expect(detail(original.slug, "2025-02-20")).toMatchObject({ total: 4, open: 1, askedAgain: 0, refused: 1, answered: 1, partial: 1 });
    // Once it was sent, it is asked again there and not open here.
    expect(detail(original.slug, "2025-04-01")).toMatchObject({ total: 4, open: 0, askedAgain: 1, refused: 1, answered: 1, partial: 1 });
    expect(detail(followUp.slug, "2025-04-01")).toMatchObject({ total: 4, open: 4, askedAgain: 0 });
    // A closed letter has none open: its open questions are unanswered when it was closed.
    expect(detail(closed.slug, "2025-02-01")).toMatchObject({ total: 2, open: 2, closedUnanswered: 0 });
    expect(detail(closed.slug, "2025-04-01")).toMatchObject({ total: 2, open: 0, closedUnanswered: 2 });
  });

  it("agree with the letters' open counts (/letters, the API, letters.csv) as of every date", () => {
    for (const asOf of ["2025-01-31", "2025-02-20", "2025-04-01", today()]) {
      const open = listed(asOf);
      for (const letter of [original, followUp, closed]) {
        if (!open.has(letter.slug)) continue;
        expect(detail(letter.slug, asOf).open, `${letter.slug} as of ${asOf}`).toBe(open.get(letter.slug));
      }
    }
  });
});
