import { describe, expect, it } from "vitest";
import {
  approximateFactDateProblems,
  countedDay,
  factDateText,
  factDateTextProblems,
  formatFactDate,
  isCalendarMonth,
  keptMonthDay,
  lastDayOfMonth,
  readFactDate,
  resolveFactDate,
} from "~/domain/approximate-date";
import { responseFormSchema } from "~/domain/forms";
import { parseLetterFile, recordRuleProblems } from "~/domain/letter-record";
import { buildTimeline } from "~/domain/timeline";
import { buildLetterRecord } from "../factories";

const TODAY = "2026-12-01";

describe("reading a fact date: a day or a month", () => {
  it.each([
    { value: "2025-06-17", read: { precision: "day", date: "2025-06-17" } },
    { value: " 2025-06 ", read: { precision: "month", month: "2025-06" } },
    { value: "2025-12", read: { precision: "month", month: "2025-12" } },
    { value: "2025-13", read: null },
    { value: "2025-00", read: null },
    { value: "2025-6", read: null },
    { value: "2025-02-30", read: null },
    { value: "June 2025", read: null },
    { value: "2025", read: null },
    { value: "", read: null },
  ])("$value", ({ value, read }) => {
    expect(readFactDate(value)).toEqual(read);
    expect(isCalendarMonth(value.trim())).toBe(read?.precision === "month");
  });
});

describe("the day a month counts as", () => {
  it.each([
    { month: "2025-06", last: "2025-06-30" },
    { month: "2025-02", last: "2025-02-28" },
    { month: "2024-02", last: "2024-02-29" },
    { month: "2025-12", last: "2025-12-31" },
    { month: "2025-01", last: "2025-01-31" },
  ])("$month ends on $last", ({ month, last }) => {
    expect(lastDayOfMonth(month)).toBe(last);
  });

  it.each([
    { month: "2025-06", today: TODAY, counted: "2025-06-30", why: "a past month: its last day" },
    { month: "2026-11", today: TODAY, counted: "2026-11-30", why: "last month: its last day" },
    { month: "2026-12", today: TODAY, counted: "2026-12-01", why: "this month: today, never a day ahead" },
    { month: "2026-12", today: "2026-12-31", counted: "2026-12-31", why: "this month on its last day" },
  ])("$month on $today: $counted ($why)", ({ month, today, counted }) => {
    expect(countedDay(month, today)).toBe(counted);
    expect(resolveFactDate(month, today)).toEqual({ date: counted, precision: "month" });
  });

  it("a day is stored as it is", () => {
    expect(resolveFactDate("2025-06-17", TODAY)).toEqual({ date: "2025-06-17", precision: "day" });
    expect(resolveFactDate("June", TODAY)).toBeNull();
  });

  it.each([
    { name: "an edit keeping the month keeps the stored day", resolved: { date: "2026-12-31", precision: "month" }, stored: { date: "2026-12-01", precision: "month" }, kept: { date: "2026-12-01", precision: "month" } },
    { name: "another month is resolved afresh", resolved: { date: "2026-11-30", precision: "month" }, stored: { date: "2026-12-01", precision: "month" }, kept: { date: "2026-11-30", precision: "month" } },
    { name: "a day given for a month-only date replaces it", resolved: { date: "2026-12-01", precision: "day" }, stored: { date: "2026-12-01", precision: "month" }, kept: { date: "2026-12-01", precision: "day" } },
    { name: "a month given for a day is resolved afresh", resolved: { date: "2025-06-30", precision: "month" }, stored: { date: "2025-06-17", precision: "day" }, kept: { date: "2025-06-30", precision: "month" } },
    { name: "a new response", resolved: { date: "2025-06-30", precision: "month" }, stored: null, kept: { date: "2025-06-30", precision: "month" } },
  ] as const)("$name", ({ resolved, stored, kept }) => {
    expect(keptMonthDay(resolved, stored)).toEqual(kept);
  });
});

describe("writing and showing a fact date", () => {
  it.each([
    { date: "2025-06-30", precision: "month", text: "2025-06", shown: "June 2025" },
    { date: "2026-12-01", precision: "month", text: "2026-12", shown: "December 2026" },
    { date: "2025-06-17", precision: "day", text: "2025-06-17", shown: "17 Jun 2025" },
    { date: "2025-06-17", precision: undefined, text: "2025-06-17", shown: "17 Jun 2025" },
  ] as const)("$date ($precision): $text, shown $shown", ({ date, precision, text, shown }) => {
    expect(factDateText(date, precision)).toBe(text);
    expect(formatFactDate(date, precision)).toBe(shown);
  });

  it("round trip: the text of a stored month resolves to the same stored date", () => {
    for (const month of ["2023-02", "2024-02", "2025-06", "2025-12"]) {
      const stored = resolveFactDate(month, TODAY)!;
      expect(factDateText(stored.date, stored.precision)).toBe(month);
      expect(resolveFactDate(factDateText(stored.date, stored.precision), TODAY)).toEqual(stored);
    }
  });

  it("the timeline places a month-only reply on the month's last day and keeps its precision", () => {
    const events = buildTimeline({
      sentOn: "2025-05-20",
      deadline: "2025-06-10",
      closedOn: null,
      closedReason: null,
      deadlineChanges: [],
      responses: [{ id: 1, receivedOn: "2025-06-30", receivedPrecision: "month", from: "State", completeness: "partial" }],
      followUps: [{ slug: "next", title: "Next", sentOn: "2025-06-20" }],
    });
    expect(events.map((event) => [event.kind, event.date, event.precision])).toEqual([
      ["sent", "2025-05-20", "day"],
      ["deadline", "2025-06-10", "day"],
      ["follow-up", "2025-06-20", "day"],
      ["response", "2025-06-30", "month"],
    ]);
  });
});

describe("rules for a fact date that may be a month", () => {
  const SENT = "2025-05-20";
  it.each([
    { value: "2025-06", problems: [] },
    { value: "2025-05", problems: [], why: "the month the letter was sent: its last day is after sending" },
    { value: "2026-12", problems: [], why: "this month" },
    { value: "2025-06-17", problems: [] },
    { value: "2025-04", problems: ["Received date cannot be before the month the letter was sent (2025-05)"] },
    { value: "2027-01", problems: ["Received date cannot be in the future (this month is 2026-12)"] },
    { value: "2026-12-02", problems: ["Received date cannot be in the future (today is 2026-12-01)"] },
    { value: "2025-05-19", problems: ["Received date cannot be before the letter was sent (2025-05-20)"] },
    { value: "2025-13", problems: ["Received date must be a real date (YYYY-MM-DD) or a month (YYYY-MM)"] },
    { value: "17/06/2025", problems: ["Received date must be a real date (YYYY-MM-DD) or a month (YYYY-MM)"] },
    { value: "", problems: ["Received date is required: a date (YYYY-MM-DD), or the month (YYYY-MM) when the record gives only the month"] },
    { value: "   ", problems: ["Received date is required: a date (YYYY-MM-DD), or the month (YYYY-MM) when the record gives only the month"] },
    { value: null, problems: ["Received date is required: a date (YYYY-MM-DD), or the month (YYYY-MM) when the record gives only the month"] },
  ])("a response received $value", ({ value, problems }) => {
    const found = approximateFactDateProblems({ field: "receivedOn", label: "Received date", value, sentOn: SENT, today: TODAY });
    expect(found.map((problem) => problem.message)).toEqual(problems);
    expect(found.every((problem) => problem.field === "receivedOn")).toBe(true);
  });

  it.each([
    { value: "2025-06", problems: [] },
    { value: "2027-01", problems: ["Received date cannot be in the future (this month is 2026-12)"] },
    { value: "x", problems: ["Received date must be a real date (YYYY-MM-DD) or a month (YYYY-MM)"] },
  ])("before the letter is known, $value", ({ value, problems }) => {
    expect(factDateTextProblems({ field: "f", label: "Received date", value, today: TODAY }).map((problem) => problem.message)).toEqual(problems);
  });
});

describe("the response form's schema", () => {
  const base = { from: "State", completeness: "partial" };
  it.each([
    { receivedOn: "2025-06", error: undefined },
    { receivedOn: "2025-06-17", error: undefined },
    { receivedOn: "2099-01", error: /Received date cannot be in the future/ },
    { receivedOn: "2025-6", error: /Received date must be a real date \(YYYY-MM-DD\) or a month \(YYYY-MM\)/ },
    { receivedOn: undefined, error: /Received date is required/ },
  ])("receivedOn $receivedOn", ({ receivedOn, error }) => {
    const result = responseFormSchema.safeParse({ ...base, receivedOn });
    if (!error) {
      expect(result.success).toBe(true);
      expect(result.data?.receivedOn).toBe(receivedOn);
    } else {
      expect(result.success).toBe(false);
      expect(result.error!.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([["receivedOn", expect.stringMatching(error)]]);
    }
  });
});

describe("the exchange format (JSON and CSV records)", () => {
  const record = (received_on: unknown, sent_on = "2025-05-20") => ({ ...buildLetterRecord(), sent_on, deadline: null, responses: [{ received_on, from: "State", completeness: "partial" }] });
  it.each([
    { received_on: "2025-06", message: undefined },
    { received_on: "2025-05", message: undefined },
    { received_on: "2025-04", message: /before the month of the letter's sent_on/ },
    { received_on: "2025-13", message: /YYYY-MM-DD form, or a month in YYYY-MM form/ },
    { received_on: "", message: /is required/ },
    { received_on: undefined, message: /is required/ },
    { received_on: null, message: /is required/ },
  ])("received_on $received_on", ({ received_on, message }) => {
    const result = parseLetterFile({ letters: [record(received_on)] });
    if (!message) {
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.letters[0]!.responses[0]!.received_on).toBe(received_on);
    } else {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems).toEqual([{ letterId: expect.any(String), field: "responses.0.received_on", message: expect.stringMatching(message) }]);
    }
  });

  it("the writer's rules: a month after this one is refused, naming the response's field", () => {
    const parsed = parseLetterFile({ letters: [record("2027-01")] });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(recordRuleProblems(parsed.letters[0]!, TODAY)).toEqual([
      { field: "responses.0.received_on", message: "Received date cannot be in the future (this month is 2026-12)" },
    ]);
    expect(recordRuleProblems({ ...parsed.letters[0]!, responses: [{ ...parsed.letters[0]!.responses[0]!, received_on: "2026-12" }] }, TODAY)).toEqual([]);
  });
});
