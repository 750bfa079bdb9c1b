/**
 * Attack 20: a page number past the last page a list takes (1,000,000) was ignored with "must be a
 * whole number from 1", which it is: the message now names the bound it broke. It failed before.
 */
import { describe, expect, it } from "vitest";
import { parseLetterFilters, parseQuestionFilters } from "~/domain/filters";
import { parseScorecardPage } from "~/domain/scorecards";
import { parseSearchParams } from "~/domain/search";

const params = (query: string) => new URLSearchParams(query);

describe("a page number too high", () => {
  it.each([
    ["/letters", (query: string) => parseLetterFilters(params(query)).problems],
    ["/questions", (query: string) => parseQuestionFilters(params(query)).problems],
    ["/search", (query: string) => parseSearchParams(params(`q=letter&${query}`)).problems],
    ["/agencies", (query: string) => [parseScorecardPage(params(query)).problem].filter((problem) => problem !== null)],
  ])("is named with the highest page %s takes", (_page, problemsOf) => {
    expect(problemsOf("page=40000000")).toEqual(['page: "40000000" must be a whole number from 1 to 1000000']);
    expect(problemsOf("page=0")).toEqual(['page: "0" must be a whole number from 1 to 1000000']);
    expect(problemsOf("page=1000000")).toEqual([]);
  });
});
