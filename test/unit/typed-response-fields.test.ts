/**
 * The "Not saved" page of a response form (a letter or response deleted meanwhile) shows what was
 * typed in the form's own words: labels, completeness and verdicts by their labels, verdicts named
 * by question, and none of the ids the form carries (attack 24: it listed `receivedOn`,
 * `verdicts[0].questionId` = "10", "partial").
 */
import { describe, expect, it } from "vitest";
import { typedResponseFields } from "~/domain/forms";

describe("typedResponseFields", () => {
  const cases: Array<{ name: string; typed: Array<[string, string]>; numbers: Array<[number, number]>; expected: Array<[string, string]> }> = [
    {
      name: "plain fields by the form's labels",
      typed: [["receivedOn", "2025-06-02"], ["from", "State"], ["sourceUrl", "https://example.gov/r"], ["summary", "Said no"], ["notes", "n"]],
      numbers: [],
      expected: [["Received on", "2025-06-02"], ["From", "State"], ["Source URL", "https://example.gov/r"], ["Summary", "Said no"], ["Notes", "n"]],
    },
    { name: "completeness by its label", typed: [["completeness", "partial"]], numbers: [], expected: [["Completeness", "Partial answer"]] },
    { name: "an unknown completeness as sent", typed: [["completeness", "bogus"]], numbers: [], expected: [["Completeness", "bogus"]] },
    {
      name: "verdicts by their questions' numbers, ids left out",
      typed: [["verdicts[0].questionId", "10"], ["verdicts[0].verdict", "answered"], ["verdicts[1].questionId", "12"], ["verdicts[1].verdict", "refused"]],
      numbers: [[10, 1], [12, 3]],
      expected: [["Verdict on question 1", "Answered"], ["Verdict on question 3", "Refused"]],
    },
    {
      name: "verdicts by their place when the questions are gone (the letter was deleted)",
      typed: [["verdicts[0].questionId", "10"], ["verdicts[0].verdict", "not_addressed"], ["verdicts[1].questionId", "12"], ["verdicts[1].verdict", "partial"]],
      numbers: [],
      expected: [["Verdict 1", "Not addressed"], ["Verdict 2", "Partly answered"]],
    },
    { name: "names the form does not have, left out", typed: [["other", "x"], ["__proto__", "y"], ["verdicts[0].other", "z"]], numbers: [], expected: [] },
  ];
  it.each(cases)("$name", ({ typed, numbers, expected }) => {
    expect(typedResponseFields(typed, new Map(numbers)).map(({ label, value }) => [label, value])).toEqual(expected);
  });
});
