/**
 * A page that shows one letter is kept under that letter's own generation (decision 0029): with an
 * editor saving every second, every letter page was rendered anew after each save, whichever
 * letter was saved. The kept copy, the ETag and the generation nginx asks for (naming the page in
 * X-Original-URI) follow the letter's revision; every other page still follows the data revision.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { letterSlugOfPath } from "~/domain/page-scope";
import { createPageCache, GENERATION_HEADER } from "~/utils/page-cache.server";

const servers: http.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function letterServer() {
  const current = { revision: 7, day: "2026-12-01" };
  const letterRevisions = new Map<string, number>([
    ["a", 1],
    ["b", 1],
  ]);
  const renders = new Map<string, number>();
  const cache = createPageCache({
    buildVersion: "b1", generationKey: "test-generation-key",
    state: () => current,
    signedIn: (req) => (req.headers.cookie ?? "").includes("session="),
    keepResponses: true,
    pageRevision: (pathname) => {
      const slug = letterSlugOfPath(pathname);
      const revision = slug === null ? undefined : letterRevisions.get(slug);
      return revision === undefined ? null : `letter-${slug}-${revision}`;
    },
  });
  const app = express();
  app.set("etag", false);
  app.get("/_generation", cache.generationEndpoint);
  app.use(cache.middleware);
  app.get(["/letters/:slug", "/letters"], (req, res) => {
    const name = req.params.slug ?? "list";
    renders.set(name, (renders.get(name) ?? 0) + 1);
    res.type("html").send(`<p>${name} render ${renders.get(name)}</p>`);
  });
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, { headers });
    return { response, body: await response.text(), cache: response.headers.get("x-page-cache"), etag: response.headers.get("etag") };
  };
  const generation = async (uri?: string) => {
    const response = await fetch(`${base}/_generation`, { headers: uri ? { "X-Original-URI": uri } : {} });
    expect(response.status).toBe(204);
    return response.headers.get(GENERATION_HEADER)!;
  };
  return { current, letterRevisions, renders, get, generation };
}

describe("a letter page's own generation", () => {
  it("keeps the page, and its ETag, across writes to other letters, and drops it when its letter changes", async () => {
    const { current, letterRevisions, renders, get } = await letterServer();
    const first = await get("/letters/a");
    expect(first.cache).toBe("miss");
    expect(first.etag).toBeTruthy();

    // Another letter saved: the data revision moves, letter a's does not.
    current.revision += 1;
    letterRevisions.set("b", 2);
    const after = await get("/letters/a");
    expect(after.cache, "kept across another letter's save").toBe("hit");
    expect(after.body).toBe("<p>a render 1</p>");
    expect(after.etag).toBe(first.etag);
    expect((await get("/letters/a", { "If-None-Match": first.etag! })).response.status).toBe(304);

    // Letter a saved: rendered anew, with a new ETag; the old one no longer answers 304.
    current.revision += 1;
    letterRevisions.set("a", 2);
    const changed = await get("/letters/a");
    expect(changed.cache).toBe("miss");
    expect(changed.body).toBe("<p>a render 2</p>");
    expect(changed.etag).not.toBe(first.etag);
    expect((await get("/letters/a", { "If-None-Match": first.etag! })).response.status).toBe(200);
    expect(renders.get("a")).toBe(2);

    // A new day: every page is rendered anew.
    current.day = "2026-12-02";
    expect((await get("/letters/a")).cache).toBe("miss");
  });

  it("leaves every other page under the data revision", async () => {
    const { current, letterRevisions, get } = await letterServer();
    expect((await get("/letters")).cache).toBe("miss");
    expect((await get("/letters")).cache).toBe("hit");
    current.revision += 1;
    letterRevisions.set("b", 2);
    expect((await get("/letters")).cache, "a list shows every letter").toBe("miss");
    // A letter no revision is known for (a moved address, a 404) follows the data revision too.
    expect((await get("/letters/gone")).cache).toBe("miss");
    expect((await get("/letters/gone")).cache).toBe("hit");
    current.revision += 1;
    expect((await get("/letters/gone")).cache).toBe("miss");
  });

  it("is what nginx is told for the page it names, and the data revision's otherwise", async () => {
    const { current, letterRevisions, generation } = await letterServer();
    const letterA = await generation("/letters/a?asOf=2026-01-01");
    const list = await generation("/letters?page=2");
    expect(await generation()).toBe(list);
    current.revision += 1;
    letterRevisions.set("b", 2);
    expect(await generation("/letters/a?asOf=2026-01-01"), "another letter saved").toBe(letterA);
    expect(await generation("/letters?page=2")).not.toBe(list);
    letterRevisions.set("a", 2);
    expect(await generation("/letters/a/card.png")).not.toBe(letterA);
    // Normalized as Remix routes it: /letters/x/../a is letter a's page.
    expect(await generation("/letters/x/../a")).toBe(await generation("/letters/a"));
  });

  it("is never used for a signed-in reader", async () => {
    const { get } = await letterServer();
    await get("/letters/a");
    const signedIn = await get("/letters/a", { cookie: "session=1" });
    expect(signedIn.cache).toBeNull();
    expect(signedIn.response.headers.get("cache-control")).toBe("private, no-store");
  });
});
