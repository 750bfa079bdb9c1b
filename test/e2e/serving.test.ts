/**
 * Serving without waits, against the real production server (read pool, page cache):
 * - anonymous reads carry an ETag, a public Cache-Control and the cache generation; a repeated
 *   page is served from the process's cache, If-None-Match gets a 304 that renders nothing;
 * - signed-in reads are private, no-store, and never come from the cache;
 * - a write makes the next anonymous read fresh; the overview's first reader after a write gets
 *   the previous figures, labelled, and the new ones follow without anyone waiting;
 * - past-date pages are computed in the read pool;
 * - the calendar sends a bounded window, streamed, and names a bad parameter.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUserWithCli, startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let cookie: string;
const editor = { email: "serving-editor@example.org", name: "Sam Serving", role: "editor" as const, password: "a long editor passphrase" };
const LETTER = "meeks-castro-rubio-el-salvador-2025-04-17";

interface Health {
  readPool: { completed: number; threads: number } | null;
  pageCache: { hits: number; misses: number; notModified: number };
  eventLoopDelayMs: { p99: number };
}
const health = async (): Promise<Health> => (await fetch(`${server.url}/healthz`)).json() as Promise<Health>;

beforeAll(async () => {
  server = await startServer();
  await createUserWithCli(server.databasePath, editor);
  const response = await fetch(`${server.url}/login`, {
    method: "POST",
    body: new URLSearchParams({ email: editor.email, password: editor.password }),
    redirect: "manual",
  });
  cookie = (response.headers.get("set-cookie") ?? "").split(";")[0]!;
  expect(cookie).toMatch(/^tracker_session=/);
});

afterAll(async () => {
  await server?.stop();
});

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, { headers });
  return { response, body: await response.text() };
}

/** Records an extension on a letter as the editor: one write through the app's own form. */
async function writeExtension(slug: string, newDeadline: string) {
  const response = await fetch(`${server.url}/letters/${slug}/deadline`, {
    method: "POST",
    headers: { Cookie: cookie },
    body: new URLSearchParams({ newDeadline, grantedOn: "2025-05-01", reason: "Serving test" }),
    redirect: "manual",
  });
  expect(response.status, await response.text()).toBeLessThan(400);
}

describe("anonymous reads", () => {
  it("carry an ETag, a public Cache-Control and the generation; a repeat comes from the cache", async () => {
    const first = await get("/letters?sort=title");
    expect(first.response.status).toBe(200);
    expect(first.response.headers.get("cache-control")).toMatch(/^public, max-age=0, s-maxage=\d+$/);
    // Serving stale while revalidating is said to shared caches alone (RFC 9213): a browser obeys it in Cache-Control.
    expect(first.response.headers.get("cdn-cache-control")).toMatch(/^public, max-age=\d+, stale-while-revalidate=\d+$/);
    expect(first.response.headers.get("etag")).toMatch(/^W\/".+"$/);
    expect(first.response.headers.get("x-cache-generation")).toMatch(/^g-[\w-]{27}$/);
    expect(first.response.headers.get("x-page-cache")).toBe("miss");
    const second = await get("/letters?sort=title");
    expect(second.response.headers.get("x-page-cache")).toBe("hit");
    expect(second.response.headers.get("etag")).toBe(first.response.headers.get("etag"));
    expect(second.body).toBe(first.body);
    // Another URL is another page.
    expect((await get("/letters?sort=sent")).response.headers.get("etag")).not.toBe(first.response.headers.get("etag"));
  });

  it("a cached page is sent compressed to a client that accepts gzip", async () => {
    await get("/questions");
    await expect
      .poll(async () => {
        const { response } = await get("/questions", { "Accept-Encoding": "gzip" });
        return `${response.headers.get("x-page-cache")} ${response.headers.get("content-encoding")}`;
      })
      .toBe("hit gzip");
  });

  it("If-None-Match with the current ETag gets a 304 that renders nothing", async () => {
    const { response } = await get(`/letters/${LETTER}`);
    const etag = response.headers.get("etag")!;
    const before = await health();
    const revalidated = await get(`/letters/${LETTER}`, { "If-None-Match": etag });
    expect(revalidated.response.status).toBe(304);
    expect(revalidated.body).toBe("");
    expect(revalidated.response.headers.get("etag")).toBe(etag);
    // A 304's headers replace those the browser keeps: a new CSP nonce would block the kept page's scripts.
    expect(revalidated.response.headers.get("content-security-policy")).toBeNull();
    const after = await health();
    expect(after.pageCache.notModified).toBe(before.pageCache.notModified + 1);
    expect(after.pageCache.misses).toBe(before.pageCache.misses);
    expect(after.pageCache.hits).toBe(before.pageCache.hits);
  });

  it("signed-in reads are private, no-store, and never served from the cache", async () => {
    await get("/agencies");
    await get("/agencies");
    const signedIn = await get("/agencies", { Cookie: cookie });
    expect(signedIn.response.headers.get("cache-control")).toBe("private, no-store");
    expect(signedIn.response.headers.get("etag")).toBeNull();
    expect(signedIn.response.headers.get("x-page-cache")).toBeNull();
    // A signed-in reader sends no If-None-Match that could reach the anonymous copy either.
    const anonymousEtag = (await get("/agencies")).response.headers.get("etag")!;
    const conditional = await get("/agencies", { Cookie: cookie, "If-None-Match": anonymousEtag });
    expect(conditional.response.status).toBe(200);
  });
});

describe("public files", () => {
  it("the favicon is served from public/ with an hour's caching (files there are routed by name)", async () => {
    const { response, body } = await get("/favicon.svg");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    expect(response.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(body).toContain("<svg");
    expect((await get("/favicon.svg/more")).response.status).toBe(404);
  });
});

describe("after a write", () => {
  it("the next anonymous read of the letter is fresh, and its old ETag no longer matches", async () => {
    const before = await get(`/letters/${LETTER}`);
    const oldEtag = before.response.headers.get("etag")!;
    expect(before.body).not.toContain("2031-01-15");
    await writeExtension(LETTER, "2031-01-15");
    const after = await get(`/letters/${LETTER}`, { "If-None-Match": oldEtag });
    expect(after.response.status).toBe(200);
    expect(after.response.headers.get("x-page-cache")).toBe("miss");
    expect(after.body).toContain("15 Jan 2031");
    expect(after.response.headers.get("x-cache-generation")).not.toBe(before.response.headers.get("x-cache-generation"));
  });

  it("the overview's first reader gets the previous figures, labelled and not cached; the new ones follow", async () => {
    const overdueCount = (body: string) => Number(/data-testid="count-overdue"[^>]*>.*?<span class="count">(\d+)<\/span>/s.exec(body)?.[1]);
    const warm = await get("/");
    expect(warm.body).not.toContain('data-testid="stale-figures"');
    const overdueBefore = overdueCount(warm.body);
    expect(Number.isInteger(overdueBefore)).toBe(true);
    // An extension far ahead takes an overdue letter out of "overdue".
    const overdueLetter = /href="\/letters\/([^"?]+)"/.exec(warm.body.split('id="overdue-heading"')[1] ?? "")?.[1];
    expect(overdueLetter).toBeTruthy();
    await writeExtension(overdueLetter!, "2032-03-01");

    const first = await get("/");
    expect(first.body).toContain('data-testid="stale-figures"');
    expect(first.response.headers.get("cache-control")).toBe("no-store");
    expect(first.response.headers.get("etag")).toBeNull();
    expect(overdueCount(first.body)).toBe(overdueBefore);

    await expect
      .poll(async () => {
        const { body } = await get("/");
        return body.includes('data-testid="stale-figures"') ? "stale" : overdueCount(body);
      })
      .toBe(overdueBefore - 1);
  });
});

describe("expensive reads", () => {
  it("run in the read pool: a past-date agency page and a search count as pool work", async () => {
    const before = await health();
    expect(before.readPool?.threads).toBeGreaterThan(0);
    expect((await get("/agencies/u-s-department-of-state?asOf=2025-08-01")).response.status).toBe(200);
    expect((await get("/search?q=CECOT&asOf=2025-08-01")).response.status).toBe(200);
    const after = await health();
    expect(after.readPool!.completed).toBeGreaterThanOrEqual(before.readPool!.completed + 2);
  });
});

describe("the calendar", () => {
  it("sends deadlines in a bounded window by default and another on request, ending with CRLF", async () => {
    const byDefault = await get("/calendar.ics");
    expect(byDefault.response.status).toBe(200);
    expect(byDefault.body).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(byDefault.body.endsWith("END:VCALENDAR\r\n")).toBe(true);
    // The demo's deadlines (2023-2025) are older than 90 days; the extensions above are years ahead.
    expect(byDefault.body).not.toContain("DTSTART;VALUE=DATE:2025");
    const past = await get("/calendar.ics?from=2023-01-01&to=2025-12-31");
    const events = past.body.match(/BEGIN:VEVENT/g) ?? [];
    expect(events.length).toBeGreaterThan(0);
    for (const date of past.body.matchAll(/DTSTART;VALUE=DATE:(\d{8})/g)) {
      expect(date[1]! >= "20230101" && date[1]! <= "20251231").toBe(true);
    }
    expect(new Set(past.body.match(/UID:[^\r]+/g)).size).toBe(events.length);
  });

  it("names a bad window parameter", async () => {
    const { response, body } = await get("/calendar.ics?from=2020-01-01&to=2026-12-31");
    expect(response.status).toBe(400);
    expect(body).toMatch(/"from" to "to" spans \d+ days/);
  });
});
