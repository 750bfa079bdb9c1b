/**
 * List totals shared by the read threads (app/models/list-totals.server.ts): each thread counted
 * every selection again after every save; the event loop now keeps each total with the data
 * revision it was counted at and asks one thread to count it.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { today } from "~/domain/dates";
import { parseLetterFilters, parseQuestionFilters } from "~/domain/filters";
import { clearListTotals, listTotal } from "~/models/list-totals.server";
import { listLetters } from "~/models/letters.server";
import { listQuestions } from "~/models/questions.server";
import { runReadTask } from "~/models/read-tasks.server";
import { installReadPool, type ReadPool } from "~/utils/read-pool.server";
import type { Db } from "../../db/client.server";
import { addExtension, createLetter, seedSyntheticLetters } from "../factories";
import { freshDatabase } from "../support/database";
import { stubReadPool } from "../support/read-pools";

let db: Db;
let letterId: number;

beforeAll(() => {
  db = freshDatabase();
  seedSyntheticLetters(db, { letters: 300, seed: 5, endDate: "2026-06-30" });
  letterId = createLetter(db, { title: "Counted letter", sent_on: "2026-01-05", questions: [{ n: 1, text: "Counted?", kind: "question" }] }).id;
});

afterEach(() => {
  installReadPool(null);
  clearListTotals();
});

function countingPool() {
  const tasks: string[] = [];
  const pool: ReadPool = stubReadPool(async (name, args) => {
    tasks.push(name);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return runReadTask(name, args) as never;
  }, { threads: 2 });
  installReadPool(pool);
  return tasks;
}

const letterFilters = (query: string) => parseLetterFilters(new URLSearchParams(query)).filters;
const questionFilters = (query: string) => parseQuestionFilters(new URLSearchParams(query)).filters;

describe("list totals", () => {
  it("are counted once per selection and data revision, whatever the page and order, by one thread for concurrent readers", async () => {
    const tasks = countingPool();
    const asOf = today();
    const totals = await Promise.all(
      ["sort=sent", "sort=title&page=2", "sort=status&dir=asc", "sort=deadline&page=3"].map((query) => listTotal("letters", letterFilters(query), asOf, {})),
    );
    expect(tasks.filter((task) => task === "listTotal")).toHaveLength(1);
    expect(new Set(totals)).toEqual(new Set([listLetters({ filters: letterFilters(""), asOf }).total]));
    // Another selection is counted apart; the same one again is not.
    await listTotal("letters", letterFilters("status=overdue"), asOf, {});
    await listTotal("letters", letterFilters("sort=sent&page=4"), asOf, {});
    expect(tasks.filter((task) => task === "listTotal")).toHaveLength(2);
  });

  it("are counted again after a write, and give the count a thread would give", async () => {
    const tasks = countingPool();
    const asOf = today();
    const filters = questionFilters("");
    const before = await listTotal("questions", filters, asOf, {});
    expect(before).toBe(listQuestions({ filters, asOf }).total);
    addExtension(db, letterId, { newDeadline: "2031-01-01", grantedOn: "2026-01-20" });
    await listTotal("questions", filters, asOf, {});
    expect(tasks.filter((task) => task === "listTotal")).toHaveLength(2);
  });

  it("are not kept as of a past date (the page's thread counts them)", async () => {
    const tasks = countingPool();
    expect(await listTotal("letters", letterFilters(""), "2025-06-30", {})).toBeUndefined();
    expect(tasks).toEqual([]);
  });

  it("a total given to a list page is the one it shows and pages by", () => {
    const page = listLetters({ filters: letterFilters("page=3"), asOf: today(), pageSize: 20, total: 45 });
    expect(page).toMatchObject({ total: 45, page: 3, pageCount: 3 });
  });
});
