import { describe, expect, it } from "vitest";
import { parseBase, reapplyEdits, reapplyList, reapplySet } from "~/domain/edit-merge";

const q = (id: string | undefined, text: string) => ({ ...(id ? { id } : {}), text, kind: "question" });

describe("reapplyEdits", () => {
  const base = { title: "Old title", summary: "", deadline: "2025-05-01", tags: "cecot" };
  it.each([
    { name: "I changed the title, they the summary", mine: { ...base, title: "Mine" }, theirs: { ...base, summary: "Theirs" }, expected: { ...base, title: "Mine", summary: "Theirs" } },
    { name: "only they changed anything", mine: base, theirs: { ...base, deadline: "2025-06-01" }, expected: { ...base, deadline: "2025-06-01" } },
    { name: "we both changed the title: mine is re-applied (and shown for review)", mine: { ...base, title: "Mine" }, theirs: { ...base, title: "Theirs" }, expected: { ...base, title: "Mine" } },
    { name: "I emptied a field they left alone", mine: { ...base, deadline: undefined }, theirs: base, expected: { ...base, deadline: undefined } },
    { name: "empty string and missing are the same", mine: { ...base, summary: undefined }, theirs: { ...base, summary: "Theirs" }, expected: { ...base, summary: "Theirs" } },
  ])("$name", ({ mine, theirs, expected }) => {
    expect(reapplyEdits(base, mine, theirs)).toEqual(expected);
  });
});

describe("reapplyList (questions by id)", () => {
  const base = [q("1", "One"), q("2", "Two"), q("3", "Three")];
  it.each([
    { name: "they added a question, I edited another", mine: [q("1", "One!"), q("2", "Two"), q("3", "Three")], theirs: [...base, q("4", "Four")], expected: [q("1", "One!"), q("2", "Two"), q("3", "Three"), q("4", "Four")] },
    { name: "I removed one, they edited another", mine: [q("1", "One"), q("3", "Three")], theirs: [q("1", "One"), q("2", "Two"), q("3", "Three?")], expected: [q("1", "One"), q("3", "Three?")] },
    { name: "they removed one I edited: my text is kept, as a new question", mine: [q("1", "One"), q("2", "Two, clarified"), q("3", "Three")], theirs: [q("1", "One"), q("3", "Three")], expected: [q("1", "One"), q(undefined, "Two, clarified"), q("3", "Three")] },
    { name: "they removed one I kept unchanged", mine: base, theirs: [q("1", "One"), q("3", "Three")], expected: [q("1", "One"), q("3", "Three")] },
    { name: "I reordered and added", mine: [q("3", "Three"), q("1", "One"), q("2", "Two"), q(undefined, "New")], theirs: base, expected: [q("3", "Three"), q("1", "One"), q("2", "Two"), q(undefined, "New")] },
    { name: "they reordered, I edited a text", mine: [q("1", "One!"), q("2", "Two"), q("3", "Three")], theirs: [q("3", "Three"), q("1", "One"), q("2", "Two")], expected: [q("3", "Three"), q("1", "One!"), q("2", "Two")] },
    { name: "they reordered, I changed nothing in the list", mine: base, theirs: [q("2", "Two"), q("1", "One"), q("3", "Three")], expected: [q("2", "Two"), q("1", "One"), q("3", "Three")] },
    { name: "they reordered, I added one at the end", mine: [...base, q(undefined, "New")], theirs: [q("2", "Two"), q("1", "One"), q("3", "Three")], expected: [q("2", "Two"), q("1", "One"), q("3", "Three"), q(undefined, "New")] },
    { name: "they inserted in the middle", mine: base, theirs: [q("1", "One"), q("9", "Nine"), q("2", "Two"), q("3", "Three")], expected: [q("1", "One"), q("9", "Nine"), q("2", "Two"), q("3", "Three")] },
  ])("$name", ({ mine, theirs, expected }) => {
    expect(reapplyList(base, mine, theirs)).toEqual(expected);
  });
});

describe("reapplyEdits with a base of the wrong shape (a tampered form)", () => {
  it.each([["x"], [[null]], [{ length: 2 }], [[1, "a", [2]]]])("base questions %j", (questions) => {
    const theirs = { title: "T", questions: [q("1", "One")] };
    const mine = { title: "Mine", questions: [q("1", "One"), q(undefined, "New")] };
    expect(reapplyEdits({ title: "T", questions }, mine, theirs, { questions: "id" })).toMatchObject({ title: "Mine" });
  });
});

describe("verdicts merged by question", () => {
  it("keeps their verdict on one question and mine on another", () => {
    const v = (questionId: string, verdict: string) => ({ questionId, verdict });
    const base = { verdicts: [v("1", "answered"), v("2", "partial")] };
    const mine = { verdicts: [v("1", "refused"), v("2", "partial")] };
    const theirs = { verdicts: [v("1", "answered"), v("2", "answered")] };
    expect(reapplyEdits(base, mine, theirs, { verdicts: "questionId" })).toEqual({ verdicts: [v("1", "refused"), v("2", "answered")] });
    // As one field, my whole list would undo their verdict on question 2.
    expect(reapplyEdits(base, mine, theirs)).toEqual({ verdicts: [v("1", "refused"), v("2", "partial")] });
  });
});

describe("reapplySet (documents attached by two editors at once)", () => {
  it.each([
    ["both attached one: both kept", [], ["mine"], ["theirs"], ["theirs", "mine"]],
    ["I removed one they kept", ["a", "b"], ["a"], ["a", "b"], ["a"]],
    ["they removed one I kept", ["a", "b"], ["a", "b"], ["a"], ["a"]],
    ["both attached the same one", ["a"], ["a", "same"], ["a", "same"], ["a", "same"]],
    ["nothing changed", ["a"], ["a"], ["a"], ["a"]],
    ["a malformed base counts as empty", "x", ["mine"], ["theirs"], ["theirs", "mine"]],
  ] as const)("%s", (_name, base, mine, theirs, expected) => {
    expect(reapplySet(base, mine, theirs)).toEqual(expected);
  });

  it("reapplyEdits merges the fields it is told are sets; as one field, my list would drop theirs", () => {
    const base = { title: "T", documents: [] };
    const mine = { title: "T", documents: ["mine"] };
    const theirs = { title: "T2", documents: ["theirs"] };
    expect(reapplyEdits(base, mine, theirs, {}, ["documents"])).toEqual({ title: "T2", documents: ["theirs", "mine"] });
    expect(reapplyEdits(base, mine, theirs)).toEqual({ title: "T2", documents: ["mine"] });
  });
});

describe("parseBase", () => {
  it.each([
    ['{"title":"x"}', { title: "x" }],
    ["[1,2]", null],
    ["not json", null],
    ["", null],
    [null, null],
  ])("%s", (text, expected) => {
    expect(parseBase(text)).toEqual(expected);
  });
});
