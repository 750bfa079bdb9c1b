/**
 * The bounds of extraction, with a gated stand-in for the worker (test/support/gated-document-
 * worker.mjs) so that documents stay in their threads until the test lets them go: at most one
 * OCR at a time per process, at most OCR_QUEUE scans waiting for it and EXTRACT_QUEUE documents
 * waiting to be read; beyond that a clear refusal at once ("busy"), not a longer queue. A scan
 * waiting for OCR does not hold up the reading of other documents.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  closeDocumentExtraction,
  documentExtractionStats,
  EXTRACT_QUEUE,
  extractDocument,
  OCR_QUEUE,
  warmDocumentExtraction,
  type ExtractedDocument,
} from "~/utils/document-extract.server";
import { tempDir } from "../support/document-fixtures";

let dir: string;
const channel = new BroadcastChannel("tracker-document-gate");
const started: { started: string; file: string; threadId: number }[] = [];
const startWaiters: Array<() => void> = [];
channel.onmessage = ({ data }) => {
  started.push(data);
  startWaiters.splice(0).forEach((wake) => wake());
};

/** Resolves once `count` tasks have reached the gate. */
async function untilStarted(count: number): Promise<void> {
  while (started.length < count) await new Promise<void>((resolve) => startWaiters.push(resolve));
}

function pdf(name: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, "%PDF-1.4\n");
  return file;
}

beforeAll(() => {
  process.env.DOCUMENT_WORKER_FILE = path.resolve("test/support/gated-document-worker.mjs");
  dir = tempDir("document-queue");
});

afterAll(async () => {
  channel.close();
  await closeDocumentExtraction();
  delete process.env.DOCUMENT_WORKER_FILE;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("extraction bounds", () => {
  it("starts the reading and OCR threads ahead when warmed, each in a thread of its own", async () => {
    started.length = 0;
    await warmDocumentExtraction({ ocr: true });
    await untilStarted(2);
    expect(started.map((s) => s.started).sort()).toEqual(["warm ocr", "warm reading"]);
    expect(new Set(started.map((s) => s.threadId)).size).toBe(2);
  });

  it("runs one OCR at a time, queues OCR_QUEUE scans in all, refuses the next at once; text documents are read meanwhile", async () => {
    started.length = 0;
    type Outcome = { file: string; document?: ExtractedDocument; error?: { name?: string; code?: string; message?: string } };
    const outcomes: Outcome[] = [];
    const outcomeWaiters: Array<() => void> = [];
    let refusedOne!: () => void;
    const refused = new Promise<void>((resolve) => (refusedOne = resolve));
    const scans = Array.from({ length: OCR_QUEUE + 1 }, (_, i) => {
      const file = `scan-${i}.pdf`;
      return extractDocument(pdf(file)).then(
        (document) => {
          outcomes.push({ file, document });
          outcomeWaiters.splice(0).forEach((wake) => wake());
        },
        (error: Error & { code?: string }) => {
          // Plain fields: an Error compared with asymmetric matchers hangs vitest's diff.
          outcomes.push({ file, error: { name: error.name, code: error.code, message: error.message } });
          refusedOne();
        },
      );
    });
    // One scan finds the OCR lane full: refused at once, with a message for the user.
    await refused;
    expect(outcomes).toEqual([
      { file: expect.any(String), error: { name: "DocumentExtractError", code: "busy", message: expect.stringMatching(/try again in a few minutes/) } },
    ]);
    await untilStarted(1);
    expect(started).toHaveLength(1);
    expect(await documentExtractionStats()).toMatchObject({ ocrInFlight: OCR_QUEUE });

    // A text document is read while the OCR is held.
    const text = await extractDocument(pdf("letter.pdf"));
    expect(text.pages[0]!.text).toBe("The text of letter.pdf");

    // Each scan's OCR starts only when the one before has finished.
    for (let i = 0; i < OCR_QUEUE; i += 1) {
      expect(started).toHaveLength(i + 1);
      const finished = outcomes.length;
      channel.postMessage({ go: started[i]!.file });
      while (outcomes.length === finished) await new Promise<void>((resolve) => outcomeWaiters.push(resolve));
      const outcome = outcomes.at(-1)!;
      expect(outcome.file).toBe(started[i]!.file);
      expect(outcome.document?.pages).toEqual([{ number: 1, text: `OCR of ${outcome.file}`, source: "ocr" }]);
      if (i + 1 < OCR_QUEUE) await untilStarted(i + 2);
    }
    await Promise.all(scans);
    expect(outcomes.filter((o) => o.error)).toHaveLength(1);
    expect(await documentExtractionStats()).toMatchObject({ ocrInFlight: 0, refused: 1 });
  });

  it("queues EXTRACT_QUEUE documents for reading and refuses the next at once", async () => {
    started.length = 0;
    const held = Array.from({ length: EXTRACT_QUEUE }, (_, i) => extractDocument(pdf(`hold-${i}.pdf`)));
    await untilStarted(1);
    // Every document has reached the reading lane (each first checks its file's size and type).
    await expect.poll(async () => (await documentExtractionStats())?.readingInFlight, { timeout: 60_000 }).toBe(EXTRACT_QUEUE);
    await expect(extractDocument(pdf("hold-extra.pdf"))).rejects.toMatchObject({ code: "busy" });
    for (let i = 0; i < EXTRACT_QUEUE; i += 1) {
      // One at a time: the next read starts only after this one is let go.
      expect(started).toHaveLength(i + 1);
      channel.postMessage({ go: started[i]!.file });
      if (i + 1 < EXTRACT_QUEUE) await untilStarted(i + 2);
    }
    const documents = await Promise.all(held);
    expect(documents.map((document) => document.pages[0]!.text).sort()).toEqual(Array.from({ length: EXTRACT_QUEUE }, (_, i) => `The text of hold-${i}.pdf`).sort());
    expect(await documentExtractionStats()).toMatchObject({ readingInFlight: 0, ocrInFlight: 0 });
  });
});
