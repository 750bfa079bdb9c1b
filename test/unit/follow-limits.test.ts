import { describe, expect, it } from "vitest";
import { FOLLOW_LIMITS, followLimitProblem } from "~/domain/follows";

describe("how much one address may follow", () => {
  it.each([
    { case: "a first saved search", live: { searches: 0, total: 0 }, kind: "search", refused: false },
    { case: "the last saved search allowed", live: { searches: FOLLOW_LIMITS.savedSearches - 1, total: 30 }, kind: "search", refused: false },
    { case: "one saved search too many", live: { searches: FOLLOW_LIMITS.savedSearches, total: 30 }, kind: "search", refused: true },
    { case: "a letter while at the saved-search limit (a lookup, not a search)", live: { searches: FOLLOW_LIMITS.savedSearches, total: 30 }, kind: "letter", refused: false },
    { case: "anything at the total limit", live: { searches: 0, total: FOLLOW_LIMITS.total }, kind: "agency", refused: true },
  ])("$case", ({ live, kind, refused }) => {
    const problem = followLimitProblem(live, kind);
    if (refused) expect(problem).toMatch(/^What to follow: this address already follows \d+ .*stop one under "Your alerts" first$/);
    else expect(problem).toBeNull();
  });
});
