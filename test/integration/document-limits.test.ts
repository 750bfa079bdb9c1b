/**
 * What one document may cost the reading threads (decision 0017): a Word "zip bomb" is refused by
 * what it really inflates to, before mammoth unpacks it; a document whose reading runs past the time
 * limit (a thread spinning, as pdf.js caught in a loop would) or past the thread's heap limit has
 * its thread terminated, and its job fails with a message naming the document, while the next job
 * still runs. The stalls are made by a stand-in worker (test/support/stalling-document-worker.mjs)
 * that never ends on its own: whatever the machine's speed, only the limit can end it. A PDF of a
 * few hundred kB painting images of gigapixels' worth of compressed zeros, which pdf.js decodes
 * outside the thread's heap, is refused by name (one image too large) or stopped when the process
 * grows past twice the heap limit (many images just under it).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { documentJobs } from "../../db/schema";
import type { Db } from "../../db/client.server";
import { env } from "~/env.server";
import { claimDocumentJob, documentJob, runDocumentJob } from "~/models/document-jobs.server";
import { newUploadPath, storeUpload } from "~/models/documents.server";
import { MAX_DOCX_INFLATED_BYTES } from "~/domain/zip-inflated-size";
import {
  closeDocumentExtraction,
  extractDocument,
  isDocumentExtractError,
  setDocumentExtractionLimits,
} from "~/utils/document-extract.server";
import { hugeImagePdf, tempDir, writeFixture, zipBombDocx } from "../support/document-fixtures";
import { freshDatabase } from "../support/database";

let db: Db;
const defaults = setDocumentExtractionLimits({});

beforeEach(() => {
  db = freshDatabase();
  fs.rmSync(env.FILES_PATH, { recursive: true, force: true });
});

afterAll(async () => {
  await closeDocumentExtraction();
  setDocumentExtractionLimits(defaults);
  delete process.env.DOCUMENT_WORKER_FILE;
});

/** Stores `content` as an upload named `name` and queues the job that reads it. */
function queueDocument(name: string, content: string, mediaType = "application/pdf"): number {
  const temp = newUploadPath();
  fs.writeFileSync(temp, content);
  const sha256 = crypto.createHash("sha256").update(content).digest("hex");
  storeUpload({ tempPath: temp, sha256, mediaType, byteSize: Buffer.byteLength(content), originalName: name });
  return db.insert(documentJobs).values({ documentSha256: sha256 }).returning({ id: documentJobs.id }).get().id;
}

async function runNextJob(): Promise<void> {
  const claimed = claimDocumentJob({ holder: "test" });
  expect(claimed).not.toBeNull();
  await runDocumentJob(claimed!, { holder: "test" });
}

describe("a Word zip bomb", () => {
  it("is refused with a message by what it inflates to, before mammoth reads it (the real worker)", async () => {
    const dir = tempDir("zip-bomb");
    try {
      const file = writeFixture(dir, "bomb.docx", await zipBombDocx(MAX_DOCX_INFLATED_BYTES / 1024 / 1024 + 20));
      const outcome = await extractDocument(file).then(
        () => null,
        (error: unknown) => (isDocumentExtractError(error) ? { code: error.code, message: error.message } : { code: "other", message: String(error) }),
      );
      expect(outcome).toEqual({
        code: "too_much_inflated",
        message: "The Word document unpacks to more than 100 MB (a real letter is a small fraction of that), so it was not read. Save it again from Word, or upload it as a PDF.",
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

/** What extracting `file` came to (a refusal's code and message), and how much the process grew meanwhile. */
async function extractWatchingMemory(file: string, name: string): Promise<{ code: string; message: string; grewMb: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  try {
    await extractDocument(file, { name });
    return { code: "read", message: "", grewMb: Math.round((peak - before) / 2 ** 20) };
  } catch (error) {
    if (!isDocumentExtractError(error)) throw error;
    return { code: error.code, message: error.message, grewMb: Math.round((peak - before) / 2 ** 20) };
  } finally {
    clearInterval(sampler);
  }
}

describe("a PDF whose images are huge in pixels and tiny on disk (the real worker)", () => {
  // Threads of 256 MB: a process growing by a gigabyte is four times that, whatever the machine's speed.
  const memoryMb = 256;

  it("one image above the page's pixel limit: refused naming the page, without decoding it", async () => {
    await closeDocumentExtraction();
    delete process.env.DOCUMENT_WORKER_FILE;
    setDocumentExtractionLimits({ memoryMb, timeLimitMs: 120_000 });
    const dir = tempDir("huge-image");
    try {
      const file = writeFixture(dir, "scan.pdf", await hugeImagePdf(12_000));
      expect(fs.statSync(file).size).toBeLessThan(512 * 1024);
      const outcome = await extractWatchingMemory(file, "scan.pdf");
      expect(outcome).toEqual({
        code: "image_too_large",
        message: "Page 1 is a scan whose image has more than 17 million pixels, too large to read here. Scan it again at 300 dpi (or export the PDF at a lower resolution), or attach it without its text.",
        grewMb: expect.any(Number),
      });
      expect(outcome.grewMb).toBeLessThan(1024);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it("twenty images each just under it: stopped when the process outgrows twice the thread's heap limit, naming the document", async () => {
    await closeDocumentExtraction();
    delete process.env.DOCUMENT_WORKER_FILE;
    setDocumentExtractionLimits({ memoryMb, timeLimitMs: 600_000 });
    const dir = tempDir("many-images");
    try {
      const file = writeFixture(dir, "scans.pdf", await hugeImagePdf(4_000, { images: 20 }));
      const outcome = await extractWatchingMemory(file, "scans.pdf");
      expect(outcome).toEqual({
        code: "too_much_memory",
        message: "Reading “scans.pdf” needed more than 256 MB of memory, so it was stopped: the file may be damaged or built to exhaust the server. Upload another copy, or attach it without its text.",
        grewMb: expect.any(Number),
      });
      expect(outcome.grewMb).toBeLessThan(1024);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});

describe("a reading thread past its limits", () => {
  it("past the time limit: the thread is terminated, the job fails naming the document, and the next job is read", async () => {
    await closeDocumentExtraction();
    process.env.DOCUMENT_WORKER_FILE = path.resolve("test/support/stalling-document-worker.mjs");
    // Tiny, so the test is quick; the stand-in never ends by itself, so the outcome does not depend on speed.
    setDocumentExtractionLimits({ timeLimitMs: 300 });

    const stalled = queueDocument("Raskin letter (stalls).pdf", "%PDF-1.4 stall\n");
    const next = queueDocument("next.txt", "Dear Secretary Rubio, the next letter.", "text/plain; charset=utf-8");
    await runNextJob();
    expect(documentJob(stalled)).toMatchObject({
      state: "failed",
      error:
        "Reading “Raskin letter (stalls).pdf” took longer than 0.3 seconds, so it was stopped: the file may be damaged or built to be slow to read. Upload another copy (a PDF printed again, or the Word file saved again), or attach it without its text.",
    });
    await runNextJob();
    expect(documentJob(next)).toMatchObject({ state: "done", error: null });
  });

  it("past the heap limit: the thread ends, the job fails naming the document, and the next job is read", async () => {
    await closeDocumentExtraction();
    process.env.DOCUMENT_WORKER_FILE = path.resolve("test/support/stalling-document-worker.mjs");
    // No time limit to speak of here: only the heap limit can end the thread.
    setDocumentExtractionLimits({ timeLimitMs: 3_600_000, memoryMb: 64 });

    const hog = queueDocument("hungry.pdf", "%PDF-1.4 hog\n");
    const next = queueDocument("after.txt", "Dear Secretary Rubio, after the hungry one.", "text/plain; charset=utf-8");
    await runNextJob();
    expect(documentJob(hog)).toMatchObject({
      state: "failed",
      error: "Reading “hungry.pdf” needed more than 64 MB of memory, so it was stopped: the file may be damaged or built to exhaust the server. Upload another copy, or attach it without its text.",
    });
    await runNextJob();
    expect(documentJob(next)).toMatchObject({ state: "done", error: null });
  }, 120_000);
});
