/**
 * A day's digests are written set-based (app/models/outbox.server.ts, writeDueDigestsStep): the
 * followers in bounded steps, their changes in one read, and one rendering per distinct (subject,
 * changes) shared by the whole pass, each follower's own signed links added to it. Every digest
 * must still be exactly the one written for that follower alone (digestMessage with its own
 * changes and links): followers of one agency share words, a follower who joined later, or follows
 * another agency, or the same agency under another cadence, gets its own.
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { closeDb, type Db } from "../../db/client.server";
import { env } from "~/env.server";
import { digestMessage, type EventForMail } from "~/domain/mail-messages";
import type { Cadence } from "~/domain/vocabulary";
import { fanOutEvents, newDigestPass, writeDueDigests, writeDueDigestsStep } from "~/models/outbox.server";
import { addExtension, addResponse, createLetter } from "../factories";
import { freshDatabase } from "../support/database";

let db: Db;
beforeEach(() => {
  db = freshDatabase();
});
afterAll(() => closeDb());

const DAY = 86_400_000;

/** A confirmed follow of an agency (digests at midnight, Sundays for weekly), written straight to the table. */
function follow(email: string, agency: { slug: string; name: string }, { cadence = "daily", confirmedAt }: { cadence?: Cadence; confirmedAt: number }): number {
  return db.get<{ id: number }>(sql`
    INSERT INTO follows (email, subject_kind, subject_key, subject_label, cadence, digest_hour, digest_weekday, secret, created_at, confirmed_at, last_digest_at)
    VALUES (${email}, 'agency', ${agency.slug}, ${agency.name}, ${cadence}, 0, 0, ${randomBytes(16).toString("hex")}, ${confirmedAt}, ${confirmedAt}, ${confirmedAt})
    RETURNING id`)!.id;
}

function agencyOf(letterId: number): { slug: string; name: string } {
  return db.get<{ slug: string; name: string }>(sql`SELECT a.slug, a.name FROM agencies a JOIN letter_recipients r ON r.agency_id = a.id WHERE r.letter_id = ${letterId}`)!;
}

interface Digest {
  followId: number;
  subject: string;
  text: string;
  html: string;
  headers: string;
}

const digests = () => db.all<Digest>(sql`SELECT follow_id AS followId, subject, text_body AS text, html_body AS html, headers FROM outbox WHERE kind = 'digest' ORDER BY follow_id`);

/** The digest written for this follower alone: its own changes (those its digest took) and links. */
function alone(digest: Digest): { subject: string; text: string; html: string } {
  const f = db.get<{ subjectKind: "agency"; subjectKey: string; subjectLabel: string; cadence: Cadence }>(sql`
    SELECT subject_kind AS subjectKind, subject_key AS subjectKey, subject_label AS subjectLabel, cadence FROM follows WHERE id = ${digest.followId}`)!;
  const events = db
    .all<Omit<EventForMail, "details"> & { details: string }>(sql`
      SELECT e.id, e.kind, e.letter_id AS letterId, e.letter_slug AS letterSlug, e.letter_title AS letterTitle, e.at, e.details
      FROM follow_deliveries d JOIN outbox o ON o.id = d.outbox_id JOIN letter_events e ON e.id = d.event_id
      WHERE d.follow_id = ${digest.followId} AND o.kind = 'digest' ORDER BY e.at, e.id`)
    .map((event) => ({ ...event, details: JSON.parse(event.details) as Record<string, unknown> }));
  const unsubscribeUrl = (JSON.parse(digest.headers) as Record<string, string>)["List-Unsubscribe"]!.slice(1, -1);
  const manageUrl = /(https?:\/\/\S+\/follows\/manage\?token=\S+)/.exec(digest.text)![1]!;
  return digestMessage({ publicUrl: env.PUBLIC_URL, follow: f, events, unsubscribeUrl, manageUrl });
}

describe("a day's digests, written set-based", () => {
  it("gives each follower the digest written for it alone, sharing words only where subject and changes are the same", () => {
    const first = createLetter(db);
    const second = createLetter(db, { recipients: [{ name: "Lloyd Austin", title: "Secretary of Defense", agency: "U.S. Department of Defense" }] });
    const state = agencyOf(first.id);
    const defense = agencyOf(second.id);
    expect(state.slug).not.toBe(defense.slug);
    const long = Date.now() - 3 * DAY;
    // Interleaved ids (as a real day's follows are), so that steps of two mix subjects.
    const sameA = follow("a@example.org", state, { confirmedAt: long });
    const other = follow("d@example.org", defense, { confirmedAt: long });
    const sameB = follow("b@example.org", state, { confirmedAt: long });
    // Its last digest more than a week ago: due whatever the day.
    const weekly = follow("w@example.org", state, { cadence: "weekly", confirmedAt: Date.now() - 9 * DAY });
    db.run(sql`UPDATE letter_events SET fanned_out = 1`); // the letters' "logged" events came before
    addResponse(db, first.id, { receivedOn: "2025-01-20", completeness: "partial" });
    addExtension(db, second.id, { newDeadline: "2025-03-01", grantedOn: "2025-01-26" });
    // Joined after the response: hears only of what came later. Its confirmation is placed after
    // the changes so far by their recorded times, and the next change waits for the clock to pass
    // it: a follower confirmed in the same millisecond as a change hears of it (confirmed_at <= at),
    // and on a fast machine all of these fall within a millisecond or two.
    const lastSoFar = db.get<{ at: number }>(sql`SELECT MAX(at) AS at FROM letter_events`)!.at;
    const late = follow("late@example.org", state, { confirmedAt: lastSoFar + 1 });
    const sameC = follow("c@example.org", state, { confirmedAt: long });
    while (Date.now() <= lastSoFar + 1); // at most two milliseconds
    addExtension(db, first.id, { newDeadline: "2025-04-01", grantedOn: "2025-02-01" });
    while (fanOutEvents() > 0);

    // Tomorrow (after its midnight, when even the late follower's first digest is due), in steps
    // of two followers with one rendering cache for the pass, which is crossed between steps.
    const now = new Date(Date.now() + DAY);
    const pass = newDigestPass();
    let written = 0;
    for (let after = 0, steps = 0; ; steps += 1) {
      expect(steps).toBeLessThan(20);
      const step = writeDueDigestsStep({ now, after, follows: 2, pass });
      written += step.written;
      if (step.done) break;
      after = step.cursor;
    }
    const all = digests();
    expect(all.map((digest) => digest.followId)).toEqual([sameA, other, sameB, weekly, late, sameC]);
    expect(written).toBe(all.length);
    for (const digest of all) {
      const own = alone(digest);
      expect({ followId: digest.followId, subject: digest.subject, text: digest.text, html: digest.html }).toEqual({ followId: digest.followId, ...own });
    }
    const byId = new Map(all.map((digest) => [digest.followId, digest]));
    const words = (id: number) => byId.get(id)!.text.split("\n\nManage your alerts")[0];
    expect(words(sameA)).toBe(words(sameB));
    expect(words(sameA)).toBe(words(sameC));
    expect(byId.get(sameA)!.text).not.toBe(byId.get(sameB)!.text); // each its own signed links
    expect(byId.get(sameA)!.subject).toMatch(/^Today: 2 changes in /);
    expect(byId.get(late)!.subject).toMatch(/^Today: 1 change in /);
    expect(words(other)).not.toBe(words(sameA));
    expect(byId.get(other)!.text).toContain("Deadline extended to 2025-03-01");
    expect(byId.get(weekly)!.subject).toMatch(/^This week: 2 changes in /);

    // Every waiting change of a due follower went into its digest; a second pass writes none.
    expect(db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM follow_deliveries WHERE outbox_id IS NULL`)!.n).toBe(0);
    expect(writeDueDigests({ now })).toBe(0);
  });

  it("stops at `limit` digests and the next call goes on from there, one digest per follower", () => {
    const letter = createLetter(db);
    const state = agencyOf(letter.id);
    const long = Date.now() - 3 * DAY;
    const ids = Array.from({ length: 7 }, (_, n) => follow(`r${n}@example.org`, state, { confirmedAt: long }));
    db.run(sql`UPDATE letter_events SET fanned_out = 1`);
    addResponse(db, letter.id, { receivedOn: "2025-01-20", completeness: "full" });
    while (fanOutEvents() > 0);
    const now = new Date(Date.now() + DAY);
    expect(writeDueDigests({ now, limit: 3 })).toBe(3);
    expect(writeDueDigests({ now, limit: 3 })).toBe(3);
    expect(writeDueDigests({ now, limit: 3 })).toBe(1);
    expect(writeDueDigests({ now, limit: 3 })).toBe(0);
    expect(digests().map((digest) => digest.followId)).toEqual(ids);
  });
});
