/**
 * createThreadRenderer (app/utils/page-render.server.ts, decision 0037): how the event loop answers
 * with a page a render thread made, in a real Express app on a real socket, the pool stubbed:
 * - a refusal by the render lane is a 503 with Retry-After, kept by no cache, never a queue;
 * - what the thread's loaders asked of the response (a header, "do not cache", stale figures)
 *   reaches it: a page with stale figures or a refusal inside it is not kept;
 * - the status, headers and body are the thread's, in one end() (the page cache needs the length);
 * - a visitor who went away before the page was ready gets nothing written, and the render is
 *   marked abandoned rather than stopped (stopping ends its thread, and a new one loads the build).
 */
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { createThreadRenderer, type RenderedPage } from "~/utils/page-render.server";
import type { ReadPool, ReadPoolBusy } from "~/utils/read-pool.server";
import { until } from "../support/http-client";
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

/** An app whose every request is rendered by `render`; `seen` gets res.locals' doNotCache and the bytes end() was given. */
async function appWith(render: ReadPool["render"], { exposeThread = false } = {}) {
  const seen: Array<{ doNotCache: unknown; ends: number }> = [];
  const app = express();
  app.use((_req, res, next) => {
    res.locals.cspNonce = "nonce-1";
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
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
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
});
