/**
 * Whole-tracker figures are kept between requests, but never outlive a change to the data, whether
 * this process made it or another one (the importer, a backup restore, a second server).
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env.server";
import { overviewFigures, withStateSnapshot } from "~/models/dashboard.server";
import { today } from "~/domain/dates";
import { openDatabase, type Db } from "../../db/client.server";
import { DEMO_SEED_FILE, seedFromFile } from "../../db/seed.server";
import { letters } from "../../db/schema";
import { parseLetterFilters, parseQuestionFilters } from "~/domain/filters";
import { listLetters } from "~/models/letters.server";
import { listQuestions } from "~/models/questions.server";
import { addResponse, createLetter } from "../factories";
import { freshDatabase } from "../support/database";

let db: Db;
beforeAll(() => {
  db = freshDatabase();
  seedFromFile({ db, file: DEMO_SEED_FILE });
});

const figures = () => withStateSnapshot({ asOf: today(), cacheKey: "overview-test", run: () => overviewFigures({ asOf: today() }) });

describe("cached figures", () => {
  it("serve the same figures again while nothing changes", () => {
    const first = figures();
    expect(figures()).toBe(first);
  });

  it("are recomputed after a write through this process's connection", () => {
    const before = figures();
    expect(before.counts.overdue).toBe(2);
    const comer = db.select({ id: letters.id }).from(letters).where(eq(letters.slug, "comer-cheatle-butler-documents-2024-07-15")).get()!;
    addResponse(db, comer.id, { receivedOn: "2024-08-01", completeness: "full" });
    const after = figures();
    expect(after.counts.overdue).toBe(1);
    expect(after.counts.answered).toBe(before.counts.answered + 1);
  });

  it("are recomputed after another process commits", () => {
    const before = figures();
    const other = openDatabase(env.DATABASE_PATH);
    try {
      other.update(letters).set({ closedOn: "2025-01-01", closedReason: "closed elsewhere" }).where(eq(letters.slug, "mccaul-blinken-afghanistan-withdrawal-2023-01-12")).run();
    } finally {
      other.$client.close();
    }
    const after = figures();
    expect(after.counts.closed).toBe(before.counts.closed + 1);
  });
});

describe("cached list totals", () => {
  it("follow a new letter and its questions at once", () => {
    const letterFilters = parseLetterFilters(new URLSearchParams()).filters;
    const questionFilters = parseQuestionFilters(new URLSearchParams()).filters;
    const before = { letters: listLetters({ filters: letterFilters, asOf: today() }).total, questions: listQuestions({ filters: questionFilters, asOf: today() }).total };
    createLetter(db, { sent_on: "2025-01-02" });
    expect(listLetters({ filters: letterFilters, asOf: today() }).total).toBe(before.letters + 1);
    // The factory's letter has two questions, both open.
    expect(listQuestions({ filters: questionFilters, asOf: today() }).total).toBe(before.questions + 2);
  });
});
