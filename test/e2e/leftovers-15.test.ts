/**
 * Leftovers found by earlier reviews, against the built server (build/server.js). Each test failed
 * before its fix (session 15, branch leftovers15).
 */
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../support/server";

const TIMEOUT = 120_000;
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ MAIL_SENDER: "false" });
}, TIMEOUT);

afterAll(async () => {
  await server?.stop();
});

/** What the read pool has finished since the start (/healthz): a HEAD must not move it. */
async function readsCompleted(): Promise<number> {
  const health = (await (await fetch(`${server.url}/healthz`)).json()) as { readPool: { completed: number } | null };
  expect(health.readPool, "the server runs a read pool").not.toBeNull();
  return health.readPool!.completed;
}

/** The headers a HEAD must repeat from its GET. */
const ANSWER_HEADERS = ["content-type", "content-disposition", "cache-control", "etag", "x-content-type-options"];

function answerHeaders(response: Response): Record<string, string | null> {
  return Object.fromEntries(ANSWER_HEADERS.map((name) => [name, response.headers.get(name)]));
}

describe("HEAD on exports and other downloads: the GET's headers, nothing produced", () => {
  const exports = [
    "/export/letters.csv?sort=title",
    "/export/questions.csv",
    "/export/responses.xlsx",
    "/export/letters-questions.xlsx",
    "/export/letters.csv?status=overdue",
  ];

  it("five HEADs of exports start no export: each has its GET's headers, and every GET after them is served", async () => {
    // Before: each HEAD started its export in a thread and took one of the EXPORT_WORKERS slots
    // (two per process, two per client), and Remix dropped the body unread, so the slot was never
    // given back: the second HEAD was already a 503, and so was every export after it.
    const heads: Response[] = [];
    for (const address of exports) {
      const head = await fetch(`${server.url}${address}`, { method: "HEAD" });
      expect(head.status, address).toBe(200);
      heads.push(head);
    }
    for (const [index, address] of exports.entries()) {
      const get = await fetch(`${server.url}${address}`);
      expect(get.status, address).toBe(200);
      const body = Buffer.from(await get.arrayBuffer());
      expect(body.length, address).toBeGreaterThan(0);
      expect(answerHeaders(heads[index]!), address).toEqual(answerHeaders(get));
      expect(get.headers.get("content-disposition"), address).toMatch(/^attachment; filename=/);
    }
  });

  it("a HEAD with a bad filter value is the GET's 400", async () => {
    const head = await fetch(`${server.url}/export/letters.csv?sentFrom=yesterday`, { method: "HEAD" });
    const get = await fetch(`${server.url}/export/letters.csv?sentFrom=yesterday`);
    expect(head.status).toBe(400);
    expect(get.status).toBe(400);
    expect(head.headers.get("content-type")).toBe(get.headers.get("content-type"));
  });

  it("HEAD /calendar.ics reads nothing in the read pool (the GET does)", async () => {
    const before = await readsCompleted();
    const head = await fetch(`${server.url}/calendar.ics?sort=title`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await readsCompleted()).toBe(before);
    const get = await fetch(`${server.url}/calendar.ics?sort=title`);
    expect(get.status).toBe(200);
    expect(await get.text()).toMatch(/^BEGIN:VCALENDAR/);
    expect(await readsCompleted()).toBeGreaterThan(before);
    expect(answerHeaders(head)).toEqual(answerHeaders(get));
  });

  it("HEAD on a bulk data file does not build the package; once built, it gives the file's size", async () => {
    const packages = path.join(path.dirname(server.databasePath), "tracker-packages");
    const head = await fetch(`${server.url}/data/letters.csv`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(head.headers.get("content-disposition")).toMatch(/^attachment; filename="letters\.csv"/);
    // Before: the HEAD built the whole package in the read pool, then sent none of it.
    expect(fs.existsSync(packages) ? fs.readdirSync(packages).filter((name) => name.startsWith("r")) : []).toEqual([]);
    const get = await fetch(`${server.url}/data/letters.csv`);
    expect(get.status).toBe(200);
    const bytes = Buffer.from(await get.arrayBuffer());
    const built = await fetch(`${server.url}/data/letters.csv`, { method: "HEAD" });
    expect(built.headers.get("content-length")).toBe(String(bytes.length));
    expect(built.headers.get("x-data-revision")).toBe(get.headers.get("x-data-revision"));
  });
});
