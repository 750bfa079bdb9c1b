/**
 * Staff deadline reminders (decision 0020), pure: which reminder of a letter is due on a date, the
 * settings form, and the words of a reminder. No database here: app/models/reminders.server.ts
 * applies them once a day (and on every sender turn, idempotently).
 *
 * A reminder is identified by (user, letter, deadline, offset): `offset` is a number of days
 * before the deadline, or "overdue" for the morning after it passed. The deadline is part of the
 * identity, so an extension that moves it gives new reminders for the new date.
 */
import { z } from "zod";
import { addCalendarDays, daysBetween, formatLongDate, type CalendarDate } from "./dates";
import { impliedDeadlineLabel, REMINDER_SCOPES, type DeadlineSource, type ReminderScope } from "./vocabulary";
import { escapeHtml } from "./html-escape";

export type ReminderOffset = number | "overdue";

export const DEFAULT_DAYS_BEFORE: readonly number[] = [7, 1];
/** The most days before a deadline a reminder may be asked for, and how many such reminders. */
export const MAX_DAYS_BEFORE = 60;
export const MAX_REMINDERS = 5;
/**
 * How many days late a reminder may still be written when the pass did not run on its day (the
 * server was down): the overdue reminder up to this many days after the deadline passed; never
 * for letters long overdue (a staffer switching reminders on must not get one per old letter).
 */
export const OVERDUE_GRACE_DAYS = 3;

export interface ReminderChoice {
  daysBefore: readonly number[];
  onOverdue: boolean;
}

/**
 * The reminder due on `today` for a letter whose (effective) deadline is `deadline`, or null.
 * Before the deadline: the nearest chosen offset whose day has come (so a pass that missed the day
 * of the 7-day reminder still writes it on day 6, but not once the 1-day reminder is due); on and
 * on the deadline's day, only the 0-day reminder and only when 0 was chosen (decision 0020); then,
 * once it has passed, "overdue" for OVERDUE_GRACE_DAYS.
 */
export function dueReminder(deadline: CalendarDate, today: CalendarDate, choice: ReminderChoice): ReminderOffset | null {
  const left = daysBetween(today, deadline);
  if (left < 0) return choice.onOverdue && -left <= OVERDUE_GRACE_DAYS ? "overdue" : null;
  // The deadline's day: only the "on the day" reminder, when chosen. A deadline moved to today (or
  // reminders switched on this morning) must not give a "Deadline today" nobody asked for.
  if (left === 0) return choice.daysBefore.includes(0) ? 0 : null;
  const reached = choice.daysBefore.filter((days) => days >= left).sort((a, b) => a - b);
  return reached[0] ?? null;
}

/** The day a reminder is meant for (for the message and the tests). */
export function reminderDay(deadline: CalendarDate, offset: ReminderOffset): CalendarDate {
  return offset === "overdue" ? addCalendarDays(deadline, 1) : addCalendarDays(deadline, -offset);
}

/** One reminder once: the outbox dedupe key. */
export function reminderKey(userId: number, letterId: number, deadline: CalendarDate, offset: ReminderOffset): string {
  return `reminder:${userId}:${letterId}:${deadline}:${offset}`;
}

/** A reminder's dedupe key read back (null for any other key): the sender checks it again before sending. */
export function parseReminderKey(key: string): { userId: number; letterId: number; deadline: CalendarDate; offset: ReminderOffset } | null {
  const match = /^reminder:(\d+):(\d+):(\d{4}-\d{2}-\d{2}):(\d+|overdue)$/.exec(key);
  if (!match) return null;
  return { userId: Number(match[1]), letterId: Number(match[2]), deadline: match[3]!, offset: match[4] === "overdue" ? "overdue" : Number(match[4]) };
}

/**
 * Why a reminder written earlier must not be sent now (it waited in the outbox while the mail
 * server was down), or null: the same conditions as the pass that wrote it (an enabled account
 * with reminders on; an open letter without a substantive response whose deadline is still the
 * one reminded of), and a "before the deadline" reminder not after the deadline's day.
 */
export function reminderCancelReason(
  reminder: { deadline: CalendarDate; offset: ReminderOffset },
  now: {
    today: CalendarDate;
    /** `scope`: the staffer's choice now (null: none recorded); `committeeName` for "committee". */
    user: { disabled: boolean; stopped: boolean; scope?: ReminderScope | null; committeeName?: string | null } | null;
    /** `inScope`: whether the letter is among the staffer's chosen letters now (undefined: not checked). */
    letter: { closed: boolean; answered: boolean; effectiveDeadline: CalendarDate | null; inScope?: boolean } | null;
  },
): string | null {
  if (!now.user) return "the staffer's account no longer exists";
  if (now.user.disabled) return "the staffer's account was disabled";
  if (now.user.stopped) return "the staffer stopped their reminders";
  if (!now.letter) return "the letter was deleted";
  if (now.letter.inScope === false) {
    const which = now.user.scope === "logged" ? "letters they logged" : now.user.scope === "committee" ? `the letters of ${now.user.committeeName ?? "their committee"}` : "their chosen letters";
    return `the staffer now chooses reminders for ${which} only, and this letter is not one of them`;
  }
  if (now.letter.closed) return "the letter was closed";
  if (now.letter.answered) return "the letter has a substantive response";
  if (now.letter.effectiveDeadline === null) return "the letter no longer has a deadline";
  if (now.letter.effectiveDeadline !== reminder.deadline) return `the deadline moved to ${now.letter.effectiveDeadline}`;
  if (reminder.offset !== "overdue" && now.today > reminder.deadline) return "the deadline passed before it could be sent";
  return null;
}

/** Whether the pass may write a user's reminders at `now`: from their hour on (server time). */
export function reminderHourReached(hour: number, now: Date): boolean {
  return now.getHours() >= hour;
}

// ---------------------------------------------------------------------------------------------
// The settings form

/** "7, 1" → [7, 1]: whole days, 0 to MAX_DAYS_BEFORE, distinct, largest first. */
export function parseDaysBefore(value: string): { ok: true; days: number[] } | { ok: false; message: string } {
  const parts = value
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 0) return { ok: true, days: [] };
  const days: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return { ok: false, message: `Days before the deadline: "${part.slice(0, 20)}" is not a whole number of days` };
    const n = Number(part);
    if (n > MAX_DAYS_BEFORE) return { ok: false, message: `Days before the deadline: at most ${MAX_DAYS_BEFORE} (got ${n})` };
    if (!days.includes(n)) days.push(n);
  }
  if (days.length > MAX_REMINDERS) return { ok: false, message: `Days before the deadline: at most ${MAX_REMINDERS} reminders (got ${days.length})` };
  return { ok: true, days: days.sort((a, b) => b - a) };
}

/** The staff reminder settings form (one schema, checked on the server and through Conform). */
export const reminderSettingsSchema = z
  .object({
    enabled: z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean()),
    scope: z.enum(REMINDER_SCOPES, { error: "Which letters: choose letters you logged, your committee's, or all" }).default("logged"),
    committee: z.string().trim().max(200, "Committee: too long").optional(),
    daysBefore: z
      .string()
      .trim()
      .max(100, "Days before the deadline: too long")
      .optional()
      .transform((value, ctx) => {
        const parsed = parseDaysBefore(value ?? "");
        if (!parsed.ok) {
          ctx.addIssue({ code: "custom", message: parsed.message });
          return z.NEVER;
        }
        return parsed.days;
      }),
    onOverdue: z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean()),
    hour: z.coerce
      .number({ error: "Hour: choose an hour from 0 to 23" })
      .int("Hour: a whole hour from 0 to 23")
      .min(0, "Hour: from 0 to 23")
      .max(23, "Hour: from 0 to 23")
      .default(8),
  })
  .superRefine((value, ctx) => {
    if (value.enabled && value.scope === "committee" && !value.committee) {
      ctx.addIssue({ code: "custom", path: ["committee"], message: "Committee: choose your committee to get its letters' reminders" });
    }
  });
export type ReminderSettingsForm = z.infer<typeof reminderSettingsSchema>;

// ---------------------------------------------------------------------------------------------
// The message

export interface ReminderForMail {
  letterTitle: string;
  letterUrl: string;
  deadline: CalendarDate;
  /**
   * Where the deadline comes from: "implied" (the letter set none; due DEFAULT_RESPONSE_DAYS after
   * sending) is worded as the pages word it (impliedDeadlineLabel), never as a deadline the letter set.
   */
  deadlineSource?: DeadlineSource | null;
  /** DEFAULT_RESPONSE_DAYS, for an implied deadline's wording. */
  impliedDays?: number;
  offset: ReminderOffset;
  today: CalendarDate;
  scope: ReminderScope;
  committeeName: string | null;
  settingsUrl: string;
  unsubscribeUrl: string;
}

/**
 * When a reminder says the deadline is, counted from `sendDay` (the day the message leaves, not the
 * day it was written: a reminder held up by a mail server that was down, or retried, must not say
 * "in 7 days" on day 6), with the deadline's date said plainly. Null: a "before the deadline"
 * reminder whose deadline has passed by `sendDay` (it is cancelled, reminderCancelReason; the
 * overdue reminder is a reminder of its own, written by the daily pass, decision 0025).
 */
export function reminderWording(r: {
  deadline: CalendarDate;
  offset: ReminderOffset;
  sendDay: CalendarDate;
  implied?: boolean;
  impliedWords?: string;
}): { head: string; sentence: string } | null {
  const left = daysBetween(r.sendDay, r.deadline);
  const date = formatLongDate(r.deadline);
  const impliedWords = r.impliedWords ?? "no deadline set; due by default";
  if (r.offset === "overdue") {
    // An overdue reminder is written after the deadline; sent later still, it says how long ago.
    if (left >= 0) return null;
    const ago = left === -1 ? " yesterday" : ` ${-left} days ago`;
    return {
      head: "Overdue",
      sentence: r.implied
        ? `Overdue: ${impliedWords}; that day, ${date}, passed${ago} without a substantive response`
        : `Overdue: the deadline of ${date} passed${ago} without a substantive response`,
    };
  }
  if (left < 0) return null;
  // A letter that set no deadline is "due" by default, not given a "deadline" (decision 0014).
  const noun = r.implied ? "Due" : "Deadline";
  const distance = left === 0 ? "today" : left === 1 ? "tomorrow" : `in ${left} days`;
  return {
    head: `${noun} ${distance}`,
    sentence: `${noun} ${date}, ${distance}${r.implied ? ` (${impliedWords})` : ""}`,
  };
}

export function reminderMessage(r: ReminderForMail): { subject: string; text: string; html: string } {
  const implied = r.deadlineSource === "implied";
  const impliedWords = r.impliedDays ? impliedDeadlineLabel(r.impliedDays) : "no deadline set; due by default";
  const wording = reminderWording({ deadline: r.deadline, offset: r.offset, sendDay: r.today, implied, impliedWords }) ?? {
    // Only for a caller that renders a reminder the sender would cancel (the tests): said plainly.
    head: r.offset === "overdue" ? "Overdue" : implied ? "Due" : "Deadline",
    sentence: `${implied ? "Due" : "Deadline"} ${formatLongDate(r.deadline)}`,
  };
  const when = wording.sentence;
  const subject = `${wording.head}${implied ? " (no deadline set)" : ""}: ${r.letterTitle}`;
  const which = r.scope === "logged" ? "letters you logged" : r.scope === "committee" ? `the letters of ${r.committeeName ?? "your committee"}` : "all letters";
  const why = `You get this because you chose deadline reminders for ${which}.`;
  const text = [
    r.letterTitle,
    `${when}.`,
    `See it: ${r.letterUrl}`,
    "",
    why,
    `Change your reminders: ${r.settingsUrl}`,
    `Stop all reminders (one click): ${r.unsubscribeUrl}`,
  ].join("\n");
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="font-family:sans-serif;max-width:40em">` +
    `<h1 style="font-size:1.2em"><a href="${escapeHtml(r.letterUrl)}">${escapeHtml(r.letterTitle)}</a></h1><p>${escapeHtml(when)}.</p>` +
    `<hr><p>${escapeHtml(why)} <a href="${escapeHtml(r.settingsUrl)}">Change your reminders</a>.</p>` +
    `<p><a href="${escapeHtml(r.unsubscribeUrl)}">Stop all reminders</a> (one click).</p></body></html>`;
  return { subject, text, html };
}
