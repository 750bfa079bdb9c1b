/**
 * The loaders of the overview, questions, agency, member, committee, search and briefing pages
 * against the 21 demo letters. Every expected figure was worked out by hand from
 * db/letters.seed.json (no demo letter has question assessments, so every demo question is open;
 * the eight letters with a response all got a partial one).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it, vi } from "vitest";
// These tests hold the demo letters to the status rules as they read without implied deadlines
// (DEFAULT_RESPONSE_DAYS=0: a letter that sets no deadline is never overdue); the implied deadline
// has its own tests (letter-state.test.ts, status.test.ts, test/e2e/dashboard.test.ts).
vi.hoisted(() => {
  process.env.DEFAULT_RESPONSE_DAYS = "0";
});

import type { Db } from "../../db/client.server";
import { DEMO_SEED_FILE, seedFromFile } from "../../db/seed.server";
import { loader as overviewLoader } from "~/routes/_index";
import { loader as questionsLoader } from "~/routes/questions._index";
import { loader as agenciesLoader } from "~/routes/agencies._index";
import { loader as agencyLoader } from "~/routes/agencies.$slug";
import { loader as memberLoader } from "~/routes/members.$slug";
import { loader as committeeLoader } from "~/routes/committees.$slug";
import { loader as searchLoader } from "~/routes/search";
import { loader as briefingLoader } from "~/routes/briefing";
import { rate } from "~/domain/statistics";
import { today } from "~/domain/dates";
import { agencyFigures, overviewFigures } from "~/models/dashboard.server";
import { withStateSnapshot } from "~/models/state-snapshot.server";
import { createLetter } from "../factories";
import { freshDatabase } from "../support/database";

const ASOF = "2026-01-01";
const STATE = "u-s-department-of-state";
const THREE_ITEMS = "mccaul-blinken-afghanistan-three-items-2023-06-08";

let db: Db;
beforeAll(() => {
  db = freshDatabase();
  seedFromFile({ db, file: DEMO_SEED_FILE });
});

function call<T>(loader: (args: LoaderFunctionArgs) => T, path: string, params: Record<string, string> = {}): T {
  return loader({ request: new Request(`http://tracker.test${path}`), params, context: {} });
}

async function notFound(run: () => unknown): Promise<number> {
  try {
    await run();
  } catch (error) {
    if (error instanceof Response) return error.status;
    throw error;
  }
  return 200;
}

describe("overview /", () => {
  const data = () => call(overviewLoader, `/?asOf=${ASOF}`);

  it("counts letters by status and lists the overdue ones", async () => {
    const { counts, total, overdue } = (await data());
    // 8 letters got a partial response; Comer/Butler and McCaul/withdrawal are past their
    // deadlines with nothing; the other 11 have no deadline and no response.
    expect(counts).toEqual({ awaiting: 11, overdue: 2, partial: 8, refused: 0, answered: 0, closed: 0 });
    expect(total).toBe(21);
    // 26 Jan 2023 to 1 Jan 2026 = 1071 days; 18 Jul 2024 to 1 Jan 2026 = 532 days.
    expect(overdue.letters.map((letter) => [letter.slug, letter.daysOverdue])).toEqual([
      ["mccaul-blinken-afghanistan-withdrawal-2023-01-12", 1071],
      ["comer-cheatle-butler-documents-2024-07-15", 532],
    ]);
  });

  it("letters per month: every month from Jan 2023 to Nov 2025, stacked by status", async () => {
    const { sent } = (await data());
    expect(sent.unit).toBe("month");
    const months = sent.periods;
    expect(months).toHaveLength(35);
    expect(months[0]?.period).toBe("2023-01");
    expect(months.at(-1)?.period).toBe("2025-11");
    expect(months.filter((month) => month.total > 0)).toHaveLength(16);
    expect(months.reduce((sum, month) => sum + month.total, 0)).toBe(21);
    // March 2023: Jordan's reiteration and McCaul's priority items, both partly answered.
    expect(months.find((month) => month.period === "2023-03")?.counts).toMatchObject({ partial: 2, awaiting: 0 });
    // July 2024: Comer's two letters, one overdue and one partly answered.
    expect(months.find((month) => month.period === "2024-07")?.counts).toMatchObject({ overdue: 1, partial: 1 });
  });

  it("sends each agency of the table only what the table shows", async () => {
    const { agencies } = (await data());
    expect(Object.keys(agencies[0]!).sort()).toEqual(["answered", "letters", "medianDays", "medianRated", "name", "onTime", "openQuestions", "slug"]);
    expect(agencies[0]?.answered).toEqual({ count: 4, n: 11 });
  });

  it("days to first substantive response: 3, 3, 4, 5, 7, 8, 15 and 18", async () => {
    const { responseDays } = (await data());
    expect(responseDays.answered).toBe(8);
    expect(responseDays.medianDays).toBe(5);
    expect(responseDays.buckets.map((bucket) => bucket.count)).toEqual([6, 2, 0, 0, 0, 0, 0]);
  });

  it("open letters by age", async () => {
    const { ages } = (await data());
    // 13 open: 41 days (Castro, Nov 2025), 72 (Oct 2025), 136 and 168, and nine over 180.
    expect(ages.open).toBe(13);
    expect(ages.buckets.map((bucket) => bucket.count)).toEqual([0, 1, 1, 2, 9]);
  });

  it("Kaplan–Meier overall and for the five agencies with the most letters", async () => {
    const { survival } = (await data());
    expect(survival.map((curve) => curve.name)).toEqual(["All agencies", "State", "FBI", "DHS", "Treasury", "USSS"]);
    const [overall, state, fbi, dhs] = survival;
    // 21 letters, 8 answered by day 18, none later: S = 13/21 from day 18 on; median not reached.
    expect(overall).toMatchObject({ n: 21, events: 8, median: null });
    expect(overall!.checkpoints).toEqual([
      { day: 30, percent: 61.9 },
      { day: 90, percent: 61.9 },
      { day: 180, percent: 61.9 },
      { day: 365, percent: 61.9 },
    ]);
    // State: 11 letters, answered on days 3, 7, 15 and 18: S = 7/11 = 63.6%.
    expect(state).toMatchObject({ n: 11, events: 4, median: null });
    expect(state!.checkpoints[0]).toEqual({ day: 30, percent: 63.6 });
    // FBI: answered on days 3 and 8, two open for years; its estimate reaches 1/2 on day 8, but
    // from 4 letters the small-n rule shows n only: no median, no checkpoints, no curve.
    expect(fbi).toMatchObject({ n: 4, events: 2, rated: false, median: null });
    expect(fbi!.points).toBe("");
    expect(fbi!.checkpoints.every((checkpoint) => checkpoint.percent === null)).toBe(true);
    expect(dhs).toMatchObject({ n: 4, events: 0, median: null });
  });

  it("agency figures: rates from fewer than 5 letters are withheld, every rate keeps its n", async () => {
    const { agencies } = (await data());
    const state = agencies.find((agency) => agency.slug === STATE)!;
    expect(state.letters).toBe(11);
    // The page sends count and n; the rate follows from them (statistics.rate).
    expect(rate(state.answered.count, state.answered.n)).toEqual({ count: 4, n: 11, rate: 4 / 11 });
    // Of McCaul's four answered letters with deadlines only the June 8 one (answered June 15,
    // due June 15) was on time.
    expect(rate(state.onTime.count, state.onTime.n)).toEqual({ count: 1, n: 4, rate: null });
    // 31 open, less 4 asked again by a later letter to State (db/seed-repeats.ts: counted there).
    expect(state.openQuestions).toBe(27 - 4);
    const fbi = agencies.find((agency) => agency.slug === "federal-bureau-of-investigation")!;
    expect(fbi).toMatchObject({ letters: 4, medianDays: null, medianRated: false, openQuestions: 10 - 1 });
    expect(rate(fbi.answered.count, fbi.answered.n)).toEqual({ count: 2, n: 4, rate: null });
  });

  it("deadlines in the next 14 days and the latest responses", async () => {
    expect((await data()).upcoming).toEqual([]);
    // On 8 June 2023 McCaul's three-items letter was due in 7 days; the May letter was already overdue.
    const june = (await call(overviewLoader, "/?asOf=2023-06-08"));
    expect(june.upcoming.map((letter) => [letter.slug, letter.daysLeft])).toEqual([[THREE_ITEMS, 7]]);
    const { latest } = (await data());
    expect(latest).toHaveLength(8);
    expect(latest.map((response) => response.receivedOn).slice(0, 3)).toEqual(["2025-02-04", "2024-07-22", "2023-07-25"]);
    // As of 1 June 2023 only the three responses of March and May 2023 had come.
    expect((await call(overviewLoader, "/?asOf=2023-06-01")).latest.map((response) => response.receivedOn)).toEqual([
      "2023-05-23",
      "2023-03-23",
      "2023-03-23",
    ]);
  });

  it("a malformed asOf is reported and today is shown", async () => {
    const result = (await call(overviewLoader, "/?asOf=2025-02-30"));
    expect(result.problems).toEqual(['asOf: "2025-02-30" is not a real date in YYYY-MM-DD form']);
    expect(result.asOf).toBe(result.today);
  });
});

describe("questions /questions", () => {
  it("lists open questions by default, with their letter, agency and days open", async () => {
    const { result } = (await call(questionsLoader, `/questions?asOf=${ASOF}`));
    // The demo's 58, less the 8 a later letter asks again (db/seed-repeats.ts: listed there).
    expect(result.total).toBe(58 - 8);
    expect(result.pageCount).toBe(2);
    // Newest letter first: Castro et al., 21 Nov 2025, 41 days before asOf.
    expect(result.questions[0]).toMatchObject({
      letterSlug: "castro-meeks-kaine-vanhollen-rubio-noem-cecot-torture-2025-11",
      number: 1,
      daysOpen: 41,
      status: "open",
    });
  });

  it.each([
    // State Department, El Salvador: 4 + 1 + 1 + 4 + 3 + 3 questions in six letters, less the April
    // letter's question 1, asked again in July (db/seed-repeats.ts).
    [`agency=${STATE}&tag=el-salvador`, 16 - 1],
    [`agency=${STATE}&tag=el-salvador&kind=document_request`, 3],
    // Less the February 2023 letter's question 1, asked again in March.
    ["committee=house-judiciary-committee", 10 - 1],
    ["member=jamie-raskin", 4],
    ["sentFrom=2025-10-01&sentTo=2025-12-31", 6],
    ["q=CECOT", 3],
    ["status=answered", 0],
  ])("%s → %i", async (search, total) => {
    expect((await call(questionsLoader, `/questions?asOf=${ASOF}&${search}`)).result.total).toBe(total);
  });
});

describe("agencies", () => {
  it("/agencies ranks by letters received, ties by name", async () => {
    const { agencies } = (await call(agenciesLoader, `/agencies?asOf=${ASOF}`));
    expect(agencies.map((agency) => [agency.slug, agency.letters])).toEqual([
      [STATE, 11],
      ["federal-bureau-of-investigation", 4],
      ["u-s-department-of-homeland-security", 4],
      ["u-s-department-of-the-treasury", 3],
      ["u-s-secret-service", 2],
      ["u-s-department-of-justice", 1],
      ["u-s-immigration-and-customs-enforcement", 1],
    ]);
  });

  it("/agencies?sort=answered puts the only agency with a rate first", async () => {
    const { agencies, sort } = (await call(agenciesLoader, `/agencies?asOf=${ASOF}&sort=answered`));
    expect(sort).toBe("answered");
    expect(agencies[0]?.slug).toBe(STATE);
    expect((await call(agenciesLoader, `/agencies?sort=bogus`)).problems).toHaveLength(1);
  });

  it("/agencies/:slug has the agency's figures, curve, letters and open questions", async () => {
    const data = (await call(agencyLoader, `/agencies/${STATE}?asOf=${ASOF}`, { slug: STATE }));
    expect(data.figures).toMatchObject({ letters: 11, openQuestions: 27 - 4, overdue: 1, medianDays: null });
    expect(data.figures?.answered).toEqual({ count: 4, n: 11, rate: 4 / 11 });
    expect(data.counts).toMatchObject({ awaiting: 6, overdue: 1, partial: 4 });
    expect(data.curve?.checkpoints[0]).toEqual({ day: 30, percent: 63.6 });
    expect(data.letters.total).toBe(11);
    expect(data.openQuestions.total).toBe(27 - 4);
    expect(data.openQuestions.questions).toHaveLength(10);
    expect(await notFound(() => (call(agencyLoader, "/agencies/nope", { slug: "nope" })))).toBe(404);
  });
});

describe("member and committee pages", () => {
  it("/members/jamie-raskin: two letters, both awaiting, to State and DHS", async () => {
    const data = (await call(memberLoader, `/members/jamie-raskin?asOf=${ASOF}`, { slug: "jamie-raskin" }));
    expect(data.member.name).toBe("Jamie Raskin");
    expect(data.letters.total).toBe(2);
    expect(data.counts).toMatchObject({ awaiting: 2, partial: 0, overdue: 0 });
    expect(data.questions).toMatchObject({ total: 4, open: 4 });
    expect(data.curve).toMatchObject({ n: 2, events: 0, median: null });
    // As of a past date, the agencies' figures over his letters to them (decision 0024).
    expect(data.agencyFiguresOver).toBe("selection");
    expect(data.agencies.map((agency) => [agency.slug, agency.letters, agency.answered.n])).toEqual([
      [STATE, 2, 2],
      ["u-s-department-of-homeland-security", 1, 1],
    ]);
    expect(await notFound(() => (call(memberLoader, "/members/nobody", { slug: "nobody" })))).toBe(404);
  });

  it("/members/jamie-raskin as of today: each agency's figures over all its letters, and his share", async () => {
    const data = await call(memberLoader, "/members/jamie-raskin", { slug: "jamie-raskin" });
    expect(data.agencyFiguresOver).toBe("all letters");
    const everyAgency = new Map(agencyFigures({ asOf: today() }).map((agency) => [agency.slug, agency.letters]));
    const rows = data.agencies.map((agency) => [agency.slug, agency.lettersFromSelection, agency.letters]);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const [slug, fromHim, letters] of rows) {
      expect(letters, String(slug)).toBe(everyAgency.get(String(slug)));
      expect(Number(fromHim)).toBeGreaterThanOrEqual(1);
      expect(Number(fromHim)).toBeLessThan(Number(letters));
    }
  });

  it("/committees/house-judiciary-committee: Jordan's four letters to the FBI", async () => {
    const data = (await call(committeeLoader, `/committees/house-judiciary-committee?asOf=${ASOF}`, {
      slug: "house-judiciary-committee",
    }));
    expect(data.letters.total).toBe(4);
    expect(data.counts).toMatchObject({ awaiting: 2, partial: 2 });
    // The March 2023 reiteration asks question 1 of the February letter again (counted there).
    expect(data.questions).toMatchObject({ total: 10, open: 9, askedAgain: 1 });
    // Answered on days 3 and 8 of four letters: too few for a median or a curve (the small-n rule).
    expect(data.curve).toMatchObject({ n: 4, events: 2, rated: false, median: null, points: "" });
    expect(data.agencies).toHaveLength(1);
    expect(data.agencies[0]).toMatchObject({ slug: "federal-bureau-of-investigation", letters: 4 });
    expect(data.agencies[0]?.answered).toEqual({ count: 2, n: 4, rate: null });
  });
});

describe("search /search", () => {
  it("finds CECOT in seven letters (three titles, and the topic CECOT of all seven) and three questions, grouped by kind with highlights", async () => {
    const { result } = (await call(searchLoader, `/search?q=CECOT&asOf=${ASOF}`));
    expect(result.groups.map((group) => [group.kind, group.total])).toEqual([
      ["letter", 7],
      ["question", 3],
      ["response", 0],
      ["document", 0],
    ]);
    // Search by names (decision 0014): the letters tagged CECOT match by their topic; the three
    // whose title says CECOT are highlighted there.
    const titled = result.groups[0]!.hits.filter((hit) => /cecot/i.test(hit.title));
    expect(titled).toHaveLength(3);
    for (const hit of titled) expect(hit.title).toContain("\u0002CECOT\u0003");
    expect(result.groups[1]!.hits.map((hit) => hit.number).sort()).toEqual([1, 1, 3]);
  });

  it("leaves out letters sent after asOf", async () => {
    const { result } = (await call(searchLoader, "/search?q=cecot&asOf=2025-06-01"));
    // Sent by then: the April 9 and April 17 letters (topic CECOT) and the May 15 one (title too).
    expect(result.groups.map((group) => group.total)).toEqual([3, 1, 0, 0]);
  });

  it("treats FTS5 syntax in the input as words, and an empty query as no search", async () => {
    const quoted = (await call(searchLoader, `/search?q=${encodeURIComponent('"CECOT')}&asOf=${ASOF}`));
    expect(quoted.result.groups[0]?.total).toBe(7);
    expect((await call(searchLoader, `/search?q=${encodeURIComponent("*( ) :")}`)).result.query).toBeNull();
    expect((await call(searchLoader, "/search?q=cecot&kind=question&asOf=" + ASOF)).result.groups).toHaveLength(1);
  });

});

describe("briefing /briefing", () => {
  it("State Department, El Salvador: counts, no overdue letters, open questions grouped by agency", async () => {
    const data = (await call(briefingLoader, `/briefing?agency=${STATE}&tag=el-salvador&asOf=${ASOF}`));
    expect(data.names).toMatchObject({ agency: "U.S. Department of State", tag: expect.any(String) });
    expect(data.letterCounts).toMatchObject({ awaiting: 6, overdue: 0 });
    // The April 2025 letter's question 1 is asked again by the July letter (counted there).
    expect(data.questionCounts).toMatchObject({ total: 16, open: 15, askedAgain: 1 });
    expect(data.overdue.total).toBe(0);
    expect(data.questionTotal).toBe(15);
    expect(data.groups.map((group) => [group.agencies, group.questions.length])).toEqual([
      ["U.S. Department of State", 7],
      ["U.S. Department of Homeland Security and U.S. Department of State", 4],
      ["U.S. Department of Homeland Security, U.S. Department of Justice and U.S. Department of State", 4],
    ]);
    expect(data.search).toBe(`?agency=${STATE}&tag=el-salvador&asOf=${ASOF}`);
  });

  it("without filters: every open question, and both overdue letters", async () => {
    const data = (await call(briefingLoader, `/briefing?asOf=${ASOF}`));
    expect(data.questionTotal).toBe(58 - 8);
    expect(data.overdue.letters.map((letter) => letter.daysOverdue)).toEqual([1071, 532]);
  });
});

describe("a past date's state, snapshotted once per page", () => {
  it.each(["2023-03-21", "2023-06-08", "2023-06-16", "2024-07-20", "2025-02-05", "2025-12-31"])(
    "gives the same figures as computing it in every query, as of %s",
    (asOf) => {
      const direct = overviewFigures({ asOf });
      const snapshotted = withStateSnapshot({ asOf, run: () => overviewFigures({ asOf }) });
      expect(snapshotted).toEqual(direct);
      // And the snapshot is gone afterwards.
      const temp = db.$client.prepare("SELECT COUNT(*) AS n FROM temp.sqlite_master WHERE name LIKE 'dashboard_%'").get() as { n: number };
      expect(temp.n).toBe(0);
    },
  );

  it("as of 8 June 2023: 6 letters sent; the January one overdue, the June one due in a week", async () => {
    const figures = withStateSnapshot({ asOf: "2023-06-08", run: () => overviewFigures({ asOf: "2023-06-08" }) });
    // Sent by then: McCaul 12 Jan, 20 Mar, 5 May, 8 Jun; Jordan 16 Feb, 20 Mar. Answered (partly):
    // Jordan 20 Mar (23 Mar), McCaul 20 Mar (23 Mar), McCaul 5 May (23 May).
    expect(figures.total).toBe(6);
    expect(figures.counts).toMatchObject({ partial: 3, overdue: 1, awaiting: 2 });
    expect(figures.overdue.letters.map((letter) => letter.slug)).toEqual(["mccaul-blinken-afghanistan-withdrawal-2023-01-12"]);
    expect(figures.upcoming.map((letter) => letter.slug)).toEqual([THREE_ITEMS]);
  });
});

// Last: it adds a letter, which would change the figures above.
describe("search after a write", () => {
  it("finds a letter as soon as it is written (the index is kept by triggers)", async () => {
    const created = createLetter(db, { title: "Quetzalcoatl procurement inquiry", sent_on: "2025-03-01" });
    const { result } = (await call(searchLoader, `/search?q=quetzal&asOf=${ASOF}`));
    expect(result.groups[0]?.hits.map((hit) => hit.letterSlug)).toEqual([created.slug]);
  });
});
