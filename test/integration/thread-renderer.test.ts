/**
 * createThreadRenderer (app/utils/page-render.server.ts, decision 0037): how the event loop answers
 * with a page a render thread made, in a real Express app on a real socket, the pool stubbed:
 * - a refusal by the render lane is a 503 with Retry-After, kept by no cache, never a queue;
 * - what the thread's loaders asked of the response (a header, "do not cache", stale figures)
 *   reaches it: a page with stale figures or a refusal inside it is not kept;
 * - the status, headers and body are the thread's, in one end() (the page cache needs the length);
 * - a visitor who went away before the page was ready gets nothing written, and the render is
 *   marked abandoned rather than stopped (stopping ends its thread, and a new one loads the build);
 * - readers of the same page in the same generation while it renders share that render: a reload
 *   of a slow page took a second slot of its address (the abandoned render kept the first), and
 *   the fourth reload was refused with 503.
 */
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { createPageCache } from "~/utils/page-cache.server";
import { createThreadRenderer, type RenderedPage } from "~/utils/page-render.server";
import type { ReadPool, ReadPoolBusy } from "~/utils/read-pool.server";
import { pipelinedGets, until } from "../support/http-client";
import { stubReadPool } from "../support/read-pools";

const servers: Array<{ close: () => void }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

function page(overrides: Partial<RenderedPage> = {}): RenderedPage {
  return {
    status: 200,
    statusText: "OK",
    headers: [["content-type", "text/html; charset=utf-8"], ["x-from-remix", "yes"]],
    body: new TextEncoder().encode("<!DOCTYPE html><html><body>the list</body></html>"),
    threadId: 7,
    nice: 5,
    responseHeaders: [],
    doNotCache: false,
    usedStaleFigures: false,
    ...overrides,
  };
}

/**
 * An app whose every request is rendered by `render`; `seen` gets res.locals' doNotCache and the
 * bytes end() was given. With `generation`, each request is named as the page cache names it (its
 * generation and URL), and gets a nonce of its own in its Content-Security-Policy; `arrived`
 * counts the requests that reached the renderer.
 */
async function appWith(render: ReadPool["render"], { exposeThread = false, generation }: { exposeThread?: boolean; generation?: () => string } = {}) {
  const seen: Array<{ doNotCache: unknown; ends: number }> = [];
  const arrived = { count: 0 };
  const app = express();
  app.use((req, res, next) => {
    arrived.count += 1;
    res.locals.cspNonce = generation ? `nonce-${arrived.count}` : "nonce-1";
    if (generation) {
      res.locals.pageGenerationKey = `${generation()} http://x|${req.originalUrl}`;
      res.setHeader("Content-Security-Policy", `script-src 'nonce-${res.locals.cspNonce}'`);
    }
    const end = res.end.bind(res);
    let ends = 0;
    res.end = ((...args: Parameters<typeof res.end>) => {
      ends += 1;
      return end(...args);
    }) as typeof res.end;
    res.on("finish", () => seen.push({ doNotCache: res.locals.doNotCache, ends }));
    next();
  });
  const renderer = createThreadRenderer({ pool: { ...stubReadPool(), renders: true, render }, exposeThread });
  app.use((req, res, next) => void renderer(req, res, next));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  servers.push(server);
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, arrived };
}

/** A render that waits to be let go: `release(page)` resolves the oldest render still waiting. */
function heldRenders() {
  const waiting: Array<{ task: Parameters<ReadPool["render"]>[0]; client: string; resolve: (page: RenderedPage) => void; reject: (error: unknown) => void }> = [];
  const tasks: Array<Parameters<ReadPool["render"]>[0]> = [];
  const render: ReadPool["render"] = (task, { client }) =>
    new Promise((resolve, reject) => {
      tasks.push(task);
      waiting.push({ task, client, resolve, reject });
    });
  return {
    render,
    tasks,
    release: (result: RenderedPage | Error) => {
      const next = waiting.shift()!;
      if (result instanceof Error) next.reject(result);
      else next.resolve(result);
    },
    flag: (index: number) => Atomics.load(new Int32Array(tasks[index]!.abandoned!), 0),
  };
}

/**
 * An app as scripts/serve.ts orders it: a nonce per request, the real page cache, then the renderer.
 * `closed` counts the responses the server has seen close (a visitor gone, or an answer sent).
 */
async function cachedAppWith(render: ReadPool["render"], { revision = () => 1 }: { revision?: () => number } = {}) {
  const cache = createPageCache({
    buildVersion: "b1",
    generationKey: "test-generation-key",
    state: () => ({ revision: revision(), day: "2026-12-03" }),
    signedIn: (req) => (req.headers.cookie ?? "").includes("tracker_session="),
    keepResponses: true,
  });
  const app = express();
  app.set("etag", false);
  const counts = { nonces: 0, closed: 0 };
  app.use((_req, res, next) => {
    res.locals.cspNonce = `n${(counts.nonces += 1)}`;
    res.setHeader("Content-Security-Policy", `script-src 'nonce-${res.locals.cspNonce}'`);
    res.on("close", () => (counts.closed += 1));
    next();
  });
  app.use(cache.middleware);
  const renderer = createThreadRenderer({ pool: { ...stubReadPool(), renders: true, render }, exposeThread: true });
  app.use((req, res, next) => void renderer(req, res, next));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  servers.push(server);
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, counts };
}

/** Lets every callback already due run (a socket's close, the promises it settles). */
const settled = () => new Promise((resolve) => setImmediate(resolve)).then(() => new Promise((resolve) => setImmediate(resolve)));

function busy(): ReadPoolBusy {
  return Object.assign(new Error("Too many expensive requests from your address at once: try again in a moment."), {
    code: "READ_POOL_BUSY" as const,
    retryAfterSeconds: 2,
    reason: "client" as const,
  });
}

/** A GET that the client gives up on after `leaveAfterMs` (a reload), or waits for. */
function visit(url: string, leave?: AbortController) {
  return fetch(url, { signal: leave?.signal }).then(
    async (response) => ({ status: response.status, body: await response.text(), csp: response.headers.get("content-security-policy"), thread: response.headers.get("x-render-thread") }),
    () => null,
  );
}

describe("createThreadRenderer", () => {
  it("sends the thread's page: status, headers, body, and the task the thread was given", async () => {
    const tasks: unknown[] = [];
    const { base, seen } = await appWith(async (task) => {
      tasks.push(task);
      return page();
    }, { exposeThread: true });
    const response = await fetch(`${base}/letters?sort=status`, { headers: { "X-Test": "1" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-from-remix")).toBe("yes");
    expect(response.headers.get("x-render-thread")).toBe("7; nice=5");
    expect(await response.text()).toBe("<!DOCTYPE html><html><body>the list</body></html>");
    expect(tasks).toEqual([
      expect.objectContaining({ url: `${base}/letters?sort=status`, method: "GET", cspNonce: "nonce-1", headers: expect.arrayContaining([["x-test", "1"]]) }),
    ]);
    expect(seen).toEqual([{ doNotCache: undefined, ends: 1 }]);
  });

  it("names no thread unless told to", async () => {
    const { base } = await appWith(async () => page());
    expect((await fetch(`${base}/letters`)).headers.get("x-render-thread")).toBeNull();
  });

  it("answers a refusal of the render lane with 503, Retry-After and no-store", async () => {
    const refusal = Object.assign(new Error("The server is busy with other readers' requests: try again in a moment."), {
      code: "READ_POOL_BUSY" as const,
      retryAfterSeconds: 7,
      reason: "saturated" as const,
    }) satisfies ReadPoolBusy;
    const { base, seen } = await appWith(async () => {
      throw refusal;
    });
    const response = await fetch(`${base}/search?q=x`);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("7");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.text()).toBe(refusal.message);
    expect(seen[0]?.doNotCache).toBe(true);

    // A browser gets a page: the sentence, a link to the same address (escaped) and to the overview.
    const browser = await fetch(`${base}/search?q=%22%3E%3Cscript%3E&q=a"b<c`, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    expect(browser.status).toBe(503);
    expect(browser.headers.get("retry-after")).toBe("7");
    expect(browser.headers.get("cache-control")).toBe("no-store");
    expect(browser.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await browser.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("<h1>This page is busy</h1>");
    expect(html).toContain("The server is busy with other readers&#39; requests: try again in a moment.");
    expect(html).toContain('<a href="/search?q=%22%3E%3Cscript%3E&amp;q=a%22b%3Cc">Try this page again</a> in 7 seconds');
    expect(html).not.toContain("<script");
    // An address beginning with two slashes stays on this site.
    const twoSlashes = await fetch(`${base}//elsewhere.example/letters`, { headers: { accept: "text/html" } });
    expect(await twoSlashes.text()).toContain('<a href="/elsewhere.example/letters">');
  });

  it("passes what the loaders asked on: a header, and no keeping of a page with a refusal or stale figures", async () => {
    for (const asked of [{ doNotCache: true }, { usedStaleFigures: true }]) {
      const { base, seen } = await appWith(async () => page({ ...asked, responseHeaders: [["Retry-After", "3"]] }));
      const response = await fetch(`${base}/letters`);
      expect(response.headers.get("retry-after")).toBe("3");
      expect(seen[0]?.doNotCache).toBe(true);
    }
  });

  it("writes nothing for a visitor who left before the page was ready, and marks the render abandoned (a render not begun is skipped; no thread is ended)", async () => {
    let rendered: () => void = () => {};
    let asked: () => void = () => {};
    let flag: Int32Array | null = null;
    let signalled = false;
    const renderAsked = new Promise<void>((resolve) => (asked = resolve));
    const { base, seen } = await appWith(
      (task, { signal }) =>
        new Promise((resolve) => {
          flag = task.abandoned ? new Int32Array(task.abandoned) : null;
          signalled = signal !== undefined && signal !== null;
          rendered = () => resolve(page());
          asked();
        }),
    );
    const leaving = new AbortController();
    const request = fetch(`${base}/letters`, { signal: leaving.signal }).catch(() => null);
    await renderAsked;
    expect(flag && Atomics.load(flag, 0)).toBe(0);
    expect(signalled).toBe(false);
    leaving.abort();
    await request;
    // Marked when the server sees the socket close.
    await until(() => flag !== null && Atomics.load(flag, 0) === 1, "the render marked abandoned");
    rendered();
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([]);
  });

  it("readers of one page while it renders share that render: one render, and each is sent the nonce the page was rendered with", async () => {
    const held = heldRenders();
    const { base, arrived } = await appWith(held.render, { generation: () => "g1", exposeThread: true });
    const first = visit(`${base}/letters?sort=status`);
    await until(() => held.tasks.length === 1, "the first render asked");
    const others = [visit(`${base}/letters?sort=status`), visit(`${base}/letters?sort=status`)];
    await until(() => arrived.count === 3, "the other readers arrived");
    held.release(page());
    const answers = await Promise.all([first, ...others]);
    expect(held.tasks).toHaveLength(1);
    for (const answer of answers) {
      expect(answer).toMatchObject({ status: 200, body: "<!DOCTYPE html><html><body>the list</body></html>", csp: "script-src 'nonce-nonce-1'" });
    }
    expect(answers.map((answer) => answer!.thread)).toEqual(["7; nice=5", "7; nice=5; shared", "7; nice=5; shared"]);
  });

  it("a reader who reloads a slow page waits for the render under way: no second render, so no second slot of its address", async () => {
    // The lane's admission as far as it matters here: one render in flight per address.
    const held = heldRenders();
    let inFlight = 0;
    const render: ReadPool["render"] = async (task, options) => {
      if (inFlight >= 1) throw busy();
      inFlight += 1;
      try {
        return await held.render(task, options);
      } finally {
        inFlight -= 1;
      }
    };
    const { base, arrived } = await appWith(render, { generation: () => "g1" });
    for (let reload = 1; reload <= 3; reload += 1) {
      const leave = new AbortController();
      const gone = visit(`${base}/search?q=contracts`, leave);
      await until(() => arrived.count === reload, `reload ${reload} arrived`);
      await until(() => held.tasks.length === 1, "the render asked");
      expect(held.flag(0)).toBe(0);
      leave.abort();
      expect(await gone).toBeNull();
      await until(() => held.flag(0) === 1, "the render marked abandoned when its reader left");
    }
    const last = visit(`${base}/search?q=contracts`);
    await until(() => arrived.count === 4, "the last reload arrived");
    // Wanted again: a render not yet begun is no longer skipped.
    await until(() => held.flag(0) === 0, "the render wanted again");
    held.release(page());
    expect(await last).toMatchObject({ status: 200, body: "<!DOCTYPE html><html><body>the list</body></html>" });
    expect(held.tasks).toHaveLength(1);
  });

  it("renders apart another address, another generation, and a reader who comes after the render ended", async () => {
    const held = heldRenders();
    let generation = "g1";
    const { base, arrived } = await appWith(held.render, { generation: () => generation });
    const answers = [visit(`${base}/letters?page=2`)];
    await until(() => arrived.count === 1, "the first reader arrived");
    answers.push(visit(`${base}/letters?page=3`));
    await until(() => arrived.count === 2, "the second reader arrived");
    generation = "g2"; // a write
    answers.push(visit(`${base}/letters?page=2`));
    await until(() => held.tasks.length === 3, "three renders asked");
    for (let i = 0; i < 3; i += 1) held.release(page());
    expect((await Promise.all(answers)).map((answer) => answer!.status)).toEqual([200, 200, 200]);
    const after = visit(`${base}/letters?page=2`);
    await until(() => held.tasks.length === 4, "a fourth render asked");
    held.release(page());
    expect((await after)!.status).toBe(200);
    expect(held.tasks.map((task) => new URL(task.url).search)).toEqual(["?page=2", "?page=3", "?page=2", "?page=2"]);
  });

  it("renders again for a reader who joined a render skipped because every reader had left before it began", async () => {
    const held = heldRenders();
    const { base, arrived } = await appWith(held.render, { generation: () => "g1" });
    const leave = new AbortController();
    const gone = visit(`${base}/letters`, leave);
    await until(() => held.tasks.length === 1, "the render asked");
    leave.abort();
    await gone;
    await until(() => held.flag(0) === 1, "marked abandoned");
    const back = visit(`${base}/letters`);
    await until(() => arrived.count === 2, "the reader came back");
    // The thread had looked at the flag before the reader came back: skipped.
    held.release(page({ status: 0, statusText: "", headers: [], body: null, doNotCache: true }));
    await until(() => held.tasks.length === 2, "rendered again");
    held.release(page());
    expect(await back).toMatchObject({ status: 200, body: "<!DOCTYPE html><html><body>the list</body></html>" });
  });

  it("does not pass on another reader's refusal, nor a page with a cookie: the joiner is rendered for itself", async () => {
    const held = heldRenders();
    const { base, arrived } = await appWith(held.render, { generation: () => "g1" });
    const refused = visit(`${base}/search?q=a`);
    await until(() => held.tasks.length === 1, "the first render asked");
    const joiner = visit(`${base}/search?q=a`);
    await until(() => arrived.count === 2, "the joiner arrived");
    held.release(busy());
    await until(() => held.tasks.length === 2, "the joiner asked for itself");
    held.release(page());
    expect((await refused)!.status).toBe(503);
    expect((await joiner)!.status).toBe(200);

    const cookieFirst = visit(`${base}/search?q=b`);
    await until(() => held.tasks.length === 3, "a render asked");
    const cookieJoiner = visit(`${base}/search?q=b`);
    await until(() => arrived.count === 4, "its joiner arrived");
    held.release(page({ headers: [["content-type", "text/html"], ["set-cookie", "flash=for-the-first"]] }));
    await until(() => held.tasks.length === 4, "the joiner rendered for itself");
    held.release(page());
    expect((await cookieFirst)!.status).toBe(200);
    expect(await cookieJoiner).toMatchObject({ status: 200, body: "<!DOCTYPE html><html><body>the list</body></html>" });
  });

  it("a render whose thread died is asked for once more, by all its readers together: one more render, not a 500 each", async () => {
    const held = heldRenders();
    const { base, arrived } = await appWith(held.render, { generation: () => "g1" });
    const readers = [visit(`${base}/letters?sort=title`)];
    await until(() => held.tasks.length === 1, "the render asked");
    readers.push(visit(`${base}/letters?sort=title`), visit(`${base}/letters?sort=title`));
    await until(() => arrived.count === 3, "two readers joined");
    held.release(new Error("Worker terminated unexpectedly"));
    await until(() => held.tasks.length === 2, "asked again");
    held.release(page());
    expect((await Promise.all(readers)).map((answer) => answer?.status)).toEqual([200, 200, 200]);
    expect(held.tasks).toHaveLength(2);

    // Failing again, it is a 500 for each, with no third render.
    const again = [visit(`${base}/letters?sort=status`), visit(`${base}/letters?sort=status`)];
    await until(() => arrived.count === 5 && held.tasks.length === 3, "both readers of another page arrived");
    held.release(new Error("Worker terminated unexpectedly"));
    await until(() => held.tasks.length === 4, "asked again");
    held.release(new Error("Worker terminated unexpectedly"));
    expect((await Promise.all(again)).map((answer) => answer?.status)).toEqual([500, 500]);
    expect(held.tasks).toHaveLength(4);
  });

  it("shares nothing the page cache does not name (signed in, or no generation)", async () => {
    const held = heldRenders();
    const { base, arrived } = await appWith(held.render);
    const answers = [visit(`${base}/letters`)];
    await until(() => arrived.count === 1, "first");
    answers.push(visit(`${base}/letters`));
    await until(() => held.tasks.length === 2, "two renders asked");
    held.release(page());
    held.release(page());
    expect((await Promise.all(answers)).map((answer) => answer!.status)).toEqual([200, 200]);
  });

  it("behind the real page cache: reloads of a page under way share its render, each with the nonce the page carries, and the page is then kept", async () => {
    const held = heldRenders();
    let revision = 1;
    const { base, counts } = await cachedAppWith(held.render, { revision: () => revision });
    const nonced = (nonce: string) => page({ body: new TextEncoder().encode(`<script nonce="${nonce}"></script>`) });

    for (let reload = 1; reload <= 4; reload += 1) {
      const leave = new AbortController();
      const gone = visit(`${base}/search?q=waivers`, leave);
      await until(() => counts.nonces === reload && held.tasks.length === 1, `reload ${reload} waiting on the render`);
      leave.abort();
      await gone;
    }
    const last = visit(`${base}/search?q=waivers`);
    // Joined in the same turn as it arrived (the page cache and the renderer take it synchronously).
    await until(() => counts.nonces === 5, "the last reload arrived");
    held.release(nonced(held.tasks[0]!.cspNonce));
    expect(await last).toMatchObject({ status: 200, body: '<script nonce="n1"></script>', csp: "script-src 'nonce-n1'", thread: "7; nice=5; shared" });
    expect(held.tasks).toHaveLength(1);
    // Kept: the next reader is answered from the page cache, with the policy of the page it is sent,
    // and no render thread named (no thread rendered it for this reader).
    expect(await visit(`${base}/search?q=waivers`)).toMatchObject({ status: 200, body: '<script nonce="n1"></script>', csp: "script-src 'nonce-n1'", thread: null });
    expect(held.tasks).toHaveLength(1);
    // A write: the next reader's page is rendered anew, with its own nonce.
    revision = 2;
    const fresh = visit(`${base}/search?q=waivers`);
    await until(() => held.tasks.length === 2, "rendered anew after the write");
    held.release(nonced(held.tasks[1]!.cspNonce));
    expect(await fresh).toMatchObject({ status: 200, body: '<script nonce="n7"></script>', csp: "script-src 'nonce-n7'" });
  });

  it("renders nothing for a visitor already gone when its turn came (it had waited for another reader's render)", async () => {
    const held = heldRenders();
    const app = express();
    let arrived = 0;
    let closed = 0;
    let passedOn: () => void = () => {};
    const gate = new Promise<void>((resolve) => (passedOn = resolve));
    app.use((req, res, next) => {
      arrived += 1;
      res.once("close", () => (closed += 1));
      res.locals.pageGenerationKey = `g1 http://x|${req.originalUrl}`;
      // As the page cache does for a reader who waits for another's render of the page.
      void gate.then(() => next());
    });
    const renderer = createThreadRenderer({ pool: { ...stubReadPool(), renders: true, render: held.render } });
    let reached = 0;
    app.use((req, res, next) => {
      reached += 1;
      void renderer(req, res, next);
    });
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    servers.push(server);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const leave = new AbortController();
    const gone = visit(`${base}/letters`, leave);
    await until(() => arrived === 1, "the visitor arrived");
    leave.abort();
    await gone;
    await until(() => closed === 1, "the server saw the visitor leave");
    passedOn();
    await until(() => reached === 1, "its turn came");
    await new Promise((resolve) => setImmediate(resolve));
    expect(held.tasks).toHaveLength(0);
  });

  it("behind the real page cache: a reader who left while waiting there for another's render does not keep that render wanted once everyone has left", async () => {
    // Before: the page cache let the waiting reader go on to the renderer when the first reader
    // left, its response already closed; it joined the render (clearing the abandoned flag) and,
    // its close long past, never left it: the render ran for nobody.
    const held = heldRenders();
    const { base, counts } = await cachedAppWith(held.render);
    const leaveFirst = new AbortController();
    const first = visit(`${base}/search?q=waivers`, leaveFirst);
    await until(() => held.tasks.length === 1, "the first reader's render asked");
    const leaveSecond = new AbortController();
    const second = visit(`${base}/search?q=waivers`, leaveSecond);
    // The second waits in the page cache for the first reader's rendering.
    await until(() => counts.nonces === 2, "the second reader arrived");
    leaveSecond.abort();
    expect(await second).toBeNull();
    await until(() => counts.closed === 1, "the server saw the second reader leave");
    leaveFirst.abort();
    expect(await first).toBeNull();
    await until(() => counts.closed === 2, "the server saw the first reader leave");
    await settled();
    expect(held.flag(0)).toBe(1);
    expect(held.tasks).toHaveLength(1);
  });

  it("a reader whose request was pipelined behind another on its connection leaves the render when the connection closes", async () => {
    // Node never emits 'close' on a response still queued behind an earlier one on its socket:
    // before, such a reader stayed among the render's readers for good once its connection was
    // gone, and the render, though nobody waited for it any more, was never skipped.
    const held = heldRenders();
    const { base, arrived } = await appWith(held.render, { generation: () => "g1" });
    const socket = await pipelinedGets(base, ["/search?q=waivers", "/search?q=waivers"]);
    await until(() => arrived.count === 2, "both pipelined requests reached the renderer");
    expect(held.tasks).toHaveLength(1);
    expect(held.flag(0)).toBe(0);
    socket.destroy();
    await until(() => held.flag(0) === 1, "the render marked abandoned when the connection closed");
  });

  it("behind the real page cache: a pipelined reader whose connection closed while it waited there does not join the render", async () => {
    const held = heldRenders();
    const { base, counts } = await cachedAppWith(held.render);
    const socket = await pipelinedGets(base, ["/search?q=waivers", "/search?q=waivers"]);
    // The first renders; the second waits in the page cache for it.
    await until(() => counts.nonces === 2 && held.tasks.length === 1, "both pipelined requests arrived");
    socket.destroy();
    // Only the first response closes (the second is queued behind it), and frees the second to go on.
    await until(() => counts.closed === 1, "the server saw the connection close");
    await settled();
    expect(held.flag(0)).toBe(1);
    expect(held.tasks).toHaveLength(1);
  });

  it("readers who all came back too late for a skipped render share the render made again: one render, not one each", async () => {
    // Before: each of them asked for a render of its own, each taking a slot of its address (from
    // one address, the third was refused with 503): a crowd arriving just as the thread skipped
    // the render rendered the page once per reader.
    const held = heldRenders();
    const { base, arrived } = await appWith(held.render, { generation: () => "g1", exposeThread: true });
    const leave = new AbortController();
    const gone = visit(`${base}/letters`, leave);
    await until(() => held.tasks.length === 1, "the render asked");
    leave.abort();
    await gone;
    await until(() => held.flag(0) === 1, "marked abandoned");
    const back = [visit(`${base}/letters`), visit(`${base}/letters`), visit(`${base}/letters`)];
    await until(() => arrived.count === 4, "the crowd arrived");
    // The thread had looked at the flag before they came: skipped.
    held.release(page({ status: 0, statusText: "", headers: [], body: null, doNotCache: true }));
    await until(() => held.tasks.length >= 2, "rendered again");
    await settled();
    expect(held.tasks).toHaveLength(2);
    held.release(page());
    const answers = await Promise.all(back);
    for (const answer of answers) expect(answer).toMatchObject({ status: 200, body: "<!DOCTYPE html><html><body>the list</body></html>" });
    expect(answers.filter((answer) => answer!.thread!.endsWith("; shared"))).toHaveLength(2);
  });
});
