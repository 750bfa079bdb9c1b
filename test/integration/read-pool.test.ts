/**
 * The read pool: expensive reads run in worker threads, each on its own read-only connection, the
 * event loop stays free meanwhile, and admission refuses (503 + Retry-After) instead of queueing
 * without end. Pool mechanics use a worker whose tasks end when the test says so; the real worker
 * (build/read-worker.js) must give the same answers as the same read run inline.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env.server";
import { runReadTask } from "~/models/read-tasks.server";
import { ALL_LETTERS, parseLetterFilters, parseQuestionFilters } from "~/domain/filters";
import { DEEP_PAGE_FROM } from "~/domain/admission";
import { today } from "~/domain/dates";
import { HEAVY_THREAD_NICE, RENDER_THREAD_NICE } from "~/utils/thread-priority.server";
import { BACKGROUND_THREAD_NICE, createReadPool, installReadPool, isReadPoolBusy, readInPool, type ReadPool } from "~/utils/read-pool.server";
import { seedDemoDataIfEmpty } from "../../db/seed.server";
import { freshDatabase } from "../support/database";

const BLOCKING_WORKER = path.resolve("test/support/blocking-read-worker.mjs");

function gate() {
  const buffer = new SharedArrayBuffer(4);
  return { buffer, open: () => (Atomics.store(new Int32Array(buffer), 0, 1), Atomics.notify(new Int32Array(buffer), 0)) };
}

// The blocking worker ignores the task's name; its arguments are a gate and a value to echo.
type Blocking = { gate: SharedArrayBuffer; value: number };
const run = (pool: ReadPool, client: string, args: Blocking) =>
  pool.run("listLetters", args as never, { client }) as unknown as Promise<{ value: number; threadId: number }>;

describe("the read pool's mechanics", () => {
  let pool: ReadPool;
  afterEach(async () => {
    installReadPool(null);
    await pool?.close();
  });

  it("runs tasks on worker threads while the event loop keeps serving", async () => {
    pool = createReadPool({ filename: BLOCKING_WORKER, threads: 2, perClient: 4, maxInFlight: 8 });
    const { buffer, open } = gate();
    const results = Promise.all([run(pool, "a", { gate: buffer, value: 1 }), run(pool, "a", { gate: buffer, value: 2 })]);
    // Both tasks are blocked in their threads; this thread still runs timers and immediates.
    let ticks = 0;
    await new Promise<void>((resolve) => {
      const tick = () => (++ticks >= 20 ? resolve() : setImmediate(tick));
      setImmediate(tick);
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(ticks).toBe(20);
    expect(pool.stats().inFlight).toBe(2);
    open();
    const answers = await results;
    expect(answers.map((answer) => answer.value)).toEqual([1, 2]);
    for (const answer of answers) expect(answer.threadId).not.toBe(0);
    expect(pool.stats()).toMatchObject({ inFlight: 0, completed: 2, refused: 0 });
  });

  it("is ready only once every thread of every lane has loaded: the server listens after that", async () => {
    const SLOW_START = path.resolve("test/support/slow-start-read-worker.mjs");
    const channel = new BroadcastChannel("tracker-read-start");
    const loading = new Set<number>();
    // Two light threads, one heavy, one background: all four announce themselves while loading.
    const allLoading = new Promise<void>((resolve) => {
      channel.onmessage = ({ data }: MessageEvent<{ loading?: number }>) => {
        if (data.loading !== undefined) loading.add(data.loading);
        if (loading.size === 4) resolve();
      };
    });
    try {
      pool = createReadPool({ filename: SLOW_START, threads: 2, perClient: 4, maxInFlight: 8, heavyThreads: 1, backgroundThreads: 1 });
      let settled: boolean | null = null;
      const ready = pool.ready().then((value) => (settled = value));
      await allLoading;
      // Loading, not ready: however long this thread waits, readiness has not come.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(settled).toBeNull();
      channel.postMessage("go");
      expect(await ready).toBe(true);
    } finally {
      channel.close();
    }
  });

  it("says when its threads did not get ready in time, so the server can say so and listen anyway", async () => {
    const channel = new BroadcastChannel("tracker-read-start");
    const loading = new Promise<void>((resolve) => {
      channel.onmessage = () => resolve();
    });
    try {
      pool = createReadPool({ filename: path.resolve("test/support/slow-start-read-worker.mjs"), threads: 1, perClient: 4, maxInFlight: 8 });
      expect(await pool.ready({ timeoutMs: 30 })).toBe(false);
      // The thread is listening for "go" once it says it is loading.
      await loading;
      channel.postMessage("go");
      expect(await pool.ready()).toBe(true);
    } finally {
      channel.close();
    }
  });

  it("refuses a client over its share and everyone when full, at once, and admits again once work ends", async () => {
    pool = createReadPool({ filename: BLOCKING_WORKER, threads: 1, perClient: 2, maxInFlight: 3 });
    const { buffer, open } = gate();
    const admitted = [run(pool, "a", { gate: buffer, value: 1 }), run(pool, "a", { gate: buffer, value: 2 })];
    const overShare = await run(pool, "a", { gate: buffer, value: 3 }).catch((error: unknown) => error);
    expect(isReadPoolBusy(overShare)).toBe(true);
    expect(overShare).toMatchObject({ reason: "client" });
    admitted.push(run(pool, "b", { gate: buffer, value: 4 }));
    const full = await run(pool, "c", { gate: buffer, value: 5 }).catch((error: unknown) => error);
    expect(full).toMatchObject({ code: "READ_POOL_BUSY", reason: "saturated" });
    expect(pool.stats()).toMatchObject({ inFlight: 3, refused: 2 });
    open();
    expect((await Promise.all(admitted)).map((answer) => answer.value)).toEqual([1, 2, 4]);
    expect((await run(pool, "c", { gate: buffer, value: 6 })).value).toBe(6);
  });

  it("renders whole pages in their own lane (decision 0037): a full render lane neither delays nor refuses a read, and refuses at its bounds", async () => {
    pool = createReadPool({ filename: BLOCKING_WORKER, threads: 1, perClient: 2, maxInFlight: 8, renderThreads: 1, renderMaxInFlight: 3 });
    expect(pool.renders).toBe(true);
    const { buffer, open } = gate();
    const render = (client: string, value: number) =>
      pool.render({ gate: buffer, value } as never, { client }) as unknown as Promise<{ name: string; value: number; threadId: number }>;
    const held = [render("a", 1), render("a", 2)];
    expect(await render("a", 3).catch((error: unknown) => error)).toMatchObject({ code: "READ_POOL_BUSY", reason: "client" });
    held.push(render("b", 4));
    expect(await render("c", 5).catch((error: unknown) => error)).toMatchObject({ code: "READ_POOL_BUSY", reason: "saturated" });
    expect(pool.stats().render).toMatchObject({ threads: 1, inFlight: 3 });
    // A read meanwhile runs on the light lane's thread, which no render holds.
    const { buffer: readGate, open: openRead } = gate();
    const read = run(pool, "c", { gate: readGate, value: 6 });
    openRead();
    expect((await read).value).toBe(6);
    open();
    const rendered = await Promise.all(held);
    expect(rendered.map((answer) => [answer.name, answer.value])).toEqual([["renderPage", 1], ["renderPage", 2], ["renderPage", 4]]);
    expect(new Set(rendered.map((answer) => answer.threadId)).has((await run(pool, "c", { gate: readGate, value: 7 })).threadId)).toBe(false);
  });

  it("refuses a page whose wait for a render thread would be longer than the render lane's own bound (the heavy reads' is far longer here)", async () => {
    pool = createReadPool({
      filename: BLOCKING_WORKER,
      threads: 1,
      perClient: 8,
      maxInFlight: 8,
      heavyMaxWaitMs: 600_000,
      renderThreads: 1,
      renderMaxWaitMs: 200,
    });
    const render = (client: string, buffer: SharedArrayBuffer, value: number) =>
      pool.render({ gate: buffer, value } as never, { client }) as unknown as Promise<{ value: number }>;
    const first = gate();
    const learning = [render("a", first.buffer, 1), render("b", first.buffer, 2)];
    // The first holds its thread at least 300 ms (longer on a slow machine: the same outcome).
    await new Promise((resolve) => setTimeout(resolve, 300));
    first.open();
    expect((await Promise.all(learning)).map((answer) => answer.value)).toEqual([1, 2]);
    const second = gate();
    const running = render("c", second.buffer, 3);
    expect(await render("d", second.buffer, 4).catch((error: unknown) => error)).toMatchObject({ code: "READ_POOL_BUSY", reason: "saturated" });
    second.open();
    expect((await running).value).toBe(3);
  });

  it("renders a page whose read is heavy on the heavy lane's threads, under its admission (half a client's share)", async () => {
    pool = createReadPool({ filename: BLOCKING_WORKER, threads: 1, perClient: 2, maxInFlight: 8, heavyThreads: 1, renderThreads: 1 });
    const { buffer, open } = gate();
    const render = (client: string, value: number, lane?: "heavy") =>
      pool.render({ gate: buffer, value } as never, { client, ...(lane ? { lane } : {}) }) as unknown as Promise<{ value: number; threadId: number }>;
    const heavy = render("a", 1, "heavy");
    expect(await render("a", 2, "heavy").catch((error: unknown) => error)).toMatchObject({ code: "READ_POOL_BUSY", reason: "client" });
    expect(pool.stats().heavy).toMatchObject({ inFlight: 1 });
    // The render lane is apart: the same client's light page is admitted and runs on another thread.
    const light = render("a", 3);
    expect(pool.stats().render).toMatchObject({ inFlight: 1 });
    open();
    const [onHeavy, onRender] = await Promise.all([heavy, light]);
    expect([onHeavy.value, onRender.value]).toEqual([1, 3]);
    expect(onHeavy.threadId).not.toBe(onRender.threadId);
  });

  it("has no render lane unless asked for one", async () => {
    pool = createReadPool({ filename: BLOCKING_WORKER, threads: 1, perClient: 2, maxInFlight: 8 });
    expect(pool.renders).toBe(false);
    expect(pool.stats().render).toBeNull();
    await expect(pool.render({} as never, { client: "a" })).rejects.toThrow(/no render lane/);
  });

  it("keeps heavy reads in their own lane: a full heavy lane neither delays nor refuses a light read", async () => {
    pool = createReadPool({
      filename: BLOCKING_WORKER,
      threads: 1,
      perClient: 8,
      maxInFlight: 8,
      heavyThreads: 1,
      heavyMaxInFlight: 2,
      laneOf: (_name, args) => ((args as { heavy?: boolean }).heavy ? "heavy" : "light"),
    });
    const heavyGate = gate();
    const heavyRead = (client: string, value: number) =>
      pool.run("listLetters", { gate: heavyGate.buffer, value, heavy: true } as never, { client }) as unknown as Promise<{ value: number }>;
    // Two heavy reads fill the heavy lane (one running, one waiting); a third is refused at once.
    const heavyReads = [heavyRead("a", 1), heavyRead("b", 2)];
    expect(await heavyRead("c", 3).catch((error: unknown) => error)).toMatchObject({ code: "READ_POOL_BUSY", reason: "saturated" });
    // A light read runs on its own thread while the heavy ones still wait on their gate.
    const lightGate = gate();
    const light = run(pool, "d", { gate: lightGate.buffer, value: 4 });
    lightGate.open();
    expect((await light).value).toBe(4);
    expect(pool.stats()).toMatchObject({ threads: 2, inFlight: 2, heavy: { threads: 1, inFlight: 2 } });
    heavyGate.open();
    expect((await Promise.all(heavyReads)).map((answer) => answer.value)).toEqual([1, 2]);
  });

  it("refuses a heavy read whose wait for a thread would be too long, before the lane's count is reached", async () => {
    pool = createReadPool({
      filename: BLOCKING_WORKER,
      threads: 1,
      perClient: 8,
      maxInFlight: 8,
      heavyThreads: 1,
      heavyMaxInFlight: 8,
      heavyMaxWaitMs: 200,
      laneOf: (_name, args) => ((args as { heavy?: boolean }).heavy ? "heavy" : "light"),
    });
    const heavyRead = (client: string, buffer: SharedArrayBuffer, value: number) =>
      pool.run("listLetters", { gate: buffer, value, heavy: true } as never, { client }) as unknown as Promise<{ value: number }>;
    // Before any heavy read has finished the lane has no service time: the count alone bounds it.
    const first = gate();
    const learning = [heavyRead("a", first.buffer, 1), heavyRead("b", first.buffer, 2)];
    // The first holds its thread at least 300 ms (longer on a slow machine: the same outcome).
    await new Promise((resolve) => setTimeout(resolve, 300));
    first.open();
    expect((await Promise.all(learning)).map((answer) => answer.value)).toEqual([1, 2]);
    // One heavy read runs; a second would wait about 300 ms or more for the one thread: refused.
    const second = gate();
    const running = heavyRead("c", second.buffer, 3);
    const refused = await heavyRead("d", second.buffer, 4).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: "READ_POOL_BUSY", reason: "saturated" });
    expect(pool.stats().heavy).toMatchObject({ inFlight: 1 });
    second.open();
    expect((await running).value).toBe(3);
  });

  it("runs recomputations behind stale figures in a background lane: a busy one never holds a reader's thread", async () => {
    pool = createReadPool({ filename: BLOCKING_WORKER, threads: 1, perClient: 8, maxInFlight: 8, backgroundThreads: 1, backgroundMaxInFlight: 2 });
    const backgroundGate = gate();
    const recompute = (value: number) =>
      pool.run("overview", { gate: backgroundGate.buffer, value } as never, { client: "figure-store", lane: "background" }) as unknown as Promise<{ value: number }>;
    const recomputes = [recompute(1), recompute(2)];
    expect(await recompute(3).catch((error: unknown) => error)).toMatchObject({ code: "READ_POOL_BUSY", reason: "saturated" });
    // The one light thread is free: a reader's read runs at once.
    const lightGate = gate();
    const light = run(pool, "reader", { gate: lightGate.buffer, value: 4 });
    lightGate.open();
    expect((await light).value).toBe(4);
    expect(pool.stats()).toMatchObject({ threads: 2, background: { threads: 1, inFlight: 2 } });
    backgroundGate.open();
    expect((await Promise.all(recomputes)).map((answer) => answer.value)).toEqual([1, 2]);
  });

  it("at shutdown answers every read in flight or queued with a refusal at once, and refuses new ones", async () => {
    pool = createReadPool({ filename: BLOCKING_WORKER, threads: 1, perClient: 8, maxInFlight: 8 });
    // The gate never opens: without the drain these reads would hold the shutdown up forever.
    const { buffer } = gate();
    const reads = [1, 2, 3].map((value) => run(pool, "a", { gate: buffer, value }).catch((error: unknown) => error));
    pool.drain();
    const answers = await Promise.all(reads);
    for (const answer of answers) expect(answer).toMatchObject({ code: "READ_POOL_BUSY", reason: "shutdown" });
    const late = await run(pool, "b", { gate: buffer, value: 4 }).catch((error: unknown) => error);
    expect(late).toMatchObject({ code: "READ_POOL_BUSY", reason: "shutdown" });
    expect(pool.stats()).toMatchObject({ inFlight: 0, refused: 4 });
  });

  it("turns a refusal into a 503 with Retry-After, set on the response and kept out of caches", async () => {
    pool = createReadPool({ filename: BLOCKING_WORKER, threads: 1, perClient: 1, maxInFlight: 4 });
    installReadPool(pool);
    const { buffer, open } = gate();
    const first = readInPool("listLetters", { gate: buffer, value: 1 } as never, { client: "visitor" });
    const headers: Record<string, string> = {};
    let uncacheable = false;
    const context = {
      clientAddress: "visitor",
      setResponseHeader: (name: string, value: string) => (headers[name] = value),
      doNotCache: () => (uncacheable = true),
    };
    const refusal = await readInPool("listLetters", { gate: buffer, value: 2 } as never, { context }).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ init: { status: 503 } });
    const init = (refusal as { init: { headers: Record<string, string> } }).init;
    expect(init.headers["Retry-After"]).toMatch(/^\d+$/);
    expect(headers["Retry-After"]).toBe(init.headers["Retry-After"]);
    expect(uncacheable).toBe(true);
    open();
    await first;
  });
});

describe("the real read worker", () => {
  let pool: ReadPool;
  beforeAll(() => {
    const db = freshDatabase();
    seedDemoDataIfEmpty({ db });
    if (!fs.existsSync("build/read-worker.js")) throw new Error("Run `npm run build` first: the pool runs build/read-worker.js.");
    pool = createReadPool({
      filename: path.resolve("build/read-worker.js"),
      threads: 1,
      perClient: 10,
      maxInFlight: 10,
      env: { ...process.env, DATABASE_PATH: env.DATABASE_PATH },
    });
  });
  afterAll(async () => {
    await pool.close();
  });

  const letterFilters = parseLetterFilters(new URLSearchParams("sort=status")).filters;
  const questionFilters = parseQuestionFilters(new URLSearchParams("")).filters;
  it("runs below the event loop's CPU priority, so heavy reads cannot starve page rendering", async () => {
    const nice = await pool.run("threadPriority" as never, {} as never, { client: "test" });
    expect(nice).toBe(10);
  });

  it("runs the background lane lower still, so recomputations yield to readers' reads", async () => {
    const withBackground = createReadPool({
      filename: path.resolve("build/read-worker.js"),
      threads: 1,
      perClient: 10,
      maxInFlight: 10,
      backgroundThreads: 1,
      env: { ...process.env, DATABASE_PATH: env.DATABASE_PATH },
    });
    try {
      expect(await withBackground.run("threadPriority" as never, {} as never, { client: "test" })).toBe(10);
      expect(await withBackground.run("threadPriority" as never, {} as never, { client: "figure-store", lane: "background" })).toBe(BACKGROUND_THREAD_NICE);
      expect(BACKGROUND_THREAD_NICE).toBeGreaterThan(10);
    } finally {
      await withBackground.close();
    }
  });

  it("renders whole pages on the render lane's threads, below the event loop and the light lane's reads, above heavy reads: the build loaded before the first visitor", async () => {
    const withRender = createReadPool({
      filename: path.resolve("build/read-worker.js"),
      threads: 1,
      perClient: 10,
      maxInFlight: 10,
      renderThreads: 1,
      renderBuild: path.resolve("build/index.js"),
      env: { ...process.env, DATABASE_PATH: env.DATABASE_PATH },
    });
    try {
      expect(await withRender.ready({ timeoutMs: 60_000 })).toBe(true);
      const page = await withRender.render(
        { url: "http://localhost/letters?sort=status", method: "GET", headers: [], cspNonce: "abc", clientAddress: "127.0.0.1" },
        { client: "test" },
      );
      expect(page.status).toBe(200);
      const html = Buffer.from(page.body ?? new Uint8Array()).toString("utf8");
      expect(html).toContain("</html>");
      expect(html).toContain('nonce="abc"');
      expect(page.nice).toBe(RENDER_THREAD_NICE);
      expect(RENDER_THREAD_NICE).toBeGreaterThan(10);
      expect(RENDER_THREAD_NICE).toBeLessThan(HEAVY_THREAD_NICE);
    } finally {
      await withRender.close();
    }
  });

  it("runs the heavy lane (past dates, deep pages) below the light one: twelve heavy reads leave the CPU to everyone's pages", async () => {
    const withHeavy = createReadPool({
      filename: path.resolve("build/read-worker.js"),
      threads: 1,
      perClient: 10,
      maxInFlight: 10,
      heavyThreads: 1,
      env: { ...process.env, DATABASE_PATH: env.DATABASE_PATH },
    });
    try {
      const niceOf = (args: object) => withHeavy.run("threadPriority" as never, args as never, { client: "test" });
      expect(await niceOf({ asOf: today() })).toBe(10);
      expect(await niceOf({ asOf: "2020-01-01" })).toBe(HEAVY_THREAD_NICE);
      expect(await niceOf({ filters: { page: DEEP_PAGE_FROM } })).toBe(HEAVY_THREAD_NICE);
      expect(await niceOf({ page: DEEP_PAGE_FROM - 1 })).toBe(10);
      expect(HEAVY_THREAD_NICE).toBeGreaterThan(10);
      expect(HEAVY_THREAD_NICE).toBeLessThan(BACKGROUND_THREAD_NICE);
    } finally {
      await withHeavy.close();
    }
  });

  it("runs the render and heavy lanes at the nice values it is given (READ_POOL_RENDER_NICE, READ_POOL_HEAVY_NICE)", async () => {
    const tuned = createReadPool({
      filename: path.resolve("build/read-worker.js"),
      threads: 1,
      perClient: 10,
      maxInFlight: 10,
      heavyThreads: 1,
      renderThreads: 1,
      renderBuild: path.resolve("build/index.js"),
      renderNice: 6,
      heavyNice: 7,
      env: { ...process.env, DATABASE_PATH: env.DATABASE_PATH },
    });
    try {
      expect(await tuned.ready({ timeoutMs: 60_000 })).toBe(true);
      const task = { method: "GET", headers: [], cspNonce: "abc", clientAddress: "127.0.0.1" };
      expect((await tuned.render({ ...task, url: "http://localhost/letters?sort=status" }, { client: "test" })).nice).toBe(6);
      expect((await tuned.render({ ...task, url: "http://localhost/letters?asOf=2020-01-01" }, { client: "test", lane: "heavy" })).nice).toBe(7);
      expect(await tuned.run("threadPriority" as never, { asOf: "2020-01-01" } as never, { client: "test" })).toBe(7);
    } finally {
      await tuned.close();
    }
  });

  it.each([
    ["overview today", () => ["overview", { asOf: "2026-12-01" }] as const],
    ["overview on a past date", () => ["overview", { asOf: "2025-06-01" }] as const],
    ["letters by status on a past date", () => ["listLetters", { filters: letterFilters, asOf: "2025-06-01" }] as const],
    ["questions", () => ["listQuestions", { filters: questionFilters, asOf: "2026-12-01" }] as const],
    ["search", () => ["search", { q: "El Salvador", asOf: "2026-12-01", kind: null, page: 1 }] as const],
    ["an agency's page", () => ["agencyPage", { slug: "u-s-department-of-state", asOf: "2025-10-01", filters: letterFilters }] as const],
    ["a member's page", () => ["memberPage", { slug: "gregory-meeks", asOf: "2026-12-01", filters: { ...letterFilters, ...ALL_LETTERS } }] as const],
  ])("gives the same answer as inline: %s", async (_name, make) => {
    const [name, args] = make();
    const inline = JSON.parse(JSON.stringify(runReadTask(name, args as never)));
    const pooled = await pool.run(name, args as never, { client: "test" });
    expect(pooled).toEqual(inline);
    // Something real was read (a wrong database would give empty answers on both sides only if seeded empty).
    expect(JSON.stringify(pooled).length).toBeGreaterThan(100);
  });
});
