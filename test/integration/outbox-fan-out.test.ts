/**
 * The outbox's fan-out (decision 0022): one event to 10,000 followers in bounded transactions, off
 * the event loop on the writer thread, exactly one message per follower; and an "as it happens"
 * follower's events grouped into one message per cause (one import file, one overdue pass).
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { closeDb, getDb, type Db } from "../../db/client.server";
import { recordLetterEvent, recordOverdueEvents, withEventCause } from "~/models/letter-events.server";
import { ALERTS_PER_TRANSACTION, fanOutEvents, FOLLOWS_PER_TRANSACTION, newFanOutStats } from "~/models/outbox.server";
import { fanOutInWorker } from "~/utils/write-worker.server";
import { addCalendarDays, today } from "~/domain/dates";
import { addResponse, createLetter } from "../factories";
import { freshDatabase } from "../support/database";

let db: Db;
beforeEach(() => {
  db = freshDatabase();
});
afterAll(() => closeDb());

/** `count` confirmed "as it happens" follows of one letter, written straight to the table. */
function manyFollowers(letterSlug: string, count: number, confirmedAt: number): void {
  const insert = db.$client.prepare(
    `INSERT INTO follows (email, subject_kind, subject_key, subject_label, cadence, digest_hour, secret, created_at, confirmed_at)
     VALUES (?, 'letter', ?, 'A letter', 'immediate', 7, ?, ?, ?)`,
  );
  db.$client.transaction(() => {
    for (let n = 0; n < count; n++) insert.run(`reader${n}@example.org`, letterSlug, randomBytes(16).toString("hex"), confirmedAt, confirmedAt);
  })();
  // The letter's own "logged" event came before these follows.
  db.run(sql`UPDATE letter_events SET fanned_out = 1`);
}

function messagesPerFollower(): { followers: number; most: number; least: number } {
  return db.get<{ followers: number; most: number; least: number }>(sql`
    SELECT COUNT(*) AS followers, MAX(n) AS most, MIN(n) AS least
    FROM (SELECT f.id, COUNT(o.id) AS n FROM follows f LEFT JOIN outbox o ON o.follow_id = f.id AND o.kind = 'alert' GROUP BY f.id)`)!;
}

describe("fanning one event out to 10,000 followers", () => {
  it("writes in bounded transactions and gives every follower exactly one message", () => {
    const letter = createLetter(db);
    manyFollowers(letter.slug, 10_000, Date.now() - 60_000);
    addResponse(db, letter.id, { receivedOn: today(), completeness: "partial" });
    const stats = newFanOutStats();
    while (fanOutEvents({ stats }) > 0);
    expect(stats.deliveries).toBe(10_000);
    expect(stats.alerts).toBe(10_000);
    expect(stats.maxRowsPerTransaction).toBeLessThanOrEqual(Math.max(FOLLOWS_PER_TRANSACTION, ALERTS_PER_TRANSACTION));
    expect(stats.transactions).toBeGreaterThanOrEqual(10_000 / FOLLOWS_PER_TRANSACTION + 10_000 / ALERTS_PER_TRANSACTION);
    expect(messagesPerFollower()).toEqual({ followers: 10_000, most: 1, least: 1 });
    expect(db.get(sql`SELECT COUNT(*) AS n FROM letter_events WHERE fanned_out = 0`)).toEqual({ n: 0 });
  }, 600_000);

  it("runs on the writer thread (the server's loop), with the same result", async () => {
    const letter = createLetter(db);
    manyFollowers(letter.slug, 2_000, Date.now() - 60_000);
    addResponse(db, letter.id, { receivedOn: today(), completeness: "full" });
    const steps = await fanOutInWorker();
    // 2,000 follows: 4 delivery steps (the last comes up short... or a fifth, empty, one), 20 alert steps.
    expect(steps).toBeGreaterThanOrEqual(2_000 / FOLLOWS_PER_TRANSACTION + 2_000 / ALERTS_PER_TRANSACTION);
    expect(messagesPerFollower()).toEqual({ followers: 2_000, most: 1, least: 1 });
  }, 600_000);

  it("picks up where it stopped when the process died between two batches", () => {
    const letter = createLetter(db);
    manyFollowers(letter.slug, 1_200, Date.now() - 60_000);
    addResponse(db, letter.id, { receivedOn: today(), completeness: "full" });
    // Two delivery batches, then "the process dies": a fresh start goes on from the cursor.
    fanOutEvents({ limit: 2 });
    expect(db.get(sql`SELECT COUNT(*) AS n FROM follow_deliveries`)).toEqual({ n: 2 * FOLLOWS_PER_TRANSACTION });
    closeDb();
    db = getDb();
    while (fanOutEvents() > 0);
    expect(messagesPerFollower()).toEqual({ followers: 1_200, most: 1, least: 1 });
  }, 600_000);
});

describe("one message per follower per cause", () => {
  /** One follow that hears of every letter: the saved search "/letters". */
  function follower(): number {
    const at = Date.now() - 60_000;
    db.run(sql`INSERT INTO follows (email, subject_kind, subject_key, subject_label, cadence, digest_hour, secret, created_at, confirmed_at)
      VALUES ('desk@example.org', 'search', '/letters', 'All letters', 'immediate', 7, 'secret-secret-secret', ${at}, ${at})`);
    return db.get<{ id: number }>(sql`SELECT MIN(id) AS id FROM follows`)!.id;
  }

  it("an import's events are one message, the overdue pass's another, single changes a third", () => {
    // Deadlines today: not overdue when written; the daily pass two days on finds all six.
    const letters = Array.from({ length: 6 }, () => createLetter(db, { deadline: today() }));
    follower();
    db.run(sql`UPDATE letter_events SET fanned_out = 1`); // the letters' own "logged" events came before the follows
    withEventCause("import:test-file", () =>
      db.transaction((tx) => {
        for (const letter of letters.slice(0, 4)) recordLetterEvent(tx, { kind: "letter_closed", letterId: letter.id, details: { closedOn: "2023-04-01", reason: "Imported" } });
      }),
    );
    db.transaction((tx) => recordOverdueEvents(tx, addCalendarDays(today(), 2)), { behavior: "immediate" });
    addResponse(db, letters[4]!.id, { receivedOn: today(), completeness: "partial" });
    addResponse(db, letters[5]!.id, { receivedOn: today(), completeness: "partial" });
    while (fanOutEvents() > 0);
    const messages = db.all<{ subject: string; n: number }>(sql`
      SELECT o.subject, COUNT(d.event_id) AS n FROM outbox o JOIN follow_deliveries d ON d.outbox_id = o.id
      WHERE o.kind = 'alert' GROUP BY o.id ORDER BY o.id`);
    // Four events of one import; the six letters' overdue pass; the two responses logged one by one.
    expect(messages.map((m) => m.n)).toEqual([4, 6, 2]);
    expect(db.get(sql`SELECT COUNT(*) AS n FROM follow_deliveries WHERE outbox_id IS NULL`)).toEqual({ n: 0 });
  });

  it("a single change alone is one alert about that change", () => {
    const letter = createLetter(db);
    follower();
    db.run(sql`UPDATE letter_events SET fanned_out = 1`);
    addResponse(db, letter.id, { receivedOn: today(), completeness: "full" });
    while (fanOutEvents() > 0);
    const [message] = db.all<{ subject: string }>(sql`SELECT subject FROM outbox WHERE kind = 'alert'`);
    expect(message!.subject).toMatch(/^Response logged/i);
  });
});
