/**
 * Exports written by worker threads (build/export-worker.js): the same bytes as the file read on
 * this thread, a thread reused after an abandoned download never leaks that download's bytes into
 * the next one, and downloads beyond the limit are refused at once rather than queued.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLetterFilters, parseQuestionFilters } from "~/domain/filters";
import { exportFileOf, type ExportSpec } from "~/models/export.server";
import type { AppLoadContext } from "@remix-run/node";
import { exportInWorker, installExportWorkers } from "~/utils/export-workers.server";
import { exportDownload } from "~/utils/http.server";
import { EXPORT_THREAD_NICE, HEAVY_THREAD_NICE } from "~/utils/thread-priority.server";
import { BACKGROUND_THREAD_NICE } from "~/utils/read-pool.server";
import { freshDatabase } from "../support/database";
import { exportToString } from "../support/exports";
import { seedSyntheticLetters } from "../factories";

const letters: ExportSpec = { kind: "letters", filters: parseLetterFilters(new URLSearchParams("sort=title")).filters, asOf: "2026-06-30" };
const questions: ExportSpec = { kind: "questions", filters: parseQuestionFilters(new URLSearchParams("status=all")).filters, asOf: "2026-03-01" };

/** The bytes as text, byte-order mark included (Response.text() would drop it). */
async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return Buffer.from(await new Response(stream).arrayBuffer()).toString("utf8");
}

function started(spec: ExportSpec, client = "reader", signal?: AbortSignal): ReadableStream<Uint8Array> {
  const stream = exportInWorker(spec, { client, signal });
  if ("refused" in stream) throw new Error(`refused: ${stream.message}`);
  return stream;
}

/** The download as soon as a slot is free: one given up holds its slot until its thread is free again (within 30 s). */
async function startedWhenFree(spec: ExportSpec, client = "reader"): Promise<ReadableStream<Uint8Array>> {
  for (let wait = 0; wait < 600; wait++) {
    const stream = exportInWorker(spec, { client });
    if (!("refused" in stream)) return stream;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("never admitted again");
}

/**
 * Asks for the next batch, lets the stream ask its thread for it (microtasks only: no answer can
 * arrive yet), then leaves: whether that read ended (within 5 s: "never" for a read the stream
 * settles at once, or not at all), and whether it ended the stream.
 */
async function readAfterLeaving(reader: ReadableStreamDefaultReader<Uint8Array>, leave: () => void): Promise<{ settled: boolean; done?: boolean }> {
  const pending = reader.read().then(
    (result) => ({ settled: true, done: result.done }),
    () => ({ settled: true, done: true }),
  );
  for (let turn = 0; turn < 10; turn++) await Promise.resolve();
  leave();
  const unsettled = new Promise<{ settled: boolean }>((resolve) => setTimeout(() => resolve({ settled: false }), 5_000));
  return Promise.race([pending, unsettled]);
}

beforeAll(() => {
  const db = freshDatabase();
  seedSyntheticLetters(db, { letters: 600 });
  if (!fs.existsSync("build/export-worker.js")) throw new Error("Run `npm run build` first: exports run build/export-worker.js.");
});
afterAll(() => installExportWorkers(null));

/** The nice value of each of this process's threads (Linux: /proc/self/task/<tid>/stat, field 19). */
function threadNices(): number[] {
  return fs.readdirSync("/proc/self/task").flatMap((tid) => {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      // Fields after the command name (which may hold spaces) start at its closing parenthesis.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return [Number(fields[16])];
    } catch {
      return [];
    }
  });
}

describe("exports in worker threads", () => {
  it.runIf(process.platform === "linux")("run at the lowest CPU priority, below every read lane: a download takes only what readers leave", async () => {
    const before = threadNices().filter((nice) => nice === EXPORT_THREAD_NICE).length;
    installExportWorkers({ filename: path.resolve("build/export-worker.js"), maxConcurrent: 1, perClient: 1 });
    // The export is written by the thread started ahead; reading it to its end means the thread ran.
    const expected = exportToString(exportFileOf(letters));
    expect(await text(started(letters))).toBe(expected);
    expect(threadNices().filter((nice) => nice === EXPORT_THREAD_NICE).length).toBe(before + 1);
    expect(EXPORT_THREAD_NICE).toBeGreaterThan(HEAVY_THREAD_NICE);
    expect(EXPORT_THREAD_NICE).toBeGreaterThan(BACKGROUND_THREAD_NICE);
  });


  it("write the same bytes as the file read here, for letters and for questions on a past date", async () => {
    installExportWorkers({ filename: path.resolve("build/export-worker.js"), maxConcurrent: 2, perClient: 2 });
    for (const spec of [letters, questions]) {
      const expected = exportToString(exportFileOf(spec));
      expect(expected.length).toBeGreaterThan(50_000);
      expect(await text(started(spec))).toBe(expected);
    }
  });

  it("a thread reused after an abandoned download writes only the next download's bytes", async () => {
    installExportWorkers({ filename: path.resolve("build/export-worker.js"), maxConcurrent: 1, perClient: 1 });
    const expected = exportToString(exportFileOf(letters));
    for (let round = 0; round < 3; round++) {
      const abandoned = new AbortController();
      const reader = started(questions, "reader", abandoned.signal).getReader();
      expect((await reader.read()).done).toBe(false);
      // Ask for more, then go away before it arrives and start the next download at once: the
      // abandoned batch is still being written when the same thread takes the next export.
      const pending = reader.read().catch(() => null);
      // Let the stream ask its thread for the batch (microtasks only: no answer can arrive yet).
      for (let turn = 0; turn < 10; turn++) await Promise.resolve();
      abandoned.abort();
      const next = startedWhenFree(letters).then(text);
      await reader.cancel().catch(() => {});
      await pending;
      expect(await next).toBe(expected);
    }
  });

  it("a download whose reader leaves while a batch is on its way ends, and its thread takes the next one", async () => {
    installExportWorkers({ filename: path.resolve("build/export-worker.js"), maxConcurrent: 1, perClient: 1 });
    const abandoned = new AbortController();
    const reader = started(questions, "reader", abandoned.signal).getReader();
    expect((await reader.read()).done).toBe(false);
    // The server's response only stops reading when its reader goes; nobody cancels the stream.
    // The read asked for before the reader left must end: before, the batch's answer was no
    // longer listened for and the read (and the download's stream) stayed open for good.
    expect(await readAfterLeaving(reader, () => abandoned.abort())).toEqual({ settled: true, done: true });
    // Its slot and its thread are free again.
    expect(await text(await startedWhenFree(letters, "reader"))).toBe(exportToString(exportFileOf(letters)));
  });

  it("a download whose reader leaves while the stream waits for the reader to drain ends too", async () => {
    installExportWorkers({ filename: path.resolve("build/export-worker.js"), maxConcurrent: 1, perClient: 1 });
    const abandoned = new AbortController();
    let drained: () => void = () => {};
    const stream = exportInWorker(questions, {
      client: "reader",
      signal: abandoned.signal,
      waitForWritable: () => new Promise<void>((resolve) => (drained = resolve)),
    });
    if ("refused" in stream) throw new Error("refused");
    const reader = stream.getReader();
    expect((await reader.read()).done).toBe(false);
    // The reader leaves while the stream waits for it to drain; the socket then reports drained.
    const leave = () => {
      abandoned.abort();
      drained();
    };
    expect(await readAfterLeaving(reader, leave)).toEqual({ settled: true, done: true });
    expect(await text(await startedWhenFree(letters, "reader"))).toBe(exportToString(exportFileOf(letters)));
  });

  it("a download stops when the load context says its reader left, though the loader's request never aborts (attack 28, High)", async () => {
    installExportWorkers({ filename: path.resolve("build/export-worker.js"), maxConcurrent: 1, perClient: 1 });
    // A loader's request.signal is a copy undici follows weakly: after a garbage collection it never
    // aborts. This request's never does; the context's readerLeft (scripts/serve.ts) does.
    const readerLeft = new AbortController();
    let drained: () => void = () => {};
    const context = {
      clientAddress: "a",
      readerLeft: readerLeft.signal,
      waitForWritable: () => new Promise<void>((resolve) => (drained = resolve)),
    } as AppLoadContext;
    const response = exportDownload({ spec: questions, problems: [], request: new Request("http://tracker.test/export/questions.csv"), context });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    const leave = () => {
      readerLeft.abort();
      drained();
    };
    expect(await readAfterLeaving(reader, leave)).toEqual({ settled: true, done: true });
    // Its slot is free at once: another address's download is admitted.
    expect(await text(await startedWhenFree(letters, "b"))).toBe(exportToString(exportFileOf(letters)));
  });

  it("a download abandoned at once holds its slot until its thread is free again: readers hanging up at once never start a thread each (attack 29, High)", async () => {
    installExportWorkers({ filename: path.resolve("build/export-worker.js"), maxConcurrent: 2, perClient: 2 });
    const threadsBefore = threadNices().length;
    let admitted = 0;
    for (let i = 0; i < 30; i++) {
      const abandoned = new AbortController();
      // Every other one is gone before it is even admitted.
      if (i % 2) abandoned.abort();
      const stream = exportInWorker(letters, { client: `reader-${i}`, signal: abandoned.signal });
      if ("refused" in stream) continue;
      admitted += 1;
      abandoned.abort();
      await Promise.resolve();
    }
    expect(admitted).toBeLessThanOrEqual(2);
    expect(threadNices().length - threadsBefore).toBeLessThanOrEqual(2);
    // Once the threads are free, downloads are admitted again, and whole.
    expect(await text(await startedWhenFree(letters, "after"))).toBe(exportToString(exportFileOf(letters)));
  });

  it("refuses a download beyond the limits at once, and admits again when one ends", async () => {
    installExportWorkers({ filename: path.resolve("build/export-worker.js"), maxConcurrent: 2, perClient: 1 });
    const first = started(letters, "a");
    const sameClient = exportInWorker(letters, { client: "a" });
    expect(sameClient).toMatchObject({ refused: true });
    expect((sameClient as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    const second = started(letters, "b");
    expect(exportInWorker(letters, { client: "c" })).toMatchObject({ refused: true, message: expect.stringMatching(/as many exports/) });
    await Promise.all([text(first), text(second)]);
    expect(await text(started(letters, "c"))).toBe(exportToString(exportFileOf(letters)));
  });
});
