import fs from "node:fs";
import http from "node:http";
/**
 * Security headers, the CSP nonce, cross-site write refusal and /healthz against the real
 * production server; hydration must still work under the enforced policy.
 */
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, watchErrors } from "../support/browser";
import { startServer, type RunningServer } from "../support/server";

const MEEKS_CASTRO = "meeks-castro-rubio-el-salvador-2025-04-17";

let server: RunningServer;
let browser: BrowserContext;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function nonceOf(csp: string | null): string {
  const match = /script-src 'nonce-([^']+)'/.exec(csp ?? "");
  if (!match) throw new Error(`no nonce in CSP: ${csp}`);
  return match[1] as string;
}

/** The response's header names, as sent, with how often each was sent (raw: not joined as fetch joins them). */
function headerCounts(url: string, method = "GET"): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method }, (response) => {
      const counts: Record<string, number> = {};
      for (let i = 0; i < response.rawHeaders.length; i += 2) {
        const name = response.rawHeaders[i]!.toLowerCase();
        counts[name] = (counts[name] ?? 0) + 1;
      }
      response.resume();
      response.on("end", () => resolve(counts));
    });
    request.on("error", reject);
    request.end();
  });
}

describe("every header is sent once", () => {
  // An export set nosniff and so did the server: "nosniff, nosniff".
  it.each([
    "/",
    "/letters",
    `/letters/${MEEKS_CASTRO}`,
    "/api/letters",
    "/feed.xml",
    "/calendar.ics",
    "/export/letters.csv",
    "/export/letters.xlsx",
    "/data",
    "/healthz",
    "/login",
    "/no/such/page",
  ])("%s", async (path) => {
    const counts = await headerCounts(`${server.url}${path}`);
    const repeated = Object.entries(counts).filter(([name, count]) => count > 1 && name !== "set-cookie");
    expect(repeated).toEqual([]);
  });
});

describe("security headers on HTML responses", () => {
  it.each(["/", "/letters", `/letters/${MEEKS_CASTRO}`, "/no/such/page"])("%s", async (path) => {
    const response = await fetch(`${server.url}${path}`);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = response.headers.get("content-security-policy");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("strict-transport-security")).toMatch(/^max-age=\d{7,}/);
    // Every script tag carries this response's nonce.
    const nonce = nonceOf(csp);
    const html = await response.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  });

  it("gives every rendering a fresh nonce; a page replayed from the cache keeps its own, in header and body alike", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${server.url}/?rendering=${i}`);
      nonces.add(nonceOf(response.headers.get("content-security-policy")));
      await response.arrayBuffer();
    }
    expect(nonces.size).toBe(5);
    // A cached anonymous page (app/utils/page-cache.server.ts) is replayed whole: its scripts
    // carry the nonce its header names, or the browser would block them.
    for (let i = 0; i < 2; i++) {
      const response = await fetch(`${server.url}/?rendering=0`);
      const nonce = nonceOf(response.headers.get("content-security-policy"));
      const body = await response.text();
      const scriptNonces = new Set([...body.matchAll(/<script[^>]* nonce="([^"]+)"/g)].map((match) => match[1]));
      expect([...scriptNonces]).toEqual([nonce]);
    }
  });

  it("hydrates under the enforced policy: no console errors, no CSP violations, client navigation works", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.addInitScript(() => {
      const violations: string[] = [];
      (window as unknown as { __cspViolations: string[] }).__cspViolations = violations;
      document.addEventListener("securitypolicyviolation", (event) =>
        violations.push(`${event.violatedDirective} ${event.blockedURI}`),
      );
    });
    await page.goto(`${server.url}/letters`);
    // Scripts blocked by the policy would leave the page unhydrated: this wait would time out.
    await page.locator("html[data-hydrated=true]").waitFor({ state: "attached", timeout: 20_000 });
    // A client-side navigation keeps the window: the marker survives only if React handled the click.
    await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 42));
    await page.getByRole("link", { name: "Overview" }).first().click();
    await page.waitForURL(`${server.url}/`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Overview");
    expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(42);
    expect(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("cross-site writes", () => {
  const post = (headers: Record<string, string>) =>
    fetch(`${server.url}/letters`, { method: "POST", headers, body: "x=1", redirect: "manual" });

  it.each([
    ["a foreign Origin", { Origin: "https://evil.example" }],
    ["Origin null", { Origin: "null" }],
    ["Sec-Fetch-Site: cross-site", { "Sec-Fetch-Site": "cross-site" }],
    ["a look-alike host", { Origin: "http://127.0.0.1.evil.example" }],
  ])("refuses a POST with %s (403)", async (_label, headers) => {
    const response = await post({ "Content-Type": "application/x-www-form-urlencoded", ...headers });
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/Cross-site/);
  });

  it("lets a same-origin POST through the cross-site checks (here to 405: /letters has no action)", async () => {
    const response = await post({
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: server.url,
      "Sec-Fetch-Site": "same-origin",
    });
    expect(response.status).toBe(405);
  });

  it("lets cross-site GETs through", async () => {
    const response = await fetch(`${server.url}/letters`, { headers: { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" } });
    expect(response.status).toBe(200);
  });
});

describe("/healthz", () => {
  it("reports the database reachable and migrations current, as JSON", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as { ok: boolean; database: string; migrations: { current: boolean; pending: number } };
    // Every migration committed in migrations/ is expected and applied.
    const committed = (JSON.parse(fs.readFileSync("migrations/meta/_journal.json", "utf8")) as { entries: unknown[] }).entries.length;
    expect(committed).toBeGreaterThanOrEqual(4);
    expect(body).toMatchObject({ ok: true, database: "ok", migrations: { current: true, pending: 0, unknown: 0, expected: committed, applied: committed } });
  });

  it("logs one line per request with its timing", async () => {
    await (await fetch(`${server.url}/letters?status=overdue`)).text();
    await expect.poll(() => server.output()).toMatch(/GET \/letters\?status=overdue 200 \d+\.\dms/);
  });
});
