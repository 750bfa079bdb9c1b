/**
 * Accounts against the real production server: unusual methods are refused with a 405 (never a
 * 500), nothing answered to a signed-in request may be stored by a cache, and the client address
 * that sign-in throttling counts comes from X-Forwarded-For only when TRUST_PROXY trusts it.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUserWithCli, startServer, type RunningServer } from "../support/server";

let direct: RunningServer;
let proxied: RunningServer;
const admin = { email: "owner@example.org", name: "Owner", role: "admin" as const, password: "the owner's own passphrase" };

beforeAll(async () => {
  [direct, proxied] = await Promise.all([startServer(), startServer({ TRUST_PROXY: "loopback" })]);
  await Promise.all([createUserWithCli(direct.databasePath, admin), createUserWithCli(proxied.databasePath, admin)]);
});

afterAll(async () => {
  await Promise.all([direct?.stop(), proxied?.stop()]);
});

/** A raw request (fetch refuses methods such as TRACE). */
function rawRequest(url: string, method: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers }, (response) => {
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
    });
    request.on("error", reject);
    request.end();
  });
}

async function signIn(server: RunningServer, password: string, forwardedFor?: string): Promise<Response> {
  return fetch(`${server.url}/login`, {
    method: "POST",
    body: new URLSearchParams({ email: admin.email, password }),
    headers: forwardedFor ? { "X-Forwarded-For": forwardedFor } : {},
    redirect: "manual",
  });
}

describe("unusual methods", () => {
  it.each(["TRACE", "PROPFIND", "OPTIONS", "PUT", "DELETE", "PATCH", "MKCOL", "PURGE"])("%s gets a 405, on any route", async (method) => {
    for (const path of ["/", "/letters", "/login", "/api/letters", "/no/such/page"]) {
      const response = await rawRequest(`${direct.url}${path}`, method);
      expect(response.status, `${method} ${path}`).toBe(405);
      // What the address takes: POST only where its route has an action (/login).
      expect(response.headers.allow).toBe(path === "/login" ? "GET, HEAD, POST" : "GET, HEAD");
    }
  });
});

describe("caching", () => {
  let cookie: string;
  beforeAll(async () => {
    const response = await signIn(direct, admin.password);
    cookie = (response.headers.get("set-cookie") ?? "").split(";")[0]!;
    expect(cookie).toMatch(/^tracker_session=/);
  });

  it.each(["/", "/letters", "/letters/meeks-castro-rubio-el-salvador-2025-04-17", "/admin/users", "/api/letters", "/feed.xml", "/calendar.ics", "/export/letters.csv", "/no/such/page"])(
    "a signed-in request for %s is answered Cache-Control: private, no-store",
    async (path) => {
      const response = await fetch(`${direct.url}${path}`, { headers: { Cookie: cookie } });
      await response.arrayBuffer();
      expect(response.status).toBeLessThan(500);
      expect(response.headers.get("cache-control")).toBe("private, no-store");
      expect(response.headers.get("etag")).toBeNull();
      expect(response.headers.get("vary") ?? "").toMatch(/\bCookie\b/i);
    },
  );

  it("the page that shows a one-time password is not stored", async () => {
    const users = await fetch(`${direct.url}/admin/users`, { headers: { Cookie: cookie } });
    const userId = /name="userId" value="(\d+)"/.exec(await users.text())?.[1];
    const response = await fetch(`${direct.url}/admin/users`, {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "create", email: "new-editor@example.org", name: "New Editor", role: "editor" }),
    });
    expect(userId).toBeDefined();
    expect(await response.text()).toContain("One-time password for");
    expect(response.headers.get("cache-control")).toBe("private, no-store");
  });

  it("anonymous pages vary by cookie, so a cache never serves them to a signed-in reader", async () => {
    const response = await fetch(`${direct.url}/letters`);
    await response.arrayBuffer();
    expect(response.headers.get("vary") ?? "").toMatch(/\bCookie\b/i);
  });
});

describe("the client address behind a proxy (TRUST_PROXY)", () => {
  it("trusted: one visitor's wrong passwords do not slow another visitor of the same account", async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await signIn(proxied, `wrong password ${attempt}`, "203.0.113.9")).status).toBe(400);
    }
    expect((await signIn(proxied, admin.password, "203.0.113.9")).status).toBe(429);
    expect((await signIn(proxied, admin.password, "198.51.100.20")).status).toBe(302);
  });

  it("trusted, IPv6: wrong passwords from one /64 count as one visitor's, whichever address in it each came from", async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await signIn(proxied, `wrong password ${attempt}`, `2001:db8:5:6::${attempt + 1}`)).status).toBe(400);
    }
    expect((await signIn(proxied, admin.password, "2001:db8:5:6:ffff::99")).status).toBe(429);
    expect((await signIn(proxied, admin.password, "2001:db8:5:7::1")).status).toBe(302);
  });

  it("not trusted (the default): X-Forwarded-For is ignored, so forging it does not escape the throttle", async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await signIn(direct, `wrong password ${attempt}`, `203.0.113.${attempt}`)).status).toBe(400);
    }
    expect((await signIn(direct, admin.password, "198.51.100.20")).status).toBe(429);
  });
});
