/**
 * Reminders that leave later than planned (decision 0025) and reminders whose staffer narrowed
 * their choice while they waited, through the real sender and a real SMTP server: the words say
 * the distance from the day the message leaves, with the deadline's date plainly; one whose
 * deadline passed meanwhile is cancelled (the overdue reminder is its own); one for a letter no
 * longer in the staffer's scope is cancelled with the reason.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.server";
import { addCalendarDays, formatLongDate, today } from "~/domain/dates";
import { saveReminderSettings } from "~/models/reminders.server";
import { runMailTurn, type MailTransport } from "~/utils/mail-sender.server";
import { createLetter } from "../factories";
import { freshDatabase } from "../support/database";
import { useSmtpServer } from "../support/mail";

let db: Db;
let clock = Date.now();
const now = () => clock;
const noonOf = (date: string) => new Date(`${date}T12:00:00`).getTime();

const mail = useSmtpServer();
beforeEach(() => {
  db = freshDatabase();
});

/** A mail server that is down: every try fails (not permanently), so the message waits. */
const downServer: MailTransport = {
  send: () => Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })),
  close: () => {},
};

function addStaffer(email: string): number {
  return db.get<{ id: number }>(sql`INSERT INTO users (email, name, role, password_hash) VALUES (${email}, 'Staffer', 'editor', 'x') RETURNING id`)!.id;
}

const settings = (overrides: Partial<Parameters<typeof saveReminderSettings>[1]> = {}) => ({
  enabled: true,
  scope: "all" as const,
  committee: undefined,
  daysBefore: [7, 1],
  onOverdue: true,
  hour: 0,
  ...overrides,
});

async function turnOn(date: string, transport: MailTransport): Promise<void> {
  clock = noonOf(date);
  await runMailTurn({ transport, now });
}

const outboxRows = () =>
  db.all<{ subject: string; state: string; lastError: string | null }>(sql`SELECT subject, state, last_error AS lastError FROM outbox WHERE kind = 'reminder' ORDER BY id`);

describe("a reminder sent later than planned", () => {
  it("says the true distance from the day it leaves, with the deadline's date, not 'in 7 days' a day late", async () => {
    const deadline = addCalendarDays(today(), 40);
    createLetter(db, { title: "Letter on the audit", sent_on: today(), deadline });
    expect(saveReminderSettings(addStaffer("late@example.org"), settings())).toEqual({ ok: true });

    // Written on its day, 7 days before; the mail server is down all day.
    await turnOn(addCalendarDays(deadline, -7), downServer);
    expect(outboxRows()).toEqual([expect.objectContaining({ subject: "Deadline in 7 days: Letter on the audit", state: "queued" })]);
    expect(mail.smtp.received).toHaveLength(0);

    // The next day the server is back: the message leaves 6 days before the deadline and says so.
    await turnOn(addCalendarDays(deadline, -6), mail.transport);
    expect(mail.smtp.received).toHaveLength(1);
    const received = mail.smtp.received[0]!;
    expect(received.parsed.subject).toBe("Deadline in 6 days: Letter on the audit");
    expect(received.parsed.text).toContain(`Deadline ${formatLongDate(deadline)}, in 6 days.`);
    expect(received.parsed.text).not.toContain("7 days");
    expect(received.parsed.html || "").toContain(`Deadline ${formatLongDate(deadline)}, in 6 days.`);
    // What was sent is what the outbox shows admins.
    expect(outboxRows()).toEqual([expect.objectContaining({ subject: "Deadline in 6 days: Letter on the audit", state: "sent" })]);
  });

  it("is cancelled when the deadline passed before it could be sent; the overdue reminder goes out instead", async () => {
    const deadline = addCalendarDays(today(), 40);
    createLetter(db, { title: "Letter on the audit", sent_on: today(), deadline });
    expect(saveReminderSettings(addStaffer("late@example.org"), settings({ daysBefore: [1] }))).toEqual({ ok: true });

    await turnOn(addCalendarDays(deadline, -1), downServer);
    expect(outboxRows()).toEqual([expect.objectContaining({ subject: "Deadline tomorrow: Letter on the audit", state: "queued" })]);
    await turnOn(addCalendarDays(deadline, 1), mail.transport);

    expect(mail.smtp.received.map((m) => m.parsed.subject)).toEqual(["Overdue: Letter on the audit"]);
    expect(mail.smtp.received[0]!.parsed.text).toContain(`the deadline of ${formatLongDate(deadline)} passed yesterday`);
    expect(outboxRows()).toEqual([
      { subject: "Deadline tomorrow: Letter on the audit", state: "cancelled", lastError: "Cancelled: the deadline passed before it could be sent" },
      expect.objectContaining({ subject: "Overdue: Letter on the audit", state: "sent" }),
    ]);
  });
});

describe("a queued reminder and the staffer's current scope", () => {
  it("is not sent for another's letter once the staffer narrowed 'all letters' to 'letters I logged'", async () => {
    const deadline = addCalendarDays(today(), 40);
    const mine = createLetter(db, { title: "Mine", sent_on: today(), deadline });
    createLetter(db, { title: "Someone else's", sent_on: today(), deadline });
    const userId = addStaffer("narrow@example.org");
    db.run(sql`UPDATE audit_events SET user_id = ${userId} WHERE letter_id = ${mine.id} AND action = 'create' AND entity = 'letter'`);
    expect(saveReminderSettings(userId, settings({ scope: "all" }))).toEqual({ ok: true });

    await turnOn(addCalendarDays(deadline, -7), downServer);
    expect(outboxRows().map((row) => row.state)).toEqual(["queued", "queued"]);

    expect(saveReminderSettings(userId, settings({ scope: "logged" }))).toEqual({ ok: true });
    await turnOn(addCalendarDays(deadline, -6), mail.transport);

    expect(mail.smtp.received.map((m) => m.parsed.subject)).toEqual(["Deadline in 6 days: Mine"]);
    const cancelled = outboxRows().find((row) => row.state === "cancelled");
    expect(cancelled).toEqual({
      subject: "Deadline in 7 days: Someone else's",
      state: "cancelled",
      lastError: "Cancelled: the staffer now chooses reminders for letters they logged only, and this letter is not one of them",
    });
  });
});
