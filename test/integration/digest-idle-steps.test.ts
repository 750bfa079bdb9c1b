/**
 * The digest steps on the many turns when followers wait for their hour (review15). Each step of
 * writeDueDigestsStep was an immediate (write-locking) transaction even when none of its 50 follows
 * was due, the sender renewed its lease (a write) after every step, and the follows walked
 * included unsubscribed ones whose unsent deliveries stay unsent for good. Measured before: with
 * 10,000 daily followers waiting, an idle turn took 188 ms and wrote 201 rows; with 10,000
 * unsubscribed leftovers besides, 259 ms and 401 rows, every MAIL_POLL_MS (10 s), for ever.
 */
import Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { writeDueDigestsStep } from "~/models/outbox.server";
import { LETTER_EVENT_KINDS } from "~/domain/vocabulary";
import { runMailTurn, type MailTransport } from "~/utils/mail-sender.server";
import { freshDatabase } from "../support/database";

let db: Db;
const now = Date.now();
beforeEach(() => {
  db = freshDatabase();
});

/** `count` daily follows, each with one waiting delivery, none due (a digest just went out). */
function waitingFollows(count: number, { unsubscribed }: { unsubscribed: boolean }): void {
  db.transaction(
    (tx) => {
      const event = tx.get<{ id: number }>(sql`
        INSERT INTO letter_events (kind, letter_id, letter_slug, letter_title, at, fanned_out) VALUES (${LETTER_EVENT_KINDS[0]}, 1, 'l', 'L', ${now}, 1) RETURNING id`)!.id;
      for (let i = 0; i < count; i++) {
        const follow = tx.get<{ id: number }>(sql`
          INSERT INTO follows (email, subject_kind, subject_key, subject_label, cadence, secret, confirmed_at, last_digest_at, unsubscribed_at)
          VALUES (${`r${i}-${unsubscribed}@example.org`}, 'letter', 'l', 'L', 'daily', 's', ${now - 1000}, ${now}, ${unsubscribed ? now : null}) RETURNING id`)!.id;
        tx.run(sql`INSERT INTO follow_deliveries (follow_id, event_id) VALUES (${follow}, ${event})`);
      }
    },
    { behavior: "immediate" },
  );
}

const rowsWritten = () => (db.$client.prepare("SELECT total_changes() AS n").get() as { n: number }).n;
const transport: MailTransport = { send: async () => "250 ok", close: () => {} };

describe("digest steps when no digest is due", () => {
  it("an idle turn over 500 waiting followers writes only its lease, once", async () => {
    waitingFollows(500, { unsubscribed: false });
    await runMailTurn({ transport });
    const before = rowsWritten();
    expect(await runMailTurn({ transport })).toBe(0);
    // The lease taken at the turn's start; before: that and one renewal per step (10 steps).
    expect(rowsWritten() - before).toBeLessThanOrEqual(1);
  });

  it("a step takes no write lock when none of its follows is due", () => {
    waitingFollows(100, { unsubscribed: false });
    // Another connection holds the write lock; this one does not wait for it.
    const other = new Database(db.$client.name);
    db.$client.pragma("busy_timeout = 0");
    try {
      other.exec("BEGIN IMMEDIATE");
      expect(writeDueDigestsStep({ now: new Date(now + 1000) })).toEqual({ written: 0, cursor: expect.any(Number), done: false });
    } finally {
      other.exec("ROLLBACK");
      other.close();
      db.$client.pragma("busy_timeout = 5000");
    }
  });

  it("unsubscribed followers' leftover deliveries are not walked step by step", () => {
    waitingFollows(500, { unsubscribed: true });
    expect(writeDueDigestsStep({ now: new Date(now + 1000) })).toEqual({ written: 0, cursor: 0, done: true });
  });
});
