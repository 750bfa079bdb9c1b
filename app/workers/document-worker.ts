/**
 * A document-extraction worker thread (bundled to build/document-worker.js by `npm run build`; in
 * development and tests app/utils/document-extract.server.ts bundles it on first use). Two tasks,
 * run by app/utils/document-extract.server.ts in two pools of one thread each:
 *
 * - `read`: the text of a PDF (its text layer, page by page), a Word document or a text file, and
 *   which PDF pages have no text layer but paint an image (a scan: to OCR);
 * - `ocr`: those PDF pages rendered to images (pdf.js on @napi-rs/canvas) and read by
 *   tesseract.js, whose own worker thread does the recognising, with the English data of
 *   @tesseract.js-data/eng read from node_modules (nothing is fetched).
 *
 * Expected failures (encrypted, corrupt, ...) come back as values `{ failure }`, not thrown: an
 * error's own fields do not survive the trip between threads. Progress goes to the MessagePort
 * the task carries.
 */
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { resourceLimits, type MessagePort } from "node:worker_threads";
import { pdfLines, type PdfTextItem } from "~/domain/pdf-text-lines";
import { docxText, type DocxNode } from "~/domain/docx-text";
import { docxListMarkers } from "~/domain/docx-numbering";
import { zipInflatedSize } from "~/domain/zip-inflated-size";
import { DOCUMENT_TASK_STARTED, maxImagePixels } from "~/domain/documents";
import type {
  DocumentFailure,
  DocumentProgress,
  DocumentWorkerTask,
  OcrTaskResult,
  ReadTaskResult,
} from "~/utils/document-extract.server";

const require = createRequire(import.meta.url);

type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");
type PdfDocument = Awaited<ReturnType<PdfJs["getDocument"]>["promise"]>;

let pdfjsModule: Promise<PdfJs> | null = null;
function pdfjs(): Promise<PdfJs> {
  pdfjsModule ??= import("pdfjs-dist/legacy/build/pdf.mjs");
  return pdfjsModule;
}

function pdfjsAssets(): { standardFontDataUrl: string; cMapUrl: string } {
  const root = path.dirname(require.resolve("pdfjs-dist/package.json"));
  return {
    standardFontDataUrl: path.join(root, "standard_fonts") + path.sep,
    cMapUrl: path.join(root, "cmaps") + path.sep,
  };
}

class Failure extends Error {
  constructor(readonly failure: DocumentFailure) {
    super(failure.code);
  }
}

const MAX_IMAGE_PIXELS = maxImagePixels(resourceLimits.maxOldGenerationSizeMb ?? 1024);

/** Images pdf.js has left out for being larger than MAX_IMAGE_PIXELS, in this thread, so far. */
let oversizedImages = 0;
const OVERSIZED_IMAGE_WARNING = "Warning: Image exceeded maximum allowed size";
/**
 * pdf.js says it left an image out only through console.warn (verbosity WARNINGS). This thread
 * runs nothing but documents, so its console.warn counts that warning and drops pdf.js's others
 * (verbosity ERRORS showed none of them before).
 */
const consoleWarn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  const first = typeof args[0] === "string" ? args[0] : "";
  if (first.startsWith(OVERSIZED_IMAGE_WARNING)) oversizedImages += 1;
  else if (!first.startsWith("Warning: ")) consoleWarn(...args);
};

/**
 * pdf.js inflates a FlateDecode stream with DecompressionStream (zlib on libuv's threads), in
 * chunks it gathers whole. A thread terminated in the middle of that (a stream of gigabytes of
 * spaces, stopped by the memory watch) never gave the chunks' memory back: 1.8 GB more for each
 * such upload (attack 22). Past an eighth of the thread's heap limit (128 MB by default), a stream
 * fails here instead; pdf.js then inflates it itself in JavaScript, whose buffers a terminated
 * thread does give back.
 */
const MAX_ASYNC_INFLATED_BYTES = ((resourceLimits.maxOldGenerationSizeMb ?? 1024) * 1024 * 1024) / 8;
const NativeDecompressionStream = globalThis.DecompressionStream;
class BoundedDecompressionStream {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<BufferSource>;
  constructor(format: CompressionFormat) {
    const inner = new NativeDecompressionStream(format);
    let inflated = 0;
    this.writable = inner.writable;
    this.readable = inner.readable.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          inflated += chunk.byteLength;
          if (inflated > MAX_ASYNC_INFLATED_BYTES) controller.error(new Error("The stream inflates past the thread's limit"));
          else controller.enqueue(chunk);
        },
      }),
    );
  }
}
globalThis.DecompressionStream = BoundedDecompressionStream as unknown as typeof DecompressionStream;

async function openPdf(filePath: string): Promise<PdfDocument> {
  const { getDocument } = await pdfjs();
  const data = new Uint8Array(await fs.readFile(filePath));
  const task = getDocument({
    data,
    ...pdfjsAssets(),
    cMapPacked: true,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    maxImageSize: MAX_IMAGE_PIXELS,
    // WARNINGS, for the oversized-image warning (console.warn above drops the others).
    verbosity: 1,
  });
  try {
    return await task.promise;
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === "PasswordException") throw new Failure({ code: "encrypted" });
    throw new Failure({ code: "corrupt", detail: (error as Error).message });
  }
}

/**
 * Whether the page paints an image (a page with one and no text is a scan), and the widest
 * image's width in pixels (0 when unknown): OCR renders the page at about the scan's own
 * resolution.
 */
async function pageImages(pdf: PdfDocument, pageNumber: number): Promise<{ paints: boolean; widestPixels: number }> {
  const { OPS } = await pdfjs();
  const page = await pdf.getPage(pageNumber);
  const operators = await page.getOperatorList();
  let paints = false;
  let widestPixels = 0;
  operators.fnArray.forEach((op, index) => {
    const args = operators.argsArray[index] as unknown[] | null;
    if (op === OPS.paintImageXObject) {
      paints = true;
      widestPixels = Math.max(widestPixels, Number(args?.[1]) || 0);
    } else if (op === OPS.paintInlineImageXObject || op === OPS.paintImageMaskXObject) {
      paints = true;
      widestPixels = Math.max(widestPixels, Number((args?.[0] as { width?: number } | undefined)?.width) || 0);
    } else if (op === OPS.paintImageXObjectRepeat || op === OPS.paintInlineImageXObjectGroup || op === OPS.paintImageMaskXObjectGroup || op === OPS.paintImageMaskXObjectRepeat) {
      paints = true;
    }
  });
  return { paints, widestPixels };
}

/** Fewer letters and digits than this on a page: its text layer does not count. */
const MIN_TEXT_CHARACTERS = 16;

function meaningfulCharacters(text: string): number {
  return text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
}

async function readPdf(
  filePath: string,
  limits: { maxPages: number },
  progress: (p: DocumentProgress) => void,
): Promise<ReadTaskResult> {
  const pdf = await openPdf(filePath);
  try {
    const pages = pdf.numPages;
    if (pages > limits.maxPages) throw new Failure({ code: "too_many_pages", pages, limit: limits.maxPages });
    progress({ stage: "reading", page: 0, pages });
    const result: ReadTaskResult = { pages: [], ocrPages: [] };
    for (let number = 1; number <= pages; number += 1) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      const items: PdfTextItem[] = [];
      for (const item of content.items) {
        if (!("str" in item)) continue;
        items.push({ str: item.str, x: item.transform[4], y: item.transform[5], width: item.width, height: item.height, hasEOL: item.hasEOL });
      }
      const text = pdfLines(items).join("\n");
      let needsOcr = false;
      if (meaningfulCharacters(text) < MIN_TEXT_CHARACTERS) {
        const leftOutBefore = oversizedImages;
        needsOcr = (await pageImages(pdf, number)).paints;
        // A page without text whose image was too large to decode: a scan we cannot read. Say so,
        // rather than read the rest and answer "no text was found".
        if (oversizedImages > leftOutBefore) throw new Failure({ code: "image_too_large", page: number, limitPixels: MAX_IMAGE_PIXELS });
      }
      if (needsOcr) result.ocrPages.push(number);
      result.pages.push({ number, text: needsOcr ? "" : text, source: "text" });
      page.cleanup();
      progress({ stage: "text", page: number, pages });
    }
    return result;
  } finally {
    await pdf.destroy();
  }
}

async function readDocx(filePath: string, maxInflatedBytes: number, progress: (p: DocumentProgress) => void): Promise<ReadTaskResult> {
  const mammoth = (await import("mammoth")).default;
  progress({ stage: "reading", page: 0, pages: 1 });
  // A zip bomb is refused by what it really inflates to, before mammoth unpacks it into memory.
  const inflated = zipInflatedSize(new Uint8Array(await fs.readFile(filePath)), maxInflatedBytes);
  if (!inflated.ok && inflated.reason === "too_large") throw new Failure({ code: "too_much_inflated", limit: inflated.limit });
  if (!inflated.ok) throw new Failure({ code: "corrupt", detail: inflated.detail });
  let document: DocxNode | null = null;
  try {
    await mammoth.convertToHtml(
      { path: filePath },
      {
        // mammoth's document model (paragraphs, runs, list numbering, tables, page breaks),
        // turned into lines here; the HTML it writes is thrown away.
        transformDocument: (element: unknown) => {
          document = element as DocxNode;
          return element;
        },
        ignoreEmptyParagraphs: false,
      } as Parameters<typeof mammoth.convertToHtml>[1],
    );
  } catch (error) {
    throw new Failure({ code: "corrupt", detail: (error as Error).message });
  }
  if (!document) throw new Failure({ code: "corrupt", detail: "no document body" });
  const pages = docxText(document, await wordListMarkers(filePath));
  progress({ stage: "text", page: pages.length, pages: pages.length });
  return { pages: pages.map((text, i) => ({ number: i + 1, text, source: "text" as const })), ocrPages: [] };
}

/**
 * Word's own list numbers (decision 0011, addendum): word/document.xml's paragraphs with their
 * numbering, from numbering.xml and styles.xml (read with fflate, already known to inflate within
 * the limit). Undefined when they cannot be read: the text then numbers lists by level.
 */
const MAX_LIST_XML_BYTES = 16 * 1024 * 1024;

async function wordListMarkers(filePath: string): Promise<Array<{ key: string; marker: string | null }> | undefined> {
  try {
    const { unzipSync, strFromU8 } = await import("fflate");
    const parts = ["word/document.xml", "word/numbering.xml", "word/styles.xml"];
    // Letters' XML is kilobytes; a huge one (within the inflated limit) keeps the guess by level
    // rather than hold a second parsed copy of it beside mammoth's in the thread's memory.
    const files = unzipSync(new Uint8Array(await fs.readFile(filePath)), { filter: (file) => parts.includes(file.name) && file.originalSize <= MAX_LIST_XML_BYTES });
    if (Object.values(files).some((bytes) => bytes.length > MAX_LIST_XML_BYTES)) return undefined;
    const text = (name: string) => (files[name] ? strFromU8(files[name]!) : null);
    const documentXml = text("word/document.xml");
    if (documentXml === null) return undefined;
    return docxListMarkers(documentXml, text("word/numbering.xml"), text("word/styles.xml"));
  } catch {
    return undefined;
  }
}

async function readText(filePath: string, progress: (p: DocumentProgress) => void): Promise<ReadTaskResult> {
  progress({ stage: "reading", page: 0, pages: 1 });
  const bytes = await fs.readFile(filePath);
  const text = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false }).decode(bytes).replace(/\r\n?/g, "\n");
  // A form feed is a page break in plain text too.
  const pages = text.split("\f");
  progress({ stage: "text", page: pages.length, pages: pages.length });
  return { pages: pages.map((page, i) => ({ number: i + 1, text: page, source: "text" as const })), ocrPages: [] };
}

// ---- OCR ----------------------------------------------------------------------------------------

type TesseractWorker = Awaited<ReturnType<typeof import("tesseract.js")["createWorker"]>>;

let tesseract: Promise<TesseractWorker> | null = null;

/** The tesseract.js worker options: every file from node_modules, nothing fetched or cached. */
export function tesseractOptions(): { langPath: string; gzip: true; cacheMethod: "none"; corePath: string; workerPath: string } {
  const eng = path.dirname(require.resolve("@tesseract.js-data/eng/package.json"));
  return {
    langPath: path.join(eng, "4.0.0_best_int"),
    gzip: true,
    cacheMethod: "none",
    corePath: path.dirname(require.resolve("tesseract.js-core/package.json")),
    workerPath: path.join(path.dirname(require.resolve("tesseract.js/package.json")), "src", "worker-script", "node", "index.js"),
  };
}

async function ocrWorker(): Promise<TesseractWorker> {
  if (!tesseract) {
    const { createWorker, OEM } = await import("tesseract.js");
    tesseract = createWorker("eng", OEM.LSTM_ONLY, { ...tesseractOptions(), errorHandler: () => {} });
    tesseract.catch(() => {
      tesseract = null;
    });
  }
  return tesseract;
}

/**
 * Pixels per PDF point when rendering a page for OCR: the scan's own resolution, within 150 to
 * 200 dpi (less loses small print; more costs OCR time, which grows with the pixels, for little
 * gain at letter sizes), and at most 3,000 pixels on the longest side.
 */
const OCR_MIN_SCALE = 150 / 72;
const OCR_MAX_SCALE = 200 / 72;
const OCR_MAX_SIDE = 3000;

async function ocrPdf(filePath: string, pageNumbers: number[], pagesTotal: number, progress: (p: DocumentProgress) => void): Promise<OcrTaskResult> {
  const pdf = await openPdf(filePath);
  try {
    const worker = await ocrWorker();
    const pages: OcrTaskResult["pages"] = [];
    for (const [index, number] of pageNumbers.entries()) {
      progress({ stage: "ocr", page: index, pages: pageNumbers.length });
      const page = await pdf.getPage(number);
      const unscaled = page.getViewport({ scale: 1 });
      const { widestPixels } = await pageImages(pdf, number);
      const native = widestPixels > 0 ? widestPixels / unscaled.width : OCR_MAX_SCALE;
      const scale = Math.min(Math.max(native, OCR_MIN_SCALE), OCR_MAX_SCALE, OCR_MAX_SIDE / Math.max(unscaled.width, unscaled.height));
      const viewport = page.getViewport({ scale });
      const factory = (pdf as unknown as { canvasFactory: { create(w: number, h: number): { canvas: { toBuffer(type: string): Buffer }; context: unknown }; destroy(c: unknown): void } }).canvasFactory;
      const target = factory.create(Math.ceil(viewport.width), Math.ceil(viewport.height));
      const context = target.context as CanvasRenderingContext2D;
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, Math.ceil(viewport.width), Math.ceil(viewport.height));
      await page.render({ canvasContext: context, canvas: target.canvas as unknown as HTMLCanvasElement, viewport }).promise;
      const png = target.canvas.toBuffer("image/png");
      factory.destroy(target);
      page.cleanup();
      const { data } = await worker.recognize(png);
      pages.push({ number, text: tidyOcrText(data.text) });
    }
    progress({ stage: "ocr", page: pageNumbers.length, pages: pageNumbers.length });
    void pagesTotal;
    return { pages };
  } finally {
    await pdf.destroy();
  }
}

/** Tesseract's lines, without trailing spaces and runs of blank lines. */
function tidyOcrText(text: string): string {
  return text
    .split("\n")
    .map((line) => line.replace(/\s+$/u, ""))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

// ---- Entry ----------------------------------------------------------------------------------------

export default async function runDocumentTask(task: DocumentWorkerTask): Promise<ReadTaskResult | OcrTaskResult | { failure: DocumentFailure }> {
  const port: MessagePort | undefined = task.progress;
  const progress = (p: DocumentProgress) => port?.postMessage(p);
  // The time limit counts from here (app/utils/document-extract.server.ts), not from the queue.
  port?.postMessage(DOCUMENT_TASK_STARTED);
  try {
    if (task.task === "warm") {
      await Promise.all([pdfjs(), import("mammoth"), task.ocr ? ocrWorker() : null]);
      return { pages: [], ocrPages: [] };
    }
    if (task.task === "read") {
      if (task.kind === "pdf") return await readPdf(task.filePath, { maxPages: task.maxPages }, progress);
      if (task.kind === "docx") return await readDocx(task.filePath, task.maxInflatedBytes, progress);
      return await readText(task.filePath, progress);
    }
    return await ocrPdf(task.filePath, task.pages, task.pagesTotal, progress);
  } catch (error) {
    if (error instanceof Failure) return { failure: error.failure };
    throw error;
  } finally {
    port?.close();
  }
}
