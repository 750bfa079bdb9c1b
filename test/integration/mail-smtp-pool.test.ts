/**
 * The SMTP transport (app/utils/mail-sender.server.ts, smtpTransport): a day's digests go over a
 * few connections kept open, not one connection (greeting, EHLO) per message, which made 10,000
 * digests take most of an hour; and its timeouts apply (they were given to nodemailer as message
 * defaults, where they did nothing: a server that never greeted held a message for 30 s, not the
 * `timeoutMs` asked for).
 */
import net from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { enqueueMessage, type OutboxMessage } from "~/models/outbox.server";
import { runMailTurn, smtpTransport } from "~/utils/mail-sender.server";
import { freshDatabase } from "../support/database";
import { useSmtpServer } from "../support/mail";
import { freePort } from "../support/server";

const mail = useSmtpServer();
let db: Db;
beforeAll(() => {
  db = freshDatabase();
});

const MESSAGES = 60;

describe("the SMTP transport", () => {
  it(`sends ${MESSAGES} messages over a few connections kept open`, async () => {
    db.transaction(
      (tx) => {
        for (let i = 0; i < MESSAGES; i++) {
          enqueueMessage(tx, {
            kind: "digest",
            followId: null,
            to: `reader${i}@example.org`,
            message: { subject: `Digest ${i}`, text: `Text ${i}`, html: `<p>Text ${i}</p>` },
            dedupeKey: `pool-test:${i}`,
          });
        }
      },
      { behavior: "immediate" },
    );
    const before = mail.smtp.connections;
    while ((await runMailTurn({ transport: mail.transport })) > 0);
    await mail.smtp.waitFor(MESSAGES);
    expect(db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM outbox WHERE state = 'sent'`)!.n).toBe(MESSAGES);
    expect(new Set(mail.smtp.received.map((received) => received.messageId)).size).toBe(MESSAGES);
    // At most the pool's connections (4), whatever the machine's speed; one per message before.
    expect(mail.smtp.connections - before).toBeLessThanOrEqual(4);
  }, 120_000);

  describe("against a server that never greets", () => {
    let silent: net.Server;
    let port: number;
    const sockets: net.Socket[] = [];
    beforeAll(async () => {
      port = await freePort();
      silent = net.createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => silent.listen(port, "127.0.0.1", resolve));
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    // Fails (by the test's own time limit, well under nodemailer's default 30 s) when timeoutMs is ignored.
    it("gives up after the timeout it was given", async () => {
      const transport = smtpTransport(`smtp://127.0.0.1:${port}`, { timeoutMs: 500 });
      const message: OutboxMessage = {
        id: 1,
        kind: "digest",
        followId: null,
        dedupeKey: "silent",
        toAddress: "reader@example.org",
        subject: "Hello",
        textBody: "Hello",
        htmlBody: "<p>Hello</p>",
        headers: {},
        messageId: "<silent@example.org>",
        attempts: 0,
        createdAt: Date.now(),
      };
      try {
        await expect(transport.send(message)).rejects.toThrow(/greeting|timeout/i);
      } finally {
        transport.close();
      }
    }, 15_000);
  });
});
