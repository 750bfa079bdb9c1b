/**
 * Readers of a page the page cache is rendering for another reader wait for that rendering
 * (app/utils/page-cache.server.ts). When that reader leaves before its page is kept, the first
 * waiter renders the page and the others wait for it: before, every waiter rendered the page at
 * once, on the event loop (a crowd at a letter page just changed, its first reader on a phone that
 * lost its signal).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { createPageCache } from "~/utils/page-cache.server";
import { until } from "../support/http-client";

const servers: http.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A page cache in front of a page whose renders wait to be let go (`release`), counted. */
async function cachedSlowPage() {
  const cache = createPageCache({
    buildVersion: "b1",
    generationKey: "test-generation-key",
    state: () => ({ revision: 1, day: "2026-12-04" }),
    signedIn: () => false,
    keepResponses: true,
  });
  const waiting: Array<() => void> = [];
  let renders = 0;
  let arrived = 0;
  let closed = 0;
  const app = express();
  app.set("etag", false);
  app.use((req, _res, next) => {
    arrived += 1;
    req.socket.once("close", () => (closed += 1));
    next();
  });
  app.use(cache.middleware);
  app.get("/letters/:slug", (req, res) => {
    renders += 1;
    const render = renders;
    waiting.push(() => res.type("html").send(`<p>${req.params.slug}, render ${render}</p>`));
  });
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    renders: () => renders,
    arrived: () => arrived,
    closed: () => closed,
    waitingRenders: () => waiting.length,
    release: () => waiting.shift()!(),
  };
}

function visit(url: string, leave?: AbortController) {
  return fetch(url, { signal: leave?.signal }).then(
    async (response) => ({ status: response.status, body: await response.text(), cache: response.headers.get("x-page-cache") }),
    () => null,
  );
}

describe("readers waiting for another reader's rendering of a page", () => {
  it("when that reader leaves, one of them renders the page and the others wait for it", async () => {
    const page = await cachedSlowPage();
    const leave = new AbortController();
    const first = visit(`${page.base}/letters/popular`, leave);
    await until(() => page.renders() === 1, "the first render began");
    const crowd = [1, 2, 3, 4].map(() => visit(`${page.base}/letters/popular`));
    await until(() => page.arrived() === 5, "the crowd arrived");
    leave.abort();
    expect(await first).toBeNull();
    await until(() => page.renders() === 2, "a waiter took the render over");
    // The first render ends for nobody; the one taken over is the crowd's.
    page.release();
    page.release();
    const answers = await Promise.all(crowd);
    expect(answers.map((answer) => answer?.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(answers.map((answer) => answer?.body))).toEqual(new Set(["<p>popular, render 2</p>"]));
    expect(page.renders()).toBe(2);
    expect(page.waitingRenders()).toBe(0);
  });

  it("a waiter who leaves too renders nothing", async () => {
    const page = await cachedSlowPage();
    const leaveFirst = new AbortController();
    const first = visit(`${page.base}/letters/quiet`, leaveFirst);
    await until(() => page.renders() === 1, "the first render began");
    const leaveWaiter = new AbortController();
    const waiter = visit(`${page.base}/letters/quiet`, leaveWaiter);
    await until(() => page.arrived() === 2, "the waiter arrived");
    leaveWaiter.abort();
    expect(await waiter).toBeNull();
    await until(() => page.closed() === 1, "the server saw the waiter leave");
    leaveFirst.abort();
    expect(await first).toBeNull();
    page.release();
    // Nobody is left: the next reader renders the page itself (a second render), and nobody else did.
    const next = visit(`${page.base}/letters/quiet`);
    await until(() => page.renders() === 2, "the next reader's render");
    page.release();
    expect(await next).toMatchObject({ status: 200, body: "<p>quiet, render 2</p>" });
  });
});
