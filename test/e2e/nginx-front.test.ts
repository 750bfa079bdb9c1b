/**
 * nginx in front (deploy/nginx.conf, rendered by scripts/nginx-config.ts) of two app processes
 * (`--workers 2`): anonymous pages come from nginx's cache after the first render; signed-in pages
 * never do; a staffer's save makes the very next anonymous read fresh (the cache generation is in
 * the key); a cached page's ETag gets a 304 without the app rendering; fingerprinted assets are
 * immutable; answers are gzipped; and the app believes the client address nginx passes on only
 * with TRUST_PROXY.
 *
 * "The app rendered it" is read from the app's log (one line per request: `GET /path 200 1.2ms`).
 * Before counting, flushAppLog() makes each worker answer a marker request and waits for the
 * markers in the log: a worker logs a response before it takes its next request, so every render
 * up to then is in the log.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { cookieFrom, request, until, type RawResponse } from "../support/http-client";
import { startNginx, type RunningNginx } from "../support/nginx";
import { createUserWithCli, startServer, type RunningServer } from "../support/server";

// Overdue in the demo letters, so the overview lists it.
const SLUG = "comer-cheatle-butler-documents-2024-07-15";
const OLD_TITLE = "Oversight Republicans demand Secret Service records on the Butler rally shooting";
const NEW_TITLE = "Oversight Republicans demand Secret Service records on Butler (edited behind nginx)";
const PUBLIC_CACHING = /^public, max-age=0, s-maxage=\d+$/;

const editor = { email: "editor@example.org", name: "Edna Editor", role: "editor" as const, password: "an editor's own passphrase" };
const trustedVictim = { email: "trusted@example.org", name: "Trusted", role: "viewer" as const, password: "a viewer's own passphrase" };
const untrustedVictim = { email: "untrusted@example.org", name: "Untrusted", role: "viewer" as const, password: "a viewer's own passphrase" };

let app: RunningServer;
let front: RunningNginx;
let untrustedApp: RunningServer;
let untrustedFront: RunningNginx;
let workers: number[] = [];
let browser: BrowserContext | undefined;

const hostOf = (server: RunningServer) => new URL(server.url).host;

beforeAll(async () => {
  [app, untrustedApp] = await Promise.all([
    startServer({ TRUST_PROXY: "loopback", EXPOSE_WORKER_ID: "on" }, { args: ["--workers", "2"] }),
    startServer(),
  ]);
  await Promise.all([
    createUserWithCli(app.databasePath, editor),
    createUserWithCli(app.databasePath, trustedVictim),
    createUserWithCli(untrustedApp.databasePath, untrustedVictim),
  ]);
  [front, untrustedFront] = await Promise.all([startNginx({ upstreams: [hostOf(app)] }), startNginx({ upstreams: [hostOf(untrustedApp)] })]);
  // The two worker pids, straight from the app.
  const seen = new Set<number>();
  await until(async () => {
    seen.add(Number((await request(`${app.url}/healthz`)).header("x-worker")));
    return seen.size === 2;
  }, "both workers to answer");
  workers = [...seen];
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([front?.stop(), untrustedFront?.stop()]);
  await Promise.all([app?.stop(), untrustedApp?.stop()]);
});

/** Waits until every worker has logged everything it answered so far. */
async function flushAppLog(): Promise<void> {
  for (const pid of workers) {
    const marker = `/healthz?flush=${crypto.randomUUID()}`;
    await until(async () => Number((await request(`${app.url}${marker}`)).header("x-worker")) === pid, `worker ${pid} to answer a marker`);
    await until(() => app.output().includes(`GET ${marker} 200 `), `the marker in the log of ${pid}`, app.output);
  }
}

/** How many times the app has answered GET `path` with `status` (a render, for a page). */
async function rendersOf(path: string, status = 200): Promise<number> {
  await flushAppLog();
  return app.output().split("\n").filter((line) => line.startsWith(`GET ${path} ${status} `)).length;
}

/**
 * nginx sends an answer before it has stored it (written to a temporary file in the cache directory,
 * renamed into place once the upstream answer ends): on a busy machine the next request could
 * come before, and miss. Each request here returns once nothing is being stored.
 */
async function cacheSettled(): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const storing = fs
      .readdirSync(front.cacheDir, { recursive: true, withFileTypes: true })
      .some((entry) => entry.isFile() && entry.name.includes("."));
    if (!storing) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`nginx was still storing an answer in ${front.cacheDir} after 500 looks`);
}

const get = async (path: string, headers: Record<string, string> = {}) => {
  const response = await request(`${front.url}${path}`, { headers });
  await cacheSettled();
  return response;
};
const cacheStatus = (response: RawResponse) => response.header("x-cache-status");

/** nginx's stored answers for a path: each cache file's key line and the response headers after it. */
function cacheFilesFor(path: string): { key: string; headers: string }[] {
  // Stored answers only: a name with a dot is one being written (cacheSettled).
  const files = fs.readdirSync(front.cacheDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile() && !entry.name.includes("."));
  return files.flatMap((entry) => {
    const content = fs.readFileSync(`${entry.parentPath}/${entry.name}`).toString("latin1");
    const key = /\nKEY: ([^\n]*)\n/.exec(content)?.[1];
    if (!key || !key.includes(`${path}|`)) return [];
    const start = content.indexOf("\n", content.indexOf("\nKEY: ") + 1) + 1;
    return [{ key, headers: content.slice(start, content.indexOf("\r\n\r\n", start)) }];
  });
}

async function signIn(): Promise<string> {
  const response = await request(`${front.url}/login`, {
    method: "POST",
    body: new URLSearchParams({ email: editor.email, password: editor.password }),
  });
  expect(response.status).toBe(302);
  expect(cacheStatus(response)).not.toBe("HIT");
  return cookieFrom(response, "tracker_session")!;
}

describe("anonymous pages", () => {
  it("are rendered once, then answered from nginx's cache", async () => {
    const path = "/letters?sort=title";
    const first = await get(path);
    expect(first.status).toBe(200);
    expect(cacheStatus(first)).toBe("MISS");
    expect(first.header("cache-control")).toMatch(PUBLIC_CACHING);
    expect(first.header("cdn-cache-control")).toMatch(/^public, max-age=\d+, stale-while-revalidate=\d+$/);
    expect(first.header("etag")).toBeTruthy();
    expect(first.header("x-cache-generation")).toMatch(/^g-[\w-]{27}$/);
    expect(await rendersOf(path)).toBe(1);

    const second = await get(path);
    expect(second.status).toBe(200);
    expect(cacheStatus(second)).toBe("HIT");
    expect(second.text).toBe(first.text);
    expect(await rendersOf(path)).toBe(1);
    // The check that keeps the key current costs the app a lookup, not a render: it is answered
    // before the app's routes (and its request log), with the generation the page was stored under.
    const check = await request(`${app.url}/_generation`);
    expect(check.status).toBe(204);
    expect(check.header("x-cache-generation")).toBe(first.header("x-cache-generation"));
    expect(app.output()).not.toMatch(/^GET \/_generation /m);
  });

  it("are gzipped for clients that accept it", async () => {
    const plain = await get("/letters");
    const gzipped = await get("/letters", { "Accept-Encoding": "gzip" });
    expect(plain.header("content-encoding")).toBeUndefined();
    expect(gzipped.header("content-encoding")).toBe("gzip");
    expect(gzipped.header("vary")).toMatch(/Accept-Encoding/i);
    expect(gzipped.raw.length).toBeLessThan(plain.raw.length / 2);
    expect(gzipped.text).toBe(plain.text);
  });

  it("are stored compressed, as the app compressed them, so a cached page costs nginx no compression", async () => {
    const path = "/letters?sort=deadline";
    const first = await get(path, { "Accept-Encoding": "gzip, deflate, br" });
    const second = await get(path, { "Accept-Encoding": "gzip, deflate, br" });
    expect(cacheStatus(second)).toBe("HIT");
    expect(second.header("content-encoding")).toBe("gzip");
    expect(second.text).toBe(first.text);
    // The stored copy (nginx's cache file: its key, then the app's answer as received) is the
    // app's gzip, so nginx sends it as it is. A client that takes no gzip has a copy of its own.
    const stored = cacheFilesFor(path);
    const gzipCopy = stored.find((file) => file.key.endsWith("|gzip"));
    expect(gzipCopy?.headers).toMatch(/^Content-Encoding: gzip$/im);
    const plain = await get(path, { "Accept-Encoding": "gzip;q=0, identity" });
    expect(plain.header("content-encoding")).toBeUndefined();
    expect(plain.text).toBe(first.text);
    expect(cacheFilesFor(path).find((file) => file.key.endsWith("|"))?.headers).not.toMatch(/^Content-Encoding:/im);
  });

  it("answer If-None-Match with the cached ETag with a 304, without the app rendering", async () => {
    const path = `/letters/${SLUG}`;
    await get(path);
    const cached = await get(path);
    expect(cacheStatus(cached)).toBe("HIT");
    const etag = cached.header("etag")!;
    expect(etag).toBeTruthy();
    const renders = await rendersOf(path);

    const notModified = await get(path, { "If-None-Match": etag });
    expect(notModified.status).toBe(304);
    expect(notModified.raw.length).toBe(0);
    // A gzipping client has a stored copy of its own (the app's gzip), with the same ETag in the
    // weak form (an answer's encoding does not change what it says).
    const gzipped = await get(path, { "Accept-Encoding": "gzip" });
    expect(cacheStatus(await get(path, { "Accept-Encoding": "gzip" }))).toBe("HIT");
    const weak = gzipped.header("etag")!;
    expect(weak).toBe(etag.startsWith("W/") ? etag : `W/${etag}`);
    const rendersWithBoth = await rendersOf(path);
    expect(rendersWithBoth).toBeLessThanOrEqual(renders + 1);
    expect((await get(path, { "If-None-Match": weak, "Accept-Encoding": "gzip" })).status).toBe(304);
    expect((await get(path, { "If-None-Match": etag })).status).toBe(304);
    expect(await rendersOf(path)).toBe(rendersWithBoth);
  });
});

describe("signed-in pages", () => {
  it("are never answered from the cache, nor stored, and are private, no-store", async () => {
    const cookie = await signIn();
    const path = "/letters?sort=title"; // cached for anonymous readers by the first test
    expect(cacheStatus(await get(path))).toBe("HIT");
    const before = await rendersOf(path);
    for (let i = 0; i < 2; i++) {
      const response = await get(path, { Cookie: cookie });
      expect(response.status).toBe(200);
      expect(cacheStatus(response)).toBe("BYPASS");
      expect(response.header("cache-control")).toBe("private, no-store");
      expect(response.text).toContain("Sign out");
      expect(response.text).toContain(editor.name);
    }
    expect(await rendersOf(path)).toBe(before + 2);
    // The anonymous copy never got the signed-in page.
    const anonymous = await get(path);
    expect(cacheStatus(anonymous)).toBe("HIT");
    expect(anonymous.text).not.toContain(editor.name);
  });
});

describe("a save to one letter", () => {
  // Neither in the other's follow-up chain nor repeating its questions (decision 0029).
  const WRITTEN = "jordan-johnson-wray-richmond-catholic-memo-2023-02-16";
  const OTHER = "wyden-bessent-doge-payment-systems-2025-01-31";

  it("leaves every other letter's page in nginx's cache, and makes its own fresh at once", async () => {
    for (const slug of [WRITTEN, OTHER]) {
      await get(`/letters/${slug}`);
      expect(cacheStatus(await get(`/letters/${slug}`)), slug).toBe("HIT");
    }
    const list = "/letters?sort=sent";
    await get(list);
    expect(cacheStatus(await get(list))).toBe("HIT");
    const otherBefore = await get(`/letters/${OTHER}`);
    const rendersBefore = await rendersOf(`/letters/${OTHER}`);

    const cookie = await signIn();
    const extended = await request(`${front.url}/letters/${WRITTEN}/deadline`, {
      method: "POST",
      headers: { cookie },
      body: new URLSearchParams({ intent: "extend", newDeadline: "2027-02-01", grantedOn: "2026-01-15", reason: "Asked for more time" }),
    });
    expect(extended.status).toBe(302);

    const written = await get(`/letters/${WRITTEN}`);
    expect(cacheStatus(written)).toBe("MISS");
    expect(written.text).toContain("Asked for more time");
    const other = await get(`/letters/${OTHER}`);
    expect(cacheStatus(other), "another letter's page, kept across the save").toBe("HIT");
    expect(other.text).toBe(otherBefore.text);
    expect(other.header("etag")).toBe(otherBefore.header("etag"));
    expect(await rendersOf(`/letters/${OTHER}`)).toBe(rendersBefore);
    // A list shows every letter: fresh after any save.
    expect(cacheStatus(await get(list))).toBe("MISS");
  });

  it("leaves pages of days before the letter was sent in nginx's cache, and makes later days' fresh (decision 0031)", async () => {
    // WRITTEN was sent on 2023-02-16: the agencies page of 31 January 2023 cannot show it.
    const before = "/agencies?asOf=2023-01-31";
    const after = "/agencies?asOf=2025-06-01";
    for (const path of [before, after]) {
      await get(path);
      expect(cacheStatus(await get(path)), path).toBe("HIT");
    }
    const beforeSave = await get(before);
    const cookie = await signIn();
    const extended = await request(`${front.url}/letters/${WRITTEN}/deadline`, {
      method: "POST",
      headers: { cookie },
      body: new URLSearchParams({ intent: "extend", newDeadline: "2027-03-01", grantedOn: "2026-01-20", reason: "Asked for more time again" }),
    });
    expect(extended.status).toBe(302);
    const kept = await get(before);
    expect(cacheStatus(kept), "a day before the letter was sent").toBe("HIT");
    expect(kept.header("etag")).toBe(beforeSave.header("etag"));
    expect(cacheStatus(await get(after)), "a day the letter is shown on").toBe("MISS");
  });
});

describe("a staffer's save", () => {
  // Starts Chromium: bounded generously for a loaded machine (no speed requirement).
  it("makes the very next anonymous read of the letter and of the overview fresh", { timeout: 120_000 }, async () => {
    for (const path of [`/letters/${SLUG}`, "/"]) {
      await get(path);
      const cached = await get(path);
      expect(cacheStatus(cached), path).toBe("HIT");
      expect(cached.text, path).toContain(OLD_TITLE);
    }
    const generation = (await get("/")).header("x-cache-generation");

    // The edit form, posted by a browser without JavaScript through nginx, as a staffer would.
    const cookie = await signIn();
    browser = await launchBrowser({ javaScriptEnabled: false });
    await browser.addCookies([{ name: "tracker_session", value: cookie.split("=")[1]!, url: front.url }]);
    const page = await browser.newPage();
    await page.goto(`${front.url}/letters/${SLUG}/edit`);
    await page.getByLabel("Title", { exact: true }).fill(NEW_TITLE);
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(`${front.url}/letters/${SLUG}`);
    expect(await page.locator("article.letter h1").textContent()).toBe(NEW_TITLE);
    await page.close();

    // The letter page: the very next anonymous read is a miss, rendered afresh.
    const letter = await get(`/letters/${SLUG}`);
    expect(letter.status).toBe(200);
    expect(cacheStatus(letter)).toBe("MISS");
    expect(letter.header("x-cache-generation")).not.toBe(generation);
    // (Its history still quotes the old title.)
    expect(letter.text).toMatch(new RegExp(`<h1[^>]*>${NEW_TITLE.replace(/[()]/g, "\\$&")}</h1>`));
    expect(cacheStatus(await get(`/letters/${SLUG}`))).toBe("HIT");

    // The overview: also a miss at once. Its figures are recomputed in the background after a
    // write (app/models/figure-store.server.ts); until they are, the app answers with the previous
    // figures, labelled, and `no-store`, so nginx keeps none of those answers: every one is a miss,
    // and the first one with the new figures is stored.
    const answers: RawResponse[] = [await get("/")];
    expect(answers[0]!.header("x-cache-generation")).not.toBe(generation);
    await until(
      async () => {
        const last = answers.at(-1)!;
        if (!last.text.includes('data-testid="stale-figures"')) return true;
        answers.push(await get("/"));
        return false;
      },
      "the overview's new figures",
    );
    for (const answer of answers) expect(cacheStatus(answer)).toBe("MISS");
    for (const answer of answers.slice(0, -1)) expect(answer.header("cache-control")).toBe("no-store");
    const overview = answers.at(-1)!;
    expect(overview.text).toContain(NEW_TITLE);
    expect(overview.text).not.toContain(OLD_TITLE);
    const again = await get("/");
    expect(cacheStatus(again)).toBe("HIT");
    expect(again.text).toContain(NEW_TITLE);
  });
});

describe("fingerprinted assets", () => {
  it("are served by nginx from public/build, immutable for a year, gzipped", async () => {
    const html = (await get("/letters")).text;
    const assets = [...new Set([...html.matchAll(/(?:src|href)="(\/build\/[^"]+\.js)"/g)].map((match) => match[1]!))];
    expect(assets.length).toBeGreaterThan(0);
    // The largest script: small files are not worth compressing (gzip_min_length).
    const sizes = await Promise.all(assets.map(async (path) => ({ path, size: (await get(path)).raw.length })));
    const asset = sizes.sort((a, b) => b.size - a.size)[0]!.path;
    const response = await get(asset, { "Accept-Encoding": "gzip" });
    expect(response.status).toBe(200);
    expect(response.header("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(response.header("content-type")).toMatch(/javascript/);
    expect(response.header("content-encoding")).toBe("gzip");
    for (const { path } of sizes) expect(await rendersOf(path)).toBe(0);
  });
});

describe("an HTTP/1.0 client that sends no Host", () => {
  it("gets its page: nginx names a host for it, as Node requires of its HTTP/1.1 request", async () => {
    const { hostname, port } = new URL(front.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), hostname, () => socket.write("GET /letters?sort=title HTTP/1.0\r\n\r\n"));
      let received = "";
      socket.on("data", (chunk) => (received += chunk.toString("latin1")));
      socket.on("end", () => resolve(received));
      socket.on("error", reject);
    });
    expect(answer.split("\r\n")[0]).toMatch(/^HTTP\/1\.[01] 200 /);
    expect(answer).toContain("</html>");
  });
});

describe("the host a client claims", () => {
  it("a client's X-Forwarded-Host is dropped by nginx: the page is served (not a 500 from the generation check, nor the app's 400)", async () => {
    // Before: nginx passed it on; the app (TRUST_PROXY=loopback) took it as its proxy's word, so a
    // malformed one failed the generation check (nginx answered 500) and any other one became the
    // host the app was addressed as.
    const page = await get("/letters", { "X-Forwarded-Host": "not a host" });
    expect(page.status).toBe(200);
    const form = await request(`${front.url}/login`, {
      method: "POST",
      body: new URLSearchParams({ email: "nobody@example.org", password: "wrong" }),
      headers: { Origin: front.url, "X-Forwarded-Host": "elsewhere.example" },
    });
    // Same-site: the form's answer (wrong password), not the cross-site 403.
    expect(form.status).toBe(400);
  });
});

describe("the client's address", () => {
  async function attempt(server: RunningNginx, who: { email: string }, password: string, from: string, forwardedFor: string): Promise<number> {
    const response = await request(`${server.url}/login`, {
      method: "POST",
      body: new URLSearchParams({ email: who.email, password }),
      headers: { "X-Forwarded-For": forwardedFor },
      localAddress: from,
    });
    return response.status;
  }

  it("with TRUST_PROXY=loopback, the app counts the address nginx saw, whatever X-Forwarded-For the client sent", async () => {
    // Five failures from one client, each claiming another address: nginx drops the claims.
    for (let i = 0; i < 5; i++) {
      expect(await attempt(front, trustedVictim, `wrong password ${i}`, "127.0.0.2", `203.0.113.${i}`)).toBe(400);
    }
    expect(await attempt(front, trustedVictim, trustedVictim.password, "127.0.0.2", "198.51.100.7")).toBe(429);
    // Another client (another address, as nginx sees it) is not held back by the first one's failures.
    expect(await attempt(front, trustedVictim, trustedVictim.password, "127.0.0.3", "127.0.0.2")).toBe(302);
  });

  it("without TRUST_PROXY, the app believes no forwarded address: every client behind nginx is nginx", async () => {
    for (let i = 0; i < 5; i++) {
      expect(await attempt(untrustedFront, untrustedVictim, `wrong password ${i}`, "127.0.0.2", `203.0.113.${i}`)).toBe(400);
    }
    expect(await attempt(untrustedFront, untrustedVictim, untrustedVictim.password, "127.0.0.3", "198.51.100.7")).toBe(429);
  });
});
