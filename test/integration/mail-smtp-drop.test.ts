/**
 * The pooled SMTP transport against a server that drops the connection mid-message (attack 13d).
 * A try is counted by the outbox before it is made, and tried again after the outbox's own wait
 * (nextAttemptAt), per message: a dropped connection is one try. The fear checked here: nodemailer's pool
 * puts a message whose connection closed back in its own queue and resends it up to 5 more times
 * within two seconds, none of them counted or spaced by the outbox. It does so only for a close
 * without an error; a server that takes the data and then drops the connection gets the message
 * once per turn (if that ever changes, `maxRequeues: 0` in smtpTransport sends every retry
 * through the outbox).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { enqueueMessage } from "~/models/outbox.server";
import { runMailTurn, smtpTransport } from "~/utils/mail-sender.server";
import { freshDatabase } from "../support/database";
import { startRawSmtp, type RawSmtp } from "../support/raw-smtp";

let db: Db;
let smtp: RawSmtp;
let port: number;
/** Messages whose whole data arrived, each answered by closing the connection. */
let dataReceived = 0;

beforeAll(async () => {
  db = freshDatabase();
  // Greets, accepts the envelope, takes the data, then drops the connection.
  smtp = await startRawSmtp("drop.test", (socket) => {
    dataReceived += 1;
    socket.destroy();
  });
  port = smtp.port;
});

afterAll(async () => {
  await smtp.close();
});

describe("a server that drops the connection after taking a message's data", () => {
  it("gets the message once per turn, the try counted and the next one after the outbox's wait", async () => {
    db.transaction(
      (tx) =>
        enqueueMessage(tx, {
          kind: "digest",
          followId: null,
          to: "reader@example.org",
          message: { subject: "Digest", text: "Text", html: "<p>Text</p>" },
          dedupeKey: "drop-test:1",
        }),
      { behavior: "immediate" },
    );
    const transport = smtpTransport(`smtp://127.0.0.1:${port}`, { timeoutMs: 5_000 });
    try {
      expect(await runMailTurn({ transport })).toBe(1);
    } finally {
      transport.close();
    }
    const row = db.get<{ state: string; attempts: number; lastError: string | null; nextAttemptAt: number }>(sql`
      SELECT state, attempts, last_error AS lastError, next_attempt_at AS nextAttemptAt FROM outbox WHERE dedupe_key = 'drop-test:1'`)!;
    // One try made and counted (six before: the pool's five hidden resends), waiting for the next.
    expect(dataReceived).toBe(1);
    expect(smtp.connections()).toBe(1);
    expect(row.attempts).toBe(1);
    expect(row.state).toBe("queued");
    expect(row.lastError).not.toBeNull();
    expect(row.nextAttemptAt).toBeGreaterThan(Date.now());
  }, 30_000);
});
