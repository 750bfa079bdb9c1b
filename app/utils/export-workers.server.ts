/**
 * Exports written in worker threads, one thread per download (app/workers/export-worker.ts), at
 * most EXPORT_WORKERS (3) at once per process and two per client address (never every slot:
 * perClientShare); more are refused at once
 * with 503 and Retry-After. A download whose reader has read nothing for STALLED_GIVES_WAY_MS
 * gives its slot up to a reader refused for want of one (its connection is cut, as at the stall
 * limit): two addresses whose downloads read nothing held every slot for the stall limit's 120 s
 * (attack 26, Low). scripts/serve.ts installs the workers' file; without it (tests of
 * models, scripts) exports are written on this thread in slices (export-stream.server.ts).
 */
import { Worker } from "node:worker_threads";
import { AdmissionControl, perClientShare } from "~/domain/admission";
import type { ExportOutput, ExportSpec } from "~/models/export.server";
import { STALL_LIMIT_MS, within } from "~/models/export-stream.server";

/**
 * How long a download's reader may read nothing before its slot goes to a reader refused for want of
 * one. A slow reader still reads (its socket drains now and then); one that reads nothing for this
 * long is gone or hostile.
 */
export const STALLED_GIVES_WAY_MS = 15_000;

/**
 * The most the stream hands the response at once (a thread's batch is cut into such pieces). A
 * drain, which ends a wait that counts toward STALLED_GIVES_WAY_MS, comes only once all that was
 * handed over has gone out: with whole batches (256 kB) a reader of under about 17 kB/s, reading all
 * along, waited 15 s at every batch and was cut as one that read nothing (attack 28). With these,
 * a reader of about 4.5 kB/s or more drains well within the limit.
 */
export const EXPORT_WRITE_BYTES = 64 * 1024;

/** A download in progress, as a reader refused a slot sees it. */
interface RunningExport {
  client: string;
  /** Since when its reader has read nothing (the stream waits for the socket to drain), else null. */
  stalledSince: number | null;
  /** Whether its reader would see a cut (not over HTTP/1.0). */
  mayGiveWay: boolean;
  /** Ends it at once, its slot given back; its reader's connection is cut. */
  giveWay: () => void;
}

interface ExportWorkers {
  filename: string;
  admission: AdmissionControl;
  running: Set<RunningExport>;
  stalledGivesWayMs: number;
  /** Threads between exports, ready for the next (at most maxConcurrent). */
  idle: Worker[];
  maxConcurrent: number;
}

const holder = globalThis as typeof globalThis & { __trackerExportWorkers?: ExportWorkers | null };

export function installExportWorkers(
  options: { filename: string; maxConcurrent: number; perClient: number; stalledGivesWayMs?: number } | null,
): void {
  for (const worker of holder.__trackerExportWorkers?.idle ?? []) void worker.terminate();
  holder.__trackerExportWorkers = options && {
    filename: options.filename,
    admission: new AdmissionControl({ perClient: perClientShare(options.perClient, options.maxConcurrent), total: options.maxConcurrent }),
    running: new Set(),
    stalledGivesWayMs: options.stalledGivesWayMs ?? STALLED_GIVES_WAY_MS,
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

/**
 * Ends the download that has read nothing the longest, for at least `stalledGivesWayMs` (of
 * `client` only, when given: a client refused its own share), so that a refused reader may start
 * one. Whether one gave way.
 */
function stalledGivesWay(workers: ExportWorkers, client: string | null): boolean {
  const now = Date.now();
  let longest: RunningExport | null = null;
  for (const running of workers.running) {
    if (!running.mayGiveWay || running.stalledSince === null || now - running.stalledSince < workers.stalledGivesWayMs) continue;
    if (client !== null && running.client !== client) continue;
    if (!longest || running.stalledSince < (longest.stalledSince as number)) longest = running;
  }
  longest?.giveWay();
  return longest !== null;
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
    mayGiveWay = true,
  }: {
    client: string;
    signal?: AbortSignal;
    waitForWritable?: () => Promise<void>;
    stallLimitMs?: number;
    output?: ExportOutput;
    /**
     * Whether a cut shows to its reader. Over HTTP/1.0 (no length, no chunks) a download cut short
     * ends as a whole one does, and the reader keeps a short file as if it were all (attack 28):
     * such a download never gives way to another reader, only the stall limit ends it.
     */
    mayGiveWay?: boolean;
  },
): ReadableStream<Uint8Array> | ExportRefusal {
  const workers = holder.__trackerExportWorkers;
  if (!workers) throw new Error("No export workers installed");
  let admission = workers.admission.admit(client);
  if (!admission.admitted && stalledGivesWay(workers, admission.reason === "client" ? client : null)) admission = workers.admission.admit(client);
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
  let giveUpStall: ((error: Error) => void) | null = null;
  const running: RunningExport = {
    client,
    stalledSince: null,
    mayGiveWay,
    giveWay: () => {
      release({ reusable: false });
      // The stalled pull then logs and cuts the connection, as at the stall limit.
      giveUpStall?.(new Error("The client read nothing while another reader waited for its slot: export stopped"));
    },
  };
  workers.running.add(running);
  /**
   * Ends this export; the thread waits for the next one unless it failed or enough are idle. Once
   * the thread says its snapshot is closed, `then` runs.
   */
  const release = ({ reusable, then }: { reusable: boolean; then?: () => void }) => {
    if (released) return;
    released = true;
    // A batch asked for is no longer listened for: its read ends the stream now, or it would wait for good.
    const waiting = answer;
    answer = failure = null;
    waiting?.({ id: exportId, stopped: true });
    workers.admission.release(client);
    workers.running.delete(running);
    signal?.removeEventListener("abort", stop);
    worker.off("message", onMessage);
    worker.off("error", onError);
    worker.off("exit", onExit);
    if (reusable && workers.idle.length < workers.maxConcurrent && holder.__trackerExportWorkers === workers) {
      const ended = (message: WorkerAnswer) => {
        if (message.id !== exportId || !("ended" in message)) return;
        worker.off("message", ended);
        then?.();
        if (workers.idle.length < workers.maxConcurrent && holder.__trackerExportWorkers === workers) workers.idle.push(worker);
        else void worker.terminate();
      };
      worker.on("message", ended);
      worker.postMessage("end");
    } else void worker.terminate().then(() => then?.());
  };
  function stop() {
    if (released) return;
    release({ reusable: true, then: () => console.log("Export stopped: the client went away before the end of the file") });
  }
  signal?.addEventListener("abort", stop, { once: true });
  worker.postMessage({ start: spec, output, id: exportId });
  const next = () =>
    new Promise<WorkerAnswer>((resolve, reject) => {
      // Released while this pull waited for the reader to drain: nothing will answer.
      if (released) return resolve({ id: exportId, stopped: true });
      answer = resolve;
      failure = reject;
      worker.postMessage("pull");
    });
  let first = true;
  /** What is left of the thread's last batch, handed over a piece at a time. */
  let rest: Uint8Array | null = null;
  const handOver = (controller: ReadableStreamDefaultController<Uint8Array>, bytes: Uint8Array) => {
    rest = bytes.length > EXPORT_WRITE_BYTES ? bytes.subarray(EXPORT_WRITE_BYTES) : null;
    controller.enqueue(rest ? bytes.subarray(0, EXPORT_WRITE_BYTES) : bytes);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (signal?.aborted) {
            release({ reusable: true });
            controller.close();
            return;
          }
          // Wait while the client is slower than the export (but never for the first batch); a wait
          // this long may give way to a reader refused a slot.
          if (!first && waitForWritable) {
            running.stalledSince = Date.now();
            const givenUp = new Promise<never>((_, reject) => (giveUpStall = reject));
            try {
              await Promise.race([within(waitForWritable(), stallLimitMs), givenUp]);
            } finally {
              running.stalledSince = null;
              giveUpStall = null;
            }
          }
          first = false;
          if (rest) {
            if (released) controller.close();
            else handOver(controller, rest);
            return;
          }
          const message = await next();
          if ("stopped" in message) controller.close();
          else if ("bytes" in message) handOver(controller, message.bytes);
          else {
            release({ reusable: !("error" in message) });
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
