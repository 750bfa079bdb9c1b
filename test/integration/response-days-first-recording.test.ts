/**
 * DEFAULT_RESPONSE_DAYS recorded for the first time (a database from before the tracker remembered
 * it, whose letters without a deadline had none), or changed from 0 (no implied deadlines) to a
 * number: decision 0025. Followers hear "became overdue"
 * only for letters whose new implied deadline passed within the daily pass's catch-up window
 * (OVERDUE_CATCH_UP_DAYS), as they would have had the pass been running; a letter overdue for two
 * years under the new rule is not news, and is not announced. Through the real sender and SMTP server.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.server";
import { env } from "~/env.server";
import { addCalendarDays, today } from "~/domain/dates";
import { confirmFollow, followLink, requestFollow } from "~/models/follows.server";
import { OVERDUE_CATCH_UP_DAYS } from "~/models/letter-events.server";
import { syncStateSettings } from "~/models/letter-state.server";
import { runMailTurn } from "~/utils/mail-sender.server";
import { createLetter } from "../factories";
import { freshDatabase } from "../support/database";
import { useSmtpServer } from "../support/mail";

let db: Db;
let clients = 0;
const mail = useSmtpServer();
beforeEach(() => {
  db = freshDatabase();
});

function follows(email: string, slug: string, at: number): void {
  expect(requestFollow({ email, kind: "letter", key: slug, cadence: "immediate", client: `c${(clients += 1)}`, now: at })).toEqual({ ok: true });
  const row = db.get<{ id: number; secret: string }>(sql`SELECT id, secret FROM follows WHERE email = ${email} AND subject_key = ${slug}`)!;
  expect(confirmFollow(new URL(followLink(row, "confirm", at)).searchParams.get("token")!, at + 1).ok).toBe(true);
}

describe("the default response window recorded for the first time, or turned on from 0", () => {
  it.each([
    ["recorded for the first time", true],
    // 0 turns implied deadlines off: turning them on is the same news as a first recording.
    ["turned on from 0", false],
  ])("%s: announces only letters whose implied deadline passed within the catch-up window, not those long overdue", async (_name, firstRecording) => {
    const configured = env.DEFAULT_RESPONSE_DAYS;
    const setDays = (days: number) => ((env as { DEFAULT_RESPONSE_DAYS: number }).DEFAULT_RESPONSE_DAYS = days);
    let letters: Array<{ id: number; slug: string }>;
    try {
      // Before the setting existed: letters without a deadline had none (as with 0 days).
      setDays(0);
      syncStateSettings(db, 0);
      letters = [
        createLetter(db, { title: "Sent two years ago", sent_on: addCalendarDays(today(), -730), deadline: null }),
        createLetter(db, { title: "Sent 33 days ago", sent_on: addCalendarDays(today(), -33), deadline: null }),
        createLetter(db, { title: "Sent 10 days ago", sent_on: addCalendarDays(today(), -10), deadline: null }),
      ];
      if (firstRecording) db.run(sql`DELETE FROM state_settings WHERE key = 'default_response_days'`);
      expect(db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM letters WHERE effective_deadline IS NOT NULL`)!.n).toBe(0);
      const confirmedAt = Date.now() - 60_000;
      for (const letter of letters) follows("reader@example.org", letter.slug, confirmedAt);
      db.run(sql`UPDATE letter_events SET fanned_out = 1`); // the letters' "logged" events came before the follows

      // The start that records 30 days for the first time.
      setDays(30);
      expect(syncStateSettings(db, 30)).toBe(true);
      expect(db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM letter_events WHERE kind = 'letter_overdue'`)!.n, "no catch-up of its own").toBe(0);

      await runMailTurn({ transport: mail.transport, now: () => Date.now() });
      await runMailTurn({ transport: mail.transport, now: () => Date.now() });
    } finally {
      setDays(configured);
    }
    expect(33 - 30).toBeLessThanOrEqual(OVERDUE_CATCH_UP_DAYS);
    const overdue = db.all<{ letter: number }>(sql`SELECT letter_id AS letter FROM letter_events WHERE kind = 'letter_overdue' ORDER BY letter_id`);
    expect(overdue.map((row) => row.letter)).toEqual([letters[1]!.id]);
    expect(mail.smtp.received.map((m) => m.parsed.subject)).toEqual([expect.stringMatching(/Sent 33 days ago$/)]);
    expect(mail.smtp.received[0]!.parsed.text).toContain("no deadline set; due 30 days after sending by default");
  });
});
