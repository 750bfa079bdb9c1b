/**
 * The import's writer thread (bundled to build/write-worker.js by `npm run build`; in development,
 * and wherever there is no build, write-worker.dev.mjs runs this file through tsx). It opens its own
 * read-write connection to the database and writes one checked import file through the one letter
 * writer, in one immediate transaction (`writeChecked`, letter-file-import.server.ts): the same code
 * that ran on the event loop before, now on a thread of its own, so pages keep being served for the
 * seconds or minutes it takes. The main thread holds the bulk-write gate meanwhile
 * (app/utils/write-gate.server.ts) and ends this thread when the answer has come.
 *
 * Protocol (app/utils/write-worker.server.ts): the main thread posts one WriteJob; this thread
 * answers { progress: letters written } every PROGRESS_EVERY letters, then { done: report } (null:
 * the database changed since the check, nothing written) or { error: message }.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { parentPort } from "node:worker_threads";
import { closeDb, getDb } from "../../db/client.server";
import { writeChecked, type WriteJob } from "~/models/letter-file-import.server";
import { backfillStateHistoryStep } from "~/models/letter-state.server";
import { fanOutStep } from "~/models/outbox.server";
import type { BackfillJob, FanOutJob } from "~/utils/write-worker.server";

const PROGRESS_EVERY = 100;
const port = parentPort!;

/**
 * The state history's backfill (decision 13): batch after batch, each its own short immediate
 * transaction, with a pause between them so that the app's own writes get the lock in between; a
 * batch that meets a long write (an import holds the lock for minutes) waits and tries again.
 * Answers { progress: last letter id done } after each batch, then { done: null }.
 */
async function backfill(job: BackfillJob): Promise<void> {
  const db = getDb();
  db.$client.pragma("busy_timeout = 30000");
  for (;;) {
    let step: { through: number; complete: boolean };
    try {
      step = backfillStateHistoryStep(db, { batch: job.batch });
    } catch (error) {
      if ((error as { code?: string }).code !== "SQLITE_BUSY") throw error;
      await sleep(1000);
      continue;
    }
    if (step.complete) return;
    port.postMessage({ progress: step.through });
    await sleep(job.pauseMs);
  }
}

/**
 * The mail fan-out (decision 0022): events to deliveries and alerts, step after step, each its own
 * short immediate transaction (app/models/outbox.server.ts, fanOutStep), yielding between steps so
 * that the app's writes get the lock; a step that meets a long write waits and tries again.
 * Answers { progress: steps done } every PROGRESS_EVERY steps, then { done: steps }.
 */
async function fanOut(job: FanOutJob): Promise<number> {
  getDb().$client.pragma("busy_timeout = 30000");
  let steps = 0;
  for (;;) {
    let did: boolean;
    try {
      did = fanOutStep({ now: job.now });
    } catch (error) {
      if ((error as { code?: string }).code !== "SQLITE_BUSY") throw error;
      await sleep(1000);
      continue;
    }
    if (!did) return steps;
    steps += 1;
    if (steps % PROGRESS_EVERY === 0) port.postMessage({ progress: steps });
    await new Promise((resolve) => setImmediate(resolve));
  }
}

port.once("message", async (job: WriteJob | BackfillJob | FanOutJob) => {
  if ("mailFanOut" in job) {
    try {
      const steps = await fanOut(job);
      closeDb();
      port.postMessage({ done: steps });
    } catch (error) {
      closeDb();
      port.postMessage({ error: (error as Error).message });
    }
    return;
  }
  if ("backfillStateHistory" in job) {
    try {
      await backfill(job);
      closeDb();
      port.postMessage({ done: null });
    } catch (error) {
      closeDb();
      port.postMessage({ error: (error as Error).message });
    }
    return;
  }
  try {
    // A write that slipped past the gate just before it closed finishes first: wait for it here,
    // on this thread, rather than fail.
    getDb().$client.pragma("busy_timeout = 30000");
    const report = writeChecked(job.check, job.options, job.report, (written) => {
      if (written % PROGRESS_EVERY === 0) port.postMessage({ progress: written });
      // The tests' crash of the writer mid-way (a thread that dies inside its transaction).
      if (job.crashAfterForTests !== undefined && written >= job.crashAfterForTests && process.env.NODE_ENV === "test") process.exit(70);
    });
    closeDb();
    port.postMessage({ done: report });
  } catch (error) {
    closeDb();
    port.postMessage({ error: (error as Error).message });
  }
});
