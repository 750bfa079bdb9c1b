/**
 * Anonymous lists, searches and past days' pages rendered whole on the read pool's render lane
 * (decision 0037), against the built server. On the event loop, each of those renders (10–20 ms at
 * 100,000 letters) held every page asked meanwhile: twelve heavy requests held a letter page up to
 * 162 ms, and the event loop's delay p99 under the mixed load was 83–121 ms (docs/performance.md).
 *
 * - Each such page is rendered on a thread (EXPOSE_WORKER_ID names it), and is the very page the
 *   event loop renders (a second server on the same database, with no render threads); the page
 *   cache keeps it like any other.
 * - Letter pages, signed-in pages, `/`, data requests, forms, and pages whose read the pool runs in
 *   its heavy lane (a past day's profile or search, a deep page) stay on the event loop.
 * - A render leaves no timer behind on its thread (Remix's single-fetch timer kept every render in
 *   memory for 5 s).
 */
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderPageHere } from "~/utils/page-render.server";
import { HEAVY_THREAD_NICE, RENDER_THREAD_NICE } from "~/utils/thread-priority.server";
import { DEMO_SEED_FILE, seedFromFile } from "../../db/seed.server";
import { freshDatabase } from "../support/database";
import { startServer, type RunningServer } from "../support/server";

const TIMEOUT = 180_000;
let onThreads: RunningServer;
let onLoop: RunningServer;
let letterSlug: string;
let agencySlug: string;
let pastDay: string;

beforeAll(async () => {
  onThreads = await startServer({ MAIL_SENDER: "false", EXPOSE_WORKER_ID: "on" });
  // The same database, every page rendered on the event loop.
  onLoop = await startServer({ MAIL_SENDER: "false", READ_POOL_RENDER_THREADS: "0", DATABASE_PATH: onThreads.databasePath, SEED_DEMO_DATA: "off" });
  const db = new Database(onThreads.databasePath, { readonly: true });
  try {
    letterSlug = (db.prepare("SELECT slug FROM letters ORDER BY sent_on DESC LIMIT 1").get() as { slug: string }).slug;
    agencySlug = (db.prepare("SELECT slug FROM agencies WHERE id IN (SELECT agency_id FROM letter_recipients) LIMIT 1").get() as { slug: string }).slug;
    pastDay = (db.prepare("SELECT date(max(sent_on), '-30 days') AS day FROM letters").get() as { day: string }).day;
  } finally {
    db.close();
  }
}, TIMEOUT);

afterAll(async () => {
  await Promise.all([onThreads?.stop(), onLoop?.stop()]);
});

async function get(base: string, address: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${address}`, { headers, redirect: "manual" });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

/** A page with what differs between two servers taken out: the CSP nonce and the port. */
function comparable(html: string, base: string): string {
  return html.replaceAll(/nonce="[^"]*"/g, 'nonce=""').replaceAll(new URL(base).host, "HOST").replaceAll(`localhost:${new URL(base).port}`, "HOST");
}

describe("pages rendered on the read pool's threads", () => {
  it("renders light lists and searches on the render lane, past days and deep pages on the heavy lane: the event loop's very pages", async () => {
    const cases: Array<[string, number]> = [
      ["/letters?sort=status&dir=desc", RENDER_THREAD_NICE],
      ["/questions?page=1", RENDER_THREAD_NICE],
      ["/search?q=detention", RENDER_THREAD_NICE],
      ["/search?q=", RENDER_THREAD_NICE],
      [`/letters?asOf=${pastDay}`, RENDER_THREAD_NICE],
      [`/search?asOf=${pastDay}`, RENDER_THREAD_NICE],
      // Read in the heavy lane: rendered on its threads, under its admission (on a render thread
      // they held it for seconds, every list and search behind them).
      [`/agencies/${agencySlug}?asOf=${pastDay}`, HEAVY_THREAD_NICE],
      ["/members/no-such-member?asOf=2020-01-01", HEAVY_THREAD_NICE],
      [`/search?q=detention&asOf=${pastDay}`, HEAVY_THREAD_NICE],
      [`/questions?asOf=${pastDay}`, HEAVY_THREAD_NICE],
      ["/letters?page=100", HEAVY_THREAD_NICE],
    ];
    for (const [address, nice] of cases) {
      const threaded = await get(onThreads.url, address);
      const looped = await get(onLoop.url, address);
      // On a thread of the lane, at its priority (below the event loop's 0).
      expect(threaded.headers.get("x-render-thread"), address).toMatch(new RegExp(`^\\d+; nice=${nice}$`));
      expect(looped.headers.get("x-render-thread"), address).toBeNull();
      expect(threaded.status, address).toBe(looped.status);
      expect(threaded.headers.get("content-type"), address).toBe(looped.headers.get("content-type"));
      expect(threaded.headers.get("cache-control"), address).toBe(looped.headers.get("cache-control"));
      expect(threaded.html, address).toMatch(/<\/html>/);
      expect(comparable(threaded.html, onThreads.url), address).toBe(comparable(looped.html, onLoop.url));
      // The CSP nonce the server named in its header is the one the thread wrote into the page.
      const nonce = /'nonce-([^']+)'/.exec(threaded.headers.get("content-security-policy") ?? "")?.[1];
      expect(threaded.html, address).toContain(`nonce="${nonce}"`);
    }
  });

  it("keeps a page rendered on a thread in the page cache, and answers If-None-Match with 304", async () => {
    const address = "/letters?sort=status&page=1&dir=asc";
    const first = await get(onThreads.url, address);
    expect(first.headers.get("x-page-cache")).toBe("miss");
    const second = await get(onThreads.url, address);
    expect(second.headers.get("x-page-cache")).toBe("hit");
    expect(second.html).toBe(first.html);
    const etag = first.headers.get("etag") ?? "";
    expect(etag).not.toBe("");
    expect((await get(onThreads.url, address, { "If-None-Match": etag })).status).toBe(304);
  });

  it("leaves letter pages, signed-in pages, `/`, data requests and today's profiles on the event loop", async () => {
    for (const [address, headers] of [
      [`/letters/${letterSlug}`, {}],
      ["/letters", { Cookie: "tracker_session=anything" }],
      [`/letters/${letterSlug}`, { Cookie: "tracker_session=anything" }],
      ["/", {}],
      [`/agencies/${agencySlug}`, {}],
      ["/letters.data", {}],
      [`/letters/${letterSlug}?_data=routes/letters.$slug`, {}],
      ["/login", {}],
      [`/agencies/${agencySlug}?asOf=${pastDay}`, { Cookie: "tracker_session=anything" }],
    ] as Array<[string, Record<string, string>]>) {
      const answer = await get(onThreads.url, address, headers);
      expect(answer.status, address).toBeLessThan(500);
      expect(answer.headers.get("x-render-thread"), address).toBeNull();
    }
  });

  it("reports the render lane on /healthz", async () => {
    const health = (await (await fetch(`${onThreads.url}/healthz`)).json()) as { readPool: { render: { threads: number } | null } };
    expect(health.readPool.render?.threads).toBeGreaterThan(0);
    const none = (await (await fetch(`${onLoop.url}/healthz`)).json()) as { readPool: { render: unknown } };
    expect(none.readPool.render).toBeNull();
  });
});

describe("renderPageHere", () => {
  it("leaves no timer behind once a page is rendered", async () => {
    seedFromFile({ db: freshDatabase(), file: DEMO_SEED_FILE });
    const buildPath = path.resolve("build/index.js");
    const task = (address: string) => ({ url: `http://localhost${address}`, method: "GET", headers: [] as Array<[string, string]>, cspNonce: "n", clientAddress: "127.0.0.1" });
    await renderPageHere(buildPath, task("/letters")); // module-level timers, if any, start here
    const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;
    const before = timers();
    for (const address of ["/letters", "/questions", "/search?q=detention", "/no/such/page"]) {
      const page = await renderPageHere(buildPath, task(address));
      expect(page.status, address).toBe(address === "/no/such/page" ? 404 : 200);
      expect(Buffer.from(page.body ?? new Uint8Array()).toString("utf8"), address).toMatch(/<\/html>/);
    }
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it("skips a render whose visitor has gone before it began", async () => {
    const abandoned = new SharedArrayBuffer(4);
    Atomics.store(new Int32Array(abandoned), 0, 1);
    const page = await renderPageHere(path.resolve("build/index.js"), {
      url: "http://localhost/letters",
      method: "GET",
      headers: [],
      cspNonce: "n",
      clientAddress: "127.0.0.1",
      abandoned,
    });
    expect(page).toMatchObject({ status: 0, body: null, doNotCache: true });
  });
});
