/**
 * Who gets answered (issue 13, item 6): the figures by senders' side on a real SQLite file with the
 * real migrations, the shipped roster (parties, terms, committee titles) and letters made by the
 * factories through the one writer. Every expected figure is worked out by hand below.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import type { LetterRecordInput } from "~/domain/letter-record";
import { senderSideFigures, type SidePeriodFigures } from "~/models/answered.server";
import { loadReferenceFiles } from "~/models/roster.server";
import { loader as answeredLoader } from "~/routes/answered";
import { loader as agencyLoader } from "~/routes/agencies.$slug";
import { addResponse, createLetter } from "../factories";
import { freshDatabase } from "../support/database";

const ASOF = "2026-01-01";
const STATE = { name: "Marco Rubio", title: "Secretary of State", agency: "U.S. Department of State" };
const DOJ = { name: "Pam Bondi", title: "Attorney General", agency: "U.S. Department of Justice" };
const raskin = { name: "Jamie Raskin", party: "D", state: "MD", role: "Ranking Member, House Judiciary" } as const;
const raskinNoRole = { name: "Jamie Raskin", party: "D", state: "MD", role: null } as const;
const comer = { name: "James Comer", party: "R", state: "KY", role: "Chairman, House Oversight" } as const;
const sanders = { name: "Bernard Sanders", party: "I", state: "VT", role: null } as const;
const kiley = { name: "Kevin Kiley", party: "I", state: "CA", role: null } as const;
// Not in the roster: a member the tracker typed, who has no terms; the row's party and chamber count.
const typed = { name: "Jane Typedin", party: "D", state: "OH", role: null } as const;

let db: Db;

function letter(overrides: Partial<LetterRecordInput>) {
  return createLetter(db, { recipients: [STATE], ...overrides });
}

beforeAll(() => {
  db = freshDatabase();
  loadReferenceFiles({ db });
  // Six letters from the ranking member Raskin (House minority in the Republican 119th, under
  // Trump), deadline 25 March: answered on days 10 and 20 (on time) and 30 (late); three still open.
  for (let i = 0; i < 6; i++) {
    const { id } = letter({ sent_on: "2025-03-01", deadline: "2025-03-25", senders: [raskin] });
    if (i < 3) addResponse(db, id, { receivedOn: ["2025-03-11", "2025-03-21", "2025-03-31"][i]!, completeness: "full" });
  }
  // Five bipartisan letters (Comer and Raskin), answered on day 5 each, no deadline.
  for (let i = 0; i < 5; i++) {
    const { id } = letter({ sent_on: "2025-04-01", senders: [comer, raskin], recipients: [DOJ] });
    addResponse(db, id, { receivedOn: "2025-04-06", completeness: "partial" });
  }
  // Two from Sanders, an independent caucusing with the Democrats, in the Democratic Senate of the
  // 118th under Biden: majority, the president's party.
  for (let i = 0; i < 2; i++) letter({ sent_on: "2023-05-01", chamber: "Senate", committee: null, senders: [sanders] });
  // Kiley, an independent whose caucus the table does not give: unknown.
  letter({ sent_on: "2025-06-01", senders: [kiley] });
  // A member the roster lacks, on the day the Senate and the administration changed hands: the
  // House was Democratic in the 117th, Biden's from that day.
  letter({ sent_on: "2021-01-20", senders: [typed] });
  // Raskin with no role written, on a letter of the Judiciary committee in the roster's Congress:
  // the roster's "Ranking Member" makes it a ranking member's letter.
  letter({ sent_on: "2025-05-01", committee: "House Committee on the Judiciary", senders: [raskinNoRole] });
});

const group = (period: SidePeriodFigures, axis: keyof SidePeriodFigures["axes"], value: string) =>
  period.axes[axis].find((entry) => entry.value === value);

describe("figures by senders' side", () => {
  it("classifies every letter and counts each group with its n", () => {
    const figures = senderSideFigures({ asOf: ASOF });
    expect(figures.letters).toBe(16);
    const counts = (axis: keyof SidePeriodFigures["axes"]) => Object.fromEntries(figures.all.axes[axis].map((entry) => [entry.value, entry.n]));
    expect(counts("chamber")).toEqual({ majority: 3, minority: 7, mixed: 5, unknown: 1 });
    expect(counts("administration")).toEqual({ same: 3, opposite: 7, mixed: 5, unknown: 1 });
    expect(counts("party")).toEqual({ bipartisan: 5, democrats: 10, unknown: 1 });
    expect(counts("leadership")).toEqual({ leader: 12, others: 4, unknown: 0 });
  });

  it("gives rates, the Kaplan–Meier median and the on-time rate from enough letters", () => {
    const minority = group(senderSideFigures({ asOf: ASOF }).all, "chamber", "minority")!;
    // Seven letters: three answered (days 10, 20, 30), four open: S = 6/7, 5/7, 4/7 — never ≤ 1/2.
    expect(minority).toMatchObject({ n: 7, answered: { count: 3, n: 7 }, onTime: { count: 2, n: 3 }, medianDays: null, medianRated: true });
    const inRaskinsSix = senderSideFigures({ asOf: ASOF, selection: { agency: "u-s-department-of-state", committee: null, member: null, tag: null, sentFrom: "2025-03-01", sentTo: "2025-03-01", q: null } });
    // The six of 1 March alone: S = 5/6, 4/6, 3/6 on day 30: the median is 30 days.
    expect(group(inRaskinsSix.all, "chamber", "minority")).toMatchObject({ n: 6, medianDays: 30, onTime: { count: 2, n: 3 } });
    const mixed = group(senderSideFigures({ asOf: ASOF }).all, "party", "bipartisan")!;
    // They set no deadline: each is due DEFAULT_RESPONSE_DAYS (30) after sending, and all five were
    // answered within it (decision 0014).
    expect(mixed).toMatchObject({ n: 5, answered: { count: 5, n: 5 }, medianDays: 5, onTime: { count: 5, n: 5 } });
  });

  it("keeps the small-n rule: fewer than 5 letters have no median", () => {
    const majority = group(senderSideFigures({ asOf: ASOF }).all, "chamber", "majority")!;
    expect(majority).toMatchObject({ n: 3, medianDays: null, medianRated: false });
    const unknown = group(senderSideFigures({ asOf: ASOF }).all, "chamber", "unknown")!;
    expect(unknown).toMatchObject({ n: 1, medianRated: false });
  });

  it("splits by Congress and by administration, newest first", () => {
    const figures = senderSideFigures({ asOf: ASOF });
    expect(figures.byCongress.map((period) => [period.key, period.letters])).toEqual([
      ["119", 13],
      ["118", 2],
      ["117", 1],
    ]);
    expect(figures.byAdministration.map((period) => [period.label, period.letters])).toEqual([
      ["Donald J. Trump (R, 2025–2029)", 13],
      ["Joseph R. Biden Jr. (D, 2021–2025)", 3],
    ]);
    const biden = figures.byAdministration[1]!;
    expect(group(biden, "administration", "same")?.n).toBe(3);
    expect(group(figures.byCongress[2]!, "chamber", "majority")?.n).toBe(1);
  });

  it("shows a past date's state: a letter answered later is still open then", () => {
    const before = senderSideFigures({ asOf: "2025-03-15" });
    // By 15 March only the day-10 answer of the six had come; the later letters were not sent yet.
    expect(before.letters).toBe(9);
    expect(group(before.all, "chamber", "minority")).toMatchObject({ n: 6, answered: { count: 1, n: 6 } });
  });
});

function call<T>(loader: (args: LoaderFunctionArgs) => T, path: string, params: Record<string, string> = {}): T {
  return loader({ request: new Request(`http://tracker.test${path}`), params, context: {} });
}

describe("the pages", () => {
  it("/answered gives the figures and names a bad `by`", async () => {
    const data = await call(answeredLoader, `/answered?asOf=${ASOF}&by=administration`);
    expect(data.by).toBe("administration");
    expect(data.figures.letters).toBe(16);
    const bad = await call(answeredLoader, `/answered?asOf=${ASOF}&by=decade`);
    expect(bad.problems).toEqual(['by: "decade" is not one of congress, administration']);
  });

  it("an agency's page has the same cut over its own letters", async () => {
    const data = await call(agencyLoader, `/agencies/u-s-department-of-justice?asOf=${ASOF}`, { slug: "u-s-department-of-justice" });
    expect(data.sides.letters).toBe(5);
    expect(data.sides.all.axes.party.map((entry) => [entry.value, entry.n])).toEqual([
      ["bipartisan", 5],
      ["unknown", 0],
    ]);
  });
});
