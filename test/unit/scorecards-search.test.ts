import { describe, expect, it } from "vitest";
import { parseScorecardPage, parseScorecardSort, scorecardRow, sortScorecards } from "~/domain/scorecards";
import { parseSearchParams, splitHighlights, toFtsQuery } from "~/domain/search";
import { rate } from "~/domain/statistics";

const card = (name: string, letters: number, answered: number, median: number | null, open = 0) => ({
  name,
  letters,
  answered: rate(answered, letters),
  onTime: rate(0, 0),
  openQuestions: open,
  medianDays: median,
  medianRated: letters >= 5,
});

describe("sortScorecards", () => {
  const rows = [
    card("Bravo", 10, 5, 40, 3),
    card("Alpha", 10, 8, 12, 9),
    card("Charlie", 3, 3, 2, 1), // too few letters: no rates, no median
    card("Delta", 6, 1, null, 0), // median not reached
  ];
  it.each([
    ["letters", ["Alpha", "Bravo", "Delta", "Charlie"]],
    ["answered", ["Alpha", "Bravo", "Delta", "Charlie"]],
    ["median", ["Alpha", "Bravo", "Charlie", "Delta"]],
    ["open", ["Alpha", "Bravo", "Charlie", "Delta"]],
    ["ontime", ["Alpha", "Bravo", "Charlie", "Delta"]],
  ] as const)("by %s", (sort, names) => {
    expect(sortScorecards(rows, sort).map((row) => row.name)).toEqual(names);
  });

  it("reads the sort from the URL, reporting bad values", () => {
    expect(parseScorecardSort(new URLSearchParams("sort=median"))).toEqual({ sort: "median", problem: null });
    expect(parseScorecardSort(new URLSearchParams(""))).toEqual({ sort: "letters", problem: null });
    expect(parseScorecardSort(new URLSearchParams("sort=x")).problem).toMatch(/^sort: "x"/);
  });
});

describe("scorecard rows and pages", () => {
  it("keep only what the table shows", () => {
    const full = {
      id: 3,
      slug: "dhs",
      name: "Department of Homeland Security",
      acronym: "DHS",
      letters: 12,
      answered: rate(6, 12),
      onTime: rate(2, 4),
      overdue: 3,
      openQuestions: 40,
      medianDays: 30,
      medianRated: true,
    };
    expect(scorecardRow(full)).toEqual({
      slug: "dhs",
      name: "Department of Homeland Security",
      letters: 12,
      answered: { count: 6, n: 12 },
      onTime: { count: 2, n: 4 },
      medianDays: 30,
      medianRated: true,
      openQuestions: 40,
    });
  });

  it("read the page, naming a bad one", () => {
    expect(parseScorecardPage(new URLSearchParams(""))).toEqual({ page: 1, problem: null });
    expect(parseScorecardPage(new URLSearchParams("page=3"))).toEqual({ page: 3, problem: null });
    expect(parseScorecardPage(new URLSearchParams("page=0"))).toEqual({ page: 1, problem: 'page: "0" must be a whole number from 1 to 1000000' });
    expect(parseScorecardPage(new URLSearchParams("page=x"))).toEqual({ page: 1, problem: 'page: "x" must be a whole number from 1 to 1000000' });
  });
});

describe("search input", () => {
  it.each([
    ["CECOT", '"CECOT"*'],
    ['CECOT" OR "x', '"CECOT" "OR" "x"*'],
    ["El Salvador's deal", '"El" "Salvador" "s" "deal"*'],
    ["NEAR(a b) -c", '"NEAR" "a" "b" "c"*'],
    ["*() :", null],
  ])("%j becomes %j", (input, expected) => {
    expect(toFtsQuery(input)).toBe(expected);
  });

  it("reads q, kind, page and asOf from the URL", () => {
    expect(parseSearchParams(new URLSearchParams("q=+cecot+&kind=question&page=2&asOf=2025-06-01"))).toEqual({
      search: { q: "cecot", kind: "question", names: null, page: 2, asOf: "2025-06-01" },
      problems: [],
    });
    const bad = parseSearchParams(new URLSearchParams("q=x&kind=memo&page=0&asOf=2025-02-30"));
    expect(bad.search).toEqual({ q: "x", kind: null, names: null, page: 1, asOf: null });
    expect(bad.problems).toHaveLength(3);
  });

  it.each([
    ["no match", [{ text: "no match", match: false }]],
    ["a \u0002CECOT\u0003 deal", [
      { text: "a ", match: false },
      { text: "CECOT", match: true },
      { text: " deal", match: false },
    ]],
    ["\u0002x\u0003\u0002y\u0003", [
      { text: "x", match: true },
      { text: "y", match: true },
    ]],
    ["cut \u0002off", [
      { text: "cut ", match: false },
      { text: "off", match: true },
    ]],
  ])("splits highlights in %j", (text, parts) => {
    expect(splitHighlights(text)).toEqual(parts);
  });
});
