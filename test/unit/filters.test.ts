import { describe, expect, it } from "vitest";
import {
  activeFilterCount,
  futureAsOfProblem,
  parseAsOf,
  letterFiltersToSearch,
  parseLetterFilters,
  parseQuestionFilters,
  questionFiltersToSearch,
  questionReadingOrder,
} from "~/domain/filters";
import { toFtsQuery } from "~/domain/search";

const parse = (search: string) => parseLetterFilters(new URLSearchParams(search));

describe("parseLetterFilters", () => {
  it("gives the defaults for an empty query", () => {
    expect(parse("")).toEqual({
      filters: {
        statuses: [],
        agency: null,
        committee: null,
        member: null,
        tag: null,
        sentFrom: null,
        sentTo: null,
        q: null,
        asOf: null,
        sort: "sent",
        dir: "desc",
        page: 1,
      },
      problems: [],
    });
  });

  it("reads every filter, repeated and comma-separated statuses alike", () => {
    const { filters, problems } = parse(
      "status=overdue&status=awaiting,partial&agency=u-s-department-of-state&committee=house-judiciary-committee&member=jim-jordan&tag=cecot&asOf=2025-06-01&sort=deadline&dir=desc&page=3&sentFrom=2025-01-01&sentTo=2025-05-31&q=El+Salvador",
    );
    expect(problems).toEqual([]);
    expect(filters).toEqual({
      statuses: ["overdue", "awaiting", "partial"],
      agency: "u-s-department-of-state",
      committee: "house-judiciary-committee",
      member: "jim-jordan",
      tag: "cecot",
      sentFrom: "2025-01-01",
      sentTo: "2025-05-31",
      q: "El Salvador",
      asOf: "2025-06-01",
      sort: "deadline",
      dir: "desc",
      page: 3,
    });
  });

  it.each([
    ["status=pending", "status", { statuses: [] }],
    ["asOf=2025-02-30", "asOf", { asOf: null }],
    ["asOf=yesterday", "asOf", { asOf: null }],
    ["sort=colour", "sort", { sort: "sent" }],
    ["dir=up", "dir", { dir: "desc" }],
    ["page=0", "page", { page: 1 }],
    ["page=two", "page", { page: 1 }],
    ["agency=%3Cscript%3E", "agency", { agency: null }],
    ["sentFrom=2025-1-1", "sentFrom", { sentFrom: null }],
    ["sentFrom=2025-05-01&sentTo=2025-01-01", "sentTo", { sentFrom: "2025-01-01", sentTo: "2025-05-01" }],
  ])("drops %s with a message naming %s", (search, param, expected) => {
    const { filters, problems } = parse(search);
    expect(filters).toMatchObject(expected);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${param}: `));
  });

  it("a sort's natural direction is the default", () => {
    expect(parse("sort=deadline").filters.dir).toBe("asc");
    expect(parse("sort=outstanding").filters.dir).toBe("desc");
  });
});

describe("letterFiltersToSearch", () => {
  it("round-trips through the parser and leaves defaults out", () => {
    const { filters } = parse("status=overdue&tag=cecot&sort=deadline&page=2");
    const search = letterFiltersToSearch(filters);
    expect(search).toBe("?status=overdue&tag=cecot&sort=deadline&page=2");
    expect(parse(search.slice(1)).filters).toEqual(filters);
    expect(letterFiltersToSearch(parse("").filters)).toBe("");
  });

  it("applies changes, e.g. the next page", () => {
    const { filters } = parse("agency=fbi");
    expect(letterFiltersToSearch(filters, { page: 2 })).toBe("?agency=fbi&page=2");
  });
});

describe("question filters", () => {
  it("default to open questions; status=all shows every status", () => {
    expect(parseQuestionFilters(new URLSearchParams("")).filters.statuses).toEqual(["open"]);
    expect(parseQuestionFilters(new URLSearchParams("status=all")).filters.statuses).toEqual([]);
    expect(parseQuestionFilters(new URLSearchParams("status=refused&kind=document_request")).filters).toMatchObject({
      statuses: ["refused"],
      kinds: ["document_request"],
    });
  });

  it("name a bad kind", () => {
    expect(parseQuestionFilters(new URLSearchParams("kind=memo")).problems).toEqual([
      "kind: \"memo\" is not one of question, document_request, briefing_request, testimony",
    ]);
  });

  it("round-trip through the URL, defaults left out", () => {
    for (const search of ["", "?status=all", "?status=answered&status=partial&kind=testimony&agency=fbi&sort=open&page=2"]) {
      const { filters } = parseQuestionFilters(new URLSearchParams(search));
      expect(questionFiltersToSearch(filters)).toBe(search);
    }
  });
});

describe("toFtsQuery", () => {
  it.each([
    ["CECOT", '"CECOT"*'],
    ["El Salvador", '"El" "Salvador"*'],
    ['"unbalanced AND (NEAR', '"unbalanced" "AND" "NEAR"*'],
    ["MS-13", '"MS" "13"*'],
    ["  ***  ", null],
  ])("%j -> %j", (text, expected) => {
    expect(toFtsQuery(text)).toBe(expected);
  });
});

describe("questionReadingOrder", () => {
  // Only open questions: days open is asOf minus the first ask (the sent date, or a repeat's chain's
  // first ask), so it is the date order reversed, a repeat placed by its first ask.
  it.each([
    [{ sort: "open", dir: "desc", statuses: ["open"] }, { sort: "sent", dir: "asc", byFirstAsk: true }],
    [{ sort: "open", dir: "asc", statuses: ["open"] }, { sort: "sent", dir: "desc", byFirstAsk: true }],
    [{ sort: "open", dir: "desc", statuses: ["open", "open"] }, { sort: "sent", dir: "asc", byFirstAsk: true }],
    // Answered, partial or refused questions stopped counting at their answer: no shortcut.
    [{ sort: "open", dir: "desc", statuses: [] }, { sort: "open", dir: "desc", byFirstAsk: false }],
    [{ sort: "open", dir: "desc", statuses: ["open", "partial"] }, { sort: "open", dir: "desc", byFirstAsk: false }],
    [{ sort: "open", dir: "asc", statuses: ["answered"] }, { sort: "open", dir: "asc", byFirstAsk: false }],
    // Other sorts are read as asked.
    [{ sort: "sent", dir: "desc", statuses: ["open"] }, { sort: "sent", dir: "desc", byFirstAsk: false }],
    [{ sort: "deadline", dir: "asc", statuses: ["open"] }, { sort: "deadline", dir: "asc", byFirstAsk: false }],
    [{ sort: "letter", dir: "desc", statuses: [] }, { sort: "letter", dir: "desc", byFirstAsk: false }],
  ] as const)("%j is read as %j", (filters, expected) => {
    expect(questionReadingOrder({ ...filters, statuses: [...filters.statuses] })).toEqual(expected);
  });
});

describe("activeFilterCount (the folded filter button on a phone: 'Show filters · N on')", () => {
  it.each([
    ["", 0],
    ["sort=title&dir=asc&page=3", 0],
    ["status=overdue", 1],
    ["status=overdue&status=partial", 1],
    ["agency=department-of-state&q=cecot", 2],
    ["sentFrom=2025-01-01&sentTo=2025-12-31&asOf=2025-06-30", 3],
    ["agency=a&committee=b&member=c&tag=d&status=answered", 5],
  ])("letters ?%s: %i on", (search, expected) => {
    expect(activeFilterCount(parseLetterFilters(new URLSearchParams(search)).filters)).toBe(expected);
  });

  it.each([
    ["", 0],
    ["status=open", 0],
    ["status=all", 1],
    ["status=answered", 1],
    ["kind=document_request", 1],
    ["status=partial&kind=question&agency=x", 3],
  ])("questions ?%s: %i on (open questions are the default)", (search, expected) => {
    expect(activeFilterCount(parseQuestionFilters(new URLSearchParams(search)).filters, ["open"])).toBe(expected);
  });
});

describe("an asOf after today: pages leave it out, name it and show today's state of play", () => {
  // Local time: "today" is the server's local date (in UTC+13 the UTC afternoon is already the 3rd).
  const NOW = new Date(2026, 11, 2, 15, 0, 0);
  it.each([
    ["asOf=2026-12-02", "2026-12-02", null],
    ["asOf=2025-04-17", "2025-04-17", null],
    ["asOf=2026-12-03", null, 'asOf: "2026-12-03" is after today (2026-12-02): the state of play is known up to today, so today\'s is shown'],
    ["asOf=9999-12-31", null, 'asOf: "9999-12-31" is after today (2026-12-02): the state of play is known up to today, so today\'s is shown'],
    ["asOf=2025-02-30", null, 'asOf: "2025-02-30" is not a real date in YYYY-MM-DD form'],
    ["", null, null],
  ])("%s → asOf %s", (query, asOf, problem) => {
    const params = new URLSearchParams(query);
    expect(parseAsOf(params, NOW)).toEqual({ asOf, problem });
    expect(futureAsOfProblem("2026-12-02", NOW)).toBeNull();
  });

  it.each([parseLetterFilters, parseQuestionFilters])("the list filters read it the same way (%o)", (parse) => {
    const realNow = new Date();
    const tomorrow = new Date(realNow.getTime() + 36 * 3600_000).toISOString().slice(0, 10);
    const parsed = parse(new URLSearchParams(`asOf=${tomorrow}&status=all`));
    expect(parsed.filters.asOf).toBeNull();
    expect(parsed.problems.join(" ")).toMatch(/^asOf: ".+" is after today/);
  });
});
