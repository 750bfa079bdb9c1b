/**
 * Leftovers of issue 11 ("no visitor waits") that a visitor or an attacker could hit, against the
 * built server (build/server.js). Each test failed before its fix (session 14, branch leftovers14).
 */
import net from "node:net";
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

describe("?_data requests (Remix's data requests) under single fetch", () => {
  const get = (path: string) => fetch(`${server.url}${path}`, { redirect: "manual" });

  it("a real route id gets that route's loader data as JSON, first rendered and then from the page cache", async () => {
    for (const cache of ["miss", "hit"]) {
      const response = await get("/letters?_data=routes%2Fletters._index");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(response.headers.get("x-page-cache")).toBe(cache);
      const body = (await response.json()) as { result: { total: number }; filters: { sort: string } };
      expect(body.result.total).toBeGreaterThan(0);
      expect(body.filters.sort).toBe("sent");
    }
    // An empty route id is the address's own route, as Remix v2 takes it (it was an empty 200 too).
    const empty = await get("/letters?_data=");
    expect(empty.status).toBe(200);
    expect(await empty.json()).toMatchObject({ filters: { sort: "sent" } });
    const root = await get("/letters?_data=root");
    expect(root.status).toBe(200);
    expect(await root.json()).toMatchObject({ user: null });
  });

  it("a route id that is not one of the address's routes is an error status, not an empty 200", async () => {
    for (const path of ["/letters?_data=nonsense", "/?_data=routes%2Fletters._index"]) {
      const response = await get(path);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
      expect(response.headers.get("x-remix-error"), path).toBe("yes");
    }
  });

  it("a loader's redirect is Remix's data redirect (204 with X-Remix-Redirect)", async () => {
    const response = await get("/letters/new?_data=routes%2Fletters.new");
    expect(response.status).toBe(204);
    expect(response.headers.get("x-remix-redirect")).toMatch(/^\/login\?redirectTo=/);
  });

  it("a thrown not-found keeps its status", async () => {
    const response = await get("/letters/no-such-letter?_data=routes%2Fletters.%24slug");
    expect(response.status).toBe(404);
  });
});

/** Sends `lines` as the raw request (lines joined by CRLF, then an empty line) and reads the whole answer. */
function rawRequest(lines: string[], to: RunningServer = server): Promise<{ status: number; head: string; body: string }> {
  const { port } = new URL(to.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), "127.0.0.1");
    let received = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (received += chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const [head = "", body = ""] = received.split("\r\n\r\n", 2);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body });
    });
    socket.write(`${[...lines, "Connection: close"].join("\r\n")}\r\n\r\n`);
  });
}

describe("request lines in absolute-form (RFC 9112 3.2.2)", () => {
  it("GET http://host:port/letters is served as /letters (it was a 500 from Remix's adapter)", async () => {
    const { port } = new URL(server.url);
    const answer = await rawRequest([`GET http://127.0.0.1:${port}/letters?sort=title HTTP/1.1`, `Host: 127.0.0.1:${port}`]);
    expect(answer.status).toBe(200);
    expect(answer.head).toMatch(/content-type: text\/html/i);
    expect(answer.body).toMatch(/<h1[^>]*>Letters<\/h1>/);
  });

  it("the address's host stands for the Host header, and an address without a path is /", async () => {
    const answer = await rawRequest(["GET HTTP://Example.ORG HTTP/1.1", "Host: 127.0.0.1"]);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(/<h1[^>]*>Overview<\/h1>/);
  });

  it.each([
    ["another scheme", "GET ftp://127.0.0.1/letters HTTP/1.1", 400, /Only http and https/],
    ["a user name in the address", "GET http://user:secret@127.0.0.1/letters HTTP/1.1", 400, /user name/],
    ["the asterisk-form of a GET", "GET * HTTP/1.1", 400, /must be a path/],
    ["OPTIONS *", "OPTIONS * HTTP/1.1", 405, /Method not allowed/],
  ])("%s is refused with a clear message, not a 500", async (_label, line, status, message) => {
    const answer = await rawRequest([line, "Host: 127.0.0.1"]);
    expect(answer.status).toBe(status);
    expect(answer.body).toMatch(message);
  });
});

describe("Host and X-Forwarded-Host that are not hosts", () => {
  it.each([
    ["a space", "Host: a b"],
    ["a user name", "Host: someone@evil.example"],
    ["a port over 65535", "Host: 127.0.0.1:99999"],
    ["an unclosed IPv6 literal", "Host: [::1"],
  ])("a Host with %s is 400 with a message (it was a 500: Remix's adapter made an invalid URL of it)", async (_label, header) => {
    const lines = header.startsWith("Host:") ? ["GET /letters HTTP/1.1", header] : ["GET /letters HTTP/1.1", "Host: 127.0.0.1", header];
    const answer = await rawRequest(lines);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(/The (Host|X-Forwarded-Host) header/);
  });

  it("a Host carrying a path cannot move the page Remix routes away from the path the guards checked", async () => {
    // Before: GET /agencies with Host "127.0.0.1/letters/new?" was routed to /letters/new (a 302 to sign in).
    const answer = await rawRequest(["GET /agencies HTTP/1.1", "Host: 127.0.0.1/letters/new?"]);
    expect(answer.status).toBe(400);
    expect(answer.head).not.toMatch(/location:/i);
  });

  it("ordinary hosts still work: a name with a port, an IPv6 literal, none at all (HTTP/1.0)", async () => {
    expect((await rawRequest(["GET /letters HTTP/1.1", "Host: Tracker.Example.org:443"])).status).toBe(200);
    expect((await rawRequest(["GET /letters HTTP/1.1", "Host: [::1]:3000"])).status).toBe(200);
    expect((await rawRequest(["GET /letters HTTP/1.0"])).status).toBe(200);
  });

  it("an X-Forwarded-Host nobody reads (no TRUST_PROXY) does not refuse the page: it is dropped (forwarded-host-trust)", async () => {
    // From a trusted proxy a forwarded port over 65535 is still a 400 (test/e2e/forwarded-host-trust.test.ts).
    expect((await rawRequest(["GET /letters HTTP/1.1", "Host: 127.0.0.1", "X-Forwarded-Host: tracker.example:99999"])).status).toBe(200);
  });

  it("an X-Forwarded-Proto nobody reads (no TRUST_PROXY) does not refuse the page", async () => {
    // Express reads it only from a trusted proxy: a direct client's stray header is ignored, not a 400.
    expect((await rawRequest(["GET /letters HTTP/1.1", "Host: 127.0.0.1", "X-Forwarded-Proto: a b"])).status).toBe(200);
  });
});

describe("X-Forwarded-Proto from a trusted proxy (TRUST_PROXY=loopback)", () => {
  let behindProxy: RunningServer;
  beforeAll(async () => {
    behindProxy = await startServer({ MAIL_SENDER: "false", TRUST_PROXY: "loopback" });
  }, TIMEOUT);
  afterAll(async () => {
    await behindProxy?.stop();
  });

  it.each(["a b", "1", "javascript"])("X-Forwarded-Proto %j is 400 with a message (a 500, or a javascript: URL, before)", async (proto) => {
    const answer = await rawRequest(["GET /letters HTTP/1.1", "Host: 127.0.0.1", `X-Forwarded-Proto: ${proto}`], behindProxy);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(/X-Forwarded-Proto/);
  });

  it("https is served", async () => {
    expect((await rawRequest(["GET /letters HTTP/1.1", "Host: 127.0.0.1", "X-Forwarded-Proto: https"], behindProxy)).status).toBe(200);
  });
});
