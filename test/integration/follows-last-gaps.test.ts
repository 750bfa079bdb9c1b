/**
 * Issue 14's last gaps in follows, alerts and reminders (decision 0020 addendum): a message waiting
 * in the outbox is checked again when its turn comes and cancelled, visibly, when its reason no
 * longer holds; the admin outbox names each kind of message; a changed DEFAULT_RESPONSE_DAYS tells
 * followers once of the letters it makes overdue, and only of those; a digest follow switched to
 * "as it happens" gets what was collected for its digest; FOLLOW_LIMITS count confirmed follows and
 * hold for anonymous requests too, with the same answer whatever the address follows.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.server";
import { env } from "~/env.server";
import { addCalendarDays, today } from "~/domain/dates";
import { FOLLOW_LIMITS } from "~/domain/follows";
import { changeOwnFollows, confirmFollow, followLink, followsOfAddress, requestFollow } from "~/models/follows.server";
import { recordOverdueEvents } from "~/models/letter-events.server";
import { syncStateSettings } from "~/models/letter-state.server";
import { fanOutEvents, writeDueDigests, type OutboxMessage } from "~/models/outbox.server";
import { saveReminderSettings } from "~/models/reminders.server";
import { runMailTurn, type MailTransport } from "~/utils/mail-sender.server";
import * as adminOutbox from "~/routes/admin.outbox";
import * as confirmPage from "~/routes/follow_.confirm";
import { addExtension, addResponse, createLetter } from "../factories";
import { freshDatabase } from "../support/database";
import { getRequest, run, signedInAs } from "../support/requests";

let db: Db;
let clients = 0;
beforeEach(() => {
  db = freshDatabase();
});

/** A transport that records what it sends and fails (as a mail server that is down) while `down`. */
function recordingTransport() {
  const sent: OutboxMessage[] = [];
  const state = { down: false };
  const transport: MailTransport = {
    async send(message) {
      if (state.down) throw new Error("connect ECONNREFUSED");
      sent.push(message);
      return "250 OK";
    },
    close() {},
  };
  return { transport, sent, state };
}

const request = (email: string, kind: "letter" | "search", key: string, cadence: "immediate" | "daily" = "immediate", now = Date.now()) =>
  requestFollow({ email, kind, key, cadence, client: `client-${(clients += 1)}`, now });

function confirmed(email: string, kind: "letter" | "search", key: string, cadence: "immediate" | "daily" = "immediate", now = Date.now()) {
  expect(request(email, kind, key, cadence, now)).toEqual({ ok: true });
  const row = db.get<{ id: number; secret: string }>(sql`SELECT id, secret FROM follows WHERE email = ${email} AND subject_kind = ${kind} AND subject_key = ${key}`)!;
  expect(confirmFollow(new URL(followLink(row, "confirm", now)).searchParams.get("token")!, now + 1).ok).toBe(true);
  return row;
}

const outboxRows = () =>
  db.all<{ kind: string; state: string; subject: string; error: string | null; key: string }>(
    sql`SELECT kind, state, subject, last_error AS error, dedupe_key AS key FROM outbox ORDER BY id`,
  );

describe("a queued message is checked again when its turn comes", () => {
  it("a reminder held up while the mail server was down, whose deadline was extended meanwhile, is cancelled (shown so in /admin/outbox) and the new date gets its own", async () => {
    const deadline = addCalendarDays(today(), 30);
    const letter = createLetter(db, { title: "Letter on the audit", sent_on: today(), deadline });
    const userId = db.get<{ id: number }>(sql`INSERT INTO users (email, name, role, password_hash) VALUES ('staffer@example.org', 'Staffer', 'editor', 'x') RETURNING id`)!.id;
    expect(saveReminderSettings(userId, { enabled: true, scope: "all", committee: undefined, daysBefore: [7], onOverdue: false, hour: 0 })).toEqual({ ok: true });
    const { transport, sent, state } = recordingTransport();
    const day = new Date(`${addCalendarDays(deadline, -7)}T12:00:00`).getTime();
    state.down = true;
    await runMailTurn({ transport, now: () => day });
    addExtension(db, letter.id, { newDeadline: addCalendarDays(deadline, 14), grantedOn: today() });
    state.down = false;
    await runMailTurn({ transport, now: () => day + 24 * 3600_000 });
    expect(sent).toEqual([]);
    expect(outboxRows()).toEqual([
      {
        kind: "reminder",
        state: "cancelled",
        subject: "Deadline in 7 days: Letter on the audit",
        error: `Cancelled: the deadline moved to ${addCalendarDays(deadline, 14)}`,
        key: `reminder:${userId}:${letter.id}:${deadline}:7`,
      },
    ]);

    const admin = await signedInAs("admin");
    const page = await run(adminOutbox.loader, getRequest("/admin/outbox", admin.cookie));
    expect(page.status).toBe(200);
    const listed = (page.data as { messages: Array<{ kindLabel: string; stateLabel: string; lastError: string | null }> }).messages;
    expect(listed.map((m) => [m.kindLabel, m.stateLabel, m.lastError])).toEqual([["Reminder", "Cancelled", `Cancelled: the deadline moved to ${addCalendarDays(deadline, 14)}`]]);

    // The new date's own reminder, on its day.
    const newDay = new Date(`${addCalendarDays(deadline, 7)}T12:00:00`).getTime();
    await runMailTurn({ transport, now: () => newDay });
    expect(sent.map((m) => [m.kind, m.subject])).toEqual([["reminder", "Deadline in 7 days: Letter on the audit"]]);
  });

  it("an alert written for a follower who stopped following before it went (a stop racing the fan-out) is cancelled, not sent", async () => {
    const letter = createLetter(db, { title: "Followed letter", sent_on: today(), deadline: addCalendarDays(today(), 30) });
    const follow = confirmed("reader@example.org", "letter", letter.slug);
    addResponse(db, letter.id, { receivedOn: today(), completeness: "partial" });
    while (fanOutEvents({ limit: 100 }) > 0);
    // The stop lands between the alert's writing and its sending, missing its cancellation.
    db.run(sql`UPDATE follows SET unsubscribed_at = ${Date.now()} WHERE id = ${follow.id}`);
    const { transport, sent } = recordingTransport();
    await runMailTurn({ transport });
    expect(sent.filter((m) => m.kind === "alert")).toEqual([]);
    expect(outboxRows().filter((row) => row.kind === "alert")).toMatchObject([{ state: "cancelled", error: "Cancelled: the follower unsubscribed" }]);
  });
});

describe("the admin outbox names each kind of message", () => {
  it("confirmation, alert, digest, reminder and manage link, from the vocabulary", async () => {
    const insert = (kind: string, key: string) =>
      db.run(sql`INSERT INTO outbox (kind, to_address, subject, text_body, html_body, message_id, dedupe_key) VALUES (${kind}, 'a@example.org', ${kind}, 't', 'h', ${`<${key}@test>`}, ${key})`);
    for (const kind of ["confirm", "alert", "digest", "reminder", "manage"]) insert(kind, `k-${kind}`);
    const admin = await signedInAs("admin");
    const page = await run(adminOutbox.loader, getRequest("/admin/outbox", admin.cookie));
    const listed = (page.data as { messages: Array<{ kindLabel: string }> }).messages;
    expect(listed.map((m) => m.kindLabel)).toEqual(["Manage link", "Reminder", "Digest", "Alert", "Confirmation"]);
  });
});

describe("a shorter default response window at start", () => {
  it("tells followers once of the letters it makes overdue, not of letters overdue already, and nothing when the window grows", () => {
    const configured = env.DEFAULT_RESPONSE_DAYS;
    const setDays = (days: number) => ((env as { DEFAULT_RESPONSE_DAYS: number }).DEFAULT_RESPONSE_DAYS = days);
    let newlyOverdue: { id: number; slug: string };
    let longOverdue: { id: number; slug: string };
    let ownDeadline: { id: number; slug: string };
    try {
      setDays(60);
      syncStateSettings(db, 60);
      newlyOverdue = createLetter(db, { title: "Sent 45 days ago", sent_on: addCalendarDays(today(), -45), deadline: null });
      longOverdue = createLetter(db, { title: "Sent 100 days ago", sent_on: addCalendarDays(today(), -100), deadline: null });
      ownDeadline = createLetter(db, { title: "Own deadline ahead", sent_on: addCalendarDays(today(), -45), deadline: addCalendarDays(today(), 5) });
      db.transaction((tx) => recordOverdueEvents(tx, today()));
    } finally {
      setDays(configured);
    }
    const overdueEvents = () =>
      db.all<{ letter: number; details: string }>(sql`SELECT letter_id AS letter, details FROM letter_events WHERE kind = 'letter_overdue' ORDER BY letter_id`);
    const before = overdueEvents();
    expect(before.map((e) => e.letter)).toEqual([longOverdue.id]);

    // Restarted with 30 days: only the letter the shorter window makes overdue is news.
    expect(syncStateSettings(db, 30)).toBe(true);
    const after = overdueEvents();
    expect(after.map((e) => e.letter)).toEqual([newlyOverdue.id, longOverdue.id]);
    expect(JSON.parse(after[0]!.details)).toEqual({ deadline: addCalendarDays(today(), -15), source: "implied", defaultDays: 30 });
    expect(syncStateSettings(db, 30), "the same window again: nothing to do").toBe(false);
    expect(overdueEvents()).toHaveLength(2);

    // A longer window makes nothing overdue: no event.
    syncStateSettings(db, 90);
    expect(overdueEvents()).toHaveLength(2);
    expect(ownDeadline.id).toBeGreaterThan(0);
  });
});

describe("switching a digest follow to 'as it happens'", () => {
  // Holds since decision 0022's alert step (it reads every "as it happens" follow with unsent
  // deliveries, whenever they were collected); decision 0020's "Not yet" said otherwise.
  it("sends what was collected for the digest at the next turn, without waiting for a new change, and no digest later", () => {
    const letter = createLetter(db, { title: "Letter in a digest", sent_on: today(), deadline: addCalendarDays(today(), 30) });
    const follow = confirmed("reader@example.org", "letter", letter.slug, "daily");
    addResponse(db, letter.id, { receivedOn: today(), completeness: "acknowledgment" });
    while (fanOutEvents({ limit: 100 }) > 0);
    expect(outboxRows().filter((row) => row.kind !== "confirm"), "collected for the digest").toEqual([]);
    expect(changeOwnFollows("reader@example.org", { intent: "cadence", follow: follow.id, cadence: "immediate" })).toBe(true);
    while (fanOutEvents({ limit: 100 }) > 0);
    expect(db.all<{ kind: string }>(sql`SELECT kind FROM outbox WHERE follow_id = ${follow.id} AND kind <> 'confirm'`), "no new change needed").toEqual([{ kind: "alert" }]);
    addResponse(db, letter.id, { receivedOn: today(), completeness: "partial" });
    while (fanOutEvents({ limit: 100 }) > 0);
    const messages = db.all<{ kind: string; text: string }>(sql`SELECT kind, text_body AS text FROM outbox WHERE follow_id = ${follow.id} AND kind <> 'confirm' ORDER BY id`);
    const texts = messages.map((m) => m.text).join("\n");
    expect(texts).toContain("acknowledgment");
    expect(texts).toContain("partial answer");
    expect(messages.every((m) => m.kind === "alert")).toBe(true);
    const waiting = db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM follow_deliveries WHERE follow_id = ${follow.id} AND outbox_id IS NULL`)!.n;
    expect(waiting).toBe(0);
    expect(writeDueDigests({ now: new Date(Date.now() + 2 * 24 * 3600_000) })).toBe(0);
  });
});

describe("FOLLOW_LIMITS hold for anonymous requests, counting confirmed follows", () => {
  const fill = (email: string, count: number, confirmedAt: number | null) => {
    const insert = db.$client.prepare(
      "INSERT INTO follows (email, subject_kind, subject_key, subject_label, cadence, secret, created_at, confirmed_at) VALUES (?, 'search', ?, ?, 'immediate', 'secret', ?, ?)",
    );
    for (let i = 0; i < count; i += 1) insert.run(email, `/letters?q=word${email.length}x${i}`, `Letters (q: word${i})`, Date.now() - 60_000, confirmedAt);
  };

  it("an address at its saved-search limit gets no new follow; the answer is the same as for any address; the address is told, with a manage link", () => {
    fill("full@example.org", FOLLOW_LIMITS.savedSearches, Date.now() - 60_000);
    const asked = request("full@example.org", "search", "/letters?q=one+more");
    const fresh = request("new@example.org", "search", "/letters?q=one+more");
    expect(asked).toEqual(fresh);
    expect(asked).toEqual({ ok: true });
    expect(db.get(sql`SELECT 1 AS one FROM follows WHERE email = 'full@example.org' AND subject_key = '/letters?q=one+more'`)).toBeUndefined();
    const toFull = db.all<{ kind: string; subject: string; text: string }>(sql`SELECT kind, subject, text_body AS text FROM outbox WHERE to_address = 'full@example.org'`);
    expect(toFull.map((m) => [m.kind, m.subject])).toEqual([["manage", "Not followed: this address follows the most it may"]]);
    expect(toFull[0]!.text).toContain(`already follows ${FOLLOW_LIMITS.savedSearches} saved searches`);
    expect(toFull[0]!.text).toContain("/follows/manage?token=");
    expect(toFull[0]!.text).not.toContain("one more");
    const toNew = db.all<{ kind: string }>(sql`SELECT kind FROM outbox WHERE to_address = 'new@example.org'`);
    expect(toNew.map((m) => m.kind)).toEqual(["confirm"]);
  });

  it("a stranger's unconfirmed requests do not count: the owner can still follow, and confirming past the limit is refused by name", () => {
    fill("victim@example.org", FOLLOW_LIMITS.savedSearches, null);
    const letter = createLetter(db, { title: "A letter", sent_on: today() });
    const search = confirmed("victim@example.org", "search", "/letters?q=mine");
    expect(search.id).toBeGreaterThan(0);
    expect(confirmed("victim@example.org", "letter", letter.slug).id).toBeGreaterThan(0);

    // Confirming one of many waiting searches once the address is at the limit: refused, saying why.
    fill("busy@example.org", FOLLOW_LIMITS.savedSearches, Date.now() - 60_000);
    db.run(sql`INSERT INTO follows (email, subject_kind, subject_key, subject_label, cadence, secret, created_at) VALUES ('busy@example.org', 'search', '/letters?q=waiting', 'Letters (q: waiting)', 'immediate', 'secret', ${Date.now() - 60_000})`);
    const waiting = db.get<{ id: number; secret: string }>(sql`SELECT id, secret FROM follows WHERE subject_key = '/letters?q=waiting'`)!;
    const result = confirmFollow(new URL(followLink(waiting, "confirm")).searchParams.get("token")!);
    expect(result).toEqual({ ok: false, message: expect.stringContaining(`already follows ${FOLLOW_LIMITS.savedSearches} saved searches`) });
    expect(followsOfAddress("busy@example.org").filter((f) => f.confirmed)).toHaveLength(FOLLOW_LIMITS.savedSearches);
  });
});

describe("the confirmation page of a saved search", () => {
  it("names it as the confirmation message does, without the requester's words", async () => {
    expect(request("me@example.org", "search", "/letters?q=Your+account+is+locked")).toEqual({ ok: true });
    const row = db.get<{ id: number; secret: string }>(sql`SELECT id, secret FROM follows WHERE email = 'me@example.org'`)!;
    const link = new URL(followLink(row, "confirm"));
    const page = await run(confirmPage.loader, getRequest(`${link.pathname}${link.search}`));
    expect(page.status).toBe(200);
    expect(JSON.stringify(page.data)).not.toMatch(/locked/i);
    expect(page.data).toMatchObject({ subject: { key: null, label: "a saved search of letters (filtered by words)" } });
  });
});
