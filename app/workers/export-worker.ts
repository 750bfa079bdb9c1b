/**
 * One export, written in its own worker thread (bundled to build/export-worker.js): the ordering
 * of the file's rows, the walk and the CSV text (or the .xlsx workbook) all happen here, on a read-only snapshot, so a
 * full export costs the event loop only the copying of its bytes to the socket.
 *
 * Protocol with app/utils/export-workers.server.ts: the main thread posts { start: spec, output }, then
 * "pull" whenever the client can take more; the worker answers each pull with one batch of about
 * BATCH_BYTES ({ bytes }) or { done }. Nothing is read ahead of the client, so a slow client holds
 * the export back. "end" ends the export (closing its snapshot) and is answered { ended }; the
 * thread then waits for the next one, so a download does not pay for starting a thread.
 */
import { parentPort } from "node:worker_threads";
import { useReadOnlyDb } from "../../db/client.server";
import { EXPORT_TITLES, exportFileOf, type ExportOutput, type ExportSpec } from "~/models/export.server";
import { csvChunks } from "~/models/export-stream.server";
import { xlsxChunks } from "~/models/export-xlsx.server";
import { EXPORT_THREAD_NICE, lowerThisThreadsPriority } from "~/utils/thread-priority.server";

const BATCH_BYTES = 256 * 1024;

useReadOnlyDb();
// A full export must not take the CPU from the threads that serve everyone's pages and reads.
lowerThisThreadsPriority(EXPORT_THREAD_NICE);
const port = parentPort!;
const encoder = new TextEncoder();
let spec: ExportSpec | undefined;
let output: ExportOutput = { format: "csv", bom: false };
/** Answers carry their export's id: a batch still in flight when an export is abandoned is ignored. */
let id = 0;
let chunks: Generator<string> | undefined;
/** An .xlsx export's batches: the zip compresses asynchronously, so they come from an async generator. */
let workbook: AsyncGenerator<Uint8Array> | undefined;

type StartMessage = { start: ExportSpec; output?: ExportOutput; id: number };

port.on("message", (message: "pull" | "end" | StartMessage) => {
  if (message === "end" || typeof message === "object") {
    // Closes the export's connection, ending its read snapshot.
    chunks?.return(undefined);
    chunks = undefined;
    void workbook?.return(undefined);
    workbook = undefined;
    if (message === "end") port.postMessage({ id, ended: true });
    spec = typeof message === "object" ? message.start : undefined;
    output = (typeof message === "object" && message.output) || { format: "csv", bom: false };
    id = typeof message === "object" ? message.id : 0;
    return;
  }
  if (output.format === "xlsx") {
    void pullWorkbook(id, output);
    return;
  }
  try {
    if (!spec) throw new Error("No export started");
    chunks ??= csvChunks(exportFileOf(spec), undefined, { bom: output.bom });
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

/** One batch of an .xlsx export (the main thread pulls again only after this one's answer). */
async function pullWorkbook(exportId: number, xlsx: Extract<ExportOutput, { format: "xlsx" }>) {
  try {
    if (!spec) throw new Error("No export started");
    workbook ??= xlsxChunks(exportFileOf(spec), { publicUrl: xlsx.publicUrl, title: EXPORT_TITLES[spec.kind], batchBytes: BATCH_BYTES });
    const next = await workbook.next();
    if (next.done) port.postMessage({ id: exportId, done: true });
    else {
      // A copy of its own: the batch may be a view on a larger pooled buffer.
      const batch = next.value.slice();
      port.postMessage({ id: exportId, bytes: batch }, [batch.buffer]);
    }
  } catch (error) {
    void workbook?.return(undefined);
    workbook = undefined;
    port.postMessage({ id: exportId, error: (error as Error).message });
  }
}
