import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { DEMO_SEED_FILE, seedFromFile } from "../../db/seed.server";
import { today } from "~/domain/dates";
import { parseQuestionFilters } from "~/domain/filters";
import { listQuestions } from "~/models/questions.server";
import { addAssessment, addResponse, createLetter } from "../factories";
import { freshDatabase } from "../support/database";
import { expectDateIndexWalk, queryPlans } from "../support/query-plans";

const ASOF = "2026-01-01";
let db: Db;
let extra: { id: number; slug: string };

beforeAll(() => {
  db = freshDatabase();
  seedFromFile({ db, file: DEMO_SEED_FILE });
  extra = createLetter(db, {
    sent_on: "2025-06-01",
    deadline: "2025-06-30",
    recipients: [{ name: "Kash Patel", title: "Director", agency: "Federal Bureau of Investigation" }],
    questions: [
      { n: 1, text: "Produce the CECOT transfer manifests.", kind: "document_request" },
      { n: 2, text: "Explain the informant program.", kind: "question" },
    ],
  });
  const response = addResponse(db, extra.id, { receivedOn: "2025-07-11", completeness: "partial" });
  addAssessment(db, extra.id, { responseId: response, questionNumber: 1, verdict: "answered" });
});

const list = (search: string, pageSize?: number) => {
  const { filters } = parseQuestionFilters(new URLSearchParams(search));
  return listQuestions({ filters, asOf: filters.asOf ?? ASOF, pageSize });
};

describe("listQuestions", () => {
  it("lists open questions by default: all 58 demo questions plus one open extra", () => {
    // Less the 8 a later letter asks again (the demo seed's repeats, listed at their latest ask).
    expect(list("").total).toBe(58 - 8 + 1);
    expect(list("status=all").total).toBe(58 + 2);
    expect(list("status=answered").questions.map((q) => [q.letterSlug, q.number, q.statusOn])).toEqual([
      [extra.slug, 1, "2025-07-11"],
    ]);
  });

  it("filters by agency, kind, text and sent dates", () => {
    // State Department letters: hand-counted from the data set.
    const state = list("agency=u-s-department-of-state&status=all");
    expect(new Set(state.questions.map((q) => q.letterSlug)).size).toBeGreaterThan(5);
    expect(state.questions.every((q) => q.agencies.some((a) => a.slug === "u-s-department-of-state"))).toBe(true);
    expect(list("kind=document_request&agency=federal-bureau-of-investigation&status=all").questions.map((q) => q.letterSlug)).toContain(extra.slug);
    expect(list("q=manifests&status=all").questions.map((q) => q.text)).toEqual(["Produce the CECOT transfer manifests."]);
    expect(list("sentFrom=2025-06-01&sentTo=2025-06-01&status=all").total).toBe(2);
  });

  it("counts days open up to the answer, or to asOf while open, and flags overdue", () => {
    const rows = list("status=all").questions.filter((q) => q.letterSlug === extra.slug);
    expect(rows.map((q) => [q.number, q.status, q.daysOpen, q.overdue])).toEqual([
      [1, "answered", 40, false], // 1 Jun -> 11 Jul 2025
      [2, "open", 214, true], // 1 Jun 2025 -> 1 Jan 2026, deadline 30 Jun passed
    ]);
  });

  it("shows a past date's state", () => {
    const before = list(`asOf=2025-07-01&status=all`).questions.filter((q) => q.letterSlug === extra.slug);
    expect(before.map((q) => q.status)).toEqual(["open", "open"]);
  });

  it("paginates and sorts by days open", () => {
    const page = list("sort=open", 10);
    expect(page.pageCount).toBe(6);
    const days = page.questions.map((q) => q.daysOpen);
    expect(days).toEqual([...days].sort((a, b) => b - a));
  });

  // Open questions sorted by days open are read in letter-date order (questionReadingOrder); the
  // order must be exactly days open, then letter, then question number, in both directions, for
  // open questions only and for every status (sorted by days open in SQL).
  const daysOpenOrder = (filter: string) => {
    for (const dir of ["desc", "asc"] as const) {
      const listed = list(`${filter}&sort=open&dir=${dir}`, 10_000).questions;
      const sign = dir === "desc" ? -1 : 1;
      const expected = [...listed].sort(
        (a, b) =>
          sign * (a.daysOpen - b.daysOpen) ||
          (a.letterSlug < b.letterSlug ? -1 : a.letterSlug > b.letterSlug ? 1 : 0) ||
          a.number - b.number,
      );
      expect(listed.length, `${filter} ${dir}`).toBeGreaterThan(3);
      expect(listed.map((q) => `${q.letterSlug}#${q.number}`), `${filter} ${dir}`).toEqual(
        expected.map((q) => `${q.letterSlug}#${q.number}`),
      );
      // Pages cut the same order.
      const second = list(`${filter}&sort=open&dir=${dir}&page=2`, 3).questions.map((q) => `${q.letterSlug}#${q.number}`);
      expect(second).toEqual(expected.slice(3, 6).map((q) => `${q.letterSlug}#${q.number}`));
      // Every page, one after another, is the whole order (a repeat merged in on the right page).
      const pageCount = list(`${filter}&sort=open&dir=${dir}`, 7).pageCount;
      const pages = Array.from({ length: pageCount }, (_, index) =>
        list(`${filter}&sort=open&dir=${dir}&page=${index + 1}`, 7).questions.map((q) => `${q.letterSlug}#${q.number}`),
      ).flat();
      expect(pages, `${filter} ${dir}`).toEqual(expected.map((q) => `${q.letterSlug}#${q.number}`));
    }
  };
  // With only open questions listed (the default status), days open run from a question's first
  // ask: a question a follow-up asks again (the demo seed's repeats, decision 0023) from its chain's
  // first ask, not its own letter's date, so it is placed by that.
  it.each(["status=all", "", "agency=u-s-department-of-state", "asOf=2025-07-01"])(
    "sorted by days open, in either direction, the order is days open, then letter, then number: %s",
    daysOpenOrder,
  );

  it.each(["sort=sent", "sort=open", "sort=open&dir=asc&agency=u-s-department-of-state", "sort=sent&member=joaquin-castro"])(
    "a page of open questions (today) by date or days open walks the letters' date index, with no sort of the selection: %s",
    (filter) => {
      // By days open, the (few) repeats are merged in by their first ask: only they are sorted.
      expectDateIndexWalk(queryPlans(db, () => list(`${filter}&asOf=${today()}`, 5), /LIMIT/), { repeatsMerged: filter.includes("sort=open") });
    },
  );

  // Sorted by date, a page walks letters in date order and only tests agency, member and topic;
  // sorted by days open, it starts from the matching letters. Both must list the same questions.
  it.each(["agency=u-s-department-of-state", "member=joaquin-castro", "tag=el-salvador", "agency=no-such-agency"])(
    "a date-sorted page lists the same questions as other sorts: %s",
    (filter) => {
      const key = (q: { letterSlug: string; number: number }) => `${q.letterSlug}#${q.number}`;
      const byDate = list(`${filter}&status=all&sort=sent`, 10_000).questions.map(key);
      const byDaysOpen = list(`${filter}&status=all&sort=open`, 10_000).questions.map(key);
      expect(byDate.length).toBe(list(`${filter}&status=all`).total);
      expect([...byDate].sort()).toEqual([...byDaysOpen].sort());
      const firstPages = [1, 2, 3].flatMap((page) => list(`${filter}&status=all&sort=sent&page=${page}`, 3).questions.map(key));
      expect(firstPages).toEqual(byDate.slice(0, 9));
    },
  );

  // The total of the default list is summed from the letters' question counts, not counted over
  // the questions: it must agree with the rows themselves, for today (the counts stored on the
  // letters) and for past dates (computed from the facts).
  it.each([
    "",
    "status=all",
    "status=open&status=partial&status=refused&status=answered",
    "status=open&agency=u-s-department-of-state",
    "status=all&tag=el-salvador",
    "committee=house-foreign-affairs-committee-democrats",
    "sentFrom=2025-01-01&sentTo=2025-06-30",
    "asOf=2025-07-01",
    "asOf=2025-07-01&status=all&agency=federal-bureau-of-investigation",
    "status=answered&status=refused",
    "kind=document_request",
    "q=manifests&status=all",
  ])("the total agrees with the rows listed: %s", (search) => {
    const asOfs = search.includes("asOf=") ? [null] : [ASOF, today()];
    for (const asOf of asOfs) {
      const page = list(asOf ? `${search}&asOf=${asOf}` : search, 10_000);
      expect(page.questions.length, `${search} as of ${asOf}`).toBeGreaterThan(0);
      expect(page.total, `${search} as of ${asOf}`).toBe(page.questions.length);
    }
  });
});

