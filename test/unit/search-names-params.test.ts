/** /search's `names` parameter (one group of people, agencies or committees found by name). */
import { describe, expect, it } from "vitest";
import { parseSearchParams } from "~/domain/search";

describe("the names parameter of /search", () => {
  it.each([
    ["q=Raskin", null, 0],
    ["q=Raskin&names=members", "members", 0],
    ["q=State&names=agencies", "agencies", 0],
    ["q=Oversight&names=committees", "committees", 0],
    ["q=x&names=people", null, 1],
    ["q=x&names=", null, 0],
    // One group of names, or one kind of result, not both.
    ["q=x&names=members&kind=letter", null, 1],
  ])("%s gives names %s with %i problem(s)", (query, names, problems) => {
    const parsed = parseSearchParams(new URLSearchParams(query));
    expect(parsed.search.names).toBe(names);
    expect(parsed.problems).toHaveLength(problems);
    if (problems > 0) expect(parsed.problems[0]).toMatch(/^names: /);
  });
});
