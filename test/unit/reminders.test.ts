import { describe, expect, it } from "vitest";
import {
  dueReminder,
  parseDaysBefore,
  parseReminderKey,
  reminderCancelReason,
  reminderDay,
  reminderKey,
  reminderMessage,
  reminderSettingsSchema,
  reminderWording,
  type ReminderOffset,
} from "~/domain/reminders";

const deadline = "2026-03-20";
const defaults = { daysBefore: [7, 1], onOverdue: true };

describe("dueReminder: which reminder is due on a date (deadline 2026-03-20, 7 and 1 days before, overdue)", () => {
  const cases: Array<{ today: string; choice?: { daysBefore: number[]; onOverdue: boolean }; due: ReminderOffset | null; why: string }> = [
    { today: "2026-03-01", due: null, why: "19 days before: nothing yet" },
    { today: "2026-03-12", due: null, why: "8 days before" },
    { today: "2026-03-13", due: 7, why: "7 days before" },
    { today: "2026-03-16", due: 7, why: "4 days before: the 7-day one is still the one due (written once; a missed day catches up)" },
    { today: "2026-03-18", due: 7, why: "2 days before" },
    { today: "2026-03-19", due: 1, why: "1 day before" },
    { today: "2026-03-20", due: null, why: "the deadline's day: nothing new unless 0 was chosen (the 1-day one went yesterday; decision 0020)" },
    { today: "2026-03-21", due: "overdue", why: "the morning after: overdue" },
    { today: "2026-03-23", due: "overdue", why: "3 days late (a pass that missed the morning)" },
    { today: "2026-03-24", due: null, why: "4 days late: long overdue letters give no reminder" },
    { today: "2026-03-21", choice: { daysBefore: [7, 1], onOverdue: false }, due: null, why: "overdue reminders off" },
    { today: "2026-03-13", choice: { daysBefore: [], onOverdue: true }, due: null, why: "no days-before reminders chosen" },
    { today: "2026-03-17", choice: { daysBefore: [3], onOverdue: true }, due: 3, why: "3 days before, when chosen" },
    { today: "2026-03-20", choice: { daysBefore: [0], onOverdue: true }, due: 0, why: "on the day, when 0 is chosen" },
    { today: "2026-02-28", choice: { daysBefore: [30, 7], onOverdue: true }, due: 30, why: "20 days before, 30 and 7 chosen: still the 30-day one (written once, on the first pass from 18 Feb)" },
    { today: "2026-02-18", choice: { daysBefore: [30, 7], onOverdue: true }, due: 30, why: "30 days before" },
  ];
  it.each(cases)("$today: $why", ({ today, choice, due }) => {
    expect(dueReminder(deadline, today, choice ?? defaults)).toBe(due === null ? null : due);
  });

  it("names each reminder by user, letter, deadline and offset (an extension gives new ones)", () => {
    expect(reminderKey(3, 41, deadline, 7)).toBe("reminder:3:41:2026-03-20:7");
    expect(reminderKey(3, 41, "2026-04-20", 7)).not.toBe(reminderKey(3, 41, deadline, 7));
    expect(reminderKey(3, 41, deadline, "overdue")).toBe("reminder:3:41:2026-03-20:overdue");
    expect(reminderDay(deadline, 7)).toBe("2026-03-13");
    expect(reminderDay(deadline, "overdue")).toBe("2026-03-21");
  });
});

describe("parseDaysBefore", () => {
  it.each([
    { input: "7, 1", out: { ok: true, days: [7, 1] } },
    { input: "1 7 7", out: { ok: true, days: [7, 1] } },
    { input: "", out: { ok: true, days: [] } },
    { input: "3;14", out: { ok: true, days: [14, 3] } },
  ])("$input", ({ input, out }) => expect(parseDaysBefore(input)).toEqual(out));
  it.each([
    { input: "seven", message: 'Days before the deadline: "seven" is not a whole number of days' },
    { input: "1.5", message: 'Days before the deadline: "1.5" is not a whole number of days' },
    { input: "90", message: "Days before the deadline: at most 60 (got 90)" },
    { input: "1 2 3 4 5 6", message: "Days before the deadline: at most 5 reminders (got 6)" },
  ])("refuses $input, naming the field", ({ input, message }) => expect(parseDaysBefore(input)).toEqual({ ok: false, message }));
});

describe("the settings form", () => {
  it("reads checkboxes, the days and the hour", () => {
    expect(reminderSettingsSchema.parse({ enabled: "on", scope: "all", daysBefore: "7, 1", onOverdue: "on", hour: "9" })).toEqual({
      enabled: true,
      scope: "all",
      committee: undefined,
      daysBefore: [7, 1],
      onOverdue: true,
      hour: 9,
    });
  });
  it.each([
    { input: { enabled: "on", scope: "committee", daysBefore: "7", hour: "8" }, path: "committee", message: "Committee: choose your committee to get its letters' reminders" },
    { input: { enabled: "on", scope: "all", daysBefore: "7", hour: "24" }, path: "hour", message: "Hour: from 0 to 23" },
    { input: { enabled: "on", scope: "everyone", daysBefore: "7", hour: "8" }, path: "scope", message: "Which letters: choose letters you logged, your committee's, or all" },
    { input: { enabled: "on", scope: "all", daysBefore: "x", hour: "8" }, path: "daysBefore", message: 'Days before the deadline: "x" is not a whole number of days' },
  ])("names the field and the problem: $path", ({ input, path, message }) => {
    const result = reminderSettingsSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => [issue.path.join("."), issue.message])).toContainEqual([path, message]);
  });
});

describe("reminderMessage", () => {
  const base = {
    letterTitle: "Letter <on> the audit",
    letterUrl: "https://tracker.example/letters/a",
    deadline,
    scope: "all" as const,
    committeeName: null,
    settingsUrl: "https://tracker.example/account/reminders",
    unsubscribeUrl: "https://tracker.example/reminders/stop?token=t",
  };
  it.each([
    { today: "2026-03-13", offset: 7 as ReminderOffset, subject: "Deadline in 7 days: Letter <on> the audit" },
    { today: "2026-03-16", offset: 7 as ReminderOffset, subject: "Deadline in 4 days: Letter <on> the audit" },
    { today: "2026-03-19", offset: 1 as ReminderOffset, subject: "Deadline tomorrow: Letter <on> the audit" },
    { today: "2026-03-20", offset: 0 as ReminderOffset, subject: "Deadline today: Letter <on> the audit" },
    { today: "2026-03-21", offset: "overdue" as ReminderOffset, subject: "Overdue: Letter <on> the audit" },
  ])("$today: $subject", ({ today, offset, subject }) => {
    const message = reminderMessage({ ...base, today, offset });
    expect(message.subject).toBe(subject);
    expect(message.text).toContain("You get this because you chose deadline reminders for all letters.");
    expect(message.text).toContain(base.unsubscribeUrl);
    expect(message.html).toContain("Letter &lt;on&gt; the audit");
    expect(message.html).not.toContain("<on>");
  });
});

describe("reminderWording: the distance from the day it is sent, the date said plainly (deadline Friday 20 March 2026)", () => {
  const cases: Array<{ offset: ReminderOffset; sendDay: string; implied?: boolean; head: string | null; sentence?: string; why: string }> = [
    { offset: 7, sendDay: "2026-03-13", head: "Deadline in 7 days", sentence: "Deadline Friday 20 March 2026, in 7 days", why: "sent on its day" },
    { offset: 7, sendDay: "2026-03-14", head: "Deadline in 6 days", sentence: "Deadline Friday 20 March 2026, in 6 days", why: "a day late (server down): 6, not 7" },
    { offset: 7, sendDay: "2026-03-19", head: "Deadline tomorrow", sentence: "Deadline Friday 20 March 2026, tomorrow", why: "six days late" },
    { offset: 7, sendDay: "2026-03-20", head: "Deadline today", sentence: "Deadline Friday 20 March 2026, today", why: "held up until the deadline's day" },
    { offset: 7, sendDay: "2026-03-21", head: null, why: "the deadline passed before it could be sent: not sent (cancelled)" },
    { offset: 1, sendDay: "2026-03-19", head: "Deadline tomorrow", sentence: "Deadline Friday 20 March 2026, tomorrow", why: "the 1-day reminder on its day" },
    { offset: 1, sendDay: "2026-03-20", head: "Deadline today", sentence: "Deadline Friday 20 March 2026, today", why: "the 1-day reminder a day late" },
    { offset: 1, sendDay: "2026-03-22", head: null, why: "the 1-day reminder after the deadline: cancelled" },
    { offset: 0, sendDay: "2026-03-20", head: "Deadline today", sentence: "Deadline Friday 20 March 2026, today", why: "on the day" },
    { offset: 7, sendDay: "2026-03-14", implied: true, head: "Due in 6 days", sentence: "Due Friday 20 March 2026, in 6 days (no deadline set; due by default)", why: "an implied deadline is 'due', not a deadline" },
    { offset: "overdue", sendDay: "2026-03-21", head: "Overdue", sentence: "Overdue: the deadline of Friday 20 March 2026 passed yesterday without a substantive response", why: "the overdue morning" },
    { offset: "overdue", sendDay: "2026-03-24", head: "Overdue", sentence: "Overdue: the deadline of Friday 20 March 2026 passed 4 days ago without a substantive response", why: "the overdue reminder 3 days late says how long ago" },
    { offset: "overdue", sendDay: "2026-03-20", head: null, why: "an overdue reminder before the deadline passed: never" },
  ];
  it.each(cases)("$offset sent $sendDay: $why", ({ offset, sendDay, implied, head, sentence }) => {
    const wording = reminderWording({ deadline, offset, sendDay, implied });
    if (head === null) expect(wording).toBeNull();
    else expect(wording).toEqual({ head, sentence });
  });
});

describe("reminderMessage for a letter that set no deadline (decision 0014: shown as such)", () => {
  const base = {
    letterTitle: "Silent letter",
    letterUrl: "https://tracker.example/letters/a",
    deadline,
    deadlineSource: "implied" as const,
    impliedDays: 30,
    scope: "all" as const,
    committeeName: null,
    settingsUrl: "https://tracker.example/account/reminders",
    unsubscribeUrl: "https://tracker.example/reminders/stop?token=t",
  };
  it.each([
    { today: "2026-03-13", offset: 7 as ReminderOffset, subject: "Due in 7 days (no deadline set): Silent letter", line: "Due Friday 20 March 2026, in 7 days (no deadline set; due 30 days after sending by default)." },
    { today: "2026-03-19", offset: 1 as ReminderOffset, subject: "Due tomorrow (no deadline set): Silent letter", line: "Due Friday 20 March 2026, tomorrow (no deadline set; due 30 days after sending by default)." },
    { today: "2026-03-21", offset: "overdue" as ReminderOffset, subject: "Overdue (no deadline set): Silent letter", line: "Overdue: no deadline set; due 30 days after sending by default; that day, Friday 20 March 2026, passed yesterday without a substantive response." },
  ])("$today: $subject", ({ today, offset, subject, line }) => {
    const message = reminderMessage({ ...base, today, offset });
    expect(message.subject).toBe(subject);
    expect(message.text.split("\n")).toContain(line);
    expect(message.text).not.toMatch(/deadline in|the deadline of/i);
  });
});

describe("a queued reminder checked again before it is sent (decision 0020 addendum)", () => {
  it("reads its key back, and nothing else", () => {
    expect(parseReminderKey(reminderKey(3, 41, deadline, 7))).toEqual({ userId: 3, letterId: 41, deadline, offset: 7 });
    expect(parseReminderKey(reminderKey(3, 41, deadline, "overdue"))).toEqual({ userId: 3, letterId: 41, deadline, offset: "overdue" });
    expect(parseReminderKey("alert:3:41")).toBeNull();
    expect(parseReminderKey("reminder:3:41:2026-03-20:7:extra")).toBeNull();
  });

  const user = { disabled: false, stopped: false };
  const letter = { closed: false, answered: false, effectiveDeadline: deadline };
  it.each([
    { why: "all still holds", offset: 7 as ReminderOffset, today: "2026-03-14", user, letter, reason: null },
    { why: "a day late (the server was down): still before the deadline", offset: 7 as ReminderOffset, today: "2026-03-19", user, letter, reason: null },
    { why: "the overdue one, late", offset: "overdue" as ReminderOffset, today: "2026-03-23", user, letter, reason: null },
    { why: "account removed", offset: 7 as ReminderOffset, today: "2026-03-14", user: null, letter, reason: "the staffer's account no longer exists" },
    { why: "account disabled", offset: 7 as ReminderOffset, today: "2026-03-14", user: { disabled: true, stopped: false }, letter, reason: "the staffer's account was disabled" },
    { why: "reminders stopped", offset: 7 as ReminderOffset, today: "2026-03-14", user: { disabled: false, stopped: true }, letter, reason: "the staffer stopped their reminders" },
    { why: "letter deleted", offset: 7 as ReminderOffset, today: "2026-03-14", user, letter: null, reason: "the letter was deleted" },
    { why: "letter closed", offset: 7 as ReminderOffset, today: "2026-03-14", user, letter: { ...letter, closed: true }, reason: "the letter was closed" },
    { why: "answered", offset: 1 as ReminderOffset, today: "2026-03-19", user, letter: { ...letter, answered: true }, reason: "the letter has a substantive response" },
    { why: "extended", offset: 7 as ReminderOffset, today: "2026-03-14", user, letter: { ...letter, effectiveDeadline: "2026-04-20" }, reason: "the deadline moved to 2026-04-20" },
    { why: "deadline removed", offset: 7 as ReminderOffset, today: "2026-03-14", user, letter: { ...letter, effectiveDeadline: null }, reason: "the letter no longer has a deadline" },
    { why: "a 'days before' one after the deadline", offset: 1 as ReminderOffset, today: "2026-03-21", user, letter, reason: "the deadline passed before it could be sent" },
    { why: "still in the staffer's scope", offset: 7 as ReminderOffset, today: "2026-03-14", user: { ...user, scope: "logged" as const }, letter: { ...letter, inScope: true }, reason: null },
    {
      why: "scope narrowed to their own letters since it was written",
      offset: 7 as ReminderOffset,
      today: "2026-03-14",
      user: { ...user, scope: "logged" as const },
      letter: { ...letter, inScope: false },
      reason: "the staffer now chooses reminders for letters they logged only, and this letter is not one of them",
    },
    {
      why: "scope changed to another committee",
      offset: "overdue" as ReminderOffset,
      today: "2026-03-21",
      user: { ...user, scope: "committee" as const, committeeName: "Committee on Oversight" },
      letter: { ...letter, inScope: false },
      reason: "the staffer now chooses reminders for the letters of Committee on Oversight only, and this letter is not one of them",
    },
  ])("$why", ({ offset, today, user, letter, reason }) => {
    expect(reminderCancelReason({ deadline, offset }, { today, user, letter })).toBe(reason);
  });
});
