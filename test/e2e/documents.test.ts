/**
 * Documents in a real Chromium against the built server: a staffer drops the committee's PDF on
 * "Log a letter", waits for the proposal, corrects a signer with the picker and saves; the letter
 * page lists the document and a word from it finds the letter in search. Without JavaScript the
 * upload works too and the page refreshes itself until the text is read. A hostile HTML file sent
 * as .txt is served as a download in a sandbox. The form fits a 390-pixel phone.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, watchErrors } from "../support/browser";
import { pick, queryDb, queryOne, signInAt, waitForHydration } from "../support/journeys";
import { createUserWithCli, startServer, type RunningServer } from "../support/server";
import { scannedPdf } from "../support/document-fixtures";

let server: RunningServer;
let withJs: BrowserContext;
let withoutJs: BrowserContext;
let phone: BrowserContext;
let directory: string;
let letterPdf: string;

const editor = { email: "dora@example.org", name: "Dora Documents", role: "editor" as const, password: "correct horse battery staple" };
const JOURNEY_TIMEOUT = 240_000;

const LETTER_HTML = `<!doctype html><html><body style="font: 14px serif; margin: 2cm">
<p>April 17, 2025</p><p>The Honorable Marco Rubio, Secretary of State</p>
<p>Dear Secretary Rubio:</p>
<p>We write regarding the agreement to send deportees to the Terrorism Confinement Center (CECOT) in El Salvador.
Please provide the following information no later than May 1, 2025:</p>
<p>1. How many people have been transferred to CECOT under the agreement?</p>
<p>2. What has the United States paid the Government of El Salvador for their detention?</p>
<p>3. Provide all documents describing the terms of the agreement.</p>
<p>Sincerely,</p><p>Gregory W. Meeks, Ranking Member</p></body></html>`;

/** The proposal may already show the match (the roster and directory): then there is nothing to pick. */
async function pickUnlessMatched(page: import("playwright-core").Page, field: string, label: string): Promise<void> {
  if ((await page.getByLabel(field, { exact: true }).inputValue()) !== label) await pick(page, field, label, { js: true });
  expect(await page.getByLabel(field, { exact: true }).inputValue()).toBe(label);
}

beforeAll(async () => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "tracker-documents-e2e-"));
  server = await startServer();
  await createUserWithCli(server.databasePath, editor);
  withJs = await launchBrowser();
  withoutJs = await launchBrowser({ javaScriptEnabled: false });
  phone = await launchBrowser({ viewport: { width: 390, height: 844 } });
  // The committee's PDF, with a text layer, made by Chromium itself.
  const maker = await withJs.newPage();
  await maker.setContent(LETTER_HTML);
  letterPdf = path.join(directory, "meeks-rubio-cecot.pdf");
  fs.writeFileSync(letterPdf, await maker.pdf({ format: "Letter" }));
  await maker.close();
}, 180_000);

afterAll(async () => {
  await Promise.all([withJs?.close(), withoutJs?.close(), phone?.close()]);
  await server?.stop();
  if (directory) fs.rmSync(directory, { recursive: true, force: true });
});

describe("a letter logged from its scan", () => {
  it(
    "with JavaScript: a scanned letter (no text layer) is read by OCR, its signer matched and corrected with the picker, saved, and a word from it finds it",
    async () => {
      const scan = path.join(directory, "scanned-meeks-letter.pdf");
      fs.writeFileSync(
        scan,
        await scannedPdf([
          {
            lines: [
              "April 17, 2025",
              "Dear Secretary Rubio:",
              "We write regarding the transfers to the Terrorism Confinement Center in El Salvador.",
              "Please answer the following questions no later than May 1, 2025:",
              "1. How many people have been transferred under the agreement?",
              "2. What has the United States paid for their detention?",
              "Sincerely,",
              "Gregory W. Meeks",
              "Ranking Member",
            ],
          },
        ]),
      );
      const page = await withJs.newPage();
      await signInAt(page, server.url, editor);
      await page.goto(`${server.url}/letters/new`);
      await waitForHydration(page);
      await page.getByLabel("Document (PDF, Word or text, up to 25 MB)").setInputFiles(scan);
      await page.getByRole("button", { name: "Upload and read" }).click();
      await page.waitForURL(/\/letters\/new\?document=\d+/);
      // OCR takes seconds to tens of seconds on a busy machine: wait for the proposal, not a time.
      await expect.poll(() => page.getByTestId("proposal-note").textContent(), { timeout: 200_000, interval: 1000 }).toMatch(/From scanned-meeks-letter\.pdf: Proposed/);
      expect(await page.getByTestId("question-editor").count()).toBeGreaterThanOrEqual(2);
      expect(await page.getByLabel("Deadline").inputValue()).toBe("2025-05-01");
      // The signer read from the scan is matched to the roster member, shown in the picker.
      expect(await page.getByLabel("Sender 1").inputValue()).toMatch(/Meeks/);
      // The staffer corrects it to another member with the picker, and saves.
      await page.getByLabel("Title", { exact: true }).fill("Transfers to CECOT (from a scan)");
      await pick(page, "Sender 1", "Joaquin Castro (D-TX)", { js: true });
      await pickUnlessMatched(page, "Recipient 1", "Marco Rubio, Secretary of State (U.S. Department of State)");
      await page.getByRole("button", { name: "Save letter" }).click();
      await page.waitForURL(/\/letters\/transfers-to-cecot/);
      expect(await page.locator("main").textContent()).toContain("Joaquin Castro");
      expect(await page.getByTestId("letter-documents").textContent()).toContain("scanned-meeks-letter.pdf");
      await page.goto(`${server.url}/search?q=${encodeURIComponent("Confinement")}`);
      expect(await page.getByTestId("results-document").textContent()).toContain("Transfers to CECOT (from a scan)");
    },
    JOURNEY_TIMEOUT + 120_000,
  );
});

describe("a letter logged from its PDF", () => {
  it(
    "with JavaScript: upload, proposal, one signer corrected with the picker, saved; listed on the letter page and found by search",
    async () => {
      const page = await withJs.newPage();
      const errors = watchErrors(page);
      await signInAt(page, server.url, editor);
      await page.goto(`${server.url}/letters/new`);
      await waitForHydration(page);
      await page.getByLabel("Document (PDF, Word or text, up to 25 MB)").setInputFiles(letterPdf);
      await page.getByRole("button", { name: "Upload and read" }).click();
      await page.waitForURL(/\/letters\/new\?document=\d+/);
      // The progress bar polls until the text is read, then the form is drawn again with the proposal.
      await expect.poll(() => page.getByTestId("proposal-note").textContent(), { timeout: 60_000 }).toMatch(/From meeks-rubio-cecot\.pdf: Proposed .*\b3 questions and requests/);
      expect(await page.getByTestId("question-editor").count()).toBe(3);
      expect(await page.getByLabel("Deadline").inputValue()).toBe("2025-05-01");
      expect(await page.getByTestId("form-documents").textContent()).toContain("meeks-rubio-cecot.pdf");

      await page.getByLabel("Title", { exact: true }).fill("CECOT transfers (from the PDF)");
      await page.getByLabel("Sent on").fill("2025-04-17");
      // The signer read from the PDF is matched to the roster member; the staffer changes it.
      expect(await page.getByLabel("Sender 1").inputValue()).toBe("Gregory W. Meeks (D-NY)");
      await pick(page, "Sender 1", "Joaquin Castro (D-TX)", { js: true });
      await pickUnlessMatched(page, "Recipient 1", "Marco Rubio, Secretary of State (U.S. Department of State)");
      await page.getByRole("button", { name: "Save letter" }).click();
      await page.waitForURL(/\/letters\/cecot-transfers/);
      const documents = page.getByTestId("letter-documents");
      await expect.poll(() => documents.textContent()).toContain("meeks-rubio-cecot.pdf");
      expect(await documents.textContent()).toMatch(/PDF, \d+ kB, 1 page/);
      const slug = new URL(page.url()).pathname.split("/").pop()!;
      const stored = queryOne<{ sha256: string; media_type: string }>(
        server.databasePath,
        "SELECT d.sha256, d.media_type FROM letter_documents ld JOIN documents d ON d.sha256 = ld.document_sha256 JOIN letters l ON l.id = ld.letter_id WHERE l.slug = ?",
        slug,
      )!;
      expect(stored.media_type).toBe("application/pdf");
      expect(stored.sha256).toBe(crypto.createHash("sha256").update(fs.readFileSync(letterPdf)).digest("hex"));

      // The download: the stored bytes, as an attachment, in a sandbox.
      const download = await page.request.get(`${server.url}/documents/${stored.sha256}`);
      expect(download.status()).toBe(200);
      expect(download.headers()["content-type"]).toBe("application/pdf");
      expect(download.headers()["content-disposition"]).toMatch(/^attachment; filename="meeks-rubio-cecot\.pdf"/);

      await page.goto(`${server.url}/search?q=${encodeURIComponent("Terrorism Confinement")}`);
      const hit = page.getByTestId("results-document").getByTestId("search-hit").filter({ hasText: "CECOT transfers (from the PDF)" });
      expect(await hit.getByTestId("document-snippet").textContent()).toMatch(/^p\. 1: .*Terrorism.*Confinement/);
      expect(await hit.locator("mark").first().textContent()).toBe("Terrorism");
      await hit.getByRole("link", { name: "CECOT transfers (from the PDF)" }).click();
      await page.waitForURL(`${server.url}/letters/${slug}`);
      expect(errors).toEqual([]);
    },
    JOURNEY_TIMEOUT,
  );

  it(
    "without JavaScript: a refused file is named with its reason; an upload's page refreshes itself until it is read, then stops",
    async () => {
      const page = await withoutJs.newPage();
      await signInAt(page, server.url, editor);
      await page.goto(`${server.url}/letters/new`);
      const png = path.join(directory, "scan.pdf");
      fs.writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(300).fill(1)]));
      const storedBefore = queryOne<{ n: number }>(server.databasePath, "SELECT COUNT(*) AS n FROM documents")!.n;
      await page.getByLabel("Document (PDF, Word or text, up to 25 MB)").setInputFiles(png);
      await page.getByRole("button", { name: "Upload and read" }).click();
      expect(await page.getByTestId("document-error").textContent()).toMatch(/^Document: .*image.*Nothing was stored\./i);
      expect(queryOne<{ n: number }>(server.databasePath, "SELECT COUNT(*) AS n FROM documents")!.n).toBe(storedBefore);

      // A job still being read elsewhere: the page shows its progress and refreshes itself.
      const sha = "e".repeat(64);
      const writer = new Database(server.databasePath);
      let jobId: number;
      try {
        writer.pragma("busy_timeout = 5000");
        writer.prepare("INSERT INTO documents (sha256, media_type, byte_size, original_name) VALUES (?, 'application/pdf', 1000, 'slow-scan.pdf')").run(sha);
        jobId = Number(
          writer
            .prepare(
              "INSERT INTO document_jobs (document_sha256, state, stage, page, pages, holder, lease_expires_at, created_by) VALUES (?, 'running', 'ocr', 1, 4, 'another-process', ?, (SELECT id FROM users WHERE email = ?))",
            )
            .run(sha, Date.now() + 3_600_000, editor.email).lastInsertRowid,
        );
      } finally {
        writer.close();
      }
      await page.goto(`${server.url}/letters/new?document=${jobId}`);
      expect(await page.getByTestId("document-progress").textContent()).toMatch(/Reading slow-scan\.pdf… Reading the scanned pages \(OCR\): page 1 of 4/);
      expect(await page.locator('meta[http-equiv="refresh"]').getAttribute("content")).toBe("2");
      const done = new Database(server.databasePath);
      try {
        done.pragma("busy_timeout = 5000");
        done.prepare("UPDATE document_jobs SET state = 'failed', error = 'the scan could not be read' WHERE id = ?").run(jobId);
      } finally {
        done.close();
      }
      // The refresh takes the page to the finished state, which refreshes no more.
      await page.getByTestId("document-failed").waitFor({ timeout: 30_000 });
      expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
      expect(await page.getByTestId("form-documents").textContent()).toContain("slow-scan.pdf");

      // A real upload without JavaScript reaches its proposal.
      await page.goto(`${server.url}/letters/new`);
      await page.getByLabel("Document (PDF, Word or text, up to 25 MB)").setInputFiles(letterPdf);
      await page.getByRole("button", { name: "Upload and read" }).click();
      await page.getByTestId("proposal-note").waitFor({ timeout: 60_000 });
      // The page is streamed: on a busy machine the note can be in before the questions below it
      // (a count at that moment found 0 or 1 of the 3 the note names).
      await expect.poll(() => page.getByTestId("question-editor").count()).toBe(3);
    },
    JOURNEY_TIMEOUT,
  );
});

describe("a hostile document", () => {
  it("HTML sent as .txt is stored as text and served as a download in a sandbox, never run in our origin", async () => {
    const page = await withJs.newPage();
    await signInAt(page, server.url, editor);
    await page.goto(`${server.url}/letters/new`);
    // A whole web page is refused by its content...
    const page_ = path.join(directory, "page.txt");
    fs.writeFileSync(page_, `<html><body><script>document.title = "pwned"</script></body></html>\n`);
    await waitForHydration(page);
    await page.getByLabel("Document (PDF, Word or text, up to 25 MB)").setInputFiles(page_);
    await page.getByRole("button", { name: "Upload and read" }).click();
    expect(await page.getByTestId("document-error").textContent()).toMatch(/^Document: .*web page \(HTML\)/);
    // ...but text with markup in it is text, and must never run as a page.
    const hostile = path.join(directory, "notes.txt");
    fs.writeFileSync(hostile, `Notes from the call\n<script>document.title = "pwned"; fetch("/letters/new")</script><svg onload="alert(1)"></svg>\n`);
    await page.getByLabel("Document (PDF, Word or text, up to 25 MB)").setInputFiles(hostile);
    await page.getByRole("button", { name: "Upload and read" }).click();
    await page.waitForURL(/document=\d+/);
    const sha = crypto.createHash("sha256").update(fs.readFileSync(hostile)).digest("hex");
    const answer = await page.request.get(`${server.url}/documents/${sha}/notes.html`);
    expect(answer.status()).toBe(200);
    const headers = answer.headers();
    expect(headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(headers["content-disposition"]).toMatch(/^attachment; filename="notes\.txt"/);
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["content-security-policy"]).toBe("sandbox; default-src 'none'");
    expect(headers.etag).toBe(`"${sha}"`);
    // Not attached to anything yet: not for anonymous readers.
    const anonymous = await fetch(`${server.url}/documents/${sha}`);
    expect(anonymous.status).toBe(404);
    expect(queryDb(server.databasePath, "SELECT media_type FROM documents WHERE sha256 = ?", sha)).toEqual([{ media_type: "text/plain; charset=utf-8" }]);
  });
});

describe("on a phone", () => {
  it("the upload form and the letter form fit 390 pixels, the file input is labelled and refusals are announced", async () => {
    const page = await phone.newPage();
    await signInAt(page, server.url, editor);
    await page.goto(`${server.url}/letters/new`);
    await waitForHydration(page);
    const input = page.getByLabel("Document (PDF, Word or text, up to 25 MB)");
    expect(await input.isVisible()).toBe(true);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    const empty = path.join(directory, "empty.txt");
    fs.writeFileSync(empty, "");
    await input.setInputFiles(empty);
    await page.getByRole("button", { name: "Upload and read" }).click();
    const error = page.getByRole("alert").filter({ hasText: "Document:" });
    expect(await error.textContent()).toMatch(/Document: the file is empty/);
    expect(await input.getAttribute("aria-describedby")).toContain("document-error");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});
