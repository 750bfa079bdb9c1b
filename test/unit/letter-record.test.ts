import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { parseLetterFile } from "~/domain/letter-record";
import { buildLetterRecord } from "../factories";

const demo = JSON.parse(fs.readFileSync("db/letters.seed.json", "utf8")) as { letters: Array<Record<string, unknown>> };

describe("parseLetterFile", () => {
  it("accepts the demo file: 21 letters", () => {
    const result = parseLetterFile(demo);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.letters).toHaveLength(21);
  });

  it("rejects a file that is not a list of letters", () => {
    expect(parseLetterFile({ letter: [] })).toEqual({
      ok: false,
      problems: [{ letterId: "(file)", field: "letters", message: "must be a list of letters" }],
    });
  });

  it.each([
    ["a bad date", { sent_on: "2025-02-30" }, "sent_on", /real date/],
    ["an unknown chamber", { chamber: "Lords" }, "chamber", /House, Senate or Joint/],
    ["a deadline before sending", { sent_on: "2025-03-01", deadline: "2025-02-01" }, "deadline", /before sent_on/],
    ["no senders", { senders: [] }, "senders", /at least one sender/],
    ["a bad party", { senders: [{ name: "A B", party: "X", state: "NY" }] }, "senders.0.party", /D, R or I/],
    ["an unknown question kind", { questions: [{ n: 1, text: "Q", kind: "memo" }] }, "questions.0.kind", /must be question/],
    ["duplicate question numbers", { questions: [{ n: 1, text: "A" }, { n: 1, text: "B" }] }, "questions.1.n", /appears twice/],
    [
      "a response before the letter",
      { sent_on: "2025-03-01", responses: [{ received_on: "2025-02-01", from: "X", completeness: "full" }] },
      "responses.0.received_on",
      /before the letter/,
    ],
    ["an unknown completeness", { responses: [{ received_on: "2025-03-01", from: "X", completeness: "most" }] }, "responses.0.completeness", /full, partial/],
    ["a source that is not a URL", { source: "javascript:alert(1)" }, "source", /http/],
  ])("names the letter and the field for %s", (_name, overrides, field, message) => {
    const good = buildLetterRecord();
    const result = parseLetterFile({ letters: [{ ...good, ...overrides }] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toContainEqual({ letterId: good.id, field, message: expect.stringMatching(message) });
  });

  it("rejects duplicate ids and follow-ups to letters not in the file", () => {
    const a = buildLetterRecord({ id: "dup" });
    const b = buildLetterRecord({ id: "dup" });
    const c = buildLetterRecord({ follows_up: "missing-letter" });
    const result = parseLetterFile({ letters: [a, b, c] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      { letterId: "dup", field: "id", message: "appears more than once" },
      { letterId: c.id, field: "follows_up", message: expect.stringContaining("missing-letter") },
    ]);
  });
});
