import { beforeAll, describe, expect, it, vi } from "vitest";
// These tests hold the demo letters to the status rules as they read without implied deadlines
// (DEFAULT_RESPONSE_DAYS=0: a letter that sets no deadline is never overdue); the implied deadline
// has its own tests (letter-state.test.ts, status.test.ts, test/e2e/dashboard.test.ts).
vi.hoisted(() => {
  process.env.DEFAULT_RESPONSE_DAYS = "0";
});

import type { Db } from "../../db/client.server";
import { DEMO_SEED_FILE, seedFromFile } from "../../db/seed.server";
import { today } from "~/domain/dates";
import { parseLetterFilters } from "~/domain/filters";
import {
  countLettersByStatus,
  followUpChain,
  getLetterDetail,
  listLetters,
  listOverdueLetters,
} from "~/models/letters.server";
import { freshDatabase } from "../support/database";
import { chainedLetterIds, previousFollowUpChain, referenceChains } from "../support/follow-up-chains";
import { expectDateIndexWalk, queryPlans } from "../support/query-plans";

const ASOF = "2026-01-01";
const MEEKS_CASTRO = "meeks-castro-rubio-el-salvador-2025-04-17";
const JULY = "raskin-thompson-garcia-meeks-noem-rubio-el-salvador-2025-07-17";
const OCTOBER = "meeks-raskin-castro-rubio-ms13-informants-2025-10";

let db: Db;
beforeAll(() => {
  db = freshDatabase();
  seedFromFile({ db, file: DEMO_SEED_FILE });
});

function list(search: string, pageSize?: number) {
  const { filters } = parseLetterFilters(new URLSearchParams(search));
  return listLetters({ filters, asOf: filters.asOf ?? ASOF, pageSize });
}

describe("listLetters", () => {
  it("lists every demo letter, newest first by default", () => {
    const result = list("");
    expect(result.total).toBe(21);
    expect(result.letters).toHaveLength(21);
    const sent = result.letters.map((letter) => letter.sentOn);
    expect(sent).toEqual([...sent].sort().reverse());
    expect(result.letters[0]?.slug).toBe("castro-meeks-kaine-vanhollen-rubio-noem-cecot-torture-2025-11");
  });

  it.each([
    // Hand-checked against the data set.
    ["status=overdue", ["comer-cheatle-butler-documents-2024-07-15", "mccaul-blinken-afghanistan-withdrawal-2023-01-12"]],
    ["agency=u-s-secret-service", ["comer-cheatle-subpoena-hearing-2024-07-17", "comer-cheatle-butler-documents-2024-07-15"]],
    ["member=joaquin-castro", ["castro-meeks-kaine-vanhollen-rubio-noem-cecot-torture-2025-11", OCTOBER, MEEKS_CASTRO]],
    ["tag=subpoena&agency=federal-bureau-of-investigation", ["jordan-wray-subpoena-compliance-contempt-warning-2023-07-17"]],
    ["committee=senate-finance-committee-democrats", ["wyden-bessent-doge-read-only-followup-2025-02-07", "wyden-bessent-doge-payment-systems-2025-01-31"]],
    ["status=partial&agency=federal-bureau-of-investigation", ["jordan-wray-subpoena-compliance-contempt-warning-2023-07-17", "jordan-wray-catholic-memo-reiteration-2023-03-20"]],
    ["agency=no-such-agency", []],
  ])("filters %s", (search, slugs) => {
    const result = list(search);
    expect(result.letters.map((letter) => letter.slug)).toEqual(slugs);
    expect(result.total).toBe(slugs.length);
  });

  it("combines several statuses", () => {
    expect(list("status=overdue&status=partial").total).toBe(2 + 8);
  });

  it("sorts by deadline with letters without one last, and by days outstanding", () => {
    const byDeadline = list("sort=deadline").letters;
    expect(byDeadline.slice(0, 2).map((letter) => letter.effectiveDeadline)).toEqual(["2023-01-26", "2023-03-22"]);
    expect(byDeadline.at(-1)?.effectiveDeadline).toBeNull();
    const byOutstanding = list("sort=outstanding").letters;
    expect(byOutstanding[0]?.slug).toBe("mccaul-blinken-afghanistan-withdrawal-2023-01-12");
    // 12 Jan 2023 -> 1 Jan 2026
    expect(byOutstanding[0]?.daysOutstanding).toBe(1085);
    expect(byOutstanding.at(-1)?.daysOutstanding).toBeNull();
    expect(list("sort=title&dir=asc").letters[0]?.title).toMatch(/^23 senators/);
  });

  it("paginates, clamping a page past the end to the last page", () => {
    const first = list("", 5);
    expect(first).toMatchObject({ total: 21, page: 1, pageCount: 5 });
    const pages = [1, 2, 3, 4, 5].flatMap((page) => list(`page=${page}`, 5).letters.map((letter) => letter.slug));
    expect(new Set(pages).size).toBe(21);
    expect(list("page=99", 5)).toMatchObject({ page: 5 });
    expect(list("page=99", 5).letters).toHaveLength(1);
  });

  it("leaves out letters sent after asOf and shows the state on that date", () => {
    const result = list("asOf=2023-06-10");
    expect(result.total).toBe(6);
    const dissent = result.letters.find((letter) => letter.slug === "mccaul-blinken-dissent-cable-contempt-warning-2023-05-05");
    // Deadline 11 May, partial response 23 May 2023: answered in 18 days.
    expect(dissent).toMatchObject({ status: "partial", responseDays: 18, daysOutstanding: null });
    const onMay20 = list("asOf=2023-05-20").letters.find((letter) => letter.slug === dissent?.slug);
    expect(onMay20).toMatchObject({ status: "overdue", daysOutstanding: 15 });
  });

  it("carries each letter's agencies, de-duplicated, in the letter's order", () => {
    const garcia = list("").letters.find((letter) => letter.slug === "rgarcia-bondi-rubio-noem-ms13-leaders-2025-08-18");
    expect(garcia?.agencies.map((agency) => agency.acronym)).toEqual(["DOJ", "State", "DHS"]);
  });

  // The point of the date walk: SQLite reads letters in date order and stops at the page's end,
  // with no sort of the whole selection (test/support/query-plans.ts records the plans).
  it.each(["", "agency=u-s-department-of-state", "member=joaquin-castro&status=overdue", "tag=el-salvador&page=2"])(
    "a date-sorted page as of today walks the date index without sorting the selection: %s",
    (filter) => {
      expectDateIndexWalk(queryPlans(db, () => list(`${filter}&sort=sent&asOf=${today()}`, 5), /LIMIT/));
    },
  );

  // Sorted by date, a page walks the date index and only tests agency, member and topic; other
  // sorts start from the matching letters. Both must select the same letters, in every page.
  it.each(["agency=u-s-department-of-state", "member=joaquin-castro", "tag=el-salvador", "agency=no-such-agency"])(
    "a date-sorted page selects the same letters as other sorts: %s",
    (filter) => {
      const byDate = list(`${filter}&sort=sent`).letters.map((letter) => letter.slug);
      const byTitle = list(`${filter}&sort=title`).letters.map((letter) => letter.slug);
      expect(byDate.length).toBe(list(filter).total);
      expect([...byDate].sort()).toEqual([...byTitle].sort());
      // Pages of 2 walk on past their first letters.
      const pages = Array.from({ length: Math.ceil(byDate.length / 2) }, (_, index) => index + 1);
      const paged = pages.flatMap((page) => list(`${filter}&sort=sent&page=${page}`, 2).letters.map((letter) => letter.slug));
      expect(paged).toEqual(byDate);
    },
  );
});

describe("overview figures", () => {
  it("counts letters by status", () => {
    expect(countLettersByStatus({ asOf: ASOF })).toEqual({
      awaiting: 11,
      overdue: 2,
      partial: 8,
      refused: 0,
      answered: 0,
      closed: 0,
    });
    expect(countLettersByStatus({ asOf: "2023-02-01" })).toEqual({
      awaiting: 0,
      overdue: 1,
      partial: 0,
      refused: 0,
      answered: 0,
      closed: 0,
    });
  });

  it("lists overdue letters longest overdue first with days overdue", () => {
    const overdue = listOverdueLetters({ asOf: ASOF });
    expect(overdue.total).toBe(2);
    expect(overdue.letters.map((letter) => [letter.slug, letter.daysOverdue])).toEqual([
      ["mccaul-blinken-afghanistan-withdrawal-2023-01-12", 1071], // 26 Jan 2023 -> 1 Jan 2026
      ["comer-cheatle-butler-documents-2024-07-15", 532], // 18 Jul 2024 -> 1 Jan 2026
    ]);
  });
});

describe("getLetterDetail", () => {
  it("has the Meeks/Castro letter's senders, recipient, four questions and follow-up", () => {
    const letter = getLetterDetail({ slug: MEEKS_CASTRO, asOf: ASOF })!;
    expect(letter.senders.map((sender) => [sender.name, sender.isLead])).toEqual([
      ["Gregory Meeks", true],
      ["Joaquin Castro", false],
    ]);
    expect(letter.recipients).toEqual([
      { name: "Marco Rubio", title: "Secretary of State", agency: expect.objectContaining({ slug: "u-s-department-of-state" }) },
    ]);
    expect(letter.questions.map((question) => [question.number, question.status])).toEqual([
      [1, "open"],
      [2, "open"],
      [3, "open"],
      [4, "open"],
    ]);
    expect(letter.status).toBe("awaiting");
    expect(letter.daysOutstanding).toBe(259); // 17 Apr 2025 -> 1 Jan 2026
    expect(letter.followsUp).toBeNull();
    expect(letter.followUps.map((entry) => entry.slug)).toEqual([JULY]);
    expect(letter.chain.map((entry) => entry.slug)).toEqual([MEEKS_CASTRO, JULY, OCTOBER]);
  });

  it("links both ways along the chain", () => {
    const july = getLetterDetail({ slug: JULY, asOf: ASOF })!;
    expect(july.followsUp?.slug).toBe(MEEKS_CASTRO);
    expect(july.followUps.map((entry) => entry.slug)).toEqual([OCTOBER]);
    const october = getLetterDetail({ slug: OCTOBER, asOf: ASOF })!;
    expect(october.followsUp?.slug).toBe(JULY);
    expect(october.followUps).toEqual([]);
    expect(october.notes).toMatch(/Date inferred/);
  });

  it("on a past date leaves out later follow-ups and responses", () => {
    const before = getLetterDetail({ slug: MEEKS_CASTRO, asOf: "2025-05-01" })!;
    expect(before.followUps).toEqual([]);
    expect(before.chain.map((entry) => entry.slug)).toEqual([MEEKS_CASTRO]);
    const dissent = getLetterDetail({ slug: "mccaul-blinken-dissent-cable-contempt-warning-2023-05-05", asOf: "2023-05-20" })!;
    expect(dissent.responses).toEqual([]);
    expect(dissent.laterResponseCount).toBe(1);
    expect(dissent).toMatchObject({ status: "overdue", daysOverdue: 9 });
  });

  it("returns null for an unknown slug", () => {
    expect(getLetterDetail({ slug: "no-such-letter", asOf: ASOF })).toBeNull();
  });
});

describe("followUpChain on the demo letters", () => {
  const CECOT_CHAIN = [
    { slug: MEEKS_CASTRO, sentOn: "2025-04-17", followsUpSlug: null },
    { slug: JULY, sentOn: "2025-07-17", followsUpSlug: MEEKS_CASTRO },
    { slug: OCTOBER, sentOn: "2025-10-21", followsUpSlug: JULY },
  ];

  it("gives the Meeks/Castro CECOT chain, April to October, from each of its letters", () => {
    const ids = db.$client.prepare("SELECT slug, id FROM letters").all() as Array<{ slug: string; id: number }>;
    const idOf = new Map(ids.map((row) => [row.slug, row.id]));
    for (const slug of [MEEKS_CASTRO, JULY, OCTOBER]) {
      const chain = followUpChain(idOf.get(slug)!);
      expect(chain.map(({ title: _title, ...entry }) => entry)).toEqual(CECOT_CHAIN);
      expect(Object.keys(chain[0]!)).toEqual(["slug", "title", "sentOn", "followsUpSlug"]);
    }
  });

  it("is what the previous query and a walk in JavaScript give, for every demo letter", () => {
    const reference = referenceChains(db);
    const { chained, alone } = chainedLetterIds(db, 1000);
    expect(chained.length).toBeGreaterThanOrEqual(3);
    expect(alone.length).toBeGreaterThan(0);
    for (const id of [...chained, ...alone]) {
      expect(followUpChain(id)).toEqual(previousFollowUpChain(db, id));
      expect(followUpChain(id)).toEqual(reference(id));
    }
  });
});
