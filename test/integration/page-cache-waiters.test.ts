/**
 * Readers of a page the page cache is rendering for another reader wait for that rendering
 * (app/utils/page-cache.server.ts). When that reader leaves before its page is kept, the first
 * waiter renders the page and the others wait for it: before, every waiter rendered the page at
 * once, on the event loop (a crowd at a letter page just changed, its first reader on a phone that
 * lost its signal).
 */
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { createPageCache } from "~/utils/page-cache.server";
import { pipelinedGets, until } from "../support/http-client";

const servers: http.Server[] = [];
/** Beyond what the kernel buffers for a reader who reads nothing over loopback (a few MB); on a real network, far less. */
const LARGE_PAGE_BYTES = 24 * 1024 * 1024;
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A page cache in front of a page whose renders wait to be let go (`release`), counted. */
async function cachedSlowPage({ maxEntryBytes }: { maxEntryBytes?: number } = {}) {
  let revision = 1;
  // "/letters/own-*" have a generation of their own (as a letter's page has: pageRevision).
  let ownRevision = 1;
  const cache = createPageCache({
    buildVersion: "b1",
    generationKey: "test-generation-key",
    state: () => ({ revision, day: "2026-12-04" }),
    signedIn: () => false,
    keepResponses: true,
    maxEntryBytes,
    pageRevision: (pathname) => (pathname.startsWith("/letters/own-") ? `own-${ownRevision}` : null),
  });
  const waiting: Array<(() => void) & { slug?: string }> = [];
  let renders = 0;
  let answerAtOnce = false;
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
    // "missing" is a 404 (never kept); "big" is more than the page cache keeps.
    const status = req.params.slug === "missing" ? 404 : 200;
    // "large" is more than a loopback socket's buffers hold (a reader who reads nothing stalls it).
    const padding = req.params.slug === "big" ? 2 * 1024 * 1024 : req.params.slug === "large" ? LARGE_PAGE_BYTES : 0;
    const body = `<p>${req.params.slug}, render ${render}</p>` + "x".repeat(padding);
    const answer = () => res.status(status).type("html").send(body);
    if (answerAtOnce) answer();
    else waiting.push(Object.assign(answer, { slug: req.params.slug }));
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
    /** Lets the last render begun go. */
    releaseLatest: () => waiting.pop()!(),
    /** Lets the first render of `slug` waiting go. */
    releaseOf: (slug: string) => waiting.splice(waiting.findIndex((answer) => answer.slug === slug), 1)[0]!(),
    /** Lets every render waiting go, and answers those to come at once. */
    releaseAll: () => {
      answerAtOnce = true;
      for (const answer of waiting.splice(0)) answer();
    },
    /** Answers the renders to come at once (those waiting still wait). */
    answerNewAtOnce: () => void (answerAtOnce = true),
    /** A write to the pages with a generation of their own: theirs moves. */
    writeOwn: () => (ownRevision += 1),
    /** A write: the data revision moves. */
    write: () => (revision += 1),
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
    // The server saw it leave before its render ended (else the whole page, rendered, is kept).
    await until(() => page.closed() === 2, "the server saw the first reader leave");
    page.release();
    // Nobody is left: the next reader renders the page itself (a second render), and nobody else did.
    const next = visit(`${page.base}/letters/quiet`);
    await until(() => page.renders() === 2, "the next reader's render");
    page.release();
    expect(await next).toMatchObject({ status: 200, body: "<p>quiet, render 2</p>" });
  });
});

describe("readers waiting for a rendering whose page is not kept although its reader stayed", () => {
  // Nobody left: the page was not kept for what it is (a 404, too big) or because a write moved the
  // generation. Each waiter renders its own at once, as before: they do not take turns, one render
  // after another, each waiting for the one before until their second is up (and lists rendered on
  // a thread would no longer share one render).
  async function crowdAfter(slug: string, during: (page: Awaited<ReturnType<typeof cachedSlowPage>>) => void = () => {}) {
    const page = await cachedSlowPage();
    const first = visit(`${page.base}/letters/${slug}`);
    await until(() => page.renders() === 1, "the first render began");
    const crowd = [1, 2, 3, 4].map(() => visit(`${page.base}/letters/${slug}`));
    await until(() => page.arrived() === 5, "the crowd arrived");
    during(page);
    page.release();
    await first;
    await until(() => page.renders() > 1, "the crowd's renders began");
    // Every waiter began its render when the first ended (not one, the others waiting for it).
    const renders = page.renders();
    page.releaseAll();
    const answers = await Promise.all(crowd);
    return { renders, answers };
  }

  it("a 404: every waiter renders its own at once", async () => {
    const { renders, answers } = await crowdAfter("missing");
    expect(renders).toBe(5);
    expect(answers.map((answer) => answer?.status)).toEqual([404, 404, 404, 404]);
  });

  it("a page too big to keep: every waiter renders its own at once", async () => {
    const { renders, answers } = await crowdAfter("big");
    expect(renders).toBe(5);
    expect(answers.map((answer) => answer?.status)).toEqual([200, 200, 200, 200]);
  });

  it("a write during the render (the page is of a past generation): every waiter renders its own at once", async () => {
    const { renders, answers } = await crowdAfter("busy", (page) => page.write());
    expect(renders).toBe(5);
    expect(answers.map((answer) => answer?.status)).toEqual([200, 200, 200, 200]);
  });
});

describe("a reader pipelined behind another on a connection that closes", () => {
  // Node gives a response queued behind another on its connection neither 'close' nor 'finish'
  // when the connection closes: its render, kept as the page's rendering, never ended. Every later
  // reader of the page waited for it (the whole second), and the page was never kept again while
  // its generation held (a letter's page: until that letter changes).
  it("does not leave its page's rendering open: the next readers get the page kept", async () => {
    const page = await cachedSlowPage();
    const socket = await pipelinedGets(page.base, ["/letters/first", "/letters/behind"]);
    await until(() => page.renders() === 2, "both pipelined renders began");
    // Its page is done, but queued behind the first one's.
    page.releaseOf("behind");
    socket.destroy();
    await until(() => page.closed() > 0, "the server saw the connection close");
    page.releaseOf("first");
    page.releaseAll();
    const next = await visit(`${page.base}/letters/behind`);
    expect(next).toMatchObject({ status: 200, cache: "miss" });
    // Kept: the one after gets it, with no render of its own.
    const after = await visit(`${page.base}/letters/behind`);
    expect(after).toMatchObject({ status: 200, cache: "hit", body: next!.body });
    expect(page.renders()).toBe(3);
  });
});

describe("a reader pipelined behind a response that is not done, on a connection that stays open", () => {
  // Its page cannot go out before the response ahead of it (a download the client does not read,
  // a slow page): were it the page's rendering, every other reader of the page would wait the whole
  // second for it, and the page would not be kept, for as long as that connection stayed open.
  it("is not the page's rendering: other readers do not wait for it, and the page is kept", async () => {
    const page = await cachedSlowPage();
    const socket = await pipelinedGets(page.base, ["/letters/ahead", "/letters/queued"]);
    await until(() => page.renders() === 2, "both pipelined renders began");
    // The queued page is done; the one ahead of it is not.
    page.releaseOf("queued");
    page.answerNewAtOnce();
    const next = await visit(`${page.base}/letters/queued`);
    const after = await visit(`${page.base}/letters/queued`);
    expect(next).toMatchObject({ status: 200, cache: "miss" });
    expect(after).toMatchObject({ status: 200, cache: "hit", body: next!.body });
    expect(page.renders()).toBe(3);
    socket.destroy();
    page.releaseAll();
  });
});

describe("a reader waiting for a page of its own generation (a letter's) that a write moved meanwhile", () => {
  // Its lookup, in the generation it came in, found the page kept since in the new generation and
  // threw it away as outdated: the next reader rendered it again.
  it("leaves the page kept in the new generation for the readers after it", async () => {
    const page = await cachedSlowPage();
    const url = `${page.base}/letters/own-page`;
    const first = visit(url);
    await until(() => page.renders() === 1, "the first render began");
    const waiter = visit(url);
    await until(() => page.arrived() === 2, "the waiter arrived");
    page.writeOwn();
    // A reader in the new generation renders the page, and it is kept.
    const fresh = visit(url);
    await until(() => page.renders() === 2, "the new generation's render began");
    page.releaseLatest(); // the new generation's: kept
    expect(await fresh).toMatchObject({ status: 200, cache: "miss", body: "<p>own-page, render 2</p>" });
    page.answerNewAtOnce();
    page.release(); // the first render (of the past generation): not kept, its waiter renders its own
    expect(await first).toMatchObject({ status: 200 });
    expect(await waiter).toMatchObject({ status: 200 });
    const renders = page.renders();
    expect(await visit(url)).toMatchObject({ status: 200, cache: "hit", body: "<p>own-page, render 2</p>" });
    expect(page.renders()).toBe(renders);
  });
});

describe("a reader who reads nothing of a page the page cache keeps", () => {
  // Its response cannot finish (the socket's buffers are full), so the page used to be kept only
  // when it did: every other reader of the page waited the whole second for it, then rendered the
  // page again. The page is whole once the app has ended it: it is kept then.
  it("does not hold the page from the readers after it", async () => {
    const page = await cachedSlowPage({ maxEntryBytes: 2 * LARGE_PAGE_BYTES });
    const { port } = new URL(page.base);
    const stalled = net.connect(Number(port), "127.0.0.1");
    stalled.pause();
    stalled.write(`GET /letters/large HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept-Encoding: identity\r\n\r\n`);
    await until(() => page.renders() === 1, "the stalled reader's render began");
    page.answerNewAtOnce();
    page.release();
    const next = await visit(`${page.base}/letters/large`);
    expect(next).toMatchObject({ status: 200, cache: "hit" });
    expect(next!.body.startsWith("<p>large, render 1</p>")).toBe(true);
    expect(page.renders()).toBe(1);
    stalled.destroy();
  });
});

describe("a download whose reader leaves before its app has ended it", () => {
  // A streamed export ends its stream quietly when its reader goes away (exportToStream closes it on
  // the request's abort), and Remix's adapter then ends the response: the body the app ended is cut
  // short. Kept at that end(), the cut file (32 KB of a 667 KB letters.csv) was every later
  // reader's, a hit, until the next write. A response whose reader left before the app ended it
  // never finished: it was not kept before pages were kept at end(), and is not now.
  it("is not kept: the next reader gets the whole file", async () => {
    const cache = createPageCache({
      buildVersion: "b1",
      generationKey: "test-generation-key",
      state: () => ({ revision: 1, day: "2026-12-04" }),
      signedIn: () => false,
      keepResponses: true,
    });
    let renders = 0;
    let closed = 0;
    const app = express();
    app.set("etag", false);
    app.use(cache.middleware);
    app.get("/export/letters.csv", (_req, res) => {
      renders += 1;
      res.status(200).type("text/csv");
      res.write("slug,title\n");
      if (renders > 1) return void res.end("a,whole file\n");
      // The first reader's: what follows is never written, the stream ends when its reader leaves.
      res.once("close", () => {
        closed += 1;
        res.end();
      });
    });
    const server = http.createServer(app);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const leaving = net.connect(port, "127.0.0.1");
    let received = "";
    leaving.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
    leaving.write(`GET /export/letters.csv HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept-Encoding: identity\r\n\r\n`);
    await until(() => received.includes("slug,title"), "the first bytes of the file arrived");
    leaving.destroy();
    await until(() => closed === 1, "the server saw the reader leave, and the app ended the file");
    const next = await visit(`http://127.0.0.1:${port}/export/letters.csv`);
    expect(next).toMatchObject({ status: 200, body: "slug,title\na,whole file\n" });
    expect(renders).toBe(2);
  });
});
