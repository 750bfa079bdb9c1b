/**
 * Exports written in worker threads, one thread per download (app/workers/export-worker.ts), at
 * most EXPORT_WORKERS (3) at once per process and two per client address (never every slot:
 * perClientShare); more are refused at once
 * with 503 and Retry-After. scripts/serve.ts installs the workers' file; without it (tests of
 * models, scripts) exports are written on this thread in slices (export-stream.server.ts).
 */
import { Worker } from "node:worker_threads";
import { AdmissionControl, perClientShare } from "~/domain/admission";
import type { ExportOutput, ExportSpec } from "~/models/export.server";
import { STALL_LIMIT_MS, within } from "~/models/export-stream.server";

interface ExportWorkers {
  filename: string;
  admission: AdmissionControl;
  /** Threads between exports, ready for the next (at most maxConcurrent). */
  idle: Worker[];
  maxConcurrent: number;
}

const holder = globalThis as typeof globalThis & { __trackerExportWorkers?: ExportWorkers | null };

export function installExportWorkers(options: { filename: string; maxConcurrent: number; perClient: number } | null): void {
  for (const worker of holder.__trackerExportWorkers?.idle ?? []) void worker.terminate();
  holder.__trackerExportWorkers = options && {
    filename: options.filename,
    admission: new AdmissionControl({ perClient: perClientShare(options.perClient, options.maxConcurrent), total: options.maxConcurrent }),
    // One thread started ahead: the first download does not wait for a thread to load the app.
    idle: options.maxConcurrent > 0 ? [new Worker(options.filename)] : [],
    maxConcurrent: options.maxConcurrent,
  };
}

/** Ends the threads waiting between exports (at shutdown, once no download is open). */
export async function closeExportWorkers(): Promise<void> {
  const workers = holder.__trackerExportWorkers;
  holder.__trackerExportWorkers = null;
  await Promise.all((workers?.idle ?? []).map((worker) => worker.terminate()));
}

export function exportWorkersInstalled(): boolean {
  return Boolean(holder.__trackerExportWorkers);
}

export type ExportRefusal = { refused: true; retryAfterSeconds: number; message: string };

type WorkerAnswer = { id: number } & ({ bytes: Uint8Array } | { done: true } | { error: string } | { ended: true } | { stopped: true });

let lastExportId = 0;

/** The export as a byte stream written by its own worker thread, or a refusal when too many run. */
export function exportInWorker(
  spec: ExportSpec,
  {
    client,
    signal,
    waitForWritable,
    stallLimitMs = STALL_LIMIT_MS,
    output = { format: "csv", bom: false },
  }: { client: string; signal?: AbortSignal; waitForWritable?: () => Promise<void>; stallLimitMs?: number; output?: ExportOutput },
): ReadableStream<Uint8Array> | ExportRefusal {
  const workers = holder.__trackerExportWorkers;
  if (!workers) throw new Error("No export workers installed");
  const admission = workers.admission.admit(client);
  if (!admission.admitted) {
    return {
      refused: true,
      retryAfterSeconds: admission.retryAfterSeconds * 5,
      message:
        admission.reason === "client"
          ? "Your address already has the most exports running that one address may: wait for one to finish, then try again."
          : "The server is writing as many exports as it can at once: try again in a minute.",
    };
  }
  const worker = workers.idle.pop() ?? new Worker(workers.filename);
  let released = false;
  let answer: ((message: WorkerAnswer) => void) | null = null;
  let failure: ((error: Error) => void) | null = null;
  const exportId = ++lastExportId;
  // A reused thread may still deliver the last batch of the export before: not ours.
  const onMessage = (message: WorkerAnswer) => {
    if (message.id === exportId) answer?.(message);
  };
  const onError = (error: Error) => failure?.(error);
  const onExit = (code: number) => {
    if (!released) failure?.(new Error(`The export stopped (its thread exited with ${code})`));
    release({ reusable: false });
  };
  worker.on("message", onMessage);
  worker.on("error", onError);
  worker.on("exit", onExit);
  /**
   * Ends this export; the thread waits for the next one unless it failed or enough are idle. Once
   * the thread says its snapshot is closed, `then` runs.
   */
  const release = ({ reusable, then, finished = false }: { reusable: boolean; then?: () => void; finished?: boolean }) => {
    if (released) return;
    released = true;
    // A batch asked for is no longer listened for: its read ends the stream now, or it would wait for good.
    const waiting = answer;
    answer = failure = null;
    waiting?.({ id: exportId, stopped: true });
    // The slot is given back once the thread is free (idle again, or gone), not when the export
    // ends: given back at once, readers hanging up as soon as they asked started a thread per
    // request, each loading the app while the last ones still did (attack 29: 200 such requests in
    // 5 s, over 100 threads and 2 GB, growing after they stopped).
    let slotFree = false;
    const freeSlot = () => {
      if (slotFree) return;
      slotFree = true;
      workers.admission.release(client);
    };
    // A whole file written: its thread is between batches and answers at once. Given back now, the
    // reader's next download is not refused for the moment that takes (a thread started then is
    // one per download written, not per request).
    if (finished) freeSlot();
    signal?.removeEventListener("abort", stop);
    worker.off("message", onMessage);
    worker.off("error", onError);
    worker.off("exit", onExit);
    if (reusable && workers.idle.length < workers.maxConcurrent && holder.__trackerExportWorkers === workers) {
      const ended = (message: WorkerAnswer) => {
        if (message.id !== exportId || !("ended" in message)) return;
        worker.off("message", ended);
        worker.off("exit", freeSlot);
        then?.();
        if (workers.idle.length < workers.maxConcurrent && holder.__trackerExportWorkers === workers) workers.idle.push(worker);
        else void worker.terminate();
        freeSlot();
      };
      worker.on("message", ended);
      // A thread that dies before it says so gives its slot back too.
      worker.once("exit", freeSlot);
      worker.postMessage("end");
    } else
      void worker.terminate().finally(() => {
        freeSlot();
        then?.();
      });
  };
  function stop() {
    if (released) return;
    release({ reusable: true, then: () => console.log("Export stopped: the client went away before the end of the file") });
  }
  signal?.addEventListener("abort", stop, { once: true });
  worker.postMessage({ start: spec, output, id: exportId });
  // Gone before it was admitted: no 'abort' comes any more.
  if (signal?.aborted) stop();
  const next = () =>
    new Promise<WorkerAnswer>((resolve, reject) => {
      // Released while this pull waited for the reader to drain: nothing will answer.
      if (released) return resolve({ id: exportId, stopped: true });
      answer = resolve;
      failure = reject;
      worker.postMessage("pull");
    });
  let first = true;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (signal?.aborted) {
            release({ reusable: true });
            controller.close();
            return;
          }
          // Wait while the client is slower than the export (but never for the first batch).
          if (!first && waitForWritable) await within(waitForWritable(), stallLimitMs);
          first = false;
          const message = await next();
          if ("stopped" in message) controller.close();
          else if ("bytes" in message) controller.enqueue(message.bytes);
          else {
            release({ reusable: !("error" in message), finished: !("error" in message) });
            if ("error" in message) throw new Error(message.error);
            controller.close();
          }
        } catch (error) {
          release({ reusable: false });
          console.log(`Export stopped: ${(error as Error).message}`);
          controller.error(error);
        }
      },
      cancel() {
        release({ reusable: true });
      },
    },
    { highWaterMark: 0 },
  );
}
