import { describe, expect, it } from "vitest";
import {
  answerStatus,
  daysOutstanding,
  daysOverdue,
  deadlineInForce,
  effectiveDeadline,
  isSubstantive,
  letterQuestionCounts,
  letterStatus,
  questionStatus,
  questionTally,
  responseDays,
  type AssessmentFact,
  type EffectiveDeadline,
  type LetterFacts,
} from "~/domain/status";
import { impliedDeadlineLabel, type Completeness, type LetterStatus, type QuestionStatus } from "~/domain/vocabulary";

/** A letter sent 2025-01-10 with two questions (ids 1 and 2), deadline 2025-02-10 unless overridden. */
function letter(overrides: Partial<LetterFacts> = {}): LetterFacts {
  return {
    sentOn: "2025-01-10",
    deadline: "2025-02-10",
    closedOn: null,
    questionIds: [1, 2],
    responses: [],
    assessments: [],
    deadlineChanges: [],
    ...overrides,
  };
}

const response = (id: number, receivedOn: string, completeness: Completeness) => ({ id, receivedOn, completeness });
const verdict = (questionId: number, responseId: number, v: AssessmentFact["verdict"]): AssessmentFact => ({
  questionId,
  responseId,
  verdict: v,
});

describe("isSubstantive", () => {
  it.each([
    ["full", true],
    ["partial", true],
    ["refusal", true],
    ["acknowledgment", false],
  ] as const)("%s -> %s", (completeness, expected) => {
    expect(isSubstantive(completeness)).toBe(expected);
  });
});

describe("effectiveDeadline", () => {
  const extensions = [
    { id: 1, newDeadline: "2025-03-01", grantedOn: "2025-02-05" },
    { id: 2, newDeadline: "2025-03-15", grantedOn: "2025-02-25" },
  ];
  it.each([
    ["no extensions: the letter's deadline", [], "2025-03-20", "2025-02-10"],
    ["before any extension was granted", extensions, "2025-02-04", "2025-02-10"],
    ["on the day the first was granted", extensions, "2025-02-05", "2025-03-01"],
    ["after both: the latest granted", extensions, "2025-04-01", "2025-03-15"],
    [
      "latest granted wins even if it shortens the deadline",
      [...extensions, { id: 3, newDeadline: "2025-03-05", grantedOn: "2025-03-01" }],
      "2025-04-01",
      "2025-03-05",
    ],
    [
      "two granted the same day: the later-entered wins",
      [
        { id: 7, newDeadline: "2025-04-01", grantedOn: "2025-02-05" },
        { id: 9, newDeadline: "2025-05-01", grantedOn: "2025-02-05" },
      ],
      "2025-02-06",
      "2025-05-01",
    ],
  ])("%s", (_name, deadlineChanges, asOf, expected) => {
    expect(effectiveDeadline(letter({ deadlineChanges }), asOf, 30)).toBe(expected);
  });

  it("an extension can give a deadline to a letter that had none", () => {
    expect(
      effectiveDeadline(
        letter({ deadline: null, deadlineChanges: [{ id: 1, newDeadline: "2025-06-01", grantedOn: "2025-05-01" }] }),
        "2025-05-02",
        0,
      ),
    ).toBe("2025-06-01");
    expect(effectiveDeadline(letter({ deadline: null }), "2025-05-02", 0)).toBeNull();
  });
});

describe("deadlineInForce: implied deadlines (DEFAULT_RESPONSE_DAYS)", () => {
  const extension = { id: 1, newDeadline: "2025-04-01", grantedOn: "2025-03-01" };
  // A letter sent 2025-01-10.
  const cases: Array<[string, Partial<LetterFacts>, string, number, EffectiveDeadline | null, LetterStatus, number | null]> = [
    ["the letter's own deadline", {}, "2025-02-15", 30, { date: "2025-02-10", source: "letter" }, "overdue", 5],
    ["no deadline: due 30 days after sending", { deadline: null }, "2025-02-09", 30, { date: "2025-02-09", source: "implied" }, "awaiting", null],
    ["no deadline: overdue the day after the window", { deadline: null }, "2025-02-10", 30, { date: "2025-02-09", source: "implied" }, "overdue", 1],
    ["no deadline, another window", { deadline: null }, "2025-01-20", 7, { date: "2025-01-17", source: "implied" }, "overdue", 3],
    ["no deadline, 0 days: none, never overdue", { deadline: null }, "2029-01-01", 0, null, "awaiting", null],
    ["an extension wins over the implied one", { deadline: null, deadlineChanges: [extension] }, "2025-03-02", 30, { date: "2025-04-01", source: "extension" }, "awaiting", null],
    ["before the extension was granted: implied", { deadline: null, deadlineChanges: [extension] }, "2025-02-20", 30, { date: "2025-02-09", source: "implied" }, "overdue", 11],
    ["an extension wins over the letter's deadline", { deadlineChanges: [extension] }, "2025-04-02", 30, { date: "2025-04-01", source: "extension" }, "overdue", 1],
    ["answered: not overdue whatever the deadline", { deadline: null, responses: [response(1, "2025-03-01", "full")] }, "2025-04-01", 30, { date: "2025-02-09", source: "implied" }, "answered", null],
    ["across a month end and leap year", { deadline: null, sentOn: "2024-01-31" }, "2024-03-02", 30, { date: "2024-03-01", source: "implied" }, "overdue", 1],
  ];
  it.each(cases)("%s", (_name, facts, asOf, days, deadline, status, overdue) => {
    const subject = letter(facts);
    expect(deadlineInForce(subject, asOf, days)).toEqual(deadline);
    expect(letterStatus(subject, asOf, days)).toBe(status);
    expect(daysOverdue(subject, asOf, days)).toBe(overdue);
  });

  it("labels an implied deadline with the window", () => {
    expect(impliedDeadlineLabel(30)).toBe("no deadline set; due 30 days after sending by default");
    expect(impliedDeadlineLabel(1)).toBe("no deadline set; due 1 day after sending by default");
  });
});

describe("questionStatus", () => {
  const cases: Array<[string, Partial<LetterFacts>, string, QuestionStatus]> = [
    ["no response: open", {}, "2025-03-01", "open"],
    ["only an acknowledgment: open", { responses: [response(1, "2025-01-20", "acknowledgment")] }, "2025-03-01", "open"],
    ["full response, no assessment: answered", { responses: [response(1, "2025-01-20", "full")] }, "2025-03-01", "answered"],
    ["refusal, no assessment: refused", { responses: [response(1, "2025-01-20", "refusal")] }, "2025-03-01", "refused"],
    ["partial response, no assessment: open", { responses: [response(1, "2025-01-20", "partial")] }, "2025-03-01", "open"],
    [
      "latest substantive response decides (full then partial: open)",
      { responses: [response(1, "2025-01-20", "full"), response(2, "2025-02-01", "partial")] },
      "2025-03-01",
      "open",
    ],
    [
      "acknowledgment after a full answer does not undo it",
      { responses: [response(1, "2025-01-20", "full"), response(2, "2025-02-01", "acknowledgment")] },
      "2025-03-01",
      "answered",
    ],
    [
      "full response received after asOf is ignored",
      { responses: [response(1, "2025-02-20", "full")] },
      "2025-02-19",
      "open",
    ],
    [
      "assessment beats the response's completeness",
      { responses: [response(1, "2025-01-20", "full")], assessments: [verdict(1, 1, "partial")] },
      "2025-03-01",
      "partial",
    ],
    [
      "not_addressed counts as open even under a full response",
      { responses: [response(1, "2025-01-20", "full")], assessments: [verdict(1, 1, "not_addressed")] },
      "2025-03-01",
      "open",
    ],
    [
      "refused verdict",
      { responses: [response(1, "2025-01-20", "partial")], assessments: [verdict(1, 1, "refused")] },
      "2025-03-01",
      "refused",
    ],
    [
      "latest assessment wins",
      {
        responses: [response(1, "2025-01-20", "partial"), response(2, "2025-02-20", "partial")],
        assessments: [verdict(1, 1, "partial"), verdict(1, 2, "answered")],
      },
      "2025-03-01",
      "answered",
    ],
    [
      "assessment from a response after asOf is ignored",
      {
        responses: [response(1, "2025-01-20", "partial"), response(2, "2025-02-20", "partial")],
        assessments: [verdict(1, 1, "partial"), verdict(1, 2, "answered")],
      },
      "2025-02-01",
      "partial",
    ],
    [
      "another question's assessment does not apply",
      { responses: [response(1, "2025-01-20", "refusal")], assessments: [verdict(2, 1, "answered")] },
      "2025-03-01",
      "refused",
    ],
  ];
  it.each(cases)("%s", (_name, facts, asOf, expected) => {
    expect(questionStatus(1, letter(facts), asOf)).toBe(expected);
  });
});

describe("letterStatus", () => {
  const cases: Array<[string, Partial<LetterFacts>, string, LetterStatus]> = [
    ["no response, before the deadline: awaiting", {}, "2025-02-01", "awaiting"],
    ["no response, on the deadline day: awaiting", {}, "2025-02-10", "awaiting"],
    ["no response, the day after the deadline: overdue", {}, "2025-02-11", "overdue"],
    ["no deadline: overdue after the implied one (30 days)", { deadline: null }, "2030-01-01", "overdue"],
    [
      "an extension granted in time moves the deadline: awaiting",
      { deadlineChanges: [{ id: 1, newDeadline: "2025-03-01", grantedOn: "2025-02-09" }] },
      "2025-02-20",
      "awaiting",
    ],
    [
      "past the extended deadline: overdue",
      { deadlineChanges: [{ id: 1, newDeadline: "2025-03-01", grantedOn: "2025-02-09" }] },
      "2025-03-02",
      "overdue",
    ],
    [
      "an extension granted after asOf does not count yet",
      { deadlineChanges: [{ id: 1, newDeadline: "2025-03-01", grantedOn: "2025-02-15" }] },
      "2025-02-12",
      "overdue",
    ],
    [
      "an acknowledgment does not stop the clock",
      { responses: [response(1, "2025-02-01", "acknowledgment")] },
      "2025-02-11",
      "overdue",
    ],
    ["full response: answered", { responses: [response(1, "2025-02-01", "full")] }, "2025-03-01", "answered"],
    ["late full response is still answered", { responses: [response(1, "2025-04-01", "full")] }, "2025-05-01", "answered"],
    ["partial response: partial", { responses: [response(1, "2025-02-01", "partial")] }, "2025-03-01", "partial"],
    ["refusal: refused", { responses: [response(1, "2025-02-01", "refusal")] }, "2025-03-01", "refused"],
    [
      "latest substantive response decides (partial then full)",
      { responses: [response(1, "2025-02-01", "partial"), response(2, "2025-02-20", "full")] },
      "2025-03-01",
      "answered",
    ],
    [
      "response after asOf is ignored: overdue on a past date",
      { responses: [response(1, "2025-04-01", "full")] },
      "2025-03-01",
      "overdue",
    ],
    [
      "closed wins over everything",
      { closedOn: "2025-02-20", responses: [response(1, "2025-02-01", "full")] },
      "2025-03-01",
      "closed",
    ],
    ["closed after asOf: not closed yet", { closedOn: "2025-02-20" }, "2025-02-15", "overdue"],
    ["closed on asOf: closed", { closedOn: "2025-02-20" }, "2025-02-20", "closed"],
    [
      "assessments: every question answered -> answered (even under a partial response)",
      {
        responses: [response(1, "2025-02-01", "partial")],
        assessments: [verdict(1, 1, "answered"), verdict(2, 1, "answered")],
      },
      "2025-03-01",
      "answered",
    ],
    [
      "assessments: one answered, one refused -> partial",
      {
        responses: [response(1, "2025-02-01", "partial")],
        assessments: [verdict(1, 1, "answered"), verdict(2, 1, "refused")],
      },
      "2025-03-01",
      "partial",
    ],
    [
      "assessments: only a partial verdict -> partial",
      { responses: [response(1, "2025-02-01", "refusal")], assessments: [verdict(1, 1, "partial")] },
      "2025-03-01",
      "partial",
    ],
    [
      "assessments: refused and not addressed -> refused",
      {
        responses: [response(1, "2025-02-01", "partial")],
        assessments: [verdict(1, 1, "refused"), verdict(2, 1, "not_addressed")],
      },
      "2025-03-01",
      "refused",
    ],
    [
      "assessments: one assessed answered, the other follows a full response -> answered",
      { responses: [response(1, "2025-02-01", "full")], assessments: [verdict(1, 1, "answered")] },
      "2025-03-01",
      "answered",
    ],
    [
      "assessments: full response but a question not addressed -> partial",
      { responses: [response(1, "2025-02-01", "full")], assessments: [verdict(1, 1, "not_addressed")] },
      "2025-03-01",
      "partial",
    ],
    [
      "assessments all not_addressed fall through to the latest response (partial)",
      {
        responses: [response(1, "2025-02-01", "partial")],
        assessments: [verdict(1, 1, "not_addressed"), verdict(2, 1, "not_addressed")],
      },
      "2025-03-01",
      "partial",
    ],
    [
      "assessments all not_addressed on an acknowledgment, past the deadline -> overdue",
      {
        responses: [response(1, "2025-02-01", "acknowledgment")],
        assessments: [verdict(1, 1, "not_addressed"), verdict(2, 1, "not_addressed")],
      },
      "2025-03-01",
      "overdue",
    ],
    [
      "assessments dated after asOf are ignored",
      {
        responses: [response(1, "2025-02-01", "partial"), response(2, "2025-03-10", "full")],
        assessments: [verdict(1, 2, "answered"), verdict(2, 2, "answered")],
      },
      "2025-03-01",
      "partial",
    ],
    [
      "a letter with no questions follows its responses",
      { questionIds: [], responses: [response(1, "2025-02-01", "refusal")] },
      "2025-03-01",
      "refused",
    ],
  ];
  it.each(cases)("%s", (_name, facts, asOf, expected) => {
    expect(letterStatus(letter(facts), asOf, 30)).toBe(expected);
  });

  it("answerStatus is undefined while nothing substantive has come", () => {
    expect(answerStatus(letter({ responses: [response(1, "2025-01-20", "acknowledgment")] }), "2025-03-01")).toBeUndefined();
  });
});

describe("days outstanding and response days", () => {
  const cases: Array<[string, Partial<LetterFacts>, string, number | null, number | null]> = [
    ["no response: days since sending", {}, "2025-02-09", 30, null],
    ["on the day it was sent: 0", {}, "2025-01-10", 0, null],
    ["before it was sent: not outstanding", {}, "2025-01-01", null, null],
    ["acknowledgment does not stop the clock", { responses: [response(1, "2025-01-15", "acknowledgment")] }, "2025-02-09", 30, null],
    ["first substantive response stops it", { responses: [response(1, "2025-01-24", "partial")] }, "2025-02-09", null, 14],
    [
      "response days count to the first substantive response, not the latest",
      { responses: [response(1, "2025-01-15", "acknowledgment"), response(2, "2025-01-24", "partial"), response(3, "2025-03-01", "full")] },
      "2025-04-01",
      null,
      14,
    ],
    ["a response after asOf does not count yet", { responses: [response(1, "2025-03-01", "full")] }, "2025-02-09", 30, null],
    ["across a leap day", { sentOn: "2024-02-28" }, "2024-03-01", 2, null],
    ["across a DST change (calendar days)", { sentOn: "2025-03-08" }, "2025-03-10", 2, null],
  ];
  it.each(cases)("%s", (_name, facts, asOf, outstanding, days) => {
    const subject = letter(facts);
    expect(daysOutstanding(subject, asOf)).toBe(outstanding);
    expect(responseDays(subject, asOf)).toBe(days);
  });

  it("days overdue counts from the effective deadline", () => {
    expect(daysOverdue(letter(), "2025-02-15", 30)).toBe(5);
    expect(daysOverdue(letter(), "2025-02-10", 30)).toBeNull();
    expect(daysOverdue(letter({ responses: [response(1, "2025-02-12", "full")] }), "2025-02-15", 30)).toBeNull();
  });
});

describe("questionTally and letterQuestionCounts: where a letter's question is counted", () => {
  it.each([
    // status, asked again by a later letter by asOf, letter closed by asOf, counted as
    ["open", false, false, "open"],
    ["open", true, false, "askedAgain"],
    ["open", false, true, "closedUnanswered"],
    ["open", true, true, "askedAgain"],
    ["refused", true, false, "refused"],
    ["answered", true, true, "answered"],
    ["partial", false, true, "partial"],
  ] as const)("%s, asked again %s, closed %s: %s", (status, askedAgain, closed, expected) => {
    expect(questionTally({ status, askedAgain }, closed)).toBe(expected);
  });

  it("counts a letter's questions so that they add up to its total", () => {
    const questions = [
      { status: "open", askedAgain: false },
      { status: "open", askedAgain: true },
      { status: "refused", askedAgain: true },
      { status: "answered", askedAgain: false },
    ] as const;
    expect(letterQuestionCounts(questions, false)).toEqual({ total: 4, open: 1, askedAgain: 1, closedUnanswered: 0, refused: 1, answered: 1, partial: 0 });
    expect(letterQuestionCounts(questions, true)).toEqual({ total: 4, open: 0, askedAgain: 1, closedUnanswered: 1, refused: 1, answered: 1, partial: 0 });
  });
});
