/**
 * Attack 20 (issue 11's caching, against the real production server and Debian's Chromium). Each
 * test is a finding: it failed while the hole was open.
 * - Anonymous answers said `stale-while-revalidate=300`, meant for shared caches (nginx), but a
 *   browser honours it too: Chromium served a page's data (`/letters.data`, what every in-app
 *   navigation with JavaScript fetches) from its own cache for up to five minutes after a write,
 *   revalidating only in the background. A reader who had seen the list and clicked "Letters" again
 *   after a staffer's save was shown the list as it was before the save.
 * - An address over Node's 16 KB limit for the request line and headers (a long search text or many
 *   filters in a list's address) was answered 431 with no body: the browser showed an empty error
 *   page that said nothing of what to shorten. A request the server cannot read as HTTP was a bare
 *   400 likewise.
 * - Remix's `?_data=<route id>` answers (app/utils/data-requests.server.ts) left out the route's
 *   `headers` export, where the follow links' pages say `no-store`: a follower's confirmation or
 *   manage data was public, kept by the page cache (and nginx) and served again after the follower
 *   had confirmed or changed their follows ("following": false after confirming).
 */
import fs from "node:fs";
import path from "node:path";
import net from "node:net";
import Database from "better-sqlite3";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let browser: BrowserContext;
const LETTER = "wyden-bessent-doge-payment-systems-2025-01-31";

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Writes `request` as it is on a new connection and reads the whole answer (the server closes it). */
function rawExchange(request: string): Promise<string> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), "127.0.0.1", () => socket.end(request));
    let answer = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("close", () => resolve(answer));
    socket.on("error", reject);
  });
}

describe("requests the HTTP server refuses before the app sees them", () => {
  it("an address too long for the server is refused with a message saying what to shorten", async () => {
    const q = "letter ".repeat(3000);
    const answer = await rawExchange(`GET /letters?q=${encodeURIComponent(q)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    const [head, body] = answer.split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head).toMatch(/content-type: text\/plain; charset=utf-8/i);
    expect(head).toMatch(/cache-control: no-store/i);
    expect(body).toMatch(/address \(URL\)/);
    expect(body).toMatch(/16 KB/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("a request that is not HTTP gets a 400 that says so", async () => {
    const answer = await rawExchange("GET /letters HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n");
    const [head, body] = answer.split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(body).toMatch(/could not be read as HTTP/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

/** The links in the newest message written to the outbox (no SMTP_URL: .eml files beside the database). */
async function linksOfNewestMessage(): Promise<string[]> {
  const outbox = path.join(path.dirname(server.databasePath), "outbox");
  let files: string[] = [];
  await expect.poll(() => (files = fs.existsSync(outbox) ? fs.readdirSync(outbox).filter((name) => name.endsWith(".eml")) : []).length, { timeout: 30_000 }).toBeGreaterThan(0);
  const newest = files.map((name) => path.join(outbox, name)).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0]!;
  // Quoted-printable: soft line breaks and =3D.
  const text = fs.readFileSync(newest, "utf8").replace(/=\r?\n/g, "").replace(/=3D/g, "=");
  return [...new Set(text.match(/https?:\/\/[^\s"<>)]+/g) ?? [])];
}

describe("a follower's pages asked for as Remix's ?_data", () => {
  it("are no-store, never kept, and show the follow as it is now", async () => {
    const follow = await fetch(`${server.url}/follow`, {
      method: "POST",
      headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ kind: "letter", key: LETTER, email: "attack20-reader@example.org" }),
      redirect: "manual",
    });
    expect(follow.status).toBeLessThan(400);
    const confirmLink = (await linksOfNewestMessage()).find((link) => link.includes("/follow/confirm?token="));
    expect(confirmLink).toBeDefined();
    const confirm = new URL(confirmLink!);
    const dataAddress = `${server.url}${confirm.pathname}${confirm.search}&_data=routes/follow_.confirm`;

    const before = await fetch(dataAddress);
    expect(before.status).toBe(200);
    expect(before.headers.get("cache-control")).toBe("no-store");
    expect(((await before.json()) as { following: boolean }).following).toBe(false);
    // The root's data at the same address (the token in it) is no-store too, and never kept.
    const rootAddress = `${server.url}${confirm.pathname}${confirm.search}&_data=root`;
    for (let ask = 0; ask < 2; ask++) {
      const root = await fetch(rootAddress);
      expect(root.status).toBe(200);
      expect(root.headers.get("cache-control")).toBe("no-store");
      expect(root.headers.get("x-page-cache")).toBeNull();
    }

    const confirmed = await fetch(`${server.url}${confirm.pathname}${confirm.search}`, {
      method: "POST",
      headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: "",
      redirect: "manual",
    });
    expect(confirmed.status).toBeLessThan(400);
    const after = await fetch(dataAddress);
    expect(after.headers.get("x-page-cache")).toBeNull();
    expect(((await after.json()) as { following: boolean }).following).toBe(true);
  });
});

describe("a browser's own cache after a write", () => {
  it("an in-app navigation with JavaScript shows the list as it is now, not as the browser kept it", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    // In-app navigations: the browser fetches /letters.data and keeps it (public, ETag).
    await page.locator('nav a[href="/letters"]').click();
    await page.waitForURL(`${server.url}/letters`);
    await expect.poll(() => page.locator("main").innerText()).toContain("Musk-affiliated personnel");
    await page.locator('nav a[href="/"]').click();
    await page.waitForURL(`${server.url}/`);
    await page.locator("main h1").first().waitFor();

    // A staffer's save (the triggers move the data revision, as the write path's do).
    const title = "Wyden asks Bessent who reached the Treasury payment systems";
    const db = new Database(server.databasePath);
    db.prepare("UPDATE letters SET title = ? WHERE slug = ?").run(title, LETTER);
    db.close();

    const fetched: string[] = [];
    page.on("response", (response) => {
      if (new URL(response.url()).pathname === "/letters.data") fetched.push(response.headers()["etag"] ?? "");
    });
    await page.locator('nav a[href="/letters"]').click();
    await page.waitForURL(`${server.url}/letters`);
    await page.locator("main h1", { hasText: "Letters" }).waitFor();
    // What the reader is shown once the navigation is done (a background revalidation would not
    // show it the newer list).
    const shown = await page.locator("main").innerText();
    expect(shown).toContain(title);
    expect(shown).not.toContain("Musk-affiliated personnel");
    await page.close();
  });

  it("anonymous answers let shared caches keep them, but never let a browser show a kept copy without asking", async () => {
    for (const path of ["/letters", "/letters.data", `/letters/${LETTER}`, "/feed.xml"]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(200);
      const cacheControl = response.headers.get("cache-control") ?? "";
      expect(cacheControl, path).toMatch(/^public, max-age=0, s-maxage=\d+$/);
      // stale-while-revalidate applies to every cache, a browser's included (RFC 5861).
      expect(cacheControl, path).not.toContain("stale-while-revalidate");
    }
  });
});
