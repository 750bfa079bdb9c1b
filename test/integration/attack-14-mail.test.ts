/**
 * The attacker's findings on issue 14 in the mail area (branch attack14, copied here; decision 0020
 * addendum): staff reminders held up in the outbox while the mail server is down must still hold
 * when finally sent; implied deadlines are worded as such in messages; a shorter response window
 * still tells followers of the letters it makes overdue; a stranger's saved-search words never show
 * on the victim's own manage page.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { env } from "~/env.server";
import type { Db } from "../../db/client.server";
import { addCalendarDays, today } from "~/domain/dates";
import { SYSTEM_ACTOR } from "~/models/audit.server";
import { deleteLetter } from "~/models/letter-writer.server";
import { saveReminderSettings, writeDueReminders } from "~/models/reminders.server";
import { confirmFollow, followLink, requestFollow } from "~/models/follows.server";
import { recordOverdueEvents } from "~/models/letter-events.server";
import { syncStateSettings } from "~/models/letter-state.server";
import { fanOutEvents } from "~/models/outbox.server";
import { setUserDisabled } from "~/models/users.server";
import type { OutboxMessage } from "~/models/outbox.server";
import { runMailTurn, type MailTransport } from "~/utils/mail-sender.server";
import { addResponse, closeLetter, createLetter } from "../factories";
import { freshDatabase } from "../support/database";
import { getRequest, run } from "../support/requests";
import * as manage from "~/routes/follows.manage";

let db: Db;
beforeEach(() => {
  db = freshDatabase();
});

/** A transport that records what it sends, and fails (a temporary error, as a mail server that is down) while `down`. */
function fakeTransport() {
  const sent: OutboxMessage[] = [];
  const state = { down: false };
  const transport: MailTransport = {
    async send(message) {
      if (state.down) throw Object.assign(new Error("connect ECONNREFUSED"), { responseCode: undefined });
      sent.push(message);
      return "250 OK";
    },
    close() {},
  };
  return { transport, sent, state };
}

function addStaffer(email: string): number {
  return db.get<{ id: number }>(sql`INSERT INTO users (email, name, role, password_hash) VALUES (${email}, 'Staffer', 'editor', 'x') RETURNING id`)!.id;
}

const everyLetter = { enabled: true, scope: "all" as const, committee: undefined, daysBefore: [7, 1], onOverdue: true, hour: 0 };

/**
 * Day 7 before the deadline, noon: the pass writes the 7-day reminder but the mail server is down;
 * then `meanwhile` happens; a day later the server is back and the sender retries.
 */
async function reminderHeldUpThen(meanwhile: (ids: { letterId: number; letterSlug: string; userId: number }) => void) {
  const deadline = addCalendarDays(today(), 30);
  const letter = createLetter(db, { title: "Letter on the audit", sent_on: today(), deadline });
  const userId = addStaffer("staffer@example.org");
  expect(saveReminderSettings(userId, everyLetter)).toEqual({ ok: true });
  const { transport, sent, state } = fakeTransport();
  const day = new Date(`${addCalendarDays(deadline, -7)}T12:00:00`).getTime();
  state.down = true;
  await runMailTurn({ transport, now: () => day });
  const queued = db.all<{ subject: string; state: string }>(sql`SELECT subject, state FROM outbox WHERE dedupe_key LIKE 'reminder:%'`);
  expect(queued).toEqual([{ subject: "Deadline in 7 days: Letter on the audit", state: "queued" }]);
  meanwhile({ letterId: letter.id, letterSlug: letter.slug, userId });
  state.down = false;
  const later = day + 24 * 3600_000;
  await runMailTurn({ transport, now: () => later });
  return sent.map((m) => `${m.toAddress}: ${m.subject}`);
}

describe("attack 14: staff reminders held up in the outbox", () => {
  it("a staffer whose account was disabled (left the office) gets no reminder written before, once the mail server is back", async () => {
    const sent = await reminderHeldUpThen(({ userId }) => setUserDisabled({ id: userId, disabled: true, actor: SYSTEM_ACTOR }));
    // The pass skips disabled accounts (u.disabled_at IS NULL); the queued one must not go either.
    expect(sent).toEqual([]);
  });

  it("a letter deleted meanwhile gets no 'Deadline in 7 days' reminder pointing to a page that no longer exists", async () => {
    const sent = await reminderHeldUpThen(({ letterSlug }) => expect(deleteLetter({ slug: letterSlug, actor: SYSTEM_ACTOR }).ok).toBe(true));
    expect(sent).toEqual([]);
  });

  it("a letter answered in full or closed meanwhile gets no deadline reminder (the pass only reminds of open letters without a substantive response)", async () => {
    const answered = await reminderHeldUpThen(({ letterId }) => addResponse(db, letterId, { receivedOn: today(), completeness: "full" }));
    expect(answered, "answered in full").toEqual([]);
    db = freshDatabase();
    const closed = await reminderHeldUpThen(({ letterId }) => closeLetter(db, letterId, today()));
    expect(closed, "closed").toEqual([]);
  });
});

describe("attack 14: an implied deadline is shown as such in messages too (decision 0014 'Shown as such')", () => {
  it("a staff reminder for a letter that sets no deadline says no deadline was set (not 'Deadline in 7 days' as if the letter set one)", () => {
    syncStateSettings(db, 30);
    // Sent 23 days ago, no deadline: due by default in 7 days.
    createLetter(db, { title: "Letter without a deadline", sent_on: addCalendarDays(today(), -23), deadline: null });
    const userId = addStaffer("staffer@example.org");
    expect(saveReminderSettings(userId, everyLetter)).toEqual({ ok: true });
    expect(writeDueReminders({ now: new Date(`${today()}T12:00:00`) })).toBe(1);
    const reminder = db.get<{ subject: string; text: string }>(sql`SELECT subject, text_body AS text FROM outbox WHERE dedupe_key LIKE 'reminder:%'`)!;
    expect(reminder.text).toMatch(/no deadline set/i);
  });

  it("a follower's overdue alert for a letter that sets no deadline does not say 'the deadline of … passed' as if one was set", () => {
    syncStateSettings(db, 30);
    const letter = createLetter(db, { title: "Letter without a deadline", sent_on: addCalendarDays(today(), -32), deadline: null });
    expect(requestFollow({ email: "reader@example.org", kind: "letter", key: letter.slug, cadence: "immediate", client: "c1" })).toEqual({ ok: true });
    const row = db.get<{ id: number; secret: string }>(sql`SELECT id, secret FROM follows WHERE email = 'reader@example.org'`)!;
    const confirmedAt = Date.now() - 3 * 24 * 3600_000;
    expect(confirmFollow(new URL(followLink(row, "confirm", confirmedAt)).searchParams.get("token")!, confirmedAt).ok).toBe(true);
    db.transaction((tx) => recordOverdueEvents(tx, today()));
    while (fanOutEvents({ limit: 100 }) > 0);
    const alerts = db.all<{ text: string }>(sql`SELECT text_body AS text FROM outbox WHERE follow_id = ${row.id} AND kind = 'alert'`);
    const overdue = alerts.filter((alert) => alert.text.includes("Overdue"));
    expect(overdue).toHaveLength(1);
    expect(overdue[0]!.text).toMatch(/no deadline set/i);
  });
});

describe("attack 14: the overdue pass by index misses letters made overdue by a shorter response window", () => {
  it("DEFAULT_RESPONSE_DAYS lowered from 60 to 30: a letter sent 45 days ago without a deadline becomes overdue, and its followers hear it once", () => {
    // The server ran with DEFAULT_RESPONSE_DAYS=60 when the letter was logged and every day since.
    const configured = env.DEFAULT_RESPONSE_DAYS;
    (env as { DEFAULT_RESPONSE_DAYS: number }).DEFAULT_RESPONSE_DAYS = 60;
    syncStateSettings(db, 60);
    let letter: { id: number };
    try {
      letter = createLetter(db, { title: "Silent letter", sent_on: addCalendarDays(today(), -45), deadline: null });
      db.transaction((tx) => recordOverdueEvents(tx, today()));
    } finally {
      (env as { DEFAULT_RESPONSE_DAYS: number }).DEFAULT_RESPONSE_DAYS = configured;
    }
    const events = () => db.all<{ key: string }>(sql`SELECT dedupe_key AS key FROM letter_events WHERE kind = 'letter_overdue' AND letter_id = ${letter.id}`);
    expect(events(), "not overdue under a 60-day window").toEqual([]);
    // The next start runs with DEFAULT_RESPONSE_DAYS=30 (runMigrations → syncStateSettings).
    syncStateSettings(db, 30);
    expect(db.get<{ d: string }>(sql`SELECT effective_deadline AS d FROM letters WHERE id = ${letter.id}`)!.d).toBe(addCalendarDays(today(), -15));
    db.transaction((tx) => recordOverdueEvents(tx, today()));
    db.transaction((tx) => recordOverdueEvents(tx, today()));
    // The site now shows it overdue (15 days); the daily pass reads only deadlines of the last 7 days.
    expect(events()).toEqual([{ key: `overdue:${letter.id}:${addCalendarDays(today(), -15)}` }]);
  });
});

describe("attack 14: a stranger's words on the victim's own alerts page", () => {
  it("a saved-search follow someone else requested for my address (never confirmed) is not shown with their words on my manage page", async () => {
    const letter = createLetter(db, { title: "A letter", sent_on: today() });
    // My own, confirmed follow: its manage link is what my alerts carry.
    expect(requestFollow({ email: "me@example.org", kind: "letter", key: letter.slug, cadence: "immediate", client: "c-me" })).toEqual({ ok: true });
    const mine = db.get<{ id: number; secret: string }>(sql`SELECT id, secret FROM follows WHERE email = 'me@example.org'`)!;
    expect(confirmFollow(new URL(followLink(mine, "confirm")).searchParams.get("token")!).ok).toBe(true);
    // A stranger asks to follow a "saved search" for my address: decision 0020 keeps their words out of
    // the confirmation ("a saved search of letters (filtered by words)").
    const words = "Your account is locked call 555 0100 now";
    expect(requestFollow({ email: "me@example.org", kind: "search", key: `/letters?q=${encodeURIComponent(words)}`, cadence: "immediate", client: "c-stranger" })).toEqual({ ok: true });
    const page = await run(manage.loader, getRequest(new URL(followLink(mine, "manage")).pathname + new URL(followLink(mine, "manage")).search));
    expect(page.status).toBe(200);
    // The tracker's own page then shows the stranger's text, and a link carrying it, to me.
    expect(JSON.stringify(page.data)).not.toContain("Your account is locked");
  });
});

