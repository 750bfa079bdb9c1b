/**
 * Staff deadline reminders (decision 0020) against a real SMTP server (smtp-server, parsed with
 * mailparser) and a real SQLite file: exactly one reminder 7 days before, one 1 day before and one
 * on the morning the letter becomes overdue; none twice after re-runs (as after a restart); new
 * ones after an extension moves the deadline; none after the one-click unsubscribe; only the
 * letters of the staffer's choice. The date is the sender's clock, moved by the test.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.server";
import { addCalendarDays, today } from "~/domain/dates";
import { saveReminderSettings, writeDueReminders } from "~/models/reminders.server";
import { runMailTurn } from "~/utils/mail-sender.server";
import { action as stopAction } from "~/routes/reminders.stop";
import { addExtension, addResponse, createLetter } from "../factories";
import { freshDatabase } from "../support/database";
import { useSmtpServer } from "../support/mail";

let db: Db;
let clock = Date.now();
const now = () => clock;
/** Noon (server time) of a calendar date: the pass's day, clear of any midnight. */
const noonOf = (date: string) => new Date(`${date}T12:00:00`).getTime();

/** The SMTP server and the transport to it, for every test here (test/support/mail.ts). */
const mail = useSmtpServer();
beforeEach(() => {
  db = freshDatabase();
});

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

/** A sender turn on `date` (twice: the second is a re-run, as after a restart); what arrived. */
async function dayPasses(date: string): Promise<string[]> {
  const before = mail.smtp.received.length;
  clock = noonOf(date);
  await runMailTurn({ transport: mail.transport, now });
  await runMailTurn({ transport: mail.transport, now });
  return mail.smtp.received.slice(before).map((received) => received.parsed.subject ?? "");
}

describe("staff deadline reminders by email", () => {
  it("one 7 days before, one 1 day before, one on the overdue morning; none twice; new ones after an extension; none after unsubscribing", async () => {
    const deadline = addCalendarDays(today(), 40);
    const letter = createLetter(db, { title: "Letter on the audit", sent_on: today(), deadline });
    const userId = addStaffer("staffer@example.org");
    expect(saveReminderSettings(userId, settings())).toEqual({ ok: true });

    expect(await dayPasses(addCalendarDays(deadline, -8))).toEqual([]);
    expect(await dayPasses(addCalendarDays(deadline, -7))).toEqual(["Deadline in 7 days: Letter on the audit"]);
    const seven = mail.smtp.received.at(-1)!;
    expect(seven.to).toEqual(["staffer@example.org"]);
    expect(seven.parsed.text).toContain(`/letters/${letter.slug}`);
    expect(seven.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/im);
    expect(await dayPasses(addCalendarDays(deadline, -6))).toEqual([]);
    expect(await dayPasses(addCalendarDays(deadline, -2))).toEqual([]);
    expect(await dayPasses(addCalendarDays(deadline, -1))).toEqual(["Deadline tomorrow: Letter on the audit"]);
    expect(await dayPasses(deadline)).toEqual([]);
    expect(await dayPasses(addCalendarDays(deadline, 1))).toEqual(["Overdue: Letter on the audit"]);
    expect(await dayPasses(addCalendarDays(deadline, 2))).toEqual([]);
    // The pass itself, run again for any of those days, writes nothing more.
    for (const offset of [-7, -1, 1]) expect(writeDueReminders({ now: new Date(noonOf(addCalendarDays(deadline, offset))) })).toBe(0);

    // An extension moves the deadline: reminders for the new date.
    const extended = addCalendarDays(deadline, 20);
    addExtension(db, letter.id, { newDeadline: extended, grantedOn: today() });
    expect(await dayPasses(addCalendarDays(extended, -7))).toEqual(["Deadline in 7 days: Letter on the audit"]);

    // One-click unsubscribe: a POST to the List-Unsubscribe address, no cookie, no form token.
    const listUnsubscribe = mail.smtp.received.at(-1)!.raw.match(/^List-Unsubscribe:\s*<([^>]+)>/im)![1]!;
    const stopped = await stopAction({
      request: new Request(listUnsubscribe, { method: "POST", body: new URLSearchParams({ "List-Unsubscribe": "One-Click" }) }),
      params: {},
      context: {},
    });
    expect(stopped).toEqual({ stopped: true });
    expect(await dayPasses(addCalendarDays(extended, -1))).toEqual([]);
    expect(await dayPasses(addCalendarDays(extended, 1))).toEqual([]);
    const reminders = db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM outbox WHERE dedupe_key LIKE 'reminder:%'`)!.n;
    expect(reminders).toBe(4);
  });

  it("reminds a staffer only of the letters they chose, not of answered ones, and not before their hour", async () => {
    const deadline = addCalendarDays(today(), 30);
    const mine = createLetter(db, { title: "Mine", sent_on: today(), deadline });
    createLetter(db, { title: "Someone else's", sent_on: today(), deadline });
    const answered = createLetter(db, { title: "Answered", sent_on: today(), deadline });
    addResponse(db, answered.id, { receivedOn: today(), completeness: "full" });
    const userId = addStaffer("logger@example.org");
    // The letter this staffer logged (the factory logs as the system: say it was them).
    db.run(sql`UPDATE audit_events SET user_id = ${userId} WHERE letter_id = ${mine.id} AND action = 'create' AND entity = 'letter'`);
    expect(saveReminderSettings(userId, settings({ scope: "logged", hour: 23 }))).toEqual({ ok: true });
    const day = addCalendarDays(deadline, -7);
    expect(writeDueReminders({ now: new Date(`${day}T12:00:00`) }), "before the chosen hour").toBe(0);
    expect(writeDueReminders({ now: new Date(`${day}T23:30:00`) })).toBe(1);
    const subjects = db.all<{ subject: string }>(sql`SELECT subject FROM outbox WHERE dedupe_key LIKE 'reminder:%'`).map((row) => row.subject);
    expect(subjects).toEqual(["Deadline in 7 days: Mine"]);

    // "All letters": the open, unanswered ones.
    expect(saveReminderSettings(userId, settings({ scope: "all", hour: 0 }))).toEqual({ ok: true });
    writeDueReminders({ now: new Date(`${day}T12:00:00`) });
    const all = db.all<{ subject: string }>(sql`SELECT subject FROM outbox WHERE dedupe_key LIKE 'reminder:%' ORDER BY subject`).map((row) => row.subject);
    expect(all).toEqual(["Deadline in 7 days: Mine", "Deadline in 7 days: Someone else's"]);
  });

  it("sends nothing to a staffer who never chose reminders, or turned them off", () => {
    createLetter(db, { sent_on: today(), deadline: addCalendarDays(today(), 7) });
    addStaffer("quiet@example.org");
    const off = addStaffer("off@example.org");
    expect(saveReminderSettings(off, settings({ enabled: false }))).toEqual({ ok: true });
    expect(writeDueReminders({ now: new Date(`${today()}T12:00:00`) })).toBe(0);
  });
});
