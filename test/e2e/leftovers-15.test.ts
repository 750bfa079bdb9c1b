/**
 * Leftovers found by earlier reviews, against the built server (build/server.js). Each test failed
 * before its fix (session 15, branch leftovers15).
 */
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readsCompleted, startServer, type RunningServer } from "../support/server";

const TIMEOUT = 120_000;
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ MAIL_SENDER: "false" });
}, TIMEOUT);

afterAll(async () => {
  await server?.stop();
});

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
    const before = await readsCompleted(server);
    const head = await fetch(`${server.url}/calendar.ics?sort=title`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await readsCompleted(server)).toBe(before);
    const get = await fetch(`${server.url}/calendar.ics?sort=title`);
    expect(get.status).toBe(200);
    expect(await get.text()).toMatch(/^BEGIN:VCALENDAR/);
    expect(await readsCompleted(server)).toBeGreaterThan(before);
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
    // Unencoded: a kept copy's HEAD gives the length of the encoding it would send.
    const identity = { "Accept-Encoding": "identity" };
    const get = await fetch(`${server.url}/data/letters.csv`, { headers: identity });
    expect(get.status).toBe(200);
    const bytes = Buffer.from(await get.arrayBuffer());
    const built = await fetch(`${server.url}/data/letters.csv?fresh=1`, { method: "HEAD", headers: identity });
    expect(built.headers.get("content-length")).toBe(String(bytes.length));
    expect(built.headers.get("x-data-revision")).toBe(get.headers.get("x-data-revision"));
  });
});

/** Sends `lines` as the raw request (lines joined by CRLF, then an empty line, then `body`) and reads the whole answer. */
function rawRequest(lines: string[], body = ""): Promise<{ status: number; head: string; body: string }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), "127.0.0.1");
    let received = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (received += chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const [head = "", rest = ""] = received.split("\r\n\r\n", 2);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body: rest });
    });
    const length = body === "" ? [] : [`Content-Length: ${Buffer.byteLength(body)}`];
    socket.write(`${[...lines, ...length, "Connection: close"].join("\r\n")}\r\n\r\n${body}`);
  });
}

describe("a method an address does not take: 405 with Allow (RFC 9110 15.5.6)", () => {
  const form = { "Content-Type": "application/x-www-form-urlencoded" };

  it.each(["/letters", "/export/letters.csv", "/calendar.ics", "/agencies/no-such-agency", "/no/such/page"])(
    "a POST to %s (no action) is 405 with Allow: GET, HEAD and a plain message",
    async (address) => {
      // Before: 405 with no Allow, and "Unexpected Server Error" (resource routes) or an error page.
      const response = await fetch(`${server.url}${address}`, { method: "POST", headers: form, body: "x=1", redirect: "manual" });
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("GET, HEAD");
      expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await response.text()).toBe(`Method not allowed: POST is not allowed at ${address} (it takes GET, HEAD).`);
    },
  );

  it("a POST without a form's body type to a route without an action is the same 405 (no body is read)", async () => {
    const response = await fetch(`${server.url}/letters`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
  });

  it("PUT, DELETE and PATCH name what the address takes: GET and HEAD, and POST only where a form is sent", async () => {
    for (const method of ["PUT", "DELETE", "PATCH"]) {
      const answer = await rawRequest([`${method} /letters HTTP/1.1`, `Host: 127.0.0.1`]);
      expect(answer.status, method).toBe(405);
      expect(answer.head, method).toMatch(/\r\nAllow: GET, HEAD\r\n/i);
      expect(answer.body, method).toMatch(new RegExp(`^Method not allowed: ${method} is not allowed at /letters`));
      const login = await rawRequest([`${method} /login HTTP/1.1`, `Host: 127.0.0.1`]);
      expect(login.status, method).toBe(405);
      expect(login.head, method).toMatch(/\r\nAllow: GET, HEAD, POST\r\n/i);
    }
  });

  it("a route with an action still takes its POST", async () => {
    const response = await fetch(`${server.url}/login`, { method: "POST", headers: form, body: "email=nobody%40example.org&password=wrong", redirect: "manual" });
    expect(response.status).not.toBe(405);
    expect(response.headers.get("allow")).toBeNull();
  });

  it("Remix's data requests keep the 405 its client reads, with the Allow", async () => {
    // Single fetch (PATH.data): Remix's turbo-stream error.
    const single = await fetch(`${server.url}/letters.data`, { method: "POST", headers: form, body: "x=1" });
    expect(single.status).toBe(405);
    expect(single.headers.get("x-remix-response")).toBe("yes");
    expect(single.headers.get("content-type")).toMatch(/^text\/x-script/);
    // Not HEAD: a HEAD of a data address is refused (mend16).
    expect(single.headers.get("allow")).toBe("GET");
    // Remix v2's ?_data: JSON with X-Remix-Error.
    const data = await fetch(`${server.url}/letters?_data=routes%2Fletters._index`, { method: "POST", headers: form, body: "x=1" });
    expect(data.status).toBe(405);
    expect(data.headers.get("x-remix-error")).toBe("yes");
    expect(data.headers.get("content-type")).toMatch(/^application\/json/);
    expect(data.headers.get("allow")).toBe("GET, HEAD");
    // Saying what is wrong (Remix's own said "Unexpected Server Error"), on any route of the address.
    expect(await data.json()).toEqual({ message: "Method not allowed: POST is not allowed at /letters (it takes GET, HEAD)." });
    const root = await fetch(`${server.url}/nope?_data=root`, { method: "POST", headers: form, body: "x=1" });
    expect({ status: root.status, allow: root.headers.get("allow"), error: root.headers.get("x-remix-error"), body: await root.json() }).toEqual({
      status: 405,
      allow: "GET, HEAD",
      error: "yes",
      body: { message: "Method not allowed: POST is not allowed at /nope (it takes GET, HEAD)." },
    });
  });
});
