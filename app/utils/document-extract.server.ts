/**
 * Text out of an uploaded document (issue 12): a PDF's text layer page by page, a Word document
 * (mammoth), a text file; PDF pages with no text layer that paint an image are scans, read by OCR
 * (tesseract.js with the English data of @tesseract.js-data/eng: nothing is downloaded).
 *
 * Nothing heavy runs on the event loop. Two pools of one worker thread each run
 * app/workers/document-worker.ts (build/document-worker.js):
 * - the reading pool: a PDF's text layer, a Word document, a text file (quick: a second or less);
 * - the OCR pool: at most one OCR at a time per process (tesseract.js recognises in a thread of
 *   its own), so a scan never holds up the reading of other documents.
 * Each has a bounded queue (EXTRACT_QUEUE documents waiting to be read, OCR_QUEUE scans waiting
 * for OCR); when one is full, `extractDocument` rejects at once with a DocumentExtractError
 * whose code is "busy", instead of an ever-growing queue.
 *
 * Failures a user can act on reject with DocumentExtractError (code + a message for the user):
 * an unsupported type (sniffed from the bytes), a file too large, an encrypted or corrupt PDF, too
 * many pages, too many pages to OCR, no text found.
 *
 * The pools are per process, shared by the server's bundle and the Remix build through
 * globalThis, created on first use; `closeDocumentExtraction()` ends them (graceful shutdown).
 * The worker file: build/document-worker.js in production; elsewhere (dev, tests) the worker
 * source is bundled once per process into .cache/ with esbuild, so it is never stale.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { Piscina } from "piscina";
import { MAX_DOCUMENT_BYTES, sniffDocumentType, type DocumentKind, type DocumentMediaType } from "~/domain/document-type";
import { DOCUMENT_TASK_STARTED } from "~/domain/documents";
import { MAX_DOCX_INFLATED_BYTES } from "~/domain/zip-inflated-size";
import { env } from "~/env.server";

/** Pages a document may have at most. */
export const MAX_DOCUMENT_PAGES = 200;
/** Pages without a text layer one document may have OCR'd at most (about 10 s a page on 2 cores). */
export const MAX_OCR_PAGES = 30;
/** Documents waiting for (or in) the reading thread, per process. */
export const EXTRACT_QUEUE = 16;
/** Scans waiting for (or in) OCR, per process. */
export const OCR_QUEUE = 4;

/**
 * What one document may cost a reading thread. `timeLimitMs`: the wall-clock time a reading task
 * may run in its thread (an OCR task: that much per page it reads), counted from the moment the
 * thread starts it, not while it waits in the queue; past it the thread is terminated (a pdf.js
 * loop cannot be interrupted any other way), the document fails with a message naming it, and the
 * pool starts a fresh thread for the next one. `memoryMb`: the thread's JavaScript heap
 * (worker_threads resourceLimits); a document that needs more ends the thread the same way, and so
 * does one that grows the process by more than twice that outside the heap (watchProcessMemory).
 */
export interface DocumentExtractionLimits {
  timeLimitMs: number;
  memoryMb: number;
}

const limits: DocumentExtractionLimits = {
  timeLimitMs: env.DOCUMENT_TIME_LIMIT_SECONDS * 1000,
  memoryMb: env.DOCUMENT_THREAD_MEMORY_MB,
};

/**
 * Changes the limits (tests use tiny ones). The memory limit applies to threads started after the
 * change: call it before the first extraction, or after closeDocumentExtraction().
 */
export function setDocumentExtractionLimits(changed: Partial<DocumentExtractionLimits>): DocumentExtractionLimits {
  const before = { ...limits };
  Object.assign(limits, changed);
  return before;
}

export interface DocumentProgress {
  stage: "reading" | "text" | "ocr";
  /** Pages done so far in this stage. */
  page: number;
  /** Pages this stage has: the document's pages for "reading" and "text", the pages to OCR for "ocr". */
  pages: number;
}

export interface ExtractedPage {
  number: number;
  text: string;
  source: "text" | "ocr";
}

export interface ExtractedDocument {
  kind: DocumentKind;
  mediaType: DocumentMediaType;
  pages: ExtractedPage[];
}

export type DocumentFailure =
  | { code: "unsupported_type"; reason: string }
  | { code: "too_large"; bytes: number; limit: number }
  | { code: "encrypted" }
  | { code: "corrupt"; detail?: string }
  | { code: "too_many_pages"; pages: number; limit: number }
  | { code: "image_too_large"; page: number; limitPixels: number }
  | { code: "too_many_ocr_pages"; pages: number; limit: number }
  | { code: "no_text" }
  | { code: "busy"; retryAfterSeconds: number }
  | { code: "aborted" }
  | { code: "too_much_inflated"; limit: number }
  | { code: "too_slow"; seconds: number; document?: string }
  | { code: "too_much_memory"; limitMb: number; document?: string };

export type DocumentExtractErrorCode = DocumentFailure["code"];

function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/** The message for whoever uploaded the file. */
export function failureMessage(failure: DocumentFailure): string {
  switch (failure.code) {
    case "unsupported_type":
      return failure.reason;
    case "too_large":
      return `The file is ${megabytes(failure.bytes)} (${failure.bytes.toLocaleString("en-US")} bytes): documents can be at most ${megabytes(failure.limit)}.`;
    case "encrypted":
      return "The PDF is protected by a password, so its text cannot be read: upload a copy without the password.";
    case "corrupt":
      return "The file is damaged or not a complete document, so its text cannot be read.";
    case "too_many_pages":
      return `The document has ${failure.pages} pages: at most ${failure.limit} can be read. Upload the pages that matter.`;
    case "image_too_large":
      return `Page ${failure.page} is a scan whose image has more than ${Math.round(failure.limitPixels / 1e6)} million pixels, too large to read here. Scan it again at 300 dpi (or export the PDF at a lower resolution), or attach it without its text.`;
    case "too_many_ocr_pages":
      return `The document has ${failure.pages} scanned pages (images without text): at most ${failure.limit} can be read by OCR. Upload the pages that matter, or a PDF with a text layer.`;
    case "no_text":
      return "No text was found in the document (not even by OCR on its scanned pages).";
    case "busy":
      return "The server is reading as many documents as it can at once: try again in a few minutes.";
    case "aborted":
      return "Reading the document was cancelled.";
    case "too_much_inflated":
      return `The Word document unpacks to more than ${megabytes(failure.limit)} (a real letter is a small fraction of that), so it was not read. Save it again from Word, or upload it as a PDF.`;
    case "too_slow":
      return `Reading ${failure.document ? `“${failure.document}”` : "the document"} took longer than ${failure.seconds} seconds, so it was stopped: the file may be damaged or built to be slow to read. Upload another copy (a PDF printed again, or the Word file saved again), or attach it without its text.`;
    case "too_much_memory":
      return `Reading ${failure.document ? `“${failure.document}”` : "the document"} needed more than ${failure.limitMb} MB of memory, so it was stopped: the file may be damaged or built to exhaust the server. Upload another copy, or attach it without its text.`;
  }
}

const ERROR_BRAND = "DocumentExtractError";

/** A document whose text cannot be extracted, with a reason for the user (`message`). */
export class DocumentExtractError extends Error {
  readonly code: DocumentExtractErrorCode;
  readonly failure: DocumentFailure;
  constructor(failure: DocumentFailure) {
    super(failureMessage(failure));
    this.name = ERROR_BRAND;
    this.code = failure.code;
    this.failure = failure;
  }
}

/** By name and code, not class: the server and the Remix build are separate bundles. */
export function isDocumentExtractError(error: unknown): error is DocumentExtractError {
  return error instanceof DocumentExtractError || (error instanceof Error && error.name === ERROR_BRAND && typeof (error as { code?: unknown }).code === "string");
}

// ---- Worker protocol (app/workers/document-worker.ts) ------------------------------------------------

export type DocumentWorkerTask =
  | { task: "read"; filePath: string; kind: DocumentKind; maxPages: number; maxInflatedBytes: number; progress?: MessagePort }
  | { task: "ocr"; filePath: string; pages: number[]; pagesTotal: number; progress?: MessagePort }
  | { task: "warm"; ocr: boolean; progress?: undefined };

export interface ReadTaskResult {
  pages: ExtractedPage[];
  /** PDF pages with no text layer that paint an image: to OCR. */
  ocrPages: number[];
}

export interface OcrTaskResult {
  pages: { number: number; text: string }[];
}

// ---- Pools -------------------------------------------------------------------------------------------

interface Extractor {
  reading: Piscina;
  ocr: Piscina;
  waiting: { reading: number; ocr: number };
  completed: number;
  refused: number;
}

const holder = globalThis as typeof globalThis & { __trackerDocumentExtractor?: Promise<Extractor> | null };

/** The worker file: build/document-worker.js in production, else the source bundled into .cache/. */
async function workerFile(): Promise<string> {
  const built = path.resolve("build/document-worker.js");
  if (process.env.DOCUMENT_WORKER_FILE) return path.resolve(process.env.DOCUMENT_WORKER_FILE);
  if (process.env.NODE_ENV === "production") {
    if (!fs.existsSync(built)) throw new Error(`No ${built}: run \`npm run build\` (documents are read by that worker).`);
    return built;
  }
  const source = path.resolve("app/workers/document-worker.ts");
  if (!fs.existsSync(source)) return built;
  const outfile = path.resolve(".cache", "document-worker", `document-worker-${process.pid}-${crypto.randomUUID()}.mjs`);
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  // esbuild is a development dependency: only development and tests come here.
  const esbuild = "esbuild";
  const { build } = (await import(/* @vite-ignore */ esbuild)) as typeof import("esbuild");
  await build({
    entryPoints: [source],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile,
    alias: { "~": path.resolve("app") },
    logLevel: "error",
  });
  // One bundle per process: removed when the process ends.
  process.once("exit", () => fs.rmSync(outfile, { force: true }));
  return outfile;
}

function createExtractor(filename: string): Extractor {
  const options = {
    filename: pathToFileURL(filename).href,
    minThreads: 0,
    maxThreads: 1,
    // Threads end when idle (and the OCR thread's tesseract worker with them): they hold memory.
    idleTimeout: 60_000,
    // The heap a thread may use: a document that needs more ends its thread (ERR_WORKER_OUT_OF_MEMORY),
    // not the process. tesseract's own thread and pdf.js's canvas memory are outside this heap.
    resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, Math.floor(limits.memoryMb / 16))) },
  };
  return {
    reading: new Piscina({ ...options, maxQueue: EXTRACT_QUEUE }),
    ocr: new Piscina({ ...options, maxQueue: OCR_QUEUE }),
    waiting: { reading: 0, ocr: 0 },
    completed: 0,
    refused: 0,
  };
}

function extractor(): Promise<Extractor> {
  if (!holder.__trackerDocumentExtractor) {
    const created = workerFile().then(createExtractor);
    created.catch(() => {
      if (holder.__trackerDocumentExtractor === created) holder.__trackerDocumentExtractor = null;
    });
    holder.__trackerDocumentExtractor = created;
  }
  return holder.__trackerDocumentExtractor;
}

/** Ends the worker threads (at shutdown, or after tests); the next extraction starts new ones. */
export async function closeDocumentExtraction(): Promise<void> {
  const current = holder.__trackerDocumentExtractor;
  holder.__trackerDocumentExtractor = null;
  if (!current) return;
  const pools = await current.catch(() => null);
  if (pools) await Promise.all([pools.reading.destroy(), pools.ocr.destroy()]);
}

export interface DocumentExtractionStats {
  readingInFlight: number;
  ocrInFlight: number;
  completed: number;
  refused: number;
}

export async function documentExtractionStats(): Promise<DocumentExtractionStats | null> {
  const pools = await holder.__trackerDocumentExtractor?.catch(() => null);
  if (!pools) return null;
  return { readingInFlight: pools.waiting.reading, ocrInFlight: pools.waiting.ocr, completed: pools.completed, refused: pools.refused };
}

/**
 * Starts the reading thread and loads its libraries (and, with `ocr`, the OCR thread and
 * tesseract's English data), so that the first document does not wait for them: for the
 * server's start, after it listens. Failures are left for the first real extraction to report.
 */
export async function warmDocumentExtraction({ ocr = false }: { ocr?: boolean } = {}): Promise<void> {
  try {
    const pools = await extractor();
    const warm = (lane: "reading" | "ocr") => pools[lane].run({ task: "warm", ocr: lane === "ocr" } satisfies DocumentWorkerTask);
    await Promise.all([warm("reading"), ocr ? warm("ocr") : null]);
  } catch {
    // Reported by the first extraction.
  }
}

/**
 * Calls `over` once the process's resident memory has grown by more than twice the thread's heap
 * limit since the task started. The heap limit does not count what pdf.js decodes into
 * ArrayBuffers (images, streams: a few hundred kB of deflated zeros can be gigabytes), and a thread
 * decoding cannot be asked anything, so the growth is read from outside, every 50 ms, on this
 * thread. Growth elsewhere in the process while a document is read counts too: the margin (twice
 * the heap a thread may use) leaves room for that.
 */
function watchProcessMemory(over: () => void): NodeJS.Timeout {
  const start = process.memoryUsage.rss();
  const allowed = 2 * limits.memoryMb * 1024 * 1024;
  const watch = setInterval(() => {
    if (process.memoryUsage.rss() - start <= allowed) return;
    clearInterval(watch);
    over();
  }, 50);
  watch.unref();
  return watch;
}

/** Runs a task in one of the pools, refusing at once when its queue is full. */
async function runTask<R>(
  pools: Extractor,
  lane: "reading" | "ocr",
  task: DocumentWorkerTask,
  { onProgress, signal, name }: ExtractOptions,
): Promise<R | { failure: DocumentFailure }> {
  const limit = lane === "reading" ? EXTRACT_QUEUE : OCR_QUEUE;
  if (pools.waiting[lane] >= limit) {
    pools.refused += 1;
    throw new DocumentExtractError({ code: "busy", retryAfterSeconds: lane === "ocr" ? 60 : 10 });
  }
  pools.waiting[lane] += 1;
  const channel = new MessageChannel();
  // Aborting a running piscina task terminates its thread: the caller's signal, or the time limit.
  const stop = new AbortController();
  const onCallerAbort = () => stop.abort();
  signal?.addEventListener("abort", onCallerAbort, { once: true });
  const limitMs = limits.timeLimitMs * (task.task === "ocr" ? Math.max(1, task.pages.length) : 1);
  let timer: NodeJS.Timeout | null = null;
  let timedOut = false;
  let memoryWatch: NodeJS.Timeout | null = null;
  let overMemory = false;
  channel.port1.on("message", (message: DocumentProgress | typeof DOCUMENT_TASK_STARTED) => {
    if (message === DOCUMENT_TASK_STARTED) {
      timer ??= setTimeout(() => {
        timedOut = true;
        stop.abort();
      }, limitMs);
      memoryWatch ??= watchProcessMemory(() => {
        overMemory = true;
        stop.abort();
      });
      return;
    }
    try {
      onProgress?.(message);
    } catch {
      // A caller's progress handler failing does not stop the reading.
    }
  });
  try {
    return (await pools[lane].run(
      { ...task, progress: channel.port2 },
      { transferList: [channel.port2], signal: stop.signal },
    )) as R | { failure: DocumentFailure };
  } catch (error) {
    if (signal?.aborted) throw new DocumentExtractError({ code: "aborted" });
    if (timedOut) throw new DocumentExtractError({ code: "too_slow", seconds: Math.round(limitMs / 100) / 10, document: name });
    if (overMemory || (error as { code?: string })?.code === "ERR_WORKER_OUT_OF_MEMORY") {
      throw new DocumentExtractError({ code: "too_much_memory", limitMb: limits.memoryMb, document: name });
    }
    throw error;
  } finally {
    if (timer) clearTimeout(timer);
    if (memoryWatch) clearInterval(memoryWatch);
    signal?.removeEventListener("abort", onCallerAbort);
    pools.waiting[lane] -= 1;
    // Progress messages already posted are delivered before the port closes.
    setImmediate(() => channel.port1.close());
  }
}

function failed(result: unknown): result is { failure: DocumentFailure } {
  return typeof result === "object" && result !== null && "failure" in result;
}

export interface ExtractOptions {
  onProgress?(progress: DocumentProgress): void;
  signal?: AbortSignal;
  /** The document's name as uploaded, for the messages that name it (too slow, too much memory). */
  name?: string;
}

/** The first bytes read to sniff a file's type, and for a ZIP its last bytes too (its directory is at its end). */
const HEAD_BYTES = 64 * 1024;
const ZIP_TAIL_BYTES = 256 * 1024;

/**
 * What sniffDocumentType reads: the head of the file; for a ZIP, a buffer as long as the file
 * holding its head and its tail (where the central directory is), the middle left as zeros.
 */
function readForSniffing(filePath: string, size: number): Uint8Array {
  const fd = fs.openSync(filePath, "r");
  try {
    const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
    fs.readSync(fd, head, 0, head.length, 0);
    const isZip = head[0] === 0x50 && head[1] === 0x4b;
    if (!isZip || size <= HEAD_BYTES) return head;
    const sparse = Buffer.alloc(size);
    head.copy(sparse, 0);
    const tailStart = Math.max(HEAD_BYTES, size - ZIP_TAIL_BYTES);
    fs.readSync(fd, sparse, tailStart, size - tailStart, tailStart);
    return sparse;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The text of the document at `filePath`, page by page. Rejects with DocumentExtractError for a
 * file the user must change (or "busy" / "aborted"); with another error for a fault of ours.
 */
export async function extractDocument(filePath: string, options: ExtractOptions = {}): Promise<ExtractedDocument> {
  const { signal } = options;
  if (signal?.aborted) throw new DocumentExtractError({ code: "aborted" });
  const size = (await fs.promises.stat(filePath)).size;
  if (size > MAX_DOCUMENT_BYTES) throw new DocumentExtractError({ code: "too_large", bytes: size, limit: MAX_DOCUMENT_BYTES });
  const sniffed = sniffDocumentType(readForSniffing(filePath, size), path.basename(filePath));
  if (!sniffed.ok) throw new DocumentExtractError({ code: "unsupported_type", reason: sniffed.reason });
  const pools = await extractor();
  const read = await runTask<ReadTaskResult>(pools, "reading", { task: "read", filePath, kind: sniffed.kind, maxPages: MAX_DOCUMENT_PAGES, maxInflatedBytes: MAX_DOCX_INFLATED_BYTES }, options);
  if (failed(read)) throw new DocumentExtractError(read.failure);
  let pages: ExtractedPage[] = read.pages;
  if (read.ocrPages.length > MAX_OCR_PAGES) {
    throw new DocumentExtractError({ code: "too_many_ocr_pages", pages: read.ocrPages.length, limit: MAX_OCR_PAGES });
  }
  if (read.ocrPages.length > 0) {
    const ocr = await runTask<OcrTaskResult>(pools, "ocr", { task: "ocr", filePath, pages: read.ocrPages, pagesTotal: read.pages.length }, options);
    if (failed(ocr)) throw new DocumentExtractError(ocr.failure);
    const byNumber = new Map(ocr.pages.map((page) => [page.number, page.text]));
    pages = pages.map((page) => (byNumber.has(page.number) ? { number: page.number, text: byNumber.get(page.number)!, source: "ocr" as const } : page));
  }
  if (!pages.some((page) => /[\p{L}\p{N}]/u.test(page.text))) throw new DocumentExtractError({ code: "no_text" });
  pools.completed += 1;
  return { kind: sniffed.kind, mediaType: sniffed.mediaType, pages };
}

/** The document's text as one string, pages separated by a blank line (what the letter parser reads). */
export function documentText(document: ExtractedDocument): string {
  return document.pages.map((page) => page.text.trim()).filter(Boolean).join("\n\n");
}
