/**
 * Export slots against the production server (exports in worker threads): one client address
 * never holds every slot. With the defaults (EXPORT_WORKERS=2, two per client) two downloads an
 * address left unread refused every other reader's export with 503 for the 120 s stall limit, again
 * and again (attack 21); a client now gets two of three (EXPORT_WORKERS=3), never all.
 */
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "../../db/client.server";
import { env } from "~/env.server";
import { freshDatabase } from "../support/database";
import { startServer, type RunningServer } from "../support/server";
import { seedSyntheticLetters } from "../factories";

let server: RunningServer;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  // Enough letters that an export does not fit in the sockets' buffers (letters-questions.csv: ~25 MB).
  const db = freshDatabase();
  seedSyntheticLetters(db, { letters: 8000 });
  closeDb();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tracker-export-slots-"));
  const copy = path.join(dir, "tracker.db");
  fs.copyFileSync(env.DATABASE_PATH, copy);
  server = await startServer({ DATABASE_PATH: copy, SEED_DEMO_DATA: "0", MAIL_SENDER: "0" });
}, 600_000);

afterAll(async () => {
  await server?.stop();
});

/** Opens a download on its own connection from `host` (a loopback address: its own client), reading nothing. */
function unreadDownload(host: string, p: string): net.Socket {
  const { port } = new URL(server.url);
  const socket = net.connect({ port: Number(port), host: "127.0.0.1", localAddress: host });
  socket.on("error", () => {});
  socket.write(`GET ${p} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
  return socket;
}

/** The status of a download started from `host`, its body left unread (the connection closed). */
function statusFrom(host: string, p: string): Promise<number> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port: Number(port), host: "127.0.0.1", localAddress: host }, () =>
      socket.write(`GET ${p} HTTP/1.1\r\nHost: localhost\r\n\r\n`),
    );
    let head = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      head += chunk;
      const match = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (match) {
        resolve(Number(match[1]));
        socket.destroy();
      }
    });
    socket.on("error", reject);
  });
}

describe("export slots", () => {
  it("one client address reading nothing does not refuse every other reader's export", async () => {
    const hog = [unreadDownload("127.0.0.11", "/export/letters-questions.csv?a=1"), unreadDownload("127.0.0.11", "/export/letters-questions.csv?a=2")];
    hog.forEach((socket) => socket.pause());
    try {
      await sleep(2_000);
      // Someone else, at another address.
      expect(await statusFrom("127.0.0.12", "/export/letters.csv?other=1")).toBe(200);
      // The same address's third: refused, it holds its share.
      expect(await statusFrom("127.0.0.11", "/export/letters.csv?third=1")).toBe(503);
    } finally {
      hog.forEach((socket) => socket.destroy());
    }
  });
});
