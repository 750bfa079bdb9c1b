import { describe, expect, it } from "vitest";
import { extensionProblems, factDateProblems, letterProblems, verdictProblems } from "~/domain/letter-rules";

const TODAY = "2026-12-01";

describe("letterProblems", () => {
  it.each([
    { name: "a plain letter", letter: { sentOn: "2025-04-17", deadline: "2025-05-01", questionNumbers: [1, 2, 3] }, fields: [] },
    { name: "sent today", letter: { sentOn: TODAY, questionNumbers: [] }, fields: [] },
    { name: "sent tomorrow", letter: { sentOn: "2026-12-02", questionNumbers: [] }, fields: ["sentOn"] },
    { name: "a date that does not exist", letter: { sentOn: "2025-02-30", questionNumbers: [] }, fields: ["sentOn"] },
    { name: "a deadline ahead of today", letter: { sentOn: "2026-11-20", deadline: "2027-01-15", questionNumbers: [] }, fields: [] },
    { name: "a deadline before the letter", letter: { sentOn: "2025-04-17", deadline: "2025-04-16", questionNumbers: [] }, fields: ["deadline"] },
    { name: "a closing in the future", letter: { sentOn: "2025-04-17", closedOn: "2099-01-01", questionNumbers: [] }, fields: ["closedOn"] },
    { name: "a closing before the letter", letter: { sentOn: "2025-04-17", closedOn: "2025-04-01", questionNumbers: [] }, fields: ["closedOn"] },
    { name: "a gap in the numbering", letter: { sentOn: "2025-04-17", questionNumbers: [1, 2, 4] }, fields: ["questions[2].number"] },
    { name: "numbering from zero", letter: { sentOn: "2025-04-17", questionNumbers: [0, 1] }, fields: ["questions[0].number", "questions[1].number"] },
    { name: "an empty title", letter: { sentOn: "2025-04-17", title: "  ", questionNumbers: [] }, fields: ["title"] },
    { name: "a title too long for the form", letter: { sentOn: "2025-04-17", title: "x".repeat(301), questionNumbers: [] }, fields: ["title"] },
    { name: "an empty question", letter: { sentOn: "2025-04-17", questionNumbers: [1, 2], questionTexts: ["Who?", ""] }, fields: ["questions[1].text"] },
    { name: "too many questions", letter: { sentOn: "2025-04-17", questionNumbers: Array.from({ length: 501 }, (_, i) => i + 1) }, fields: ["questions"] },
  ])("$name", ({ letter, fields }) => {
    expect(letterProblems(letter, TODAY).map((problem) => problem.field)).toEqual(fields);
  });

  it("says what is wrong in words a staffer understands", () => {
    expect(letterProblems({ sentOn: "2099-01-01", questionNumbers: [] }, TODAY)).toEqual([
      { field: "sentOn", message: "Sent date cannot be in the future (today is 2026-12-01)" },
    ]);
  });
});

describe("factDateProblems and extensionProblems", () => {
  it.each([
    { date: "2025-05-01", problems: [] },
    { date: TODAY, problems: [] },
    { date: "2099-01-01", problems: ["Received date cannot be in the future (today is 2026-12-01)"] },
    { date: "2025-04-16", problems: ["Received date cannot be before the letter was sent (2025-04-17)"] },
    { date: "2025-13-01", problems: ["Received date must be a real date (YYYY-MM-DD)"] },
  ])("a response received $date", ({ date, problems }) => {
    expect(factDateProblems({ field: "receivedOn", label: "Received date", date, sentOn: "2025-04-17", today: TODAY }).map((p) => p.message)).toEqual(problems);
  });

  it.each([
    { newDeadline: "2027-02-01", grantedOn: "2026-11-30", fields: [] },
    { newDeadline: "2027-02-01", grantedOn: "2026-12-05", fields: ["grantedOn"] },
    { newDeadline: "2025-01-01", grantedOn: "2025-05-01", fields: ["newDeadline"] },
  ])("an extension to $newDeadline granted $grantedOn", ({ newDeadline, grantedOn, fields }) => {
    expect(extensionProblems({ newDeadline, grantedOn, sentOn: "2025-04-17", today: TODAY }).map((p) => p.field)).toEqual(fields);
  });
});

describe("verdictProblems", () => {
  it.each([
    { ids: [1, 2], fields: [] },
    { ids: [1, 1], fields: ["verdicts[1].verdict"] },
    { ids: [1, 9], fields: ["verdicts[1].verdict"] },
  ])("verdicts on questions $ids", ({ ids, fields }) => {
    expect(verdictProblems(ids, new Set([1, 2, 3])).map((p) => p.field)).toEqual(fields);
  });
});
