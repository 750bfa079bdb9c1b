/**
 * Attack 24, against the real production server (build/server.js) and Debian's Chromium: saves to a
 * letter or response a colleague deleted meanwhile (the edit route's recovered letter form, the
 * response forms' "Not saved" page) on a 390 px phone, on paper, without JavaScript and as a screen
 * reader user hears them. Each test is a finding: it fails while the fault is there.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { queryOne, signInAt, waitForHydration } from "../support/journeys";
import { createUserWithCli, startServer, type RunningServer } from "../support/server";

const WIDTH = 390;
const password = "correct horse battery staple";
const alice = { email: "alice-24@example.org", name: "Alice Editor", role: "editor" as const, password };
const bob = { email: "bob-24@example.org", name: "Bob Editor", role: "editor" as const, password };

let server: RunningServer;
/** Alice on a phone, with and without JavaScript; Bob (who deletes) on a desktop without it. */
let alicePhone: BrowserContext;
let alicePhoneNoJs: BrowserContext;
let bobBrowser: BrowserContext;
let aliceCookie = "";

beforeAll(async () => {
  server = await startServer();
  await createUserWithCli(server.databasePath, alice);
  await createUserWithCli(server.databasePath, bob);
  const login = await fetch(`${server.url}/login`, { method: "POST", body: new URLSearchParams({ email: alice.email, password }), redirect: "manual" });
  aliceCookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
  alicePhone = await launchBrowser({ viewport: { width: WIDTH, height: 844 } });
  alicePhoneNoJs = await launchBrowser({ viewport: { width: WIDTH, height: 844 }, javaScriptEnabled: false });
  bobBrowser = await launchBrowser({ javaScriptEnabled: false });
  await signInAt(await alicePhone.newPage(), server.url, alice);
  await signInAt(await alicePhoneNoJs.newPage(), server.url, alice);
  await signInAt(await bobBrowser.newPage(), server.url, bob);
}, 300_000);

afterAll(async () => {
  await alicePhone?.close();
  await alicePhoneNoJs?.close();
  await bobBrowser?.close();
  await server?.stop();
});

/** A demo letter no earlier test has deleted, matching `where` (SQL on `l`). */
const used = new Set<string>();
function freshLetter(where = "1 = 1"): string {
  const excluded = [...used].map((slug) => `'${slug.replace(/'/g, "''")}'`).join(", ") || "''";
  const slug = queryOne<{ slug: string }>(server.databasePath, `SELECT l.slug AS slug FROM letters l WHERE ${where} AND l.slug NOT IN (${excluded}) ORDER BY l.id LIMIT 1`)!.slug;
  used.add(slug);
  return slug;
}
const withoutResponses = "NOT EXISTS (SELECT 1 FROM responses r WHERE r.letter_id = l.id) AND (SELECT count(*) FROM questions q WHERE q.letter_id = l.id) >= 2";

async function bobDeletesLetter(slug: string): Promise<void> {
  const page = await bobBrowser.newPage();
  await page.goto(`${server.url}/letters/${slug}/edit?delete=1`);
  await page.getByRole("button", { name: "Yes, delete the letter" }).click();
  await page.waitForURL(`${server.url}/letters`);
  await page.close();
}

async function bobDeletesResponse(slug: string, responseId: number): Promise<void> {
  const page = await bobBrowser.newPage();
  await page.goto(`${server.url}/letters/${slug}/responses/${responseId}?delete=1`);
  await page.getByRole("button", { name: "Yes, delete the response" }).click();
  await page.waitForURL(new RegExp(`/letters/${slug}(#.*)?$`));
  await page.close();
}

/** Alice logs a response on a letter that Bob deletes before she saves: the "Not saved" page. */
async function notSavedResponsePage(context: BrowserContext, { js }: { js: boolean }): Promise<Page> {
  const slug = freshLetter(withoutResponses);
  const page = await context.newPage();
  await page.goto(`${server.url}/letters/${slug}/responses/new`);
  if (js) await waitForHydration(page);
  await page.locator('input[name="from"]').fill("Assistant Secretary for Legislative Affairs, U.S. Department of State, on behalf of the Secretary");
  await page.locator('textarea[name="summary"]').fill(
    [
      "The Department answered questions 1 and 2 in part.",
      "It declined to give the number of removals, citing ongoing litigation, and promised a briefing.",
      ...Array.from({ length: 14 }, (_, i) => `Point ${i + 1}: ${"the reply says more about this here. ".repeat(4)}`),
    ].join("\n"),
  );
  await bobDeletesLetter(slug);
  const answer = page.waitForResponse((response) => response.request().method() === "POST");
  await page.getByRole("button", { name: "Save response" }).click();
  expect((await answer).status()).toBe(410);
  await page.getByRole("heading", { level: 1, name: "Not saved" }).waitFor();
  return page;
}

/** Alice edits a letter that Bob deletes before she saves: the recovered letter form. */
async function recoveredLetterForm(context: BrowserContext, slug: string, { js, type }: { js: boolean; type?: (page: Page) => Promise<void> }): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${server.url}/letters/${slug}/edit`);
  if (js) await waitForHydration(page);
  await page.locator('textarea[name="questions[0].text"]').fill("Alice's rewrite of the first question.");
  await type?.(page);
  await bobDeletesLetter(slug);
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.getByRole("button", { name: "Save as a new letter" }).waitFor({ timeout: 20_000 });
  return page;
}

/** Text boxes whose text does not all show: more lines or columns than the box draws. */
function cutOffBoxes(page: Page, scope: string): Promise<string[]> {
  return page.evaluate(
    (selector) =>
      [...document.querySelectorAll<HTMLTextAreaElement>(`${selector} textarea`)]
        .filter((box) => getComputedStyle(box).display !== "none" && box.value.trim() !== "")
        .filter((box) => box.scrollHeight > box.clientHeight + 2 || box.scrollWidth > box.clientWidth + 2)
        .map((box) => `${box.name}: ${box.clientHeight} px of ${box.scrollHeight} px shown`),
    scope,
  );
}

describe("the response forms' 'Not saved' page (a letter deleted meanwhile)", () => {
  it("fits a 390 px phone: no sideways scrolling to read what was typed", async () => {
    const page = await notSavedResponsePage(alicePhone, { js: true });
    const width = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    // Seen: 519 px wide at 390 (each box is 60 columns, cols="60", with no max-width): every field and
    // its label run off the right edge.
    expect(width.scroll, `page ${width.scroll} px wide in a ${width.viewport} px viewport`).toBeLessThanOrEqual(width.viewport);
    await page.close();
  }, 120_000);

  it("on paper, shows the whole of each field typed (no text cut off inside a box)", async () => {
    const page = await notSavedResponsePage(alicePhone, { js: true });
    await page.emulateMedia({ media: "print" });
    // Seen: "summary: 124 px of 679 px shown": the 16-line summary printed in its box of rows=8
    // (rows = min(8, lines + 1)); on paper the rest of what was typed is not there.
    expect(await cutOffBoxes(page, ".error-page")).toEqual([]);
    // The values print as text, whole: the summary's last line is on the paper.
    const printed = await page.locator(".error-page").innerText();
    expect(printed).toContain("Point 14: the reply says more about this here.");
    await page.close();
  }, 120_000);

  it("without JavaScript, names each field in the form's own words, and lists no question ids Alice never typed", async () => {
    const page = await notSavedResponsePage(alicePhoneNoJs, { js: false });
    const labels = (await page.locator(".error-page label").allInnerTexts()).map((label) => label.trim());
    // Seen: "receivedOn", "from", "completeness", "sourceUrl", "summary", then for each question
    // "verdicts[0].questionId" (a database id, e.g. "10") and "verdicts[0].verdict" ("partial").
    expect(labels).toEqual(expect.arrayContaining(["Received on", "From", "Summary"]));
    expect(labels.filter((label) => /[[\]]|questionId|receivedOn|sourceUrl/.test(label))).toEqual([]);
    await page.close();
  }, 120_000);

  it("editing a response a colleague deleted (the letter is still there) says the response was deleted, not the letter", async () => {
    const { slug, id } = queryOne<{ slug: string; id: number }>(
      server.databasePath,
      "SELECT l.slug AS slug, r.id AS id FROM responses r JOIN letters l ON l.id = r.letter_id ORDER BY r.id LIMIT 1",
    )!;
    used.add(slug);
    const page = await alicePhoneNoJs.newPage();
    await page.goto(`${server.url}/letters/${slug}/responses/${id}`);
    await page.locator('textarea[name="summary"]').fill("Alice's corrected summary of the reply.");
    await bobDeletesResponse(slug, id);
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("heading", { level: 1, name: "Not saved" }).waitFor();
    expect((await fetch(`${server.url}/letters/${slug}`)).status, "the letter is still there").toBe(200);
    const said = await page.getByRole("alert").innerText();
    // Seen: "This letter was deleted after you opened the form (someone else deleted it)": the
    // response's loader answers null for a missing response, so the "response was deleted" wording
    // is never chosen, and a staffer is told the whole letter is gone.
    expect(said).not.toMatch(/letter was deleted/i);
    expect(said).toMatch(/response was deleted/i);
    await page.close();
  }, 120_000);

  it("a response posted to a letter that never existed is the 404 a GET gets, not 'someone else deleted it'", async () => {
    const target = `${server.url}/letters/no-such-letter-ever-2020-01-01/responses/new`;
    expect((await fetch(target, { headers: { Cookie: aliceCookie } })).status).toBe(404);
    const answer = await fetch(target, {
      method: "POST",
      headers: { Cookie: aliceCookie, Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ receivedOn: "2025-01-02", from: "Anyone", completeness: "partial" }),
      redirect: "manual",
    });
    const text = await answer.text();
    // Seen: 410 "This letter was deleted after you opened the form (someone else deleted it)" for an
    // address that never had a letter (the fault attack 23 found and commit 16380d4 fixed for the
    // letter's edit form only).
    expect(/someone else deleted it/.test(text), "the answer says someone else deleted the letter").toBe(false);
    expect(answer.status).toBe(404);
  }, 60_000);
});

describe("the recovered letter form (a letter deleted while Alice edited it)", () => {
  it("its page title says the letter was deleted and nothing was saved, with and without JavaScript", async () => {
    const titles: string[] = [];
    for (const [context, js] of [[alicePhoneNoJs, false], [alicePhone, true]] as const) {
      const page = await recoveredLetterForm(context, freshLetter(), { js });
      titles.push(await page.title());
      await page.close();
    }
    // Seen: "Letter not found" without JavaScript (the meta of a route without loader data) and, with
    // it, still "Edit: <the deleted letter's title> · Oversight Letter Tracker": the title a screen
    // reader announces first contradicts the page's heading "This letter was deleted".
    for (const title of titles) {
      expect(title).not.toMatch(/not found|^Edit:/i);
      expect(title).toMatch(/deleted|not saved/i);
    }
  }, 180_000);

  it("on paper, shows the whole of a long question and summary typed (no text cut off inside a box)", async () => {
    const page = await recoveredLetterForm(alicePhone, freshLetter(), {
      js: true,
      type: async (editing) => {
        await editing.locator('textarea[name="questions[0].text"]').fill(`Explain, for each of the following, ${"the basis and the date of the decision; ".repeat(40)}`);
        await editing.locator('textarea[name="summary"]').fill(`Alice's summary. ${"Another sentence of the summary she wrote. ".repeat(60)}`);
      },
    });
    await page.emulateMedia({ media: "print" });
    // Seen: "summary: 78 px of 1354 px shown", "questions[0].text: 56 px of 914 px shown" (and an
    // untouched seeded question, 56 of 78 px): what Alice typed is not on the paper.
    expect(await cutOffBoxes(page, "form.letter-form")).toEqual([]);
    await page.close();
  }, 120_000);

  it("without JavaScript, says which earlier question each repeated question asks again, as the edit form did", async () => {
    const slug = freshLetter("EXISTS (SELECT 1 FROM questions q WHERE q.letter_id = l.id AND q.repeats_question_id IS NOT NULL)");
    const editing = await alicePhoneNoJs.newPage();
    await editing.goto(`${server.url}/letters/${slug}/edit`);
    const notesBefore = await editing.locator(".repeat-note").allInnerTexts();
    expect(notesBefore.length).toBeGreaterThan(0);
    await editing.close();

    const page = await recoveredLetterForm(alicePhoneNoJs, slug, { js: false });
    // The links are kept (hidden questions[n].repeats fields) and saved with the new letter, but the
    // recovered form drops the notes ("Repeats question 1 of the letter of 31 Jan 2025 (…)"): only a
    // bare "Not a repeat: remove the link to the earlier question" box is left, with no earlier
    // question named (the boundary's labels have no `repeats`).
    expect(await page.locator(".repeat-note").allInnerTexts()).toEqual(notesBefore);
    await page.close();
  }, 120_000);

  it("names the deleted letter's document by its file name, not as 'A document (<hash>…)'", async () => {
    const slug = freshLetter();
    // The letter's PDF or text, attached as staff do: upload on the edit page, then save.
    const form = new FormData();
    form.append("document", new File([Buffer.from("Dear Secretary, please answer the questions below by May 1.\n".repeat(20))], "committee-letter.txt", { type: "text/plain" }));
    const posted = await fetch(`${server.url}/letters/${slug}/edit`, { method: "POST", body: form, headers: { Cookie: aliceCookie, Origin: server.url }, redirect: "manual" });
    expect(posted.status).toBe(302);
    const location = posted.headers.get("location")!;
    const job = /document=(\d+)/.exec(location)![1];
    for (let i = 0; i < 120; i++) {
      const state = (await (await fetch(`${server.url}/documents/jobs/${job}`, { headers: { Cookie: aliceCookie } })).json()) as { state: string };
      if (state.state === "done" || state.state === "failed") break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const attaching = await alicePhoneNoJs.newPage();
    await attaching.goto(`${server.url}${location.replace(/^https?:\/\/[^/]+/, "")}`);
    await attaching.getByRole("button", { name: "Save changes" }).click();
    await attaching.waitForURL(new RegExp(`/letters/${slug}$`));
    await attaching.close();

    const page = await recoveredLetterForm(alicePhoneNoJs, slug, { js: false });
    // Seen: "A document (2358f6fe04e8…) Remove document 1" (the boundary's form gets no document
    // names), and "Save as a new letter" then refused on /letters/new with "A document on this form
    // is no longer stored (it was removed meanwhile): upload it again", without saying which file.
    // Now: the document went with the letter, so the page names it to upload again, and the form
    // holds no document it would refuse.
    expect(await page.getByRole("alert").innerText()).toContain("committee-letter.txt");
    expect(await page.locator("body").innerText()).not.toMatch(/A document \([0-9a-f]{12}…\)/);
    await page.getByRole("button", { name: "Save as a new letter" }).click();
    await page.waitForURL(/\/letters\/(?!new)[^/]+$/);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).not.toMatch(/deleted|not saved/i);
    await page.close();
  }, 180_000);
});
