import { describe, expect, it } from "vitest";
import { deadlineEventText, type DeadlineEventLetter } from "~/domain/deadline-event";

const letter: DeadlineEventLetter = {
  title: "On the contract",
  sentOn: "2025-01-02",
  status: "awaiting",
  deadline: "2025-02-01",
  effectiveDeadline: "2025-02-01",
  deadlineSource: "letter",
  agencies: ["Department of Examples", "Bureau of Samples"],
};

describe("deadlineEventText: a calendar event says where its deadline comes from (decision 0014)", () => {
  it.each([
    ["the letter's own deadline", letter, 30, "Deadline: On the contract", ["To: Department of Examples; Bureau of Samples", "Sent: 2 Jan 2025", "Status: awaiting"]],
    [
      "an extension of the letter's deadline",
      { ...letter, effectiveDeadline: "2025-03-01", deadlineSource: "extension" as const },
      30,
      "Deadline: On the contract",
      ["To: Department of Examples; Bureau of Samples", "Sent: 2 Jan 2025", "Status: awaiting", "Extended from 1 Feb 2025"],
    ],
    [
      "an extension of a letter that set none",
      { ...letter, deadline: null, effectiveDeadline: "2025-03-01", deadlineSource: "extension" as const },
      30,
      "Deadline: On the contract",
      ["To: Department of Examples; Bureau of Samples", "Sent: 2 Jan 2025", "Status: awaiting", "Extended (the letter set no deadline)"],
    ],
    [
      "an implied deadline, 30 days",
      { ...letter, deadline: null, deadlineSource: "implied" as const, status: "overdue" as const },
      30,
      "Deadline (implied): On the contract",
      ["Implied deadline: no deadline set; due 30 days after sending by default", "To: Department of Examples; Bureau of Samples", "Sent: 2 Jan 2025", "Status: overdue"],
    ],
    [
      "an implied deadline, 1 day",
      { ...letter, deadline: null, deadlineSource: "implied" as const },
      1,
      "Deadline (implied): On the contract",
      ["Implied deadline: no deadline set; due 1 day after sending by default", "To: Department of Examples; Bureau of Samples", "Sent: 2 Jan 2025", "Status: awaiting"],
    ],
  ])("%s", (_name, input, days, summary, lines) => {
    expect(deadlineEventText(input, days)).toEqual({ summary, description: lines.join("\n") });
  });
});
