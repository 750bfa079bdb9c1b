/**
 * Attacks on the page cache (app/utils/page-cache.server.ts, wired in scripts/serve.ts), against the
 * real production server. Each test is a finding: it fails while the hole is open.
 * - A session cookie the app accepts but serve.ts's "signed in?" regex does not see
 *   (`tracker_session= <token>`, `tracker_session =<token>`): the signed-in page, internal notes and
 *   all, is stored and replayed to anonymous readers with a public Cache-Control.
 * - The Host header is not part of the cache key, but feed.xml and calendar.ics build their links
 *   from it: one request with a forged Host poisons the copy every subscriber gets.
 * - Concurrent misses of one URL wait for the first reader's response to finish: one slow download
 *   of an export holds every other reader of that URL without an answer.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSyntheticDatabase } from "../../scripts/seed-synthetic";
import { createUserWithCli, startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let token: string;
const editor = { email: "attack-editor@example.org", name: "Mallory Careless", role: "editor" as const, password: "a long editor passphrase" };
const LETTER = "meeks-castro-rubio-el-salvador-2025-04-17";
const SECRET = "INTERNAL-NOTE-NEVER-PUBLIC-7f3a";

beforeAll(async () => {
  server = await startServer();
  await createUserWithCli(server.databasePath, editor);
  const response = await fetch(`${server.url}/login`, {
    method: "POST",
    body: new URLSearchParams({ email: editor.email, password: editor.password }),
    redirect: "manual",
  });
  const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0]!;
  expect(cookie).toMatch(/^tracker_session=/);
  token = cookie.slice("tracker_session=".length);
});

afterAll(async () => {
  await server?.stop();
});

/** A raw request, so that Host and Cookie go out exactly as written. */
function raw(
  path: string,
  headers: Record<string, string> = {},
  on: RunningServer = server,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const { port } = new URL(on.url);
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path, headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
  });
}

describe("a session cookie the cache does not recognise", () => {
  it.each([
    ["a space after '='", (t: string) => `tracker_session= ${t}`],
    ["a space before '='", (t: string) => `tracker_session =${t}`],
  ])("(%s) is not stored and replayed to anonymous readers", async (_label, cookieOf) => {
    // A letter with an internal note: only staff may see it.
    const url = `/letters/${LETTER}?probe=${encodeURIComponent(_label)}`;
    const db = new Database(server.databasePath);
    db.prepare("UPDATE letters SET internal_notes = ? WHERE slug = ?").run(SECRET, LETTER);
    db.close();
    const staff = await raw(url, { Cookie: cookieOf(token) });
    expect(staff.status).toBe(200);
    // The app took the cookie: the staffer's page, internal note included.
    expect(staff.body).toContain(SECRET);
    expect(staff.headers["cache-control"]).toBe("private, no-store");

    const anonymous = await raw(url);
    expect(anonymous.body).not.toContain(SECRET);
    expect(anonymous.body).not.toContain(editor.name);
  });
});

describe("the Host header", () => {
  it.each(["/feed.xml", "/calendar.ics?from=2024-01-01&to=2026-12-31"])("cannot poison the copy of %s others get", async (path) => {
    const forged = await raw(path, { Host: "attacker.example" });
    expect(forged.status).toBe(200);
    const honest = await raw(path, { Host: new URL(server.url).host });
    expect(honest.status).toBe(200);
    expect(honest.body).not.toContain("attacker.example");
  });

  it("cannot change the port in the links of the copy others get (X-Forwarded-Host, whatever TRUST_PROXY says)", async () => {
    const path = "/feed.xml?probe=port";
    await raw(path, { "X-Forwarded-Host": "anything:6666" });
    const honest = await raw(path);
    expect(honest.body).not.toContain(":6666/");
  });
});

describe("a calendar refused by admission", () => {
  let strict: RunningServer;
  beforeAll(async () => {
    strict = await startServer({ READ_POOL_PER_CLIENT: "1" });
  });
  afterAll(async () => {
    await strict?.stop();
  });

  it("is answered 503 with Retry-After, not an empty reply", async () => {
    const { port } = new URL(strict.url);
    const one = (i: number) =>
      new Promise<string>((resolve) => {
        const req = http.get({ host: "127.0.0.1", port, path: `/calendar.ics?from=2024-01-01&to=2026-12-31&c=${i}`, agent: false }, (res) => {
          res.resume();
          res.on("end", () => resolve(String(res.statusCode)));
          res.on("aborted", () => resolve(`${res.statusCode} cut short`));
        });
        req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
      });
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => one(i)));
    for (const outcome of outcomes) expect(["200", "503"]).toContain(outcome);
  });
});

describe("concurrent readers of one URL", () => {
  let directory: string;
  let large: RunningServer;

  beforeAll(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "tracker-attack-"));
    const file = path.join(directory, "tracker.db");
    // Several MB of CSV: more than loopback socket buffers hold.
    buildSyntheticDatabase({ file, letters: 3000, seed: 11, log: () => {} });
    large = await startServer({ DATABASE_PATH: file, SEED_DEMO_DATA: "off" });
  }, 120_000);

  afterAll(async () => {
    await large?.stop();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it("are not held back by another reader's slow download", async () => {
    const { port } = new URL(large.url);
    const url = "/export/letters-questions.csv";
    // A reader (another address) that takes the headers and then stops reading: a stalled client.
    const slow = http.get({ host: "127.0.0.1", port, path: url, agent: false, localAddress: "127.0.0.2" });
    slow.on("response", (res) => res.pause());
    slow.on("error", () => {});
    await new Promise((resolve) => setTimeout(resolve, 1000));
    try {
      const other = await Promise.race([
        raw(url, {}, large).then((r) => r.status),
        new Promise<string>((resolve) => setTimeout(() => resolve("no answer in 15 s"), 15_000)),
      ]);
      expect(other).toBe(200);
    } finally {
      slow.destroy();
    }
  }, 30_000);
});
