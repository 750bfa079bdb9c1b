/**
 * One export, written in its own worker thread (bundled to build/export-worker.js): the ordering
 * of the file's rows, the walk and the CSV text all happen here, on a read-only snapshot, so a
 * full export costs the event loop only the copying of its bytes to the socket.
 *
 * Protocol with app/utils/export-workers.server.ts: the main thread posts { start: spec }, then
 * "pull" whenever the client can take more; the worker answers each pull with one batch of about
 * BATCH_BYTES ({ bytes }) or { done }. Nothing is read ahead of the client, so a slow client holds
 * the export back. "end" ends the export (closing its snapshot) and is answered { ended }; the
 * thread then waits for the next one, so a download does not pay for starting a thread.
 */
import { parentPort } from "node:worker_threads";
import { useReadOnlyDb } from "../../db/client.server";
import { exportFileOf, type ExportSpec } from "~/models/export.server";
import { csvChunks } from "~/models/export-stream.server";
import { lowerThisThreadsPriority } from "~/utils/thread-priority.server";

const BATCH_BYTES = 256 * 1024;

useReadOnlyDb();
// A full export must not take the CPU from the thread that serves everyone's pages.
lowerThisThreadsPriority();
const port = parentPort!;
const encoder = new TextEncoder();
let spec: ExportSpec | undefined;
/** Answers carry their export's id: a batch still in flight when an export is abandoned is ignored. */
let id = 0;
let chunks: Generator<string> | undefined;

port.on("message", (message: "pull" | "end" | { start: ExportSpec; id: number }) => {
  if (message === "end" || typeof message === "object") {
    // Closes the export's connection, ending its read snapshot.
    chunks?.return(undefined);
    chunks = undefined;
    if (message === "end") port.postMessage({ id, ended: true });
    spec = typeof message === "object" ? message.start : undefined;
    id = typeof message === "object" ? message.id : 0;
    return;
  }
  try {
    if (!spec) throw new Error("No export started");
    chunks ??= csvChunks(exportFileOf(spec));
    const parts: Uint8Array[] = [];
    let size = 0;
    while (size < BATCH_BYTES) {
      const next = chunks.next();
      if (next.done) break;
      const bytes = encoder.encode(next.value);
      parts.push(bytes);
      size += bytes.length;
    }
    if (size === 0) {
      port.postMessage({ id, done: true });
      return;
    }
    const batch = new Uint8Array(size);
    let offset = 0;
    for (const part of parts) {
      batch.set(part, offset);
      offset += part.length;
    }
    port.postMessage({ id, bytes: batch }, [batch.buffer]);
  } catch (error) {
    chunks?.return(undefined);
    port.postMessage({ id, error: (error as Error).message });
  }
});
