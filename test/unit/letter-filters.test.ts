import { describe, expect, it } from "vitest";
import { letterFiltersToSearch, parseLetterFilters } from "~/domain/letter-filters";

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
      "status=overdue&status=awaiting,partial&agency=u-s-department-of-state&committee=house-judiciary-committee&member=jim-jordan&tag=cecot&asOf=2025-06-01&sort=deadline&dir=desc&page=3",
    );
    expect(problems).toEqual([]);
    expect(filters).toEqual({
      statuses: ["overdue", "awaiting", "partial"],
      agency: "u-s-department-of-state",
      committee: "house-judiciary-committee",
      member: "jim-jordan",
      tag: "cecot",
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
