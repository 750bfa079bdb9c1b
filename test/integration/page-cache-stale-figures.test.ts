/**
 * Pages of stale figures in the page cache (app/utils/page-cache.server.ts). After a write the
 * overview shows the previous figures while new ones are computed, and with an editor saving every
 * second that is most of the time: every reader of `/` was rendered anew (20–40 ms of the event loop
 * each at 100,000 letters, a fifth of the bench's mixed load). Such a page is still `no-store` for
 * every other cache, but this process keeps it while the figures it read keep their version.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { createPageCache } from "~/utils/page-cache.server";

const servers: http.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function cachedServer({ withVersions = true } = {}) {
  const current = { revision: 7, day: "2026-12-01" };
  const versions = new Map<string, number>([["overview", 1]]);
  const page = { stale: true, refused: false, renders: 0 };
  const cache = createPageCache({
    buildVersion: "b1", generationKey: "test-generation-key",
    state: () => current,
    signedIn: (req) => (req.headers.cookie ?? "").includes("session="),
    keepResponses: true,
    ...(withVersions ? { figureVersion: (key: string) => versions.get(key) ?? null } : {}),
  });
  const app = express();
  // As Remix answers: no ETag of Express's own.
  app.set("etag", false);
  app.use(cache.middleware);
  app.get("/", (_req, res) => {
    page.renders += 1;
    if (page.stale) (res.locals.staleFigures ??= []).push(["overview", versions.get("overview")!]);
    if (page.refused) res.locals.doNotCache = true;
    res.type("html").send(`<p>render ${page.renders}${page.stale ? " (stale figures)" : ""}</p>`);
  });
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const get = async (headers: Record<string, string> = {}) => {
    const response = await fetch(`http://127.0.0.1:${port}/`, { headers });
    return { response, body: await response.text(), cache: response.headers.get("x-page-cache") };
  };
  return { current, versions, page, get };
}

describe("a page of stale figures", () => {
  it("is no-store for every other cache, but kept here while its figures keep their version", async () => {
    const { versions, page, get } = await cachedServer();
    const first = await get();
    expect(first.body).toBe("<p>render 1 (stale figures)</p>");
    expect(first.cache).toBe("miss");
    expect(first.response.headers.get("cache-control")).toBe("no-store");
    expect(first.response.headers.get("etag")).toBeNull();

    const again = await get();
    expect(again.cache, "the second reader of the same stale figures").toBe("hit");
    expect(again.body).toBe(first.body);
    expect(again.response.headers.get("cache-control")).toBe("no-store");
    expect(again.response.headers.get("etag")).toBeNull();
    expect(page.renders).toBe(1);

    // The new figures landed (or a recomputation fell due): rendered again, from the new ones.
    versions.set("overview", 2);
    page.stale = false;
    const fresh = await get();
    expect(fresh.cache).toBe("miss");
    expect(fresh.body).toBe("<p>render 2</p>");
    expect(fresh.response.headers.get("cache-control")).toMatch(/^public, /);
    expect((await get()).cache).toBe("hit");
  });

  it("is rendered again after a write, and when its figure key is no longer kept", async () => {
    const { current, versions, page, get } = await cachedServer();
    await get();
    expect((await get()).cache).toBe("hit");
    current.revision += 1;
    expect((await get()).body).toBe("<p>render 2 (stale figures)</p>");
    expect((await get()).cache).toBe("hit");
    versions.delete("overview");
    versions.set("overview", 5);
    const after = await get();
    expect(after.cache).toBe("miss");
    expect(page.renders).toBe(3);
  });

  it("is never kept when it is also a refusal or a signed-in answer, or without figure versions", async () => {
    const refused = await cachedServer();
    refused.page.refused = true;
    await refused.get();
    expect((await refused.get()).cache).not.toBe("hit");
    expect(refused.page.renders).toBe(2);

    const signedIn = await cachedServer();
    await signedIn.get({ cookie: "session=abc" });
    const second = await signedIn.get({ cookie: "session=abc" });
    expect(second.cache).not.toBe("hit");
    expect(second.response.headers.get("cache-control")).toBe("private, no-store");

    const unversioned = await cachedServer({ withVersions: false });
    await unversioned.get();
    expect((await unversioned.get()).cache).not.toBe("hit");
    expect(unversioned.page.renders).toBe(2);
  });
});
