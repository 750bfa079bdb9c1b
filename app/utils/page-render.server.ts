/**
 * Whole anonymous pages rendered on the read pool's render threads (decision 0037,
 * app/domain/render-lane.ts says which).
 *
 * - On the event loop, `createThreadRenderer` hands such a request (its URL, method, headers, the
 *   CSP nonce and client address the server gave it) to the pool's render lane and writes the
 *   answer back as Remix's adapter would: the page cache, ETags and compression before it see an
 *   ordinary response. A refusal by the lane is a 503 with Retry-After, never a queue. Readers
 *   of the same page in the same generation while it renders share that render (decision 0038).
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
import { sendBusy } from "~/utils/busy-page.server";
import { clientOf, readerHasLeft } from "~/utils/connection.server";
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

/**
 * A render under way, shared by every reader who asks for the same page meanwhile (the same lane,
 * method, and page cache key: generation, origin and URL). A reader who reloads a slow page, or a
 * crowd arriving at one, waits for the render already under way: it takes no client slot and no
 * thread. Before, each reload was a new render while the abandoned one kept its client's slot, and
 * the third reload was refused (503, too many expensive requests from your address).
 */
interface SharedRender {
  page: Promise<RenderedPage>;
  abandoned: SharedArrayBuffer;
  /** Readers still waiting for it: when the last has left, a render not yet begun is skipped. */
  waiting: number;
  /** The policy naming the nonce the page was rendered with: every reader of the page is sent it. */
  contentSecurityPolicy: ReturnType<ExpressResponse["getHeader"]>;
}

/** The Express handler that renders a request on the pool's render lane (scripts/serve.ts). */
export function createThreadRenderer({ pool, exposeThread = false }: { pool: ReadPool; exposeThread?: boolean }) {
  const underWay = new Map<string, SharedRender>();

  function startRender(req: ExpressRequest, res: ExpressResponse, request: Request, lane: RenderLane): SharedRender {
    const abandoned = new SharedArrayBuffer(4);
    const page = pool.render(
      {
        abandoned,
        url: request.url,
        method: req.method,
        headers: headersOf(req),
        cspNonce: String(res.locals.cspNonce ?? ""),
        clientAddress: clientOf(req),
      },
      // No signal: a visitor who leaves skips a render not yet begun (`abandoned`), never ends a thread.
      { client: clientOf(req), lane },
    );
    return { page, abandoned, waiting: 0, contentSecurityPolicy: res.getHeader("Content-Security-Policy") };
  }

  /**
   * `mayJoin`: whether the reader may wait for a render of the page under way (not when it asks
   * again for itself, after another reader's refusal or cookie). `afterSkip`: it asks again because
   * the render it waited for was skipped (once: the readers who came back too late share the render
   * the first of them starts). `afterFailure`: it asks again because the render failed (once).
   */
  /** How this reader asks: whether it may join another's render, and which second tries it has had. */
  type Attempt = { mayJoin: boolean; afterSkip: boolean; afterFailure: boolean };

  async function answer(req: ExpressRequest, res: ExpressResponse, next: NextFunction, lane: RenderLane, attempt: Attempt): Promise<void> {
    const again = (changes: Partial<Attempt>) => answer(req, res, next, lane, { ...attempt, ...changes });
    // A reader gone before it got here (it left while the page cache had it wait for another
    // reader's rendering) neither joins a render, which it would keep wanted for good (its close is
    // past: its request's signal never aborts, so it never leaves), nor starts one for nobody. A
    // request pipelined behind another gets no 'close' of its own: its connection's is past.
    if (readerHasLeft(req, res)) return;
    const request = remixRequestOf(req, res);
    // Only pages the page cache names (anonymous reads in a known generation) are shared.
    const generationKey: unknown = res.locals.pageGenerationKey;
    const key = typeof generationKey === "string" ? `${lane} ${req.method} ${generationKey}` : null;
    let shared = attempt.mayJoin && key ? underWay.get(key) : undefined;
    const joined = shared !== undefined;
    if (!shared) {
      const started = (shared = startRender(req, res, request, lane));
      if (key) {
        underWay.set(key, started);
        const forget = () => void (underWay.get(key) === started && underWay.delete(key));
        started.page.then(forget, forget);
      }
    }
    const render = shared;
    render.waiting += 1;
    // A reader came back for a render whose readers had all left: it is wanted again.
    Atomics.store(new Int32Array(render.abandoned), 0, 0);
    request.signal.addEventListener(
      "abort",
      () => {
        render.waiting -= 1;
        if (render.waiting === 0) Atomics.store(new Int32Array(render.abandoned), 0, 1);
      },
      { once: true },
    );
    let page: RenderedPage;
    try {
      page = await render.page;
    } catch (error) {
      // The visitor went away: nothing to answer.
      if (request.signal.aborted || res.writableEnded) return;
      // Refused by the lane: another reader's refusal (its address's share, or its wait) is not
      // this reader's, who asks once for itself; its own refusal is answered 503.
      if (isReadPoolBusy(error)) return joined ? again({ mayJoin: false }) : sendBusy(req, res, error);
      // A failed render (its thread died: a render's own errors are Remix's error pages) is asked
      // for once more, by every reader of it: they share that one render, as after a skip. Before,
      // every reader who had joined it got a 500.
      if (!attempt.afterFailure) return again({ mayJoin: true, afterFailure: true });
      next(error);
      return;
    }
    if (res.headersSent || request.signal.aborted) return;
    // Skipped (every reader had left before it began, and this one came back too late), or a page
    // for one reader only (a cookie): rendered again for this reader.
    if (page.status === 0 || (joined && page.headers.some(([name]) => name.toLowerCase() === "set-cookie"))) {
      // Every reader who came back too late asks again, at once: they share one render, not one each.
      if (page.status === 0 && !attempt.afterSkip) return again({ mayJoin: true, afterSkip: true });
      if (attempt.mayJoin) return again({ mayJoin: false });
      return next(new Error("A page render was skipped for a reader still waiting for it."));
    }
    if (page.doNotCache || page.usedStaleFigures) res.locals.doNotCache = true;
    if (exposeThread) res.setHeader("X-Render-Thread", `${page.threadId}; nice=${page.nice}${joined ? "; shared" : ""}`);
    if (render.contentSecurityPolicy !== undefined) res.setHeader("Content-Security-Policy", render.contentSecurityPolicy);
    for (const [name, value] of page.responseHeaders) res.setHeader(name, value);
    res.statusMessage = page.statusText;
    res.status(page.status);
    for (const [name, value] of page.headers) res.append(name, value);
    // One end() with the whole body: the page cache and the compression middleware see its length.
    res.end(page.body ? Buffer.from(page.body.buffer, page.body.byteOffset, page.body.byteLength) : undefined);
  }

  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction, lane: RenderLane = "render"): Promise<void> => answer(req, res, next, lane, { mayJoin: true, afterSkip: false, afterFailure: false });
}
