/**
 * The read pool: worker threads, each with its own read-only connection, that run the expensive
 * reads (app/models/read-tasks.server.ts) so that the event loop only routes and renders.
 *
 * scripts/serve.ts creates the pool and installs it on globalThis (the server and the Remix build
 * are separate bundles with separate module instances). Loaders call `readInPool`; with no pool
 * installed (tests of models, scripts) the task runs inline on this thread's connection.
 *
 * Admission (app/domain/admission.ts): at most READ_POOL_PER_CLIENT reads in flight per client
 * address and READ_POOL_QUEUE in flight overall; beyond that a read is refused at once with 503 and
 * Retry-After rather than waiting in an ever-growing queue.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { data, type AppLoadContext } from "@remix-run/node";
import { Piscina } from "piscina";
import { AdmissionControl, readLane, type ReadLane } from "~/domain/admission";
import { HEAVY_THREAD_NICE, RENDER_THREAD_NICE } from "~/utils/thread-priority.server";
import type { PageRenderTask, RenderedPage } from "~/utils/page-render.server";
import type { RenderLane } from "~/domain/render-lane";
import { today } from "~/domain/dates";
import { PAGE_SIZE } from "~/domain/filters";
import { runReadTask, type ReadTaskArgs, type ReadTaskName, type ReadTaskResult } from "~/models/read-tasks.server";

export interface ReadPoolStats {
  threads: number;
  inFlight: number;
  queued: number;
  completed: number;
  refused: number;
  /** The heavy lane's share of the above (null when heavy reads share the light lane's threads). */
  heavy: { threads: number; inFlight: number; queued: number } | null;
  /** The background lane's share (recomputations behind stale figures; null: they use the light lane). */
  background: { threads: number; inFlight: number; queued: number } | null;
  /** The render lane's share (whole pages, decision 0037; null: pages render on the event loop). */
  render?: { threads: number; inFlight: number; queued: number } | null;
}

export interface ReadPool {
  run<N extends ReadTaskName>(
    name: N,
    args: ReadTaskArgs<N>,
    options: { client: string; signal?: AbortSignal | null; lane?: "background" },
  ): Promise<ReadTaskResult<N>>;
  /**
   * Renders a whole anonymous page on the render lane (app/utils/page-render.server.ts); refused
   * like a read (ReadPoolBusy) when the lane is full. Only when `renders` is true.
   */
  render(task: PageRenderTask, options: { client: string; signal?: AbortSignal | null; lane?: RenderLane }): Promise<RenderedPage>;
  /** Whether the pool has a render lane. */
  readonly renders: boolean;
  stats(): ReadPoolStats;
  /**
   * Resolves once every thread of every lane has loaded its module and is waiting for work (or
   * after `timeoutMs`, false then): the server listens only after it, so a process just started
   * never queues its first visitors behind the loading of six bundles.
   */
  ready(options?: { timeoutMs?: number }): Promise<boolean>;
  /** Shutdown begins: refuses new reads and cancels those in flight, which answer 503 at once. */
  drain(): void;
  close(): Promise<void>;
}

/** Thrown (by code, not class: the server and the app are separate bundles) when a read is refused. */
export interface ReadPoolBusy extends Error {
  code: "READ_POOL_BUSY";
  retryAfterSeconds: number;
  reason: "client" | "saturated" | "shutdown";
}

const BUSY_MESSAGES: Record<ReadPoolBusy["reason"], string> = {
  client: "Too many expensive requests from your address at once: try again in a moment.",
  saturated: "The server is busy with other readers' requests: try again in a moment.",
  shutdown: "The server is restarting: try again in a moment.",
};

function busy(reason: ReadPoolBusy["reason"], retryAfterSeconds: number): ReadPoolBusy {
  const message = BUSY_MESSAGES[reason];
  return Object.assign(new Error(message), { code: "READ_POOL_BUSY" as const, retryAfterSeconds, reason });
}

/** A refusal as readInPool throws it (a 503 Remix response), or the pool's own. */
export function isReadRefusal(error: unknown): boolean {
  if (isReadPoolBusy(error)) return true;
  const init = typeof error === "object" && error !== null ? (error as { init?: { status?: unknown } }).init : undefined;
  return init?.status === 503;
}

export function isReadPoolBusy(error: unknown): error is ReadPoolBusy {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "READ_POOL_BUSY";
}

/** The background lane's threads yield to every reader's (app/utils/thread-priority.server.ts). */
export const BACKGROUND_THREAD_NICE = 15;

export { HEAVY_THREAD_NICE };

/** A restart takes a few seconds. */
const SHUTDOWN_RETRY_AFTER_SECONDS = 5;

/** The lane of a task from its name and its `asOf` (app/domain/admission.ts). */
export function defaultReadLane(name: string, args: unknown): ReadLane {
  const given =
    typeof args === "object" && args !== null
      ? (args as { asOf?: unknown; page?: unknown; pageSize?: unknown; filters?: { page?: unknown; sort?: unknown; statuses?: unknown } })
      : {};
  const page = typeof given.page === "number" ? given.page : typeof given.filters?.page === "number" ? given.filters.page : null;
  // How deep the page is in rows, whatever its size (the API's per_page): that is what its OFFSET walks.
  const offset = page === null ? null : (page - 1) * (typeof given.pageSize === "number" ? given.pageSize : PAGE_SIZE);
  const statuses = given.filters?.statuses;
  return readLane(name, typeof given.asOf === "string" ? given.asOf : null, today(), offset, {
    sort: typeof given.filters?.sort === "string" ? given.filters.sort : null,
    byStatus: !Array.isArray(statuses) || statuses.length > 0,
  });
}

export function createReadPool({
  filename = path.resolve("build/read-worker.js"),
  threads,
  perClient,
  maxInFlight,
  heavyThreads = 0,
  heavyMaxInFlight = 8,
  heavyMaxWaitMs,
  backgroundThreads = 0,
  backgroundMaxInFlight = 16,
  renderThreads = 0,
  renderMaxInFlight = 64,
  renderMaxWaitMs,
  renderBuild = path.resolve("build/index.js"),
  renderNice = RENDER_THREAD_NICE,
  heavyNice = HEAVY_THREAD_NICE,
  laneOf = defaultReadLane,
  env = process.env,
}: {
  filename?: string;
  /** Threads of the light lane (all reads when heavyThreads is 0). */
  threads: number;
  perClient: number;
  maxInFlight: number;
  /** Threads of the heavy lane; 0 runs heavy reads with the light ones. */
  heavyThreads?: number;
  /** Heavy reads in flight (running or waiting) at most; more are refused at once. */
  heavyMaxInFlight?: number;
  /** A heavy read whose estimated wait for a thread is longer is refused at once (domain/admission.ts). */
  heavyMaxWaitMs?: number;
  /**
   * Threads of the background lane: work no visitor waits for (figures recomputed behind stale
   * ones), at an even lower CPU priority; 0 runs it on the light lane's threads.
   */
  backgroundThreads?: number;
  backgroundMaxInFlight?: number;
  /**
   * Threads of the render lane: whole anonymous pages (lists, search, past days) rendered off the
   * event loop, at a priority below it (decision 0037); 0: no render lane.
   */
  renderThreads?: number;
  /** Pages in flight on the render lane at most; more are refused. */
  renderMaxInFlight?: number;
  /** A page whose estimated wait for a render thread is longer is refused at once (domain/admission.ts). */
  renderMaxWaitMs?: number;
  /** The Remix server build the render threads load (at start, in `ready`). */
  renderBuild?: string;
  /** The render and heavy lanes' nice values (thread-priority.server.ts `poolNiceValues`). */
  renderNice?: number;
  heavyNice?: number;
  laneOf?: (name: string, args: unknown) => ReadLane;
  env?: NodeJS.ProcessEnv;
}): ReadPool {
  const piscinaOf = (count: number, queue: number, nice?: number, extraEnv: Record<string, string> = {}) =>
    new Piscina({
      filename: pathToFileURL(filename).href,
      minThreads: count,
      maxThreads: count,
      // Admission bounds the queue; Piscina's own limit is a backstop.
      maxQueue: queue,
      idleTimeout: Number.POSITIVE_INFINITY,
      env: { ...env, ...(nice === undefined ? {} : { READ_WORKER_NICE: String(nice) }), ...extraEnv },
    });
  const light = { piscina: piscinaOf(threads, maxInFlight), admission: new AdmissionControl({ perClient, total: maxInFlight }) };
  // With a render lane, the heavy lane's threads render whole pages whose read is heavy (decision 0037).
  const renderEnv: Record<string, string> = renderThreads > 0 ? { READ_WORKER_RENDER_BUILD: renderBuild } : {};
  // A client's share of the heavy lane is half its share of reads: heavy reads hold a thread for seconds.
  const heavy =
    heavyThreads > 0
      ? {
          piscina: piscinaOf(heavyThreads, heavyMaxInFlight, heavyNice, renderEnv),
          admission: new AdmissionControl({
            perClient: Math.max(1, Math.ceil(perClient / 2)),
            total: heavyMaxInFlight,
            maxWaitMs: heavyMaxWaitMs,
            threads: heavyThreads,
          }),
        }
      : null;
  // One client (the figure store) and a bound: a recomputation beyond it is refused, and the next
  // reader of stale figures asks again.
  const background =
    backgroundThreads > 0
      ? {
          piscina: piscinaOf(backgroundThreads, backgroundMaxInFlight, BACKGROUND_THREAD_NICE),
          admission: new AdmissionControl({ perClient: Number.POSITIVE_INFINITY, total: backgroundMaxInFlight }),
        }
      : null;
  // Every page is one visitor's whole answer: a wait bound of its own, and a count that 50
  // connections' worth of lists does not reach.
  const render =
    renderThreads > 0
      ? {
          piscina: piscinaOf(renderThreads, renderMaxInFlight, renderNice, renderEnv),
          admission: new AdmissionControl({ perClient, total: renderMaxInFlight, maxWaitMs: renderMaxWaitMs, threads: renderThreads }),
        }
      : null;
  let refused = 0;
  let draining = false;
  /** One per read in flight: aborting it takes the read out of the queue (or stops its thread). */
  const inFlight = new Set<AbortController>();
  type Lane = { piscina: Piscina; admission: AdmissionControl };
  /** Admits a task on a lane (or refuses it at once), runs it on one of the lane's threads. */
  async function runOn(lane: Lane, task: { name: string; args: unknown }, client: string, signal: AbortSignal | null | undefined): Promise<never> {
    if (draining) {
      refused += 1;
      throw busy("shutdown", SHUTDOWN_RETRY_AFTER_SECONDS);
    }
    const admitted = lane.admission.admit(client);
    if (!admitted.admitted) {
      refused += 1;
      throw busy(admitted.reason, admitted.retryAfterSeconds);
    }
    const cancel = new AbortController();
    inFlight.add(cancel);
    // The lane's service time learns from every read that ran to its end (admission.ts).
    const timing = { admittedAt: performance.now(), inFlightAtAdmission: lane.admission.inFlightTotal };
    let ran = false;
    try {
      const result = await lane.piscina.run(task, { signal: signal ? AbortSignal.any([signal, cancel.signal]) : cancel.signal });
      ran = true;
      return result as never;
    } catch (error) {
      // Cancelled by a shutdown: a refusal. Abandoned by its client: not a run to learn from.
      if (cancel.signal.aborted) {
        refused += 1;
        throw busy("shutdown", SHUTDOWN_RETRY_AFTER_SECONDS);
      }
      if (!signal?.aborted) ran = true;
      throw error;
    } finally {
      inFlight.delete(cancel);
      lane.admission.release(
        client,
        ran ? { elapsedMs: performance.now() - timing.admittedAt, inFlightAtAdmission: timing.inFlightAtAdmission } : undefined,
      );
    }
  }
  return {
    run(name, args, { client, signal, lane: asked }) {
      const lane = asked === "background" && background ? background : heavy && laneOf(name, args) === "heavy" ? heavy : light;
      return runOn(lane, { name, args }, client, signal);
    },
    renders: render !== null,
    async render(task, { client, signal, lane }) {
      if (!render) throw new Error("This pool has no render lane");
      // A heavy page on the heavy lane's threads; without a heavy lane, heavy reads share the light
      // lane's threads, and their pages the render lane's.
      return (await runOn(lane === "heavy" && heavy ? heavy : render, { name: "renderPage", args: task }, client, signal)) as RenderedPage;
    },
    async ready({ timeoutMs = 60_000 } = {}) {
      // Piscina loads a thread's module at its first task: one small task per thread (all threads
      // are idle, so each takes one) loads every bundle and opens every connection now.
      const lanes = [light, heavy, background, render].filter((lane) => lane !== null);
      const warm = Promise.all(
        lanes.flatMap((lane) => Array.from({ length: lane.piscina.threads.length }, () => lane.piscina.run({ name: "threadReady", args: {} }))),
      ).then(() => true);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      try {
        return await Promise.race([warm, late]);
      } finally {
        clearTimeout(timer);
      }
    },
    drain() {
      draining = true;
      for (const cancel of inFlight) cancel.abort();
    },
    stats() {
      const lanes = [light, heavy, background, render].filter((lane) => lane !== null);
      return {
        threads: lanes.reduce((sum, lane) => sum + lane.piscina.threads.length, 0),
        inFlight: lanes.reduce((sum, lane) => sum + lane.admission.inFlightTotal, 0),
        queued: lanes.reduce((sum, lane) => sum + lane.piscina.queueSize, 0),
        completed: lanes.reduce((sum, lane) => sum + lane.piscina.completed, 0),
        refused,
        heavy: heavy ? { threads: heavy.piscina.threads.length, inFlight: heavy.admission.inFlightTotal, queued: heavy.piscina.queueSize } : null,
        background: background
          ? { threads: background.piscina.threads.length, inFlight: background.admission.inFlightTotal, queued: background.piscina.queueSize }
          : null,
        render: render ? { threads: render.piscina.threads.length, inFlight: render.admission.inFlightTotal, queued: render.piscina.queueSize } : null,
      };
    },
    close: async () => {
      await Promise.all([light, heavy, background, render].map((lane) => lane?.piscina.close({ force: true })));
    },
  };
}

const holder = globalThis as typeof globalThis & { __trackerReadPool?: ReadPool | null };

export function installReadPool(pool: ReadPool | null): void {
  holder.__trackerReadPool = pool;
}

export function currentReadPool(): ReadPool | null {
  return holder.__trackerReadPool ?? null;
}

/**
 * Runs a read task in the pool (inline without one). A refusal becomes a 503 with Retry-After,
 * thrown as a Remix response; the header is also set on the outgoing response through the load
 * context, since a document's error response does not carry a loader's headers.
 */
export async function readInPool<N extends ReadTaskName>(
  name: N,
  args: ReadTaskArgs<N>,
  { context, request, client, lane }: { context?: AppLoadContext; request?: Request; client?: string; lane?: "background" } = {},
): Promise<ReadTaskResult<N>> {
  const pool = currentReadPool();
  if (!pool) return runReadTask(name, args);
  try {
    return await pool.run(name, args, {
      client: client ?? context?.clientAddress ?? "unknown",
      // The request's own signal only as a fallback: a loader's may never abort (context.readerLeft).
      signal: request ? (context?.readerLeft ?? request.signal) : null,
      ...(lane ? { lane } : {}),
    });
  } catch (error) {
    if (!isReadPoolBusy(error)) throw error;
    context?.setResponseHeader?.("Retry-After", String(error.retryAfterSeconds));
    context?.doNotCache?.();
    throw data(error.message, { status: 503, headers: { "Retry-After": String(error.retryAfterSeconds) } });
  }
}

declare module "@remix-run/node" {
  interface AppLoadContext {
    /**
     * Who the client is, as per-client limits count it (app/utils/connection.server.ts `clientOf`):
     * the socket's address, or X-Forwarded-For's as far as TRUST_PROXY trusts it, IPv6 by its /64.
     */
    clientAddress?: string;
    /** Sets a header on the outgoing response (scripts/serve.ts), e.g. Retry-After on a refusal. */
    setResponseHeader?: (name: string, value: string) => void;
    /** This response shows something transient (stale figures, a refusal): no cache may keep it. */
    doNotCache?: () => void;
    /**
     * This response shows stale figures (app/models/figure-store.server.ts): no shared cache may keep
     * it, but this process may, while the figure key's version is `version`.
     */
    usesStaleFigures?: (key: string, version: number) => void;
  }
}
