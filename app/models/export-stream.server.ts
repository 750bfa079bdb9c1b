/**
 * Writing an export out: CSV text in small chunks, a few milliseconds' worth per pull, so a slow
 * client holds the export back instead of filling memory, and pages keep being served meanwhile.
 */
import { csvLine, UTF8_BOM } from "~/domain/csv-cells";
import { exportRows, type ExportFile } from "./export-snapshot.server";

/**
 * Characters per chunk: kept under V8's large-object size (128 kB, even for two-byte text), so each
 * chunk is young garbage collected at once rather than piling up until a full collection.
 */
const CHUNK_CHARS = 32_000;

/**
 * The file as CSV text: the header (after a byte-order mark when `bom`: decision 0015), then
 * chunks of about `chunkChars`.
 */
export function* csvChunks(file: ExportFile, chunkChars: number = CHUNK_CHARS, { bom = false }: { bom?: boolean } = {}): Generator<string> {
  yield (bom ? UTF8_BOM : "") + csvLine(file.header);
  let text = "";
  for (const cells of exportRows(file)) {
    text += csvLine(cells);
    if (text.length >= chunkChars) {
      yield text;
      text = "";
    }
  }
  if (text.length > 0) yield text;
}

/**
 * Milliseconds of export work per turn of the event loop. A page request takes several turns, and
 * each turn carries one slice: at 20 ms pages under load slowed to a quarter of their rate, while one
 * small chunk per turn (~0.3 ms) left the export barely moving (no full export finished within 20 s
 * of 50 concurrent connections). A few milliseconds shares the server between them.
 */
const SLICE_MS = 4;

/**
 * How long a client may stop reading before its export is given up. An export holds a read snapshot
 * open, and while it does SQLite cannot recycle its write-ahead log, which grows with every write.
 */
export const STALL_LIMIT_MS = 120_000;

/** Resolves when `wait` does; rejects when it has not after `limitMs`. */
export function within(wait: Promise<void>, limitMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`The client read nothing for ${limitMs / 1000} s: export stopped`)), limitMs);
  });
  return Promise.race([wait, limit]).finally(() => clearTimeout(timer));
}

/**
 * The file as a byte stream. The first pull writes only the header, so the response goes out at
 * once; each later pull (made only when the reader wants more) writes chunks for `sliceMs` (at
 * least one) after yielding to other requests. The export's connection closes when the file ends,
 * when the stream is cancelled, when `signal` aborts (Remix aborts the request's signal when the
 * client goes away mid-download) and when the client stops reading for `stallLimitMs`.
 */
export function exportToStream(
  makeFile: () => ExportFile,
  {
    waitForWritable,
    signal,
    chunkChars = CHUNK_CHARS,
    sliceMs = SLICE_MS,
    stallLimitMs = STALL_LIMIT_MS,
    bom = false,
  }: {
    bom?: boolean;
    waitForWritable?: () => Promise<void>;
    signal?: AbortSignal;
    chunkChars?: number;
    sliceMs?: number;
    stallLimitMs?: number;
  } = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let chunks: Generator<string> | undefined;
  let cancelled = false;
  /** Closes the export's connection (a finished generator ignores a second return). */
  const finish = () => {
    chunks?.return(undefined);
    signal?.removeEventListener("abort", abandoned);
  };
  function abandoned() {
    if (chunks) console.log("Export stopped: the client went away before the end of the file");
    finish();
  }
  signal?.addEventListener("abort", abandoned, { once: true });
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (signal?.aborted) {
            // Nobody is reading any more: end quietly.
            controller.close();
            return;
          }
          if (!chunks) {
            chunks = csvChunks(makeFile(), chunkChars, { bom });
            controller.enqueue(encoder.encode(chunks.next().value as string));
            return;
          }
          // Wait while the client is slower than the export, then let other requests run.
          if (waitForWritable) await within(waitForWritable(), stallLimitMs);
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (cancelled) return;
          if (signal?.aborted) {
            controller.close();
            return;
          }
          const until = performance.now() + sliceMs;
          do {
            const next = chunks.next();
            if (next.done) {
              finish();
              controller.close();
              return;
            }
            controller.enqueue(encoder.encode(next.value));
          } while (performance.now() < until);
        } catch (error) {
          finish();
          if (cancelled) return;
          console.log(`Export stopped: ${(error as Error).message}`);
          controller.error(error);
        }
      },
      cancel() {
        cancelled = true;
        finish();
      },
    },
    { highWaterMark: 0 },
  );
}
