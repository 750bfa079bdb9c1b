/**
 * The sender's lease while a group of messages is with a slow mail server (attack 13d). Messages go
 * in groups of 20 over the SMTP pool (decision 0027); a slow server can keep a group minutes (five
 * messages a connection, each up to the socket's 60 s timeout), past the lease (120 s) and each
 * message's hold (a minute, noted before the try). The lease was renewed only between groups: once
 * it ran out another process took it and found the same messages due, and sent them again while
 * the first was still sending them. Now the lease is renewed while a group is out.
 *
 * The server here takes the message and holds its answer; the sender's clock is moved on 150 s
 * meanwhile (as if the server had been that slow), then another process asks for the lease.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { acquireLease } from "~/models/leases.server";
import { enqueueMessage, nextDueMessages } from "~/models/outbox.server";
import { MAIL_LEASE, runMailTurn, smtpTransport } from "~/utils/mail-sender.server";
import { freshDatabase } from "../support/database";
import { startRawSmtp, type RawSmtp } from "../support/raw-smtp";

let db: Db;
let smtp: RawSmtp;
let port: number;
let arrived: () => void = () => {};
const dataArrived = new Promise<void>((resolve) => (arrived = resolve));
let answer: () => void = () => {};
const answerNow = new Promise<void>((resolve) => (answer = resolve));

beforeAll(async () => {
  db = freshDatabase();
  // Takes a message's data and answers 250 only when told to.
  smtp = await startRawSmtp("slow.test", (socket) => {
    arrived();
    void answerNow.then(() => socket.write("250 queued\r\n"));
  });
  port = smtp.port;
});

afterAll(async () => {
  await smtp.close();
});

describe("a group of messages with a slow mail server", () => {
  it("keeps the sender's lease, so no other process sends the same messages meanwhile", async () => {
    db.transaction(
      (tx) =>
        enqueueMessage(tx, {
          kind: "digest",
          followId: null,
          to: "reader@example.org",
          message: { subject: "Digest", text: "Text", html: "<p>Text</p>" },
          dedupeKey: "slow-test:1",
        }),
      { behavior: "immediate" },
    );
    let clock = Date.now();
    const transport = smtpTransport(`smtp://127.0.0.1:${port}`, { timeoutMs: 30_000 });
    try {
      const turn = runMailTurn({ transport, now: () => clock, leaseRenewMs: 10 });
      await dataArrived;
      // 150 s with the server: past the lease's 120 s, and the message's hold of a minute.
      clock += 150_000;
      expect(nextDueMessages(clock).map((message) => message.dedupeKey)).toEqual(["slow-test:1"]);
      // The sender renews its lease while the group is out (it did not: the lease stayed expired).
      await expect
        .poll(() => db.get<{ expiresAt: number }>(sql`SELECT expires_at AS expiresAt FROM job_leases WHERE name = ${MAIL_LEASE}`)!.expiresAt, { timeout: 5_000 })
        .toBeGreaterThan(clock);
      expect(acquireLease({ name: MAIL_LEASE, ttlMs: 120_000, holder: "another-process", now: clock })).toBe(false);
      answer();
      expect(await turn).toBe(1);
    } finally {
      answer();
      transport.close();
    }
    expect(db.get<{ state: string; attempts: number }>(sql`SELECT state, attempts FROM outbox WHERE dedupe_key = 'slow-test:1'`)).toEqual({ state: "sent", attempts: 1 });
  }, 30_000);
});
