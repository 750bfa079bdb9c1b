/** The questions a drafted follow-up asks again, each linked to the one it repeats (decision 0023). */
import { describe, expect, it } from "vitest";
import { followUpQuestions, type EarlierQuestion } from "~/domain/follow-up";

const q = (id: string, status: EarlierQuestion["status"], repeated = false): EarlierQuestion => ({ id, text: `Question ${id}?`, kind: "question", status, repeated });

describe("followUpQuestions", () => {
  it.each<[string, EarlierQuestion[], string[]]>([
    ["no questions", [], []],
    ["every open question, in order", [q("1", "open"), q("2", "open")], ["1", "2"]],
    ["not the answered, partly answered or refused", [q("1", "answered"), q("2", "partial"), q("3", "refused"), q("4", "open")], ["4"]],
    ["not one a later letter already asks again", [q("1", "open", true), q("2", "open")], ["2"]],
    ["none when all were asked again", [q("1", "open", true)], []],
  ])("%s", (_, earlier, repeats) => {
    const drafted = followUpQuestions(earlier);
    expect(drafted.map((question) => question.repeats)).toEqual(repeats);
    for (const question of drafted) expect(question.text).toBe(`Question ${question.repeats}?`);
  });
});
