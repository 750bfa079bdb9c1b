/**
 * The sender's loop (app/utils/mail-sender.server.ts) keeps turning while there is mail to send: a
 * turn sends at most 200 messages (50 before pooled SMTP), and the next turn used to wait for the timer (MAIL_POLL_MS, 10 s
 * by default), so a day's 10,000 digests took over half an hour to leave. Here the timer is an
 * hour: every message must leave from one wake alone. Written as .eml files (no SMTP_URL).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.MAIL_POLL_MS = "3600000";
});

import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.server";
import { enqueueMessage } from "~/models/outbox.server";
import { startMailSender, stopMailSender } from "~/utils/mail-sender.server";
import { freshDatabase } from "../support/database";

let db: Db;
beforeAll(() => {
  db = freshDatabase();
});
afterAll(async () => {
  await stopMailSender();
});

const MESSAGES = 450;
const sent = () => db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM outbox WHERE state = 'sent'`)!.n;

describe("the sender's loop", () => {
  it(`sends ${MESSAGES} messages (three turns' worth) from one wake, without waiting for its timer`, async () => {
    db.transaction(
      (tx) => {
        for (let i = 0; i < MESSAGES; i++) {
          enqueueMessage(tx, {
            kind: "alert",
            followId: null,
            to: `reader${i}@example.org`,
            message: { subject: `Message ${i}`, text: `Text ${i}`, html: `<p>Text ${i}</p>` },
            dedupeKey: `loop-test:${i}`,
          });
        }
      },
      { behavior: "immediate" },
    );
    startMailSender();
    // No time limit of its own but the test's: only "every message", never "within N seconds".
    await expect.poll(sent, { timeout: 120_000, interval: 200 }).toBe(MESSAGES);
  }, 180_000);
});
