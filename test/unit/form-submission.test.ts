/** Replies for submissions the database refused (app/utils/form-submission.ts). */
import { describe, expect, it } from "vitest";
import { refusedReply } from "~/utils/form-submission";

const recording = { reply: (options: { formErrors?: string[]; fieldErrors: Record<string, string[]> }) => options };

describe("refusedReply", () => {
  it.each([
    ["a field's error", { slug: ["Slug is taken"] }, { formErrors: undefined, fieldErrors: { slug: ["Slug is taken"] } }],
    ["a form-wide error (key \"\")", { "": ["The letter changed meanwhile"] }, { formErrors: ["The letter changed meanwhile"], fieldErrors: {} }],
    [
      "both",
      { "": ["Try again"], "questions[0].text": ["Required"] },
      { formErrors: ["Try again"], fieldErrors: { "questions[0].text": ["Required"] } },
    ],
  ])("puts %s where the form shows it", (_name, errors, expected) => {
    expect(refusedReply(recording, errors)).toEqual(expected);
  });
});
