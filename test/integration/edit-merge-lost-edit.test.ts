/**
 * ATTACK: app/domain/edit-merge.ts promises that, when a stale save is refused, "neither person's
 * work is lost" in the re-applied form. When the other editor removed a question that this staffer
 * edited, the edit silently disappears from the form offered again (reapplyList keeps only their
 * items in their order): the staffer's typed text is gone, with nothing in the form to say so.
 */
import { describe, expect, it } from "vitest";
import { reapplyEdits } from "~/domain/edit-merge";

describe("ATTACK: re-applying edits over a removal", () => {
  it("keeps (or flags) my edit of a question they removed", () => {
    const q = (id: string, text: string) => ({ id, text, kind: "question" });
    const base = { title: "T", questions: [q("1", "one"), q("2", "two"), q("3", "three")] };
    const mine = { title: "T", questions: [q("1", "one"), q("2", "two, carefully reworded by me"), q("3", "three")] };
    const theirs = { title: "T", questions: [q("1", "one"), q("3", "three")] };
    const merged = reapplyEdits(base, mine, theirs, { questions: "id" }) as { questions: Array<{ text: string }> };
    expect(merged.questions.map((question) => question.text)).toContain("two, carefully reworded by me");
  });
});
