/**
 * The built app's server rendering (app/entry.server.tsx), run in this process through Remix's
 * request handler so that its timers can be counted.
 */
import path from "node:path";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_SEED_FILE, seedFromFile } from "../../db/seed.server";
import { freshDatabase } from "../support/database";

let handle: (request: Request) => Promise<Response>;

beforeAll(async () => {
  seedFromFile({ db: freshDatabase(), file: DEMO_SEED_FILE });
  const build = (await import(path.resolve("build/index.js"))) as ServerBuild;
  const handler = createRequestHandler(build, "production");
  handle = (request) => handler(request, { cspNonce: "test-nonce", clientAddress: "127.0.0.1" });
});

const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
const BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

async function render(pathname: string, userAgent: string) {
  // Remix's own single-fetch timer (5 s, in @remix-run/server-runtime) is cleared only when the
  // request's signal aborts, which @remix-run/express does only for a client that leaves before
  // the end. Aborting after the body is read clears it, so that only entry.server's timers count.
  const closed = new AbortController();
  const response = await handle(
    new Request(`http://localhost${pathname}`, { headers: { "user-agent": userAgent }, signal: closed.signal }),
  );
  const html = await response.text();
  closed.abort();
  return { status: response.status, html };
}

const pendingTimers = () => process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;

describe("server rendering", () => {
  // Each render arms a timer that aborts it if it hangs. Left pending after the page is sent, it
  // kept the whole render (tree, loader data, response) alive for 6 s: under load the server grew
  // by hundreds of megabytes.
  it("leaves no timer behind once a page is sent, streamed (browsers) or whole (bots)", async () => {
    await render("/", BROWSER); // module-level timers, if any, start here
    const before = pendingTimers();
    for (const userAgent of [BROWSER, BOT]) {
      for (const pathname of ["/", "/letters", "/questions", "/no/such/page"]) {
        const { status, html } = await render(pathname, userAgent);
        expect(status, pathname).toBe(pathname === "/no/such/page" ? 404 : 200);
        expect(html, pathname).toMatch(/<\/html>/);
      }
    }
    expect(pendingTimers()).toBeLessThanOrEqual(before);
  });
});
