/**
 * extractDocument on real documents made here (test/support/document-fixtures.ts): a text PDF
 * printed by Chromium, a Word document, a text file, a two-page scan read by OCR (tesseract.js,
 * English data from node_modules), a PDF mixing both, and the refusals: encrypted, corrupt, an
 * image named .pdf, no text, too many pages, too many scanned pages, too large. The event loop
 * keeps answering during an OCR; OCR works with the network unavailable.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proposeLetter } from "~/domain/letter-proposal";
import { MAX_DOCUMENT_BYTES } from "~/domain/document-type";
import {
  closeDocumentExtraction,
  documentText,
  extractDocument,
  isDocumentExtractError,
  MAX_DOCUMENT_PAGES,
  MAX_OCR_PAGES,
  type DocumentProgress,
  type ExtractedDocument,
} from "~/utils/document-extract.server";
import {
  corruptPdf,
  encryptedPdf,
  imageOnlyPdf,
  letterPage,
  plainPdf,
  scannedPdf,
  tempDir,
  textPdf,
  wordDocument,
  writeFixture,
} from "../support/document-fixtures";

const OCR_TIMEOUT = 240_000;
let dir: string;
const files: Record<string, string> = {};

beforeAll(async () => {
  dir = tempDir("documents");
  const [text, scan, word] = await Promise.all([
    textPdf([letterPage(1, 3), letterPage(2, 3), letterPage(3, 3)]),
    scannedPdf([letterPage(1, 2), letterPage(2, 2)]),
    wordDocument(),
  ]);
  files.text = writeFixture(dir, "letter.pdf", text);
  files.scan = writeFixture(dir, "scan.pdf", scan);
  files.word = writeFixture(dir, "letter.docx", word);
  // A text page followed by a scanned page.
  const mixed = await PDFDocument.create();
  const [textPage] = await mixed.copyPages(await PDFDocument.load(text), [0]);
  const [scanPage] = await mixed.copyPages(await PDFDocument.load(scan), [1]);
  mixed.addPage(textPage!);
  mixed.addPage(scanPage!);
  files.mixed = writeFixture(dir, "mixed.pdf", await mixed.save());
}, 180_000);

afterAll(async () => {
  await closeDocumentExtraction();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Words of `sentence` (4+ letters) that OCR'd `text` holds: tolerant of a misread letter or two. */
function wordsFound(text: string, sentence: string): number {
  const words = sentence.toLowerCase().match(/[a-z]{4,}/g) ?? [];
  const found = words.filter((word) => text.toLowerCase().includes(word)).length;
  return words.length === 0 ? 1 : found / words.length;
}

async function refusal(file: string): Promise<{ code: string; message: string }> {
  try {
    await extractDocument(file);
  } catch (error) {
    if (isDocumentExtractError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error(`${file} was not refused`);
}

describe("text layers", () => {
  it("reads a text PDF page by page, one line per list item, without OCR", async () => {
    const progress: DocumentProgress[] = [];
    const document = await extractDocument(files.text!, { onProgress: (p) => progress.push(p) });
    expect(document.kind).toBe("pdf");
    expect(document.mediaType).toBe("application/pdf");
    expect(document.pages.map((page) => [page.number, page.source])).toEqual([
      [1, "text"],
      [2, "text"],
      [3, "text"],
    ]);
    for (const [index, page] of document.pages.entries()) {
      const flat = page.text.replace(/\s+/g, " ");
      for (const line of letterPage(index + 1, 3).lines) {
        expect(flat).toContain(line);
        // A list item starts its own line (long paragraphs wrap where Chromium wrapped them).
        if (/^\d+\. /.test(line)) expect(page.text.split("\n").some((l) => l.startsWith(line.slice(0, 30)))).toBe(true);
      }
    }
    expect(progress[0]).toEqual({ stage: "reading", page: 0, pages: 3 });
    expect(progress.filter((p) => p.stage === "text").map((p) => p.page)).toEqual([1, 2, 3]);
    expect(progress.some((p) => p.stage === "ocr")).toBe(false);

    const proposal = proposeLetter(documentText(document), { sentOn: "2025-04-17" });
    expect(proposal.items).toHaveLength(9);
    expect(proposal.items[4]!.text).toBe("What did the United States pay for their detention in month 2?");
    expect(proposal.deadline?.date).toBe("2025-05-01");
  });

  it("reads a Word document: paragraphs as lines, Word's list numbers written out as Word formats them, a blank line after a list, a page break a new page", async () => {
    const document = await extractDocument(files.word!);
    expect(document.kind).toBe("docx");
    expect(document.pages).toHaveLength(2);
    expect(document.pages[0]!.text.split("\n")).toEqual([
      "Dear Secretary Rubio:",
      "We write regarding the detention agreement with the Government of El Salvador.",
      "Please answer the following questions:",
      "1. How many people were transferred to the detention center?",
      "(a) Of those, how many had criminal records in the United States?",
      "2. What did the United States pay for their detention?",
      "",
      "Our questions continue.",
    ]);
    expect(document.pages[1]!.text).toContain("3. Which officials approved the transfers?");
    expect(document.pages[1]!.text).toContain("Sincerely, Gregory W. Meeks");
    const proposal = proposeLetter(documentText(document), { sentOn: "2025-04-17" });
    expect(proposal.items.map((q) => q.number)).toEqual([1, 2, 3]);
    expect(proposal.deadline?.date).toBe("2025-05-01");
  });

  it("reads a UTF-8 text file (byte-order mark and CRLF), a form feed starting a page", async () => {
    const file = writeFixture(dir, "letter.txt", new Uint8Array(Buffer.from("\uFEFFDear Secretary,\r\n1. How many?\r\n\fCafé — 2. Who?\r\n", "utf8")));
    const document = await extractDocument(file);
    expect(document).toEqual({
      kind: "text",
      mediaType: "text/plain; charset=utf-8",
      pages: [
        { number: 1, text: "Dear Secretary,\n1. How many?\n", source: "text" },
        { number: 2, text: "Café — 2. Who?\n", source: "text" },
      ],
    });
  });
});

describe("OCR of scans", () => {
  let scan: ExtractedDocument;
  const progress: DocumentProgress[] = [];

  it(
    "reads an image-only two-page scan by OCR: the letter's sentences are there, and progress reports each page",
    async () => {
      scan = await extractDocument(files.scan!, { onProgress: (p) => progress.push(p) });
      expect(scan.kind).toBe("pdf");
      expect(scan.pages.map((page) => page.source)).toEqual(["ocr", "ocr"]);
      for (const [index, page] of scan.pages.entries()) {
        for (const line of letterPage(index + 1, 2).lines) expect(wordsFound(page.text, line), `"${line}" in:\n${page.text}`).toBeGreaterThanOrEqual(0.8);
      }
      expect(progress.filter((p) => p.stage === "ocr")).toEqual([
        { stage: "ocr", page: 0, pages: 2 },
        { stage: "ocr", page: 1, pages: 2 },
        { stage: "ocr", page: 2, pages: 2 },
      ]);
      const proposal = proposeLetter(documentText(scan), { sentOn: "2025-04-17" });
      expect(proposal.items.length).toBeGreaterThanOrEqual(5);
      expect(proposal.deadline?.date).toBe("2025-05-01");
    },
    OCR_TIMEOUT,
  );

  it(
    "OCRs only the pages without a text layer",
    async () => {
      const document = await extractDocument(files.mixed!);
      expect(document.pages.map((page) => page.source)).toEqual(["text", "ocr"]);
      expect(document.pages[0]!.text).toContain("1. How many people were transferred to the detention center in month 1?");
      expect(wordsFound(document.pages[1]!.text, "What did the United States pay for their detention in month 2?")).toBeGreaterThanOrEqual(0.8);
    },
    OCR_TIMEOUT,
  );

  it(
    "keeps the event loop answering during an OCR: requests made while a page is read are served long before it ends",
    async () => {
      const server = http.createServer((_req, res) => res.end("ok"));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const port = (server.address() as { port: number }).port;
      const get = () =>
        new Promise<void>((resolve, reject) => {
          http.get({ host: "127.0.0.1", port, path: "/", agent: false }, (res) => res.resume().on("end", resolve)).on("error", reject);
        });
      const delay = monitorEventLoopDelay({ resolution: 10 });
      let ocrStarted!: () => void;
      const ocrStartedPromise = new Promise<void>((resolve) => (ocrStarted = resolve));
      let finishedAt = 0;
      const started = performance.now();
      const extraction = extractDocument(files.scan!, {
        onProgress: (p) => {
          if (p.stage === "ocr" && p.page === 0) ocrStarted();
        },
      }).then((document) => {
        finishedAt = performance.now();
        return document;
      });
      await ocrStartedPromise;
      const ocrFrom = performance.now();
      delay.enable();
      const served: number[] = [];
      const latencies: number[] = [];
      for (let i = 0; i < 10; i += 1) {
        const sent = performance.now();
        await get();
        served.push(performance.now());
        latencies.push(performance.now() - sent);
      }
      await extraction;
      delay.disable();
      server.close();
      const ocrMs = finishedAt - ocrFrom;
      // Ordering: every request was answered while the OCR was still running.
      expect(served.every((at) => at < finishedAt)).toBe(true);
      // Ratios, not times: a request waited a small fraction of the OCR (on the event loop, one
      // waited a whole page's OCR, about half of it), and so did the loop's longest stall.
      expect(Math.max(...latencies)).toBeLessThan(ocrMs / 5);
      expect(delay.max / 1e6).toBeLessThan(ocrMs / 5);
      expect(finishedAt - started).toBeGreaterThan(0);
    },
    OCR_TIMEOUT,
  );

  it(
    "stops an OCR when its signal aborts, and the next document is read as usual",
    async () => {
      const controller = new AbortController();
      const aborted = extractDocument(files.scan!, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.stage === "ocr") controller.abort();
        },
      });
      await expect(aborted).rejects.toMatchObject({ name: "DocumentExtractError", code: "aborted" });
      const document = await extractDocument(files.text!);
      expect(document.pages).toHaveLength(3);
    },
    OCR_TIMEOUT,
  );
});

describe("refusals name their reason", () => {
  it("an encrypted PDF", async () => {
    const result = await refusal(writeFixture(dir, "locked.pdf", encryptedPdf()));
    expect(result).toEqual({ code: "encrypted", message: expect.stringMatching(/protected by a password/) });
  });

  it("a corrupt PDF", async () => {
    const result = await refusal(writeFixture(dir, "broken.pdf", corruptPdf()));
    expect(result).toEqual({ code: "corrupt", message: expect.stringMatching(/damaged/) });
  });

  it("a PNG renamed .pdf", async () => {
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==", "base64");
    const result = await refusal(writeFixture(dir, "scan.png.pdf", new Uint8Array(png)));
    expect(result.code).toBe("unsupported_type");
    expect(result.message).toMatch(/an image \(PNG\), not a PDF as its name says/);
  });

  it("a truncated Word document", async () => {
    const word = fs.readFileSync(files.word!);
    const result = await refusal(writeFixture(dir, "cut.docx", new Uint8Array(word.subarray(0, Math.floor(word.length * 0.6)))));
    expect(["corrupt", "unsupported_type"]).toContain(result.code);
  });

  it("a PDF without any text or image", async () => {
    expect(await refusal(writeFixture(dir, "blank.pdf", await plainPdf(2)))).toEqual({ code: "no_text", message: expect.stringMatching(/No text was found/) });
  });

  it("too many pages", async () => {
    const result = await refusal(writeFixture(dir, "long.pdf", await plainPdf(MAX_DOCUMENT_PAGES + 1, { withText: true })));
    expect(result).toEqual({ code: "too_many_pages", message: expect.stringContaining(`${MAX_DOCUMENT_PAGES + 1} pages: at most ${MAX_DOCUMENT_PAGES}`) });
  });

  it("too many scanned pages, refused before any OCR", async () => {
    const progress: DocumentProgress[] = [];
    const file = writeFixture(dir, "scans.pdf", await imageOnlyPdf(MAX_OCR_PAGES + 1));
    await expect(extractDocument(file, { onProgress: (p) => progress.push(p) })).rejects.toMatchObject({
      code: "too_many_ocr_pages",
      message: expect.stringContaining(`${MAX_OCR_PAGES + 1} scanned pages`),
    });
    expect(progress.some((p) => p.stage === "ocr")).toBe(false);
  });

  it("a file over 25 MB, before reading it", async () => {
    const file = path.join(dir, "huge.pdf");
    fs.writeFileSync(file, "%PDF-1.7\n");
    fs.truncateSync(file, MAX_DOCUMENT_BYTES + 1);
    expect(await refusal(file)).toEqual({ code: "too_large", message: "The file is 25 MB (26,214,401 bytes): documents can be at most 25 MB." });
  });
});

const canIsolateNetwork = spawnSync("unshare", ["-n", "true"]).status === 0;

describe("nothing is downloaded", () => {
  it.skipIf(!canIsolateNetwork)(
    "OCR reads a scan in a process with no network at all (unshare -n)",
    () => {
      const child = spawnSync("unshare", ["-n", process.execPath, "--import", "tsx", "test/support/extract-cli.ts", files.scan!], {
        encoding: "utf8",
        env: { ...process.env, NODE_ENV: "test" },
        timeout: OCR_TIMEOUT - 10_000,
      });
      expect(child.stderr).not.toMatch(/Error/);
      expect(child.status).toBe(0);
      const document = JSON.parse(child.stdout) as ExtractedDocument;
      expect(document.pages.map((page) => page.source)).toEqual(["ocr", "ocr"]);
      expect(wordsFound(document.pages[0]!.text, "We write regarding the detention agreement")).toBeGreaterThanOrEqual(0.8);
      // The worker it bundled for itself (not a production build) went with it.
      const bundles = fs.existsSync(".cache/document-worker") ? fs.readdirSync(".cache/document-worker") : [];
      expect(bundles.filter((name) => name.startsWith(`document-worker-${child.pid}-`))).toEqual([]);
    },
    OCR_TIMEOUT,
  );
});
