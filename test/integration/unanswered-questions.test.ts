/**
 * "Unanswered questions" (issue 13 item 4): a closed letter's questions are no longer waiting for an
 * answer, so neither the list of open questions, its count, nor an agency's open questions show
 * them; before the closing date (asOf) they do.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { parseQuestionFilters } from "~/domain/filters";
import { agencyFigures } from "~/models/dashboard.server";
import { listQuestions } from "~/models/questions.server";
import { closeLetter, createLetter } from "../factories";
import { freshDatabase } from "../support/database";

let db: Db;
let open: { id: number; slug: string };
let closed: { id: number; slug: string };

beforeAll(() => {
  db = freshDatabase();
  open = createLetter(db, { sent_on: "2025-01-10" });
  closed = createLetter(db, { sent_on: "2025-01-10" });
  closeLetter(db, closed.id, "2025-03-01", "The committee withdrew the request");
});

const list = (search: string, asOf: string) => {
  const { filters } = parseQuestionFilters(new URLSearchParams(search));
  return listQuestions({ filters, asOf });
};

describe("unanswered questions and a closed letter", () => {
  it("lists and counts only the questions of letters still open (status=open, the list's default)", () => {
    for (const search of ["", "status=open", "status=open&kind=question"]) {
      const result = list(search, "2025-06-01");
      expect(result.questions.map((q) => q.letterSlug), search).not.toContain(closed.slug);
      expect(result.questions.map((q) => q.letterSlug), search).toContain(open.slug);
      expect(result.total, search).toBe(result.questions.length);
    }
    expect(list("", "2025-06-01").total).toBe(2);
  });

  it("still lists them as of a date before the letter was closed", () => {
    const before = list("", "2025-02-01");
    expect(before.total).toBe(4);
    expect(before.questions.map((q) => q.letterSlug)).toContain(closed.slug);
  });

  it("keeps them in the list of every question", () => {
    expect(list("status=all", "2025-06-01").total).toBe(4);
  });

  it("leaves them out of the agency's open questions", () => {
    const state = agencyFigures({ asOf: "2025-06-01" }).find((agency) => agency.slug === "u-s-department-of-state")!;
    expect(state.letters).toBe(2);
    expect(state.openQuestions).toBe(2);
  });
});
