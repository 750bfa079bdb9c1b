/**
 * Whole anonymous pages rendered on the read pool's render threads (decision 0037,
 * app/domain/render-lane.ts says which).
 *
 * - On the event loop, `createThreadRenderer` hands such a request (its URL, method, headers, the
 *   CSP nonce and client address the server gave it) to the pool's render lane and writes the
 *   answer back as Remix's adapter would: the page cache, ETags and compression before it see an
 *   ordinary response. A refusal by the lane is a 503 with Retry-After, never a queue.
 * - On a render thread, `renderPageHere` loads the same Remix build and runs its request handler.
 *   The thread's loaders find no pool there, so their reads run inline on the thread's own
 *   read-only connection, at the thread's priority.
 *
 * What a loader tells the server through its load context (a header, "do not cache", stale
 * figures) travels back with the page. Stale figures are this thread's, whose versions the event
 * loop's page cache cannot check: such a page is not kept.
 */
import os from "node:os";
import { pathToFileURL } from "node:url";
import { threadId } from "node:worker_threads";
import { createRequestHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { installBuildVersion } from "~/utils/build-version.server";
import { isReadPoolBusy, type ReadPool } from "~/utils/read-pool.server";
import { remixRequestOf } from "~/utils/remix-handler.server";
import type { RenderLane } from "~/domain/render-lane";

/** What the event loop sends a render thread: plain data (it crosses a thread boundary). */
export interface PageRenderTask {
  /**
   * Set to 1 (an Int32Array over it) by the event loop when the visitor has gone: a render not yet
   * begun is skipped. A render under way is not stopped: stopping a task means ending its thread
   * (Piscina), and a new render thread loads the whole build again (about 1.5 s of CPU), which under
   * load made more visitors time out and more threads end.
   */
  abandoned?: SharedArrayBuffer;
  url: string;
  method: string;
  headers: Array<[string, string]>;
  cspNonce: string;
  clientAddress: string;
}

/** A rendered page, and what its loaders asked of the response. */
export interface RenderedPage {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
  body: Uint8Array | null;
  /** The thread that rendered it, and its nice value (EXPOSE_WORKER_ID names them in X-Render-Thread). */
  threadId: number;
  nice: number;
  /** setResponseHeader calls, in order. */
  responseHeaders: Array<[string, string]>;
  doNotCache: boolean;
  usedStaleFigures: boolean;
}

let handlerOfThread: Promise<ReturnType<typeof createRequestHandler>> | null = null;

/**
 * Loads the Remix build on this thread, once (the pool's `ready` asks at start, so that no visitor
 * waits for it). The path is the render lane's READ_WORKER_RENDER_BUILD (app/utils/read-pool.server.ts).
 */
export function loadRenderBuild(buildPath: string): Promise<ReturnType<typeof createRequestHandler>> {
  handlerOfThread ??= import(pathToFileURL(buildPath).href).then((build: ServerBuild) => {
    installBuildVersion(build.assets.version);
    return createRequestHandler(build, "production");
  });
  return handlerOfThread;
}

/** Renders a page on this thread (a render thread of the read pool; app/workers/read-worker.ts). */
export async function renderPageHere(buildPath: string, task: PageRenderTask): Promise<RenderedPage> {
  const handle = await loadRenderBuild(buildPath);
  if (task.abandoned && Atomics.load(new Int32Array(task.abandoned), 0) === 1) {
    return { status: 0, statusText: "", headers: [], body: null, threadId, nice: os.getPriority(0), responseHeaders: [], doNotCache: true, usedStaleFigures: false };
  }
  const asked: Pick<RenderedPage, "responseHeaders" | "doNotCache" | "usedStaleFigures"> = {
    responseHeaders: [],
    doNotCache: false,
    usedStaleFigures: false,
  };
  const context: AppLoadContext = {
    clientAddress: task.clientAddress,
    cspNonce: task.cspNonce,
    setResponseHeader: (name, value) => void asked.responseHeaders.push([name, value]),
    doNotCache: () => void (asked.doNotCache = true),
    usesStaleFigures: () => void (asked.usedStaleFigures = true),
  };
  // Remix's single-fetch timer (5 s) is cleared only when the request's signal aborts: aborted once
  // the page is read, or every render would stay in this thread's memory for 5 s.
  const done = new AbortController();
  let body: Uint8Array | null;
  let response: Response;
  try {
    response = await handle(new Request(task.url, { method: task.method, headers: task.headers, signal: done.signal }), context);
    body = response.body ? new Uint8Array(await response.arrayBuffer()) : null;
  } finally {
    done.abort();
  }
  return { status: response.status, statusText: response.statusText, headers: [...response.headers], body, threadId, nice: os.getPriority(0), ...asked };
}

function headersOf(req: ExpressRequest): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  for (const [name, values] of Object.entries(req.headers)) {
    if (values === undefined) continue;
    for (const value of Array.isArray(values) ? values : [values]) headers.push([name, value]);
  }
  return headers;
}

/** The Express handler that renders a request on the pool's render lane (scripts/serve.ts). */
export function createThreadRenderer({ pool, exposeThread = false }: { pool: ReadPool; exposeThread?: boolean }) {
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction, lane: RenderLane = "render"): Promise<void> => {
    const request = remixRequestOf(req, res);
    const abandoned = new SharedArrayBuffer(4);
    request.signal.addEventListener("abort", () => Atomics.store(new Int32Array(abandoned), 0, 1), { once: true });
    let page: RenderedPage;
    try {
      page = await pool.render(
        {
          abandoned,
          url: request.url,
          method: req.method,
          headers: headersOf(req),
          cspNonce: String(res.locals.cspNonce ?? ""),
          clientAddress: req.ip ?? req.socket.remoteAddress ?? "unknown",
        },
        // No signal: a visitor who leaves skips a render not yet begun (`abandoned`), never ends a thread.
        { client: req.ip ?? req.socket.remoteAddress ?? "unknown", lane },
      );
    } catch (error) {
      // The visitor went away: nothing to answer.
      if (request.signal.aborted || res.writableEnded) return;
      if (isReadPoolBusy(error)) {
        res.locals.doNotCache = true;
        res
          .status(503)
          .set({ "Retry-After": String(error.retryAfterSeconds), "Cache-Control": "no-store" })
          .type("text/plain")
          .send(error.message);
        return;
      }
      next(error);
      return;
    }
    if (res.headersSent || request.signal.aborted) return;
    if (page.doNotCache || page.usedStaleFigures) res.locals.doNotCache = true;
    if (exposeThread) res.setHeader("X-Render-Thread", `${page.threadId}; nice=${page.nice}`);
    for (const [name, value] of page.responseHeaders) res.setHeader(name, value);
    res.statusMessage = page.statusText;
    res.status(page.status);
    for (const [name, value] of page.headers) res.append(name, value);
    // One end() with the whole body: the page cache and the compression middleware see its length.
    res.end(page.body ? Buffer.from(page.body.buffer, page.body.byteOffset, page.body.byteLength) : undefined);
  };
}
