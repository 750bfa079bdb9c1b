/**
 * When the page cache is full, the page read least recently goes first. It used to be the page
 * stored first: anyone requesting addresses nobody else reads (`/letters?x=1`, `?x=2`, ...) pushed
 * out the pages everyone reads, and each of their next readers paid a render.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { letterSlugOfPath } from "~/domain/page-scope";
import { createPageCache } from "~/utils/page-cache.server";

const servers: http.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A page cache with room for a few pages of PAGE_BYTES, in front of pages that count their renders. */
async function smallCache() {
  const PAGE_BYTES = 4000;
  const renders = new Map<string, number>();
  const cache = createPageCache({
    buildVersion: "b1", generationKey: "test-generation-key",
    state: () => ({ revision: 1, day: "2026-12-03" }),
    signedIn: () => false,
    keepResponses: true,
    // About four pages, with their gzip and bookkeeping.
    maxBytes: 4 * (PAGE_BYTES + 2500),
    maxScopedBytes: 4 * (PAGE_BYTES + 2500),
    pageRevision: (pathname) => (letterSlugOfPath(pathname) === null ? null : "letter-1"),
  });
  const app = express();
  app.set("etag", false);
  app.use(cache.middleware);
  app.get(["/letters", "/letters/:slug"], (req, res) => {
    const name = req.originalUrl;
    renders.set(name, (renders.get(name) ?? 0) + 1);
    // The body counts against the budget as sent (its small gzip is counted too).
    res.type("html").send(`<p>${name}</p>${"x".repeat(PAGE_BYTES)}`);
  });
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`);
    await response.text();
    return response.headers.get("x-page-cache");
  };
  return { get, renders };
}

describe("a full page cache", () => {
  it.each([
    ["a list (kept until any write)", "/letters?sort=sent", (i: number) => `/letters?x=${i}`],
    ["a letter's page (kept under its own revision)", "/letters/popular", (i: number) => `/letters/flood-${i}`],
  ])("keeps %s that everyone reads through a flood of addresses read once", async (_name, popular, flood) => {
    const { get, renders } = await smallCache();
    expect(await get(popular)).toBe("miss");
    for (let i = 0; i < 40; i++) {
      await get(flood(i));
      // Everyone else keeps reading the popular page meanwhile.
      expect(await get(popular), `after ${i + 1} flooding addresses`).toBe("hit");
    }
    expect(renders.get(popular)).toBe(1);
  });
});
