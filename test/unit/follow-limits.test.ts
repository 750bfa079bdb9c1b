import { describe, expect, it } from "vitest";
import { FOLLOW_LIMITS, followLimitProblem, followLimitReached } from "~/domain/follows";
import { followLimitMessage } from "~/domain/mail-messages";

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

describe("the note to an address at its limit, in place of a confirmation", () => {
  it("names the limit and links to its manage page, and never a saved search's words", () => {
    const message = followLimitMessage({
      publicUrl: "https://tracker.example",
      follow: { subjectKind: "search", subjectKey: "/letters?q=call+555+now", subjectLabel: "Letters (q: call 555 now)", cadence: "immediate" },
      reached: followLimitReached({ searches: FOLLOW_LIMITS.savedSearches, total: 30 }, "search")!,
      manageUrl: "https://tracker.example/follows/manage?token=t",
    });
    expect(message.subject).toBe("Not followed: this address follows the most it may");
    expect(message.text).toContain(`This address already follows ${FOLLOW_LIMITS.savedSearches} saved searches, the most one address may, so nothing was added.`);
    expect(message.text).toContain("a saved search of letters (filtered by words)");
    expect(message.text).toContain("https://tracker.example/follows/manage?token=t");
    expect(`${message.text}${message.html}`).not.toMatch(/555/);
  });
});
