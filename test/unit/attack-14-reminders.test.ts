/**
 * Attack on issue 14 (branch attack14). Decision 0020: "on the deadline's day nothing new unless 0
 * was chosen". dueReminder answers 1 on the deadline's day, so whenever the 1-day reminder was not
 * written the day before (the letter was logged on its deadline's day, its deadline was edited to
 * today, an extension to today was recorded, or the staffer switched reminders on this morning) the
 * pass writes a new reminder that reads "Deadline today", which the staffer never chose.
 */
import { describe, expect, it } from "vitest";
import { dueReminder, reminderKey, reminderMessage } from "~/domain/reminders";

describe("attack 14: on the deadline's day, nothing new unless 0 was chosen", () => {
  it.each([
    { daysBefore: [7, 1], why: "the defaults" },
    { daysBefore: [3], why: "3 days before only" },
    { daysBefore: [30, 7], why: "30 and 7 days before" },
  ])("$why: no reminder is due on the deadline's day", ({ daysBefore }) => {
    expect(dueReminder("2026-03-20", "2026-03-20", { daysBefore, onOverdue: true })).toBeNull();
  });

  it("a letter whose deadline moved to today: the key is new, so a 'Deadline today' mail would go out under offset 1", () => {
    const offset = dueReminder("2026-03-20", "2026-03-20", { daysBefore: [7, 1], onOverdue: true });
    // What the pass would write, if anything: it must not be a "Deadline today" the staffer did not ask for.
    if (offset !== null) {
      const message = reminderMessage({
        letterTitle: "Letter",
        letterUrl: "https://tracker.example/letters/x",
        deadline: "2026-03-20",
        offset,
        today: "2026-03-20",
        scope: "all",
        committeeName: null,
        settingsUrl: "https://tracker.example/account/reminders",
        unsubscribeUrl: "https://tracker.example/reminders/stop?token=x",
      });
      expect(`${reminderKey(1, 1, "2026-03-20", offset)} ${message.subject}`).toBe("no reminder at all");
    }
  });
});
