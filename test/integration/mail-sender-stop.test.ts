/**
 * Stopping the sender (the server's shutdown: stopMailSender) while a group of messages is with the
 * mail server. The turn sends up to 200 messages in groups of 20 (decision 0027); stopMailSender
 * awaited the whole turn, so a shutdown waited for every remaining group (minutes with a slow
 * server) and an orchestrator's kill meanwhile (docker's 10 s) left a group to be sent again. Now
 * the turn records the answers of the group it has out and sends no other.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.MAIL_POLL_MS = "3600000";
});

import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.server";
import { enqueueMessage } from "~/models/outbox.server";
import { startMailSender, stopMailSender, type MailTransport } from "~/utils/mail-sender.server";
import { freshDatabase } from "../support/database";

let db: Db;
beforeAll(() => {
  db = freshDatabase();
});
afterAll(async () => {
  await stopMailSender();
});

const MESSAGES = 60;
const count = (state: string) => db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM outbox WHERE state = ${state}`)!.n;

describe("stopping the sender mid-turn", () => {
  it("finishes the group out and sends no other", async () => {
    db.transaction(
      (tx) => {
        for (let i = 0; i < MESSAGES; i++) {
          enqueueMessage(tx, {
            kind: "alert",
            followId: null,
            to: `reader${i}@example.org`,
            message: { subject: `Message ${i}`, text: `Text ${i}`, html: `<p>Text ${i}</p>` },
            dedupeKey: `stop-test:${i}`,
          });
        }
      },
      { behavior: "immediate" },
    );
    // A mail server that holds every answer until told.
    let sends = 0;
    let release: () => void = () => {};
    const answered = new Promise<void>((resolve) => (release = resolve));
    const transport: MailTransport = {
      async send() {
        sends += 1;
        await answered;
        return "250 queued";
      },
      close: () => {},
    };
    startMailSender(transport);
    // The first group is out.
    await expect.poll(() => sends, { timeout: 10_000 }).toBe(20);
    const stopped = stopMailSender();
    release();
    await stopped;
    expect(sends).toBe(20);
    expect(count("sent")).toBe(20);
    expect(count("queued")).toBe(MESSAGES - 20);
    // The rest were never tried: they leave from the next process as they are.
    expect(db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM outbox WHERE state = 'queued' AND attempts = 0`)!.n).toBe(MESSAGES - 20);
  }, 30_000);
});
