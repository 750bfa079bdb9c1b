/**
 * The page queries rewritten for their plans (page-plans.test.ts) give the answers they gave
 * before, on synthetic letters with every kind of fact (extensions, acknowledgments, verdicts,
 * closings), today and on past dates:
 * - a past date's state computed row by row (for pages), materialized (snapshots, exports) and
 *   for a selection (`of`, figures) is the set-based computation's, letter by letter and question
 *   by question; as of a date after every fact it is the stored state;
 * - the letter and question lists (count, then the page's ids, then their columns) give the pages
 *   the single statements they replaced gave (test/support/previous-queries.ts);
 * - the agency figures read from the selection's letters give the previous DISTINCT's sums, and
 *   the question counts the previous per-question counts;
 * - figures computed within a page's snapshot and without it agree;
 * - the calendar's pages hold every open letter whose effective deadline falls in the window, as
 *   of a past date too (where only letters with a deadline in the window are looked at).
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.FIGURE_CACHE = "off";
});

import type { Db } from "../../db/client.server";
import { today } from "~/domain/dates";
import { ALL_LETTERS, parseLetterFilters, parseQuestionFilters } from "~/domain/filters";
import { agencyFigures, overdueLetters, questionCounts, selectionProfile, statusCounts } from "~/models/dashboard.server";
import { computedStateAsOf, everyLetterStateSql, LETTER_STATE_COLUMNS, stateAsOf } from "~/models/letter-state.server";
import { countLettersByStatus, listLetters } from "~/models/letters.server";
import { listQuestions } from "~/models/questions.server";
import { withStateSnapshot } from "~/models/state-snapshot.server";
import { seedSyntheticLetters } from "../factories";
import { freshDatabase } from "../support/database";
import { busiestSubjects, type PageSubjects } from "../support/page-loads";
import { deadlineLetterPage, type DeadlineCursor } from "~/models/feeds.server";
import { search } from "~/models/search.server";
import { toFtsQuery } from "~/domain/search";
import { previousSearchPage, previousAgencyTotals, previousDeadlineLetters, previousLetterPage, previousQuestionCounts, previousQuestionPage } from "../support/previous-queries";

const END = "2026-06-30";
/** Dates across the synthetic letters' twenty years, and the day after the last of them. */
const PAST = ["2012-05-17", "2021-01-01", "2025-11-30", "2026-03-01", "2026-06-29"];

let db: Db;
let subjects: PageSubjects;

beforeAll(() => {
  db = freshDatabase();
  seedSyntheticLetters(db, { letters: 1500, seed: 23, endDate: END });
  subjects = busiestSubjects(db);
});

/** Every column of the letter state (a column added to it is compared too). */
const LETTER_COLUMNS = sql.raw(["letter_id", ...LETTER_STATE_COLUMNS].join(", "));

describe("a past date's state, computed row by row", () => {
  it("has letters with every kind of fact", () => {
    const count = (query: string) => (db.$client.prepare(query).get() as { n: number }).n;
    expect(count("SELECT COUNT(*) AS n FROM question_assessments")).toBeGreaterThan(100);
    expect(count("SELECT COUNT(*) AS n FROM question_assessments WHERE verdict = 'not_addressed'")).toBeGreaterThan(10);
    expect(count("SELECT COUNT(*) AS n FROM deadline_changes")).toBeGreaterThan(50);
    expect(count("SELECT COUNT(*) AS n FROM responses WHERE completeness = 'acknowledgment'")).toBeGreaterThan(50);
    expect(count("SELECT COUNT(*) AS n FROM letters WHERE closed_on IS NOT NULL")).toBeGreaterThan(10);
  });

  it.each(PAST)("is the set-based state of every letter and question as of %s", (asOf) => {
    const letters = (by: "row" | "materialized" | "set" | "history") =>
      db.all(sql`${computedStateAsOf(asOf, by)} SELECT ${LETTER_COLUMNS} FROM letter_state ORDER BY letter_id`);
    const questions = (by: "row" | "materialized" | "set" | "history") =>
      db.all(sql`${computedStateAsOf(asOf, by)} SELECT question_id, letter_id, status, status_on FROM question_state ORDER BY question_id`);
    const expected = letters("set");
    expect(expected).toHaveLength(1500);
    expect(letters("row")).toEqual(expected);
    expect(letters("materialized")).toEqual(expected);
    // The stored history (decision 13), written by the letter writer letter by letter.
    expect(letters("history")).toEqual(expected);
    expect(db.all(sql`${everyLetterStateSql(asOf)} ORDER BY letter_id`)).toEqual(expected);
    const expectedQuestions = questions("set");
    expect(questions("row")).toEqual(expectedQuestions);
    expect(questions("materialized")).toEqual(expectedQuestions);
    expect(questions("history")).toEqual(expectedQuestions);
    // For the letters of a selection (`of`): those letters' state, and only theirs.
    const of = sql`SELECT letter_id FROM letter_senders WHERE member_id = (SELECT id FROM members WHERE slug = ${subjects.member})`;
    const memberLetters = new Set(db.all<{ letter_id: number }>(of).map((row) => row.letter_id));
    expect(memberLetters.size).toBeGreaterThan(5);
    // From the history, and computed from the facts (before an existing database's backfill).
    for (const history of [true, false]) {
      expect(db.all(sql`${stateAsOf(asOf, { of, history })} SELECT ${LETTER_COLUMNS} FROM letter_state ORDER BY letter_id`)).toEqual(
        (expected as Array<{ letter_id: number }>).filter((row) => memberLetters.has(row.letter_id)),
      );
      expect(db.all(sql`${stateAsOf(asOf, { of, history })} SELECT question_id, letter_id, status, status_on FROM question_state ORDER BY question_id`)).toEqual(
        (expectedQuestions as Array<{ letter_id: number }>).filter((row) => memberLetters.has(row.letter_id)),
      );
    }
  });

  it("is the stored state as of a date after every fact", () => {
    const asOf = "2026-07-01";
    expect(db.all(sql`${computedStateAsOf(asOf, "row")} SELECT ${LETTER_COLUMNS} FROM letter_state ORDER BY letter_id`)).toEqual(
      db.all(sql`${stateAsOf(today())} SELECT ${LETTER_COLUMNS} FROM letter_state ORDER BY letter_id`),
    );
    expect(db.all(sql`${computedStateAsOf(asOf, "row")} SELECT question_id, status, status_on FROM question_state ORDER BY question_id`)).toEqual(
      db.all(sql`${stateAsOf(today())} SELECT question_id, status, status_on FROM question_state ORDER BY question_id`),
    );
  });
});

const DATES = [today(), "2026-03-01", "2021-01-01"];

describe("the letter list gives the pages the single statement gave", () => {
  const cases = [
    "sort=sent",
    "sort=sent&dir=asc&page=7",
    "sort=title",
    "sort=title&dir=desc&page=3",
    "sort=deadline",
    "sort=deadline&dir=desc&page=4",
    "sort=outstanding",
    "sort=outstanding&dir=asc",
    "sort=status",
    "sort=status&dir=desc&page=2",
    "status=overdue&status=partial",
    "status=awaiting&sort=title&page=2",
    "status=closed&sort=deadline",
    "agency=:agency",
    "agency=:agency&sort=title&dir=desc",
    "member=:member&sort=status",
    "committee=:committee&sort=outstanding&page=2",
    "tag=:tag&status=answered",
    "sentFrom=2020-01-01&sentTo=2023-12-31&sort=title",
    "q=contract&sort=deadline",
    "page=999",
  ];
  it.each(DATES.flatMap((asOf) => cases.map((query) => [query, asOf] as const)))("%s as of %s", (query, asOf) => {
    const { filters, problems } = parseLetterFilters(new URLSearchParams(fill(query)));
    expect(problems).toEqual([]);
    const now = listLetters({ filters, asOf, pageSize: 20 });
    const before = previousLetterPage({ filters, asOf, pageSize: 20 });
    expect({ total: now.total, page: now.page, letters: now.letters.map(({ agencies: _agencies, ...row }) => row) }).toEqual(before);
    // Five months after the last synthetic fact no letter is still awaiting: a letter that sets no
    // deadline is due 30 days after sending (DEFAULT_RESPONSE_DAYS).
    const empty = query.includes("page=999") || (query.startsWith("status=awaiting") && asOf === today());
    if (!empty) expect(now.letters.length).toBeGreaterThan(0);
  });
});

describe("the letter list sorted by deadline, days outstanding or status, walked in parts by index", () => {
  // As of today these orders are walks of indexes in parts (letterOrderWalks): every page, across
  // the parts' boundaries, must be the single ORDER BY's page.
  const orders = ["sort=deadline", "sort=deadline&dir=asc", "sort=outstanding", "sort=outstanding&dir=asc", "sort=status", "sort=status&dir=asc"];
  const selections = ["", "&status=overdue&status=partial&status=closed", "&status=answered"];
  it.each(orders.flatMap((order) => selections.map((selection) => `${order}${selection}`)))("every page of %s", (query) => {
    const asOf = today();
    const all = (page: number) => parseLetterFilters(new URLSearchParams(`${query}&page=${page}`)).filters;
    const first = listLetters({ filters: all(1), asOf, pageSize: 20 });
    expect(first.total).toBeGreaterThan(20);
    const seen: number[] = [];
    for (let page = 1; page <= first.pageCount; page++) {
      const now = listLetters({ filters: all(page), asOf, pageSize: 20 });
      const before = previousLetterPage({ filters: all(page), asOf, pageSize: 20 });
      expect(now.letters.map((letter) => letter.id), `page ${page}`).toEqual(before.letters.map((letter) => (letter as { id: number }).id));
      seen.push(...now.letters.map((letter) => letter.id));
    }
    expect(new Set(seen).size).toBe(first.total);
  });
});

describe("the question list gives the pages the single statement gave", () => {
  const cases = [
    "",
    "page=40",
    "status=all&sort=sent&dir=asc&page=5",
    "status=answered&status=refused",
    "status=partial&sort=open",
    "status=all&sort=open&dir=asc&page=3",
    "sort=letter",
    "sort=letter&dir=desc&page=2",
    "sort=deadline",
    "status=all&sort=deadline&dir=desc&page=6",
    "kind=document_request",
    "agency=:agency",
    "member=:member&status=all&sort=letter",
    "committee=:committee&sort=deadline",
    "q=contract",
  ];
  it.each(DATES.flatMap((asOf) => cases.map((query) => [query, asOf] as const)))("%s as of %s", (query, asOf) => {
    const { filters, problems } = parseQuestionFilters(new URLSearchParams(fill(query)));
    expect(problems).toEqual([]);
    const now = listQuestions({ filters, asOf, pageSize: 20 });
    const before = previousQuestionPage({ filters, asOf, pageSize: 20 });
    expect({ total: now.total, page: now.page, questions: now.questions.map(({ agencies: _agencies, ...row }) => row) }).toEqual(before);
    expect(now.questions.length).toBeGreaterThan(0);
  });
});

describe("figures read from the selection's letters give the previous answers", () => {
  const selections = () => [
    { name: "every letter", selection: ALL_LETTERS },
    { name: "an agency", selection: { ...ALL_LETTERS, agency: subjects.agency } },
    { name: "a member", selection: { ...ALL_LETTERS, member: subjects.member } },
    { name: "a committee", selection: { ...ALL_LETTERS, committee: subjects.committee } },
  ];
  const totals = (figures: ReturnType<typeof agencyFigures>) =>
    figures
      .map((agency) => ({
        slug: agency.slug,
        letters: agency.letters,
        answered: agency.answered.count,
        rated: agency.onTime.n,
        onTime: agency.onTime.count,
        overdue: agency.overdue,
        openQuestions: agency.openQuestions,
        days: agency.curve.steps.reduce((sum, step) => sum + step.time * (step.events + step.censored), 0),
      }))
      .sort((a, b) => (a.slug < b.slug ? -1 : 1));

  it.each(DATES)("agency figures and question counts as of %s", (asOf) => {
    for (const { name, selection } of selections()) {
      const selectionFilters = { ...selection, statuses: [] };
      expect(totals(agencyFigures({ asOf, selection })), name).toEqual(previousAgencyTotals({ asOf, selection: selectionFilters }));
      const written = agencyFigures({ asOf, selection }).map((agency) => agency.slug).slice(0, 12);
      expect(totals(agencyFigures({ asOf, agencySlugs: written })), name).toEqual(
        previousAgencyTotals({ asOf, selection: { ...ALL_LETTERS, statuses: [] }, agencySlugs: written }),
      );
      const { total: _total, ...counts } = questionCounts({ asOf, selection });
      expect(counts, name).toEqual(previousQuestionCounts({ asOf, selection: selectionFilters }));
    }
  });

  it.each(DATES.slice(1))("within a snapshot and without one, as of %s", (asOf) => {
    for (const { name, selection } of selections()) {
      const figures = () => ({
        counts: statusCounts({ asOf, selection }),
        overdue: overdueLetters({ asOf, selection, limit: 30 }),
        profile: selectionProfile({ asOf, selection }),
      });
      expect(withStateSnapshot({ asOf, run: figures }), name).toEqual(figures());
    }
    expect(statusCounts({ asOf })).toEqual(countLettersByStatus({ asOf }));
  });
});

describe("the calendar's pages", () => {
  const windows = [
    { asOf: today(), from: "2026-01-01", to: "2027-06-30" },
    { asOf: "2026-03-01", from: "2025-12-01", to: "2027-03-01" },
    { asOf: "2021-01-01", from: "2020-10-03", to: "2022-01-01" },
    { asOf: "2012-05-17", from: "2012-02-17", to: "2013-05-17" },
  ];
  it.each(windows)("hold every open letter due in the window as of $asOf", ({ asOf, from, to }) => {
    const filters = { ...ALL_LETTERS, statuses: [] };
    const read: Array<{ id: number; status: string; effectiveDeadline: string }> = [];
    let after: DeadlineCursor | null = null;
    for (;;) {
      const page = deadlineLetterPage({ filters, asOf, from, to, after, limit: 4 });
      read.push(...page.map(({ id, status, effectiveDeadline }) => ({ id, status, effectiveDeadline })));
      const last = page.at(-1);
      if (!last || page.length < 4) break;
      after = { deadline: last.effectiveDeadline, id: last.id };
    }
    const expected = previousDeadlineLetters({ asOf, from, to });
    expect(expected.length).toBeGreaterThan(8);
    expect(read).toEqual(expected);
  });
});

/** A query with the busiest subjects' slugs and a topic put in. */
function fill(query: string): string {
  const tag = (db.$client.prepare("SELECT t.slug FROM letter_tags lt JOIN tags t ON t.id = lt.tag_id GROUP BY t.id ORDER BY COUNT(*) DESC LIMIT 1").get() as { slug: string }).slug;
  return query
    .replace(":agency", subjects.agency)
    .replace(":member", subjects.member)
    .replace(":committee", subjects.committee)
    .replace(":tag", tag);
}

describe("search gives the pages the single statement gave", () => {
  // Common words (thousands of matches, many tied ranks), a rare one, a prefix and two words.
  const WORDS = ["contract", "security", "waivers", "inspe", "election security", "grants"];
  const cases = WORDS.flatMap((word) =>
    [today(), END, "2021-01-01"].flatMap((asOf) =>
      (["letter", "question", "response"] as const).flatMap((kind) => [1, 3].map((page) => ({ word, asOf, kind, page }))),
    ),
  );
  it.each(cases)("$word, $kind, as of $asOf, page $page", ({ word, asOf, kind, page }) => {
    const match = toFtsQuery(word)!;
    const [group] = search({ q: word, asOf, kind, page, pageSize: 20 }).groups;
    const expected = previousSearchPage({ match, kind, asOf, limit: 20, page });
    expect(group!.total).toBe(expected.total);
    // Each hit's letter status and days outstanding (decision 0014) are read by key after the page: search-people.test.ts.
    expect(group!.hits.map(({ kind: _kind, status: _status, daysOutstanding: _days, ...hit }) => hit)).toEqual(expected.hits);
    if (word === "contract" && kind === "question" && page === 1 && asOf !== "2021-01-01") expect(expected.hits).toHaveLength(20);
  });
});
