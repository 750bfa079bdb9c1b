/**
 * Attack 22, against the real production server (build/server.js) and Debian's Chromium. Each test
 * is a finding: it fails while the fault is there (see ATTACK-22.md).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { whitespaceStreamPdf } from "../support/document-fixtures";
import { rawPost } from "../support/raw-post";
import { queryDb, queryOne } from "../support/journeys";
import type { RunningServer } from "../support/server";
import { demoLetterSlug as demoLetterOf, startWithTwoEditors, type TwoEditors } from "../support/two-editors";

let staff: TwoEditors;
let server: RunningServer;
let editorA: BrowserContext;
let editorB: BrowserContext;
let cookieA = "";
let filesPath = "";

const MB = 1024 * 1024;

beforeAll(async () => {
  filesPath = fs.mkdtempSync(path.join(os.tmpdir(), "attack-22-files-"));
  staff = await startWithTwoEditors({ tag: "22", javaScriptEnabled: false, env: { FILES_PATH: filesPath } });
  ({ server, alice: editorA, bob: editorB, aliceCookie: cookieA } = staff);
}, 300_000);

afterAll(async () => {
  await staff?.stop();
});

function residentBytes(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((entry) => entry.startsWith("VmRSS:"));
  return Number(/(\d+)/.exec(line ?? "")?.[1] ?? NaN) * 1024;
}

function uploadsDirectory(): string {
  return path.join(filesPath, "tmp");
}

function leftoverUploads(): string[] {
  return fs.existsSync(uploadsDirectory()) ? fs.readdirSync(uploadsDirectory()) : [];
}

/** Files the server process holds open in FILES_PATH/tmp. */
function openUploads(): string[] {
  const fdDirectory = `/proc/${server.pid}/fd`;
  return fs.readdirSync(fdDirectory).flatMap((fd) => {
    try {
      const target = fs.readlinkSync(path.join(fdDirectory, fd));
      return target.startsWith(uploadsDirectory()) ? [target] : [];
    } catch {
      return [];
    }
  });
}

async function settle(condition: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 200));
}

/** A multipart post to `target` as signed-in Alice, on a raw connection (test/support/raw-post.ts). */
function rawMultipart(target: string, { body, chunked }: { body?: Buffer; chunked?: { head: Buffer; filler: number } }): Promise<string> {
  return rawPost({
    serverUrl: server.url,
    target,
    contentType: "multipart/form-data; boundary=XyZ",
    cookie: cookieA,
    body,
    chunked: chunked && { ...chunked, fillWith: 0x20, pieceBytes: MB },
  });
}

const part = (headers: string, content: string) => `--XyZ\r\n${headers}\r\n\r\n${content}\r\n`;
const closing = "--XyZ--\r\n";
const LETTER_TEXT = "Dear Secretary: please answer the questions below by May 1.\n".repeat(20);

const demoLetterSlug = (offset = 0) => demoLetterOf(server, offset);

describe("document uploads (busboy, commit a734a7d)", () => {
  it("a chunked upload refused at the size limit (413) leaves no temporary file and holds no file open", async () => {
    const slug = demoLetterSlug(0);
    // An ordinary upload first: the route is loaded and reads as it should.
    const ordinary = await rawMultipart(`/letters/${slug}/edit`, { body: Buffer.from(part('Content-Disposition: form-data; name="document"; filename="letter.txt"', LETTER_TEXT) + closing, "latin1") });
    expect(ordinary.slice(0, 12)).toBe("HTTP/1.1 302");
    const before = leftoverUploads().length;
    const head = Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="document"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n', "latin1");
    const answer = await rawMultipart(`/letters/${slug}/edit`, { chunked: { head, filler: 50 * MB } });
    expect(answer.slice(0, 12), answer.slice(0, 200)).toBe("HTTP/1.1 413");
    // The refused connection lingers 5 s at most (app/utils/body-limit.server.ts).
    await settle(() => openUploads().length === 0 && leftoverUploads().length === before);
    expect(openUploads()).toEqual([]);
    expect(leftoverUploads().length).toBe(before);
  }, 120_000);

  it("a part header the parser cannot read (a control character in the file name) is refused naming the Document field, and leaves no temporary file", async () => {
    const slug = demoLetterSlug(0);
    const before = leftoverUploads().length;
    const answers: string[] = [];
    for (let i = 0; i < 8; i++) {
      const body = Buffer.from(
        part('Content-Disposition: form-data; name="document"; filename="letter.txt"\r\nContent-Type: text/plain', LETTER_TEXT) +
          part('Content-Disposition: form-data; name="note\x01"', "x") +
          closing,
        "latin1",
      );
      answers.push(await rawMultipart(`/letters/${slug}/edit`, { body }));
    }
    await settle(() => leftoverUploads().length === before, 3_000);
    // Seen: no answer at all (the connection closed), and some of the eight left their temporary file.
    expect(answers.map((answer) => answer.slice(0, 12))).toEqual(answers.map(() => "HTTP/1.1 400"));
    expect(answers.every((answer) => answer.includes("Document: "))).toBe(true);
    expect(leftoverUploads().length).toBe(before);
  }, 120_000);

  it("a form whose file comes after more parts than the parser takes is not told to 'choose a file'", async () => {
    const slug = demoLetterSlug(0);
    const fields = Array.from({ length: 80 }, (_, i) => part(`Content-Disposition: form-data; name="keepJob"`, String(i))).join("");
    const body = Buffer.from(fields + part('Content-Disposition: form-data; name="document"; filename="letter.txt"', LETTER_TEXT) + closing, "latin1");
    const answer = await rawMultipart(`/letters/${slug}/edit`, { body });
    expect(answer.slice(0, 12)).toBe("HTTP/1.1 400");
    // The file was sent: the refusal must say what was wrong with the form (too many fields), not ask for a file.
    expect(/choose a file to upload/.test(answer), "refused with 'choose a file to upload'").toBe(false);
  }, 60_000);

});

async function questionTexts(page: Page): Promise<string[]> {
  const boxes = page.locator('textarea[name^="questions["][name$=".text"]');
  const count = await boxes.count();
  const texts: string[] = [];
  for (let i = 0; i < count; i++) texts.push(await boxes.nth(i).inputValue());
  return texts;
}

describe("two staffers at once (no JavaScript)", () => {

  it("a save made after a colleague deleted the letter says so and gives the form back with what was typed", async () => {
    const slug = demoLetterSlug(2);
    const page = await editorA.newPage();
    await page.goto(`${server.url}/letters/${slug}/edit`);
    const typed = "Alice's long rewrite of the first question, typed over ten minutes.";
    await page.locator('textarea[name="questions[0].text"]').fill(typed);

    const other = await editorB.newPage();
    await other.goto(`${server.url}/letters/${slug}/edit?delete=1`);
    await other.getByRole("button", { name: "Yes, delete the letter" }).click();
    await other.waitForURL(`${server.url}/letters`);

    const answer = page.waitForResponse((response) => response.request().method() === "POST");
    await page.getByRole("button", { name: "Save changes" }).click();
    const status = (await answer).status();
    await page.waitForLoadState();
    // Expected: the writer's own refusal ("This letter no longer exists: someone may have deleted it")
    // with the form holding the typing, as every other refused save does; not a bare 404 page.
    expect(status).not.toBe(404);
    expect(await page.locator("body").innerText()).toMatch(/deleted/i);
    expect(await page.locator('textarea[name="questions[0].text"]').inputValue()).toBe(typed);
    // What was typed can be logged anew, as a letter of its own.
    await page.getByRole("button", { name: "Save as a new letter" }).click();
    await page.waitForURL(/\/letters\/[^/]+$/);
    expect(page.url()).not.toMatch(/\/letters\/new$/);
    expect(await page.locator("main").innerText()).toContain(typed);
    await page.close();
    await other.close();
  }, 120_000);

  it("a response saved after a colleague deleted the letter says so and gives back what was typed", async () => {
    const slug = demoLetterSlug(3);
    const page = await editorA.newPage();
    await page.goto(`${server.url}/letters/${slug}/responses/new`);
    const typed = "The Department's reply, summarised by Alice over twenty minutes.";
    await page.locator('input[name="from"]').fill("Department of State");
    await page.locator('textarea[name="summary"]').fill(typed);

    const other = await editorB.newPage();
    await other.goto(`${server.url}/letters/${slug}/edit?delete=1`);
    await other.getByRole("button", { name: "Yes, delete the letter" }).click();
    await other.waitForURL(`${server.url}/letters`);

    const answer = page.waitForResponse((response) => response.request().method() === "POST");
    await page.getByRole("button", { name: "Save response" }).click();
    expect((await answer).status()).toBe(410);
    await page.waitForLoadState();
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Not saved");
    expect(await page.getByRole("alert").innerText()).toMatch(/deleted after you opened the form/);
    expect(await page.locator('textarea[name="summary"]').inputValue()).toBe(typed);
    await page.close();
    await other.close();
  }, 120_000);

  it("'Propose from text' on the edit page, saved, keeps the questions it proposed unchanged: a colleague's verdicts and the follow-ups' repeat links survive", async () => {
    // The letter whose questions later letters ask again (seeded links), with a response by Bob.
    const original = queryOne<{ slug: string; id: number }>(
      server.databasePath,
      `SELECT l.slug AS slug, l.id AS id FROM questions q JOIN questions o ON o.id = q.repeats_question_id JOIN letters l ON l.id = o.letter_id
       GROUP BY l.id ORDER BY count(*) DESC, l.id LIMIT 1`,
    )!;
    const repeatLinks = () =>
      queryOne<{ n: number }>(server.databasePath, "SELECT count(*) AS n FROM questions q JOIN questions o ON o.id = q.repeats_question_id WHERE o.letter_id = ?", original.id)!.n;
    const verdicts = () =>
      queryOne<{ n: number }>(server.databasePath, "SELECT count(*) AS n FROM question_assessments a JOIN questions q ON q.id = a.question_id WHERE q.letter_id = ?", original.id)!.n;
    expect(repeatLinks()).toBeGreaterThan(0);

    const bobs = await editorB.newPage();
    await bobs.goto(`${server.url}/letters/${original.slug}/responses/new`);
    const sentOn = queryOne<{ sentOn: string }>(server.databasePath, "SELECT sent_on AS sentOn FROM letters WHERE id = ?", original.id)!.sentOn;
    const received = new Date(Date.parse(sentOn) + 20 * 86_400_000).toISOString().slice(0, 10);
    await bobs.locator('input[name="receivedOn"]').fill(received);
    await bobs.locator('input[name="from"]').fill("Department of State");
    await bobs.getByRole("button", { name: "Save response" }).click();
    await bobs.waitForURL(new RegExp(`/letters/${original.slug}`));
    await bobs.close();
    const verdictsBefore = verdicts();
    const linksBefore = repeatLinks();
    expect(verdictsBefore).toBeGreaterThan(0);

    // Alice pastes the letter's own text (its questions as they stand) and proposes, then saves.
    const page = await editorA.newPage();
    await page.goto(`${server.url}/letters/${original.slug}/edit`);
    const texts = await questionTexts(page);
    const letterText = ["Dear Secretary Blinken:", "", "Please provide the following:", "", ...texts.map((text, i) => `${i + 1}. ${text}`), "", "Sincerely,", "Michael McCaul"].join("\n");
    await page.locator("summary", { hasText: "Paste the letter text" }).click();
    await page.getByLabel("Letter text").fill(letterText);
    await page.getByRole("button", { name: "Propose from text" }).click();
    await page.waitForLoadState();
    expect(await questionTexts(page)).toEqual(texts);
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(`${server.url}/letters/${original.slug}`);
    await page.close();

    // The same questions, so the same ids: nothing Bob recorded and no link of a follow-up is gone.
    expect(verdicts()).toBe(verdictsBefore);
    expect(repeatLinks()).toBe(linksBefore);
  }, 180_000);
});

async function uploadAndWait(slug: string, pdf: Buffer, name: string): Promise<{ state: string; error: string | null }> {
  const form = new FormData();
  form.append("document", new File([new Uint8Array(pdf)], name, { type: "application/pdf" }));
  const posted = await fetch(`${server.url}/letters/${slug}/edit`, { method: "POST", body: form, headers: { Cookie: cookieA, Origin: server.url }, redirect: "manual" });
  expect(posted.status).toBe(302);
  const job = /document=(\d+)$/.exec(posted.headers.get("location") ?? "")![1];
  for (;;) {
    const state = (await (await fetch(`${server.url}/documents/jobs/${job}`, { headers: { Cookie: cookieA } })).json()) as { state: string; error: string | null };
    if (state.state === "done" || state.state === "failed") return state;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe("document reading memory (commit e553909)", () => {
  it("a PDF stopped for its memory gives the memory back: two in a row do not leave the server gigabytes larger", async () => {
    const slug = demoLetterSlug(0);
    // 1.8 GB of spaces in one content stream: about 1.8 MB uploaded, stopped past twice the heap.
    const first = await uploadAndWait(slug, await whitespaceStreamPdf(1800 * MB, "one"), "spaces-one.pdf");
    expect(first.state).toBe("failed");
    expect(first.error).toMatch(/memory/);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const afterFirst = residentBytes(server.pid);
    const second = await uploadAndWait(slug, await whitespaceStreamPdf(1800 * MB, "two"), "spaces-two.pdf");
    expect(second.state).toBe("failed");
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const afterSecond = residentBytes(server.pid);
    // Seen: +1.8 GB resident after each stopped document, never returned (5.9 GB after three).
    expect(afterSecond - afterFirst).toBeLessThan(512 * MB);
  }, 300_000);
});

describe("exports (commit 4bf3dc2)", () => {
  it("one reader downloading the CSV and the .xlsx of the letters at the same time gets both", async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const answers = await Promise.all(
        [`/export/letters.csv?n=${attempt}`, `/export/letters.xlsx?n=${attempt}`].map(async (address) => {
          const response = await fetch(`${server.url}${address}`);
          await response.arrayBuffer();
          return response.status;
        }),
      );
      statuses.push(...answers);
    }
    expect(statuses.every((status) => status === 200)).toBe(true);
  }, 60_000);
});

// Keep the database helpers referenced (some runs skip tests).
void queryDb;
