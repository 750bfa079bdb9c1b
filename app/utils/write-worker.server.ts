/**
 * Runs an import's write in a worker thread of its own (app/workers/write-worker.ts), one thread per
 * file, so the event loop keeps routing and rendering while thousands of letters are written. The
 * caller holds the bulk-write gate (app/utils/write-gate.server.ts) for as long as this runs.
 *
 * Which file the thread runs: build/write-worker.js (made by `npm run build`) in production and
 * wherever a build exists, except in development, where the TypeScript source runs through tsx
 * (write-worker.dev.mjs), as it also does when there is no build.
 */
import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { ImportReport } from "~/domain/import-report";
import type { WriteJob } from "~/models/letter-file-import.server";

export function writeWorkerFile({ nodeEnv = process.env.NODE_ENV, root = process.cwd() }: { nodeEnv?: string; root?: string } = {}): string {
  const built = path.join(root, "build/write-worker.js");
  if (nodeEnv !== "development" && fs.existsSync(built)) return built;
  return path.join(root, "app/workers/write-worker.dev.mjs");
}

type Answer = { progress: number } | { done: ImportReport | null } | { error: string };

/**
 * Writes `job` in a new worker thread: its report (null when the database changed since the check
 * and nothing was written). Rejects when the thread fails or dies before answering: its transaction
 * is then rolled back with its connection, and nothing was written.
 */
export function writeInWorker(job: WriteJob, { onProgress, filename = writeWorkerFile() }: { onProgress?: (written: number) => void; filename?: string } = {}): Promise<ImportReport | null> {
  return runInWriterThread<ImportReport | null>(job, { onProgress, filename, what: "the import's writer" });
}

/** Posts one job to a new writer thread and settles on its answer, its error or its exit. */
function runInWriterThread<T>(
  job: WriteJob | BackfillJob | FanOutJob,
  { onProgress, filename, what }: { onProgress?: (progress: number) => void; filename: string; what: string },
): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(filename);
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
      void worker.terminate();
    };
    worker.on("message", (answer: Answer) => {
      if ("progress" in answer) onProgress?.(answer.progress);
      else if ("done" in answer) finish(() => resolve(answer.done as T));
      else finish(() => reject(new Error(answer.error)));
    });
    worker.on("error", (error) => finish(() => reject(error)));
    worker.on("exit", (code) => finish(() => reject(new Error(`${what} stopped before it finished (exit code ${code})`))));
    worker.postMessage(job);
  });
}

/** The state history's backfill (decision 13), run by the same writer thread's file. */
export interface BackfillJob {
  backfillStateHistory: true;
  /** Letters per transaction. */
  batch: number;
  /** The pause between two transactions, in which the app's own writes take the lock. */
  pauseMs: number;
}

/**
 * Backfills the state history of a database that had letters before it existed, in a worker thread
 * (batches of `batch` letters, each its own transaction): resolves when every letter's history is
 * written and marked complete; rejects when the thread fails (pages then keep computing past dates
 * from the facts, and the next start tries again). `onProgress` gets the last letter id done.
 */
export function backfillStateHistoryInWorker({
  batch = 200,
  pauseMs = 20,
  onProgress,
  filename = writeWorkerFile(),
}: { batch?: number; pauseMs?: number; onProgress?: (through: number) => void; filename?: string } = {}): Promise<void> {
  const job: BackfillJob = { backfillStateHistory: true, batch, pauseMs };
  return runInWriterThread<unknown>(job, { onProgress, filename, what: "the state history's backfill" }).then(() => undefined);
}

/** The mail fan-out (decision 0022), run by the same writer thread's file. */
export interface FanOutJob {
  mailFanOut: true;
  /** The sender's clock (tests move it). */
  now: number;
}

/**
 * Fans new events out to their followers and writes the "as it happens" alerts on a writer
 * thread, in bounded transactions (app/models/outbox.server.ts, fanOutStep), so that fanning one
 * event out to 10,000 followers never holds the event loop: resolves with the steps done.
 */
export function fanOutInWorker({ now = Date.now(), filename = writeWorkerFile() }: { now?: number; filename?: string } = {}): Promise<number> {
  return runInWriterThread<number>({ mailFanOut: true, now }, { filename, what: "the mail fan-out" });
}
