/**
 * The pooled SMTP transport against a server that drops the connection mid-message (attack 13d).
 * A try is counted by the outbox before it is made, and tried again after the outbox's own wait
 * (nextAttemptAt), per message: a dropped connection is one try. nodemailer's pool by default puts
 * a message whose connection closed back in its own queue and resends it up to 5 more times
 * within two seconds, none of them counted or spaced by the outbox: a server that takes the data
 * and then drops the connection got the same message six times in one turn while the outbox said
 * it had been tried once.
 */
import net from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { enqueueMessage } from "~/models/outbox.server";
import { runMailTurn, smtpTransport } from "~/utils/mail-sender.server";
import { freshDatabase } from "../support/database";
import { freePort } from "../support/server";

let db: Db;
let server: net.Server;
let port: number;
const sockets: net.Socket[] = [];
/** Messages whose whole data arrived, each answered by closing the connection. */
let dataReceived = 0;
let connections = 0;

/** A minimal SMTP server: greets, accepts the envelope, takes the data, then drops the connection. */
function dropAfterData(socket: net.Socket): void {
  connections += 1;
  sockets.push(socket);
  let inData = false;
  let buffer = "";
  socket.write("220 drop.test ESMTP\r\n");
  socket.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    for (;;) {
      if (inData) {
        const end = buffer.indexOf("\r\n.\r\n");
        if (end < 0) return;
        buffer = buffer.slice(end + 5);
        inData = false;
        dataReceived += 1;
        socket.destroy();
        return;
      }
      const lineEnd = buffer.indexOf("\r\n");
      if (lineEnd < 0) return;
      const line = buffer.slice(0, lineEnd);
      buffer = buffer.slice(lineEnd + 2);
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === "EHLO" || verb === "HELO") socket.write("250 drop.test\r\n");
      else if (verb === "DATA") {
        inData = true;
        socket.write("354 go ahead\r\n");
      } else if (verb === "QUIT") {
        socket.end("221 bye\r\n");
        return;
      } else socket.write("250 OK\r\n");
    }
  });
  socket.on("error", () => {});
}

beforeAll(async () => {
  db = freshDatabase();
  port = await freePort();
  server = net.createServer(dropAfterData);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
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
    expect(connections).toBe(1);
    expect(row.attempts).toBe(1);
    expect(row.state).toBe("queued");
    expect(row.lastError).not.toBeNull();
    expect(row.nextAttemptAt).toBeGreaterThan(Date.now());
  }, 30_000);
});
