/**
 * A staffer's day, journey by journey, in a real Chromium against the built server and its seeded
 * demo letters. Each journey checks what the user sees afterwards (the letter page, never an error
 * page) and what the database holds (the server's SQLite file, opened read-only). Journeys that a
 * page allows without JavaScript run a second time in a browser with JavaScript off, on another
 * demo letter.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import {
  expectOnLetterPage,
  fieldFrame,
  historySectionText,
  pageHistory,
  pageQuestions,
  pick,
  queryDb,
  queryOne,
  signInAt,
  waitForHydration,
  watchFailures,
  type Credentials,
} from "../support/journeys";
import { createUserWithCli, startServer, type RunningServer } from "../support/server";
import { formatDate } from "~/domain/dates";
import { slugify } from "~/domain/slug";

let server: RunningServer;
let withJs: BrowserContext;
let withoutJs: BrowserContext;

const editor = { email: "erin@example.org", name: "Erin Editor", role: "editor" as const, password: "correct horse battery staple" };
const secondEditor = { email: "sam@example.org", name: "Sam Second", role: "editor" as const, password: "another correct horse battery" };

const JOURNEY_TIMEOUT = 180_000;

beforeAll(async () => {
  server = await startServer();
  await createUserWithCli(server.databasePath, editor);
  await createUserWithCli(server.databasePath, secondEditor);
  withJs = await launchBrowser();
  withoutJs = await launchBrowser({ javaScriptEnabled: false });
});

afterAll(async () => {
  await withJs?.close();
  await withoutJs?.close();
  await server?.stop();
});

// ---------------------------------------------------------------------------------------------
// Helpers

interface QuestionRow {
  id: number;
  number: number;
  text: string;
  kind: string;
  verdict: string | null;
}
interface LetterRow {
  id: number;
  slug: string;
  title: string;
  version: number;
  summary: string | null;
  notes: string | null;
  internal_notes: string | null;
  sent_on: string;
  deadline: string | null;
  effective_deadline: string | null;
  closed_on: string | null;
  closed_reason: string | null;
  follows_up_id: number | null;
}

const db = () => server.databasePath;
const letterBySlug = (slug: string) => queryOne<LetterRow>(db(), "SELECT * FROM letters WHERE slug = ?", slug);
function letterOf(slug: string): LetterRow {
  const letter = letterBySlug(slug);
  if (!letter) throw new Error(`no letter ${slug} in the database`);
  return letter;
}
/** The letter's questions in order, each with its verdict (the journeys keep at most one response with verdicts). */
const questionRows = (letterId: number) =>
  queryDb<QuestionRow>(
    db(),
    `SELECT q.id, q.number, q.text, q.kind, qa.verdict
       FROM questions q LEFT JOIN question_assessments qa ON qa.question_id = q.id
      WHERE q.letter_id = ? ORDER BY q.number`,
    letterId,
  );
const verdictsOf = (responseId: number) =>
  Object.fromEntries(
    queryDb<{ number: number; verdict: string }>(
      db(),
      `SELECT q.number, qa.verdict FROM question_assessments qa JOIN questions q ON q.id = qa.question_id
        WHERE qa.response_id = ? ORDER BY q.number`,
      responseId,
    ).map((row) => [row.number, row.verdict]),
  );

const STATUS_OF_VERDICT: Record<string, string> = { answered: "answered", partial: "partial", refused: "refused", not_addressed: "open" };

async function newPage(context: BrowserContext, user: Credentials = editor): Promise<{ page: Page; failures: string[] }> {
  const page = await context.newPage();
  const failures = watchFailures(page);
  await signInAt(page, server.url, user);
  return { page, failures };
}

/** Goes to a staff page by following the letter page's link, as a staffer would. */
async function follow(page: Page, js: boolean, name: string | RegExp, url: RegExp): Promise<void> {
  await page.getByRole("link", { name, exact: typeof name === "string" ? true : undefined }).first().click();
  await page.waitForURL(url);
  if (js) await waitForHydration(page);
}

async function openLetter(page: Page, js: boolean, slug: string): Promise<void> {
  await page.goto(`${server.url}/letters/${slug}`);
  await expectOnLetterPage(page, slug);
  if (js) await waitForHydration(page);
}

/** The text of a fact on the letter page ("Deadline", "Closed"), or null when it is not shown. */
async function fact(page: Page, name: string): Promise<string | null> {
  const term = page.locator("dl.facts > dt", { hasText: new RegExp(`^${name}$`) });
  if ((await term.count()) === 0) return null;
  return term.locator("xpath=following-sibling::dd[1]").textContent();
}

/** After a stale save: the conflict notice, not an error page. */
async function expectConflictNotice(page: Page): Promise<string> {
  await expect.poll(() => page.locator("[data-testid=conflict], .error-page").count()).toBe(1);
  const errorPage = (await page.locator(".error-page").count()) > 0 ? await page.locator(".error-page").textContent() : null;
  expect(errorPage, "the stale save showed an error page").toBeNull();
  return (await page.getByTestId("conflict").textContent()) ?? "";
}

async function latestHistory(page: Page) {
  const entries = await pageHistory(page);
  expect(entries.length).toBeGreaterThan(0);
  return entries[0]!;
}

/**
 * After a corrected field is typed in, its error goes (with JavaScript, as the staffer types). Wait
 * for that before pressing the button: the error's line leaving moves the button, and a click aimed
 * before the page re-drew lands where the button was (a loaded machine draws late).
 */
async function expectFieldErrorGone(page: Page, label: string): Promise<void> {
  // allTextContents does not wait for the element: with no error there may be none.
  await expect.poll(async () => (await fieldFrame(page, label).locator(".field-errors").allTextContents()).join("").trim()).toBe("");
}

/** The field shows an error naming it, the control is marked invalid, and the URL did not move. */
async function expectFieldError(page: Page, label: string, message: string | RegExp): Promise<void> {
  await expect.poll(() => fieldFrame(page, label).locator(".field-errors").textContent().catch(() => "")).toMatch(message);
  expect(await page.getByLabel(label, { exact: true }).getAttribute("aria-invalid")).toBe("true");
  expect(await page.locator(".error-page").count()).toBe(0);
}

// ---------------------------------------------------------------------------------------------
// Journeys

/**
 * Journey 1: a letter with questions and verdicts; edit its title, then a question's text, then
 * reorder, remove and add questions. Verdicts stay on their questions (by id) throughout.
 */
async function editLetterJourney(context: BrowserContext, js: boolean, slug: string, receivedOn: string) {
  const { page, failures } = await newPage(context);
  const letter = letterOf(slug);
  const original = questionRows(letter.id);
  expect(original.length).toBeGreaterThanOrEqual(3);
  expect(original.every((row) => row.verdict === null)).toBe(true);

  // A response with a verdict on every question, logged through the form.
  const verdicts = ["answered", "refused", "partial", "not_addressed"].slice(0, original.length);
  while (verdicts.length < original.length) verdicts.push("answered");
  await openLetter(page, js, slug);
  await follow(page, js, "Log a response", /\/responses\/new$/);
  await page.getByLabel("Received on").fill(receivedOn);
  await page.getByLabel("From").fill("Bureau of Legislative Affairs");
  for (const [index, verdict] of verdicts.entries()) await page.getByLabel(`Verdict on question ${index + 1}`).selectOption(verdict);
  await page.getByRole("button", { name: "Save response" }).click();
  await expectOnLetterPage(page, slug, letter.title);
  const withVerdicts = questionRows(letter.id);
  expect(withVerdicts.map((row) => row.verdict)).toEqual(verdicts);
  const verdictById = new Map(withVerdicts.map((row) => [row.id, row.verdict!]));
  const statusById = new Map(withVerdicts.map((row) => [row.id, STATUS_OF_VERDICT[row.verdict!]!]));
  await expect.poll(() => pageQuestions(page)).toEqual(withVerdicts.map((row) => ({ text: row.text, status: statusById.get(row.id) })));

  /** After each save: DB questions in this order; kept ids keep their verdicts; the page agrees. */
  async function expectQuestions(texts: string[]): Promise<QuestionRow[]> {
    const rows = questionRows(letter.id);
    expect(rows.map((row) => row.text)).toEqual(texts);
    expect(rows.map((row) => row.number)).toEqual(texts.map((_, index) => index + 1));
    for (const row of rows) expect(row.verdict).toBe(verdictById.get(row.id) ?? null);
    await expect.poll(() => pageQuestions(page)).toEqual(rows.map((row) => ({ text: row.text, status: statusById.get(row.id) ?? "open" })));
    return rows;
  }
  async function openEdit() {
    await follow(page, js, "Edit", /\/edit$/);
    await expect.poll(() => page.getByTestId("question-editor").count()).toBe(questionRows(letter.id).length);
  }
  async function save(title: string) {
    await page.getByRole("button", { name: "Save changes" }).click();
    await expectOnLetterPage(page, slug, title);
  }

  // 1. The title alone.
  const newTitle = `${letter.title} (title edited)`;
  await openEdit();
  await page.getByLabel("Title", { exact: true }).fill(newTitle);
  await save(newTitle);
  expect(letterOf(slug).title).toBe(newTitle);
  let texts = await expectQuestions(withVerdicts.map((row) => row.text)).then((rows) => rows.map((row) => row.text));
  let entry = await latestHistory(page);
  expect(entry.summary).toMatch(/Erin Editor.*Edited: title$/s);
  expect(entry.changes).toEqual({ title: [letter.title, newTitle] });

  /** A question list as the history shows it. */
  const listed = (rows: QuestionRow[]) => rows.map((row) => `${row.number}. [${row.kind}] ${row.text}`).join("; ");
  let rowsBefore = questionRows(letter.id);

  // 2. One question's text.
  const editedText = `${texts[1]} (reworded)`;
  await openEdit();
  await page.getByLabel("Question 2", { exact: true }).fill(editedText);
  await save(newTitle);
  const afterReword = [texts[0]!, editedText, ...texts.slice(2)];
  const reworded = await expectQuestions(afterReword);
  expect(reworded[1]!.id).toBe(withVerdicts[1]!.id);
  entry = await latestHistory(page);
  expect(entry.summary).toMatch(/Edited: questions$/);
  expect(entry.changes.questions).toEqual([listed(rowsBefore), listed(reworded)]);
  texts = afterReword;
  rowsBefore = reworded;

  // 3. Reorder: question 1 moves down, below question 2.
  await openEdit();
  await page.getByTestId("question-editor").nth(0).getByRole("button", { name: "Move down" }).click();
  await expect.poll(() => page.getByLabel("Question 1", { exact: true }).inputValue()).toBe(texts[1]);
  expect(await page.getByLabel("Question 2", { exact: true }).inputValue()).toBe(texts[0]);
  await save(newTitle);
  const afterMove = [texts[1]!, texts[0]!, ...texts.slice(2)];
  const moved = await expectQuestions(afterMove);
  expect(moved.slice(0, 2).map((row) => row.id)).toEqual([withVerdicts[1]!.id, withVerdicts[0]!.id]);
  entry = await latestHistory(page);
  expect(entry.changes.questions).toEqual([listed(rowsBefore), listed(moved)]);
  texts = afterMove;
  rowsBefore = moved;

  // 4. Remove question 3: its verdict goes with it, the others stay.
  const removedId = moved[2]!.id;
  await openEdit();
  await page.getByRole("button", { name: "Remove question 3" }).click();
  await expect.poll(() => page.getByTestId("question-editor").count()).toBe(texts.length - 1);
  await save(newTitle);
  const afterRemove = [...texts.slice(0, 2), ...texts.slice(3)];
  const remaining = await expectQuestions(afterRemove);
  expect(queryDb(db(), "SELECT * FROM questions WHERE id = ?", removedId)).toEqual([]);
  expect(queryDb(db(), "SELECT * FROM question_assessments WHERE question_id = ?", removedId)).toEqual([]);
  entry = await latestHistory(page);
  expect(entry.changes.questions).toEqual([listed(rowsBefore), listed(remaining)]);
  texts = afterRemove;
  rowsBefore = remaining;

  // 5. Add a question at the end.
  const addedText = "Provide the signed agreement and every annex to it.";
  await openEdit();
  await page.getByRole("button", { name: "Add a question" }).click();
  await expect.poll(() => page.getByTestId("question-editor").count()).toBe(texts.length + 1);
  await page.getByLabel(`Question ${texts.length + 1}`, { exact: true }).fill(addedText);
  await save(newTitle);
  const afterAdd = [...texts, addedText];
  const added = await expectQuestions(afterAdd);
  expect(added.at(-1)!.id).toBeGreaterThan(Math.max(...withVerdicts.map((row) => row.id)));
  entry = await latestHistory(page);
  expect(entry.changes.questions).toEqual([listed(rowsBefore), listed(added)]);
  expect(added.at(-1)!.kind).toBe("question");

  // All along, the response kept one verdict per surviving original question.
  expect(queryOne<{ n: number }>(db(), "SELECT count(*) AS n FROM question_assessments qa JOIN responses r ON r.id = qa.response_id WHERE r.letter_id = ?", letter.id)!.n).toBe(
    original.length - 1,
  );
  expect(failures).toEqual([]);
  await page.close();
}

/** Journey 2: log a response with verdicts on some questions, edit its verdicts, delete it. */
async function responseJourney(context: BrowserContext, js: boolean, slug: string, receivedOn: string) {
  const { page, failures } = await newPage(context);
  const letter = letterOf(slug);
  const questions = questionRows(letter.id);
  expect(questions.length).toBeGreaterThanOrEqual(3);
  await openLetter(page, js, slug);
  expect((await pageQuestions(page)).map((question) => question.status)).toEqual(questions.map(() => "open"));
  const from = `Legislative Affairs, journey ${js ? "js" : "nojs"}`;

  // Log it.
  await follow(page, js, "Log a response", /\/responses\/new$/);
  await page.getByLabel("Received on").fill(receivedOn);
  await page.getByLabel("From").fill(from);
  await page.getByLabel("Completeness").selectOption("partial");
  await page.getByLabel("Summary").fill("Answered the first question, part of the second.");
  await page.getByLabel("Verdict on question 1").selectOption("answered");
  await page.getByLabel("Verdict on question 2").selectOption("partial");
  for (let number = 3; number <= questions.length; number++) await page.getByLabel(`Verdict on question ${number}`).selectOption("");
  await page.getByRole("button", { name: "Save response" }).click();
  await expectOnLetterPage(page, slug, letter.title);
  const response = queryOne<{ id: number; summary: string; completeness: string; version: number }>(
    db(),
    `SELECT id, summary, completeness, version FROM responses WHERE letter_id = ? AND "from" = ?`,
    letter.id,
    from,
  );
  expect(response).toMatchObject({ completeness: "partial", summary: "Answered the first question, part of the second." });
  expect(verdictsOf(response!.id)).toEqual({ 1: "answered", 2: "partial" });
  await expect.poll(async () => (await pageQuestions(page)).map((question) => question.status)).toEqual(["answered", "partial", ...questions.slice(2).map(() => "open")]);
  expect(await page.locator("ul.responses").textContent()).toContain(from);
  expect((await latestHistory(page)).summary).toMatch(new RegExp(`Logged a partial response of ${receivedOn}$`));

  // Edit its verdicts.
  const editUrl = new RegExp(`/letters/${slug}/responses/${response!.id}$`);
  await page.locator(`a[href="/letters/${slug}/responses/${response!.id}"]`).click();
  await page.waitForURL(editUrl);
  if (js) await waitForHydration(page);
  expect(await page.getByLabel("Verdict on question 1").inputValue()).toBe("answered");
  expect(await page.getByLabel("From").inputValue()).toBe(from);
  await page.getByLabel("Verdict on question 1").selectOption("refused");
  await page.getByLabel("Verdict on question 2").selectOption("");
  await page.getByLabel("Verdict on question 3").selectOption("answered");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expectOnLetterPage(page, slug, letter.title);
  expect(verdictsOf(response!.id)).toEqual({ 1: "refused", 3: "answered" });
  await expect.poll(async () => (await pageQuestions(page)).map((question) => question.status)).toEqual(["refused", "open", "answered", ...questions.slice(3).map(() => "open")]);
  const edited = await latestHistory(page);
  expect(edited.summary).toMatch(new RegExp(`Edited the response of ${receivedOn}: verdicts$`));
  expect(edited.changes.verdicts).toEqual(["1: answered; 2: partial", "1: refused; 3: answered"]);

  // Delete it, through its confirmation step.
  await page.locator(`a[href="/letters/${slug}/responses/${response!.id}"]`).click();
  await page.waitForURL(editUrl);
  if (js) await waitForHydration(page);
  await page.getByRole("link", { name: "Delete this response…" }).click();
  await page.waitForURL(/\?delete=1$/);
  expect(queryOne(db(), "SELECT id FROM responses WHERE id = ?", response!.id)).toBeDefined();
  await page.getByRole("button", { name: "Yes, delete the response" }).click();
  await expectOnLetterPage(page, slug, letter.title);
  expect(queryOne(db(), "SELECT id FROM responses WHERE id = ?", response!.id)).toBeUndefined();
  expect(queryDb(db(), "SELECT * FROM question_assessments WHERE response_id = ?", response!.id)).toEqual([]);
  await expect.poll(async () => (await pageQuestions(page)).map((question) => question.status)).toEqual(questions.map(() => "open"));
  expect(await page.locator("article.letter").textContent()).not.toContain(from);
  expect((await latestHistory(page)).summary).toMatch(new RegExp(`Deleted the response of ${receivedOn}$`));
  expect(failures).toEqual([]);
  await page.close();
}

/** Journey 3: record then remove an extension; close then reopen the letter. */
async function deadlineJourney(
  context: BrowserContext,
  js: boolean,
  slug: string,
  dates: { newDeadline: string; grantedOn: string; closedOn: string },
) {
  const { page, failures } = await newPage(context);
  const letter = letterOf(slug);
  expect(letter.deadline).not.toBeNull();
  expect(letter.closed_on).toBeNull();
  await openLetter(page, js, slug);
  expect(await fact(page, "Deadline")).toBe(formatDate(letter.deadline));

  // Record an extension.
  await follow(page, js, "Record an extension", /\/deadline$/);
  await page.getByLabel("New deadline").fill(dates.newDeadline);
  await page.getByLabel("Date granted").fill(dates.grantedOn);
  await page.getByLabel("Reason").fill("The department asked for more time");
  await page.getByRole("button", { name: "Record extension" }).click();
  await expectOnLetterPage(page, slug, letter.title);
  await expect.poll(() => fact(page, "Deadline")).toBe(`${formatDate(dates.newDeadline)} (originally ${formatDate(letter.deadline)})`);
  const extension = queryOne<{ id: number; new_deadline: string; granted_on: string; reason: string }>(db(), "SELECT * FROM deadline_changes WHERE letter_id = ?", letter.id);
  expect(extension).toMatchObject({ new_deadline: dates.newDeadline, granted_on: dates.grantedOn, reason: "The department asked for more time" });
  expect(letterOf(slug)).toMatchObject({ deadline: letter.deadline, effective_deadline: dates.newDeadline });
  expect((await latestHistory(page)).summary).toMatch(new RegExp(`Deadline extended to ${dates.newDeadline}$`));

  // Remove it, through its confirmation step.
  await follow(page, js, "Record an extension", /\/deadline$/);
  await page.getByRole("link", { name: "Remove…" }).click();
  await page.waitForURL(new RegExp(`\\?remove=${extension!.id}$`));
  await page.getByRole("button", { name: "Yes, remove this extension" }).click();
  await page.waitForURL(new RegExp(`/letters/${slug}/deadline$`));
  await expect.poll(() => page.getByRole("link", { name: "Remove…" }).count()).toBe(0);
  expect(await page.locator(".error-page").count()).toBe(0);
  expect(queryDb(db(), "SELECT * FROM deadline_changes WHERE letter_id = ?", letter.id)).toEqual([]);
  expect(letterOf(slug)).toMatchObject({ deadline: letter.deadline, effective_deadline: letter.deadline });
  await page.getByRole("link", { name: `← ${letter.title}` }).click();
  await expectOnLetterPage(page, slug, letter.title);
  await expect.poll(() => fact(page, "Deadline")).toBe(formatDate(letter.deadline));
  expect((await latestHistory(page)).summary).toMatch(new RegExp(`Removed the extension to ${dates.newDeadline}$`));

  // Close it.
  if (js) await waitForHydration(page);
  await follow(page, js, "Close", /\/close$/);
  await page.getByLabel("Closed on").fill(dates.closedOn);
  await page.getByLabel("Reason").fill("Superseded by a subpoena");
  await page.getByRole("button", { name: "Close the letter" }).click();
  await expectOnLetterPage(page, slug, letter.title);
  await expect.poll(() => fact(page, "Closed")).toBe(`${formatDate(dates.closedOn)}: Superseded by a subpoena`);
  expect(await page.locator(".letter-status [data-status]").getAttribute("data-status")).toBe("closed");
  expect(letterOf(slug)).toMatchObject({ closed_on: dates.closedOn, closed_reason: "Superseded by a subpoena" });
  expect((await latestHistory(page)).summary).toMatch(/Closed: Superseded by a subpoena$/);

  // Reopen it.
  await follow(page, js, "Reopen", /\/close$/);
  await page.getByRole("button", { name: "Reopen the letter" }).click();
  await expectOnLetterPage(page, slug, letter.title);
  await expect.poll(() => fact(page, "Closed")).toBeNull();
  expect(await page.locator(".letter-status [data-status]").getAttribute("data-status")).not.toBe("closed");
  expect(await page.getByRole("link", { name: "Close", exact: true }).count()).toBe(1);
  expect(letterOf(slug)).toMatchObject({ closed_on: null, closed_reason: null });
  expect((await latestHistory(page)).summary).toMatch(/Reopened$/);
  expect(failures).toEqual([]);
  await page.close();
}

/** Journey 4: draft a follow-up from the letter page, save it, then edit the original. */
async function followUpJourney(context: BrowserContext, js: boolean, originalSlug: string, followUp: { title: string; sentOn: string }) {
  const { page, failures } = await newPage(context);
  const original = letterOf(originalSlug);
  const openQuestions = queryDb<{ text: string }>(db(), "SELECT text FROM questions WHERE letter_id = ? AND status = 'open' ORDER BY number", original.id);
  expect(openQuestions.length).toBeGreaterThan(0);
  await openLetter(page, js, originalSlug);

  await page.getByTestId("draft-follow-up").click();
  await page.waitForURL(new RegExp(`/letters/new\\?followUp=${originalSlug}$`));
  if (js) await waitForHydration(page);
  expect(await page.getByLabel("Title", { exact: true }).inputValue()).toBe(`Follow-up: ${original.title}`);
  await expect.poll(() => page.getByTestId("question-editor").count()).toBe(openQuestions.length);
  await page.getByLabel("Title", { exact: true }).fill(followUp.title);
  await page.getByLabel("Sent on").fill(followUp.sentOn);
  await page.getByRole("button", { name: "Save letter" }).click();
  const followUpSlug = `${slugify(followUp.title).slice(0, 60).replace(/-+$/, "")}-${followUp.sentOn}`;
  await expectOnLetterPage(page, followUpSlug, followUp.title);
  const saved = letterOf(followUpSlug);
  expect(saved.follows_up_id).toBe(original.id);
  expect(queryDb<{ text: string }>(db(), "SELECT text FROM questions WHERE letter_id = ? ORDER BY number", saved.id)).toEqual(openQuestions);
  expect(await page.getByTestId("follows-up-link").getAttribute("href")).toBe(`/letters/${originalSlug}`);
  expect(await page.getByTestId("follows-up-link").textContent()).toBe(original.title);
  expect((await pageHistory(page)).map((entry) => entry.summary)).toEqual([expect.stringMatching(/Logged the letter$/)]);

  // Edit the original.
  await openLetter(page, js, originalSlug);
  await follow(page, js, "Edit", /\/edit$/);
  const summary = "A follow-up letter went out after no answer came.";
  await page.getByLabel("Summary").fill(summary);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expectOnLetterPage(page, originalSlug, original.title);
  expect(letterOf(originalSlug).summary).toBe(summary);
  expect(letterOf(followUpSlug).follows_up_id).toBe(original.id);
  await expect.poll(() => page.locator("p.summary").textContent()).toBe(summary);
  expect(await page.getByTestId("followed-up-by-link").evaluateAll((links) => links.map((link) => link.getAttribute("href")))).toContain(`/letters/${followUpSlug}`);
  expect(await page.locator("ol.chain").textContent()).toContain(followUp.title);
  expect((await latestHistory(page)).summary).toMatch(/Edited: summary$/);

  // And the follow-up still points back.
  await page.getByTestId("followed-up-by-link").filter({ hasText: followUp.title }).click();
  await expectOnLetterPage(page, followUpSlug, followUp.title);
  expect(await page.getByTestId("follows-up-link").getAttribute("href")).toBe(`/letters/${originalSlug}`);
  expect(await page.locator("ol.chain").textContent()).toContain(original.title);
  expect(failures).toEqual([]);
  await page.close();
}

/**
 * Journey 5: an invalid submission of every staff form keeps what was typed, names the field, and
 * changes nothing in the database.
 */
async function invalidSubmissionsJourney(context: BrowserContext, js: boolean, slug: string) {
  const { page, failures } = await newPage(context);
  const letter = letterOf(slug);
  const response = queryOne<{ id: number; received_on: string; from: string; version: number; summary: string | null }>(
    db(),
    `SELECT id, received_on, "from", version, summary FROM responses WHERE letter_id = ? ORDER BY received_on LIMIT 1`,
    letter.id,
  )!;
  expect(response).toBeDefined();
  const counts = () =>
    queryOne<Record<string, number>>(
      db(),
      `SELECT (SELECT count(*) FROM letters) AS letters, (SELECT count(*) FROM responses) AS responses,
              (SELECT count(*) FROM deadline_changes) AS extensions, (SELECT count(*) FROM question_assessments) AS verdicts,
              (SELECT count(*) FROM audit_events) AS history`,
    );
  const before = counts();
  const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const dayAfter = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const stay = async (url: RegExp) => {
    expect(page.url()).toMatch(url);
    expect(await page.locator(".error-page").count()).toBe(0);
  };

  // New letter: a deadline before the sent date.
  await page.goto(`${server.url}/letters/new`);
  if (js) await waitForHydration(page);
  await page.getByLabel("Title", { exact: true }).fill("A letter with its deadline before it was sent");
  await page.getByLabel("Sent on").fill("2025-06-02");
  await page.getByLabel("Deadline", { exact: true }).fill("2025-05-01");
  await page.getByLabel("Summary").fill("Typed before the mistake was noticed");
  await pick(page, "Sender 1", "Alex Padilla (D-CA)", { js });
  await pick(page, "Recipient 1", "Antony Blinken, Secretary of State (U.S. Department of State)", { js });
  await page.getByRole("button", { name: "Save letter" }).click();
  await expectFieldError(page, "Deadline", /^Deadline cannot be before the sent date/);
  await stay(/\/letters\/new$/);
  expect(await page.getByLabel("Title", { exact: true }).inputValue()).toBe("A letter with its deadline before it was sent");
  expect(await page.getByLabel("Deadline", { exact: true }).inputValue()).toBe("2025-05-01");
  expect(await page.getByLabel("Sent on").inputValue()).toBe("2025-06-02");
  expect(await page.getByLabel("Summary").inputValue()).toBe("Typed before the mistake was noticed");

  // Edit letter: an empty title.
  await page.goto(`${server.url}/letters/${slug}/edit`);
  if (js) await waitForHydration(page);
  await page.getByLabel("Title", { exact: true }).fill("");
  await page.getByLabel("Summary").fill("A summary typed with the title left empty");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expectFieldError(page, "Title", /^Title is required/);
  await stay(/\/edit$/);
  expect(await page.getByLabel("Summary").inputValue()).toBe("A summary typed with the title left empty");
  expect(await page.getByLabel("Title", { exact: true }).inputValue()).toBe("");

  // Edit letter: a sent date after the first response (a rule only the server knows).
  await page.goto(`${server.url}/letters/${slug}/edit`);
  if (js) await waitForHydration(page);
  await page.getByLabel("Title", { exact: true }).fill("A title typed with a wrong sent date");
  await page.getByLabel("Sent on").fill(dayAfter(response.received_on));
  await page.getByRole("button", { name: "Save changes" }).click();
  await expectFieldError(page, "Sent on", /^Sent date cannot be after the first response/);
  await stay(/\/edit$/);
  expect(await page.getByLabel("Title", { exact: true }).inputValue()).toBe("A title typed with a wrong sent date");
  expect(await page.getByLabel("Sent on").inputValue()).toBe(dayAfter(response.received_on));
  expect(letterOf(slug)).toEqual(letter);

  // New response: a received date in the future, then one before the letter was sent.
  await page.goto(`${server.url}/letters/${slug}/responses/new`);
  if (js) await waitForHydration(page);
  await page.getByLabel("Received on").fill("2099-01-01");
  await page.getByLabel("From").fill("A sender typed with a future date");
  await page.getByLabel("Summary").fill("A response summary typed");
  await page.getByRole("button", { name: "Save response" }).click();
  await expectFieldError(page, "Received on", /^Received date cannot be in the future/);
  await stay(/\/responses\/new$/);
  expect(await page.getByLabel("From").inputValue()).toBe("A sender typed with a future date");
  expect(await page.getByLabel("Summary").inputValue()).toBe("A response summary typed");
  expect(await page.getByLabel("Received on").inputValue()).toBe("2099-01-01");
  await page.getByLabel("Received on").fill(dayBefore(letter.sent_on));
  if (js) await expectFieldErrorGone(page, "Received on");
  await page.getByRole("button", { name: "Save response" }).click();
  await expectFieldError(page, "Received on", /^Received date cannot be before the letter was sent/);
  await stay(/\/responses\/new$/);
  expect(await page.getByLabel("From").inputValue()).toBe("A sender typed with a future date");

  // Edit response: an empty "From".
  await page.goto(`${server.url}/letters/${slug}/responses/${response.id}`);
  if (js) await waitForHydration(page);
  await page.getByLabel("From").fill("");
  await page.getByLabel("Summary").fill("An edited summary typed with From left empty");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expectFieldError(page, "From", /^From is required/);
  await stay(new RegExp(`/responses/${response.id}$`));
  expect(await page.getByLabel("Summary").inputValue()).toBe("An edited summary typed with From left empty");
  expect(queryOne(db(), `SELECT id, received_on, "from", version, summary FROM responses WHERE id = ?`, response.id)).toEqual(response);

  // Extension: a new deadline before the letter was sent; a grant date in the future.
  await page.goto(`${server.url}/letters/${slug}/deadline`);
  if (js) await waitForHydration(page);
  await page.getByLabel("New deadline").fill(dayBefore(letter.sent_on));
  await page.getByLabel("Date granted").fill(letter.sent_on);
  await page.getByLabel("Reason").fill("A reason typed for a wrong deadline");
  await page.getByRole("button", { name: "Record extension" }).click();
  await expectFieldError(page, "New deadline", /^New deadline cannot be before the letter was sent/);
  await stay(/\/deadline$/);
  expect(await page.getByLabel("Reason").inputValue()).toBe("A reason typed for a wrong deadline");
  expect(await page.getByLabel("New deadline").inputValue()).toBe(dayBefore(letter.sent_on));
  await page.getByLabel("New deadline").fill(dayAfter(letter.sent_on));
  await page.getByLabel("Date granted").fill("2099-01-01");
  await page.getByRole("button", { name: "Record extension" }).click();
  await expectFieldError(page, "Date granted", /^Date granted cannot be in the future/);
  await stay(/\/deadline$/);
  expect(await page.getByLabel("Reason").inputValue()).toBe("A reason typed for a wrong deadline");

  // Close: a closing date in the future.
  await page.goto(`${server.url}/letters/${slug}/close`);
  if (js) await waitForHydration(page);
  await page.getByLabel("Closed on").fill("2099-01-01");
  await page.getByLabel("Reason").fill("A closing reason typed");
  await page.getByRole("button", { name: "Close the letter" }).click();
  await expectFieldError(page, "Closed on", /^Closing date cannot be in the future/);
  await stay(/\/close$/);
  expect(await page.getByLabel("Reason").inputValue()).toBe("A closing reason typed");
  expect(await page.getByLabel("Closed on").inputValue()).toBe("2099-01-01");

  // Nothing was written anywhere.
  expect(counts()).toEqual(before);
  expect(letterOf(slug)).toEqual(letter);
  expect(queryOne(db(), "SELECT count(*) AS n FROM letters WHERE title = ?", "A letter with its deadline before it was sent")).toEqual({ n: 0 });
  expect(failures).toEqual([]);
  await page.close();
}

/** Journey 7: delete a letter, then log a new one at the same address. */
async function deleteAndLogJourney(context: BrowserContext, js: boolean, title: string) {
  const { page, failures } = await newPage(context);
  // The newest letter: with ids reused, the next letter would take its id and its history.
  const victim = queryOne<LetterRow>(db(), "SELECT * FROM letters ORDER BY id DESC LIMIT 1")!;
  await openLetter(page, js, victim.slug);
  await follow(page, js, "Edit", /\/edit$/);
  await page.getByRole("link", { name: "Delete this letter…" }).click();
  await page.waitForURL(/\/edit\?delete=1$/);
  if (js) await waitForHydration(page);
  await page.getByRole("button", { name: "Yes, delete the letter" }).click();
  await page.waitForURL(/\/letters$/);
  expect(await page.locator(".error-page").count()).toBe(0);
  await expect.poll(() => page.locator("h1").first().textContent()).toBeTruthy();
  expect(letterBySlug(victim.slug)).toBeUndefined();
  expect(queryDb<{ summary: string }>(db(), "SELECT summary FROM audit_events WHERE letter_id = ? AND action = 'delete' AND entity = 'letter'", victim.id)).toEqual([
    { summary: `Deleted the letter "${victim.title}"` },
  ]);
  expect(queryDb(db(), "SELECT id FROM questions WHERE letter_id = ?", victim.id)).toEqual([]);

  // A new letter, given the deleted letter's address on purpose.
  await page.goto(`${server.url}/letters/new`);
  if (js) await waitForHydration(page);
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Sent on").fill("2025-06-10");
  await page.getByLabel("Slug").fill(victim.slug);
  await pick(page, "Sender 1", "Alex Padilla (D-CA)", { js });
  await pick(page, "Recipient 1", "Antony Blinken, Secretary of State (U.S. Department of State)", { js });
  await page.getByRole("button", { name: "Add a question" }).click();
  await expect.poll(() => page.getByTestId("question-editor").count()).toBe(1);
  await page.getByLabel("Question 1", { exact: true }).fill("When will the department answer?");
  await page.getByRole("button", { name: "Save letter" }).click();
  await expectOnLetterPage(page, victim.slug, title);
  const created = letterOf(victim.slug);
  expect(created.id).toBeGreaterThan(victim.id);
  expect(created.title).toBe(title);
  const history = await pageHistory(page);
  expect(history.map((entry) => entry.summary)).toEqual([expect.stringMatching(/Logged the letter$/)]);
  const shown = await historySectionText(page);
  expect(shown).not.toContain("Deleted the letter");
  expect(shown).not.toContain(victim.title);
  expect(await page.locator("article.letter").textContent()).not.toContain(victim.title);
  expect(queryDb<{ letter_id: number }>(db(), "SELECT DISTINCT letter_id FROM audit_events WHERE summary LIKE 'Deleted the letter%' AND letter_id = ?", created.id)).toEqual([]);
  expect(failures).toEqual([]);
  await page.close();
}

/**
 * Journey 6: two editors on one letter. The first saves a title, a summary and a new question, a response
 * records a verdict on that question, then the second saves a stale form with a new title.
 */
async function twoEditorsOnALetterJourney(firstContext: BrowserContext, secondContext: BrowserContext, secondJs: boolean, slug: string, receivedOn: string) {
  const first = await newPage(firstContext, editor);
  const second = await newPage(secondContext, secondEditor);
  const letter = letterOf(slug);
  const questionsBefore = questionRows(letter.id);

  // Both open the edit form.
  for (const [page, js] of [[first.page, true], [second.page, secondJs]] as const) {
    await page.goto(`${server.url}/letters/${slug}/edit`);
    if (js) await waitForHydration(page);
    await expect.poll(() => page.getByTestId("question-editor").count()).toBe(questionsBefore.length);
  }

  // The first saves a new title, a new summary and a new question.
  const firstTitle = `${letter.title} (retitled by the first editor)`;
  const summary = "Summary saved by the first editor.";
  const newQuestion = "Produce the cable's official response, unredacted.";
  await first.page.getByLabel("Summary").fill(summary);
  await first.page.getByLabel("Title", { exact: true }).fill(firstTitle);
  await first.page.getByRole("button", { name: "Add a question" }).click();
  await expect.poll(() => first.page.getByTestId("question-editor").count()).toBe(questionsBefore.length + 1);
  await first.page.getByLabel(`Question ${questionsBefore.length + 1}`, { exact: true }).fill(newQuestion);
  await first.page.getByRole("button", { name: "Save changes" }).click();
  await expectOnLetterPage(first.page, slug, firstTitle);
  const added = questionRows(letter.id).find((row) => row.text === newQuestion);
  expect(added).toBeDefined();

  // A response records a verdict on that question.
  await waitForHydration(first.page);
  await follow(first.page, true, "Log a response", /\/responses\/new$/);
  await first.page.getByLabel("Received on").fill(receivedOn);
  await first.page.getByLabel("From").fill("Bureau of Legislative Affairs, for journey 6");
  for (let number = 1; number <= questionsBefore.length; number++) await first.page.getByLabel(`Verdict on question ${number}`).selectOption("");
  await first.page.getByLabel(`Verdict on question ${added!.number}`).selectOption("refused");
  await first.page.getByRole("button", { name: "Save response" }).click();
  await expectOnLetterPage(first.page, slug, firstTitle);
  expect(questionRows(letter.id).find((row) => row.id === added!.id)?.verdict).toBe("refused");
  const versionAfterFirst = letterOf(slug).version;

  // The second saves the stale form with a new title: refused, with what the first changed.
  const title = `${letter.title} (retitled by the second editor)`;
  await second.page.getByLabel("Title", { exact: true }).fill(title);
  await second.page.getByRole("button", { name: "Save changes" }).click();
  const notice = await expectConflictNotice(second.page);
  expect(second.page.url()).toMatch(/\/edit$/);
  expect(notice).toContain("Someone else saved first");
  expect(notice).toContain("Erin Editor");
  expect(notice).toContain(summary);
  // The page around the form is the letter as it is now (with JavaScript, Remix kept the data it
  // had when the form was opened: the heading named the title before the first editor's).
  await expect.poll(() => second.page.locator("h1").textContent()).toBe(`Edit: ${firstTitle}`);
  expect(notice).toContain(newQuestion);
  expect(notice).toContain(`Logged a partial response of ${receivedOn}`);
  // Nothing of the first was lost, nothing of the second saved yet.
  expect(letterOf(slug)).toMatchObject({ title: firstTitle, summary, version: versionAfterFirst });
  expect(questionRows(letter.id).find((row) => row.id === added!.id)).toMatchObject({ text: newQuestion, verdict: "refused" });
  // The form holds the second editor's title over the stored letter.
  expect(await second.page.getByLabel("Title", { exact: true }).inputValue()).toBe(title);
  expect(await second.page.getByLabel("Summary").inputValue()).toBe(summary);
  await expect.poll(() => second.page.getByTestId("question-editor").count()).toBe(questionsBefore.length + 1);
  expect(await second.page.getByLabel(`Question ${added!.number}`, { exact: true }).inputValue()).toBe(newQuestion);

  // Saving again keeps both.
  if (secondJs) await waitForHydration(second.page);
  await second.page.getByRole("button", { name: "Save with my changes re-applied" }).click();
  await expectOnLetterPage(second.page, slug, title);
  expect(letterOf(slug)).toMatchObject({ title, summary });
  const finalRows = questionRows(letter.id);
  expect(finalRows.map((row) => row.id)).toEqual([...questionsBefore.map((row) => row.id), added!.id]);
  expect(finalRows.find((row) => row.id === added!.id)).toMatchObject({ text: newQuestion, verdict: "refused" });
  await expect.poll(() => second.page.locator("p.summary").textContent()).toBe(summary);
  expect((await pageQuestions(second.page)).at(-1)).toEqual({ text: newQuestion, status: "refused" });
  const entry = await latestHistory(second.page);
  expect(entry.summary).toMatch(/Sam Second.*Edited: title$/s);
  expect(entry.changes).toEqual({ title: [firstTitle, title] });
  expect(first.failures).toEqual([]);
  expect(second.failures).toEqual([]);
  await first.page.close();
  await second.page.close();
}

/** Journey 6, on a response: two editors edit one response; the second's stale save is refused, then re-applied. */
async function twoEditorsOnAResponseJourney(firstContext: BrowserContext, secondContext: BrowserContext, secondJs: boolean, slug: string) {
  const first = await newPage(firstContext, editor);
  const second = await newPage(secondContext, secondEditor);
  const letter = letterOf(slug);
  const response = queryOne<{ id: number; from: string; summary: string | null; received_on: string }>(
    db(),
    `SELECT id, "from", summary, received_on FROM responses WHERE letter_id = ? ORDER BY id LIMIT 1`,
    letter.id,
  )!;
  expect(response).toBeDefined();
  const url = `${server.url}/letters/${slug}/responses/${response.id}`;
  for (const [page, js] of [[first.page, true], [second.page, secondJs]] as const) {
    await page.goto(url);
    if (js) await waitForHydration(page);
    await expect.poll(() => page.getByLabel("From").inputValue()).toBe(response.from);
  }

  // The first changes the summary and the verdict on question 1.
  const summary = "Summary of the response, saved by the first editor.";
  await first.page.getByLabel("Summary").fill(summary);
  await first.page.getByLabel("Verdict on question 1").selectOption("partial");
  await first.page.getByRole("button", { name: "Save changes" }).click();
  await expectOnLetterPage(first.page, slug, letter.title);
  expect(verdictsOf(response.id)).toEqual({ 1: "partial" });

  // The second corrects who sent it, on the stale form.
  const from = "Office of the Legal Adviser, corrected by the second editor";
  await second.page.getByLabel("From").fill(from);
  await second.page.getByRole("button", { name: "Save changes" }).click();
  const notice = await expectConflictNotice(second.page);
  expect(second.page.url()).toMatch(new RegExp(`/responses/${response.id}$`));
  expect(notice).toContain("Erin Editor");
  expect(notice).toContain(summary);
  expect(notice).toContain("1: partial");
  expect(queryOne(db(), `SELECT "from", summary FROM responses WHERE id = ?`, response.id)).toEqual({ from: response.from, summary });
  expect(verdictsOf(response.id)).toEqual({ 1: "partial" });
  expect(await second.page.getByLabel("From").inputValue()).toBe(from);
  expect(await second.page.getByLabel("Summary").inputValue()).toBe(summary);
  expect(await second.page.getByLabel("Verdict on question 1").inputValue()).toBe("partial");

  if (secondJs) await waitForHydration(second.page);
  await second.page.getByRole("button", { name: "Save with my changes re-applied" }).click();
  await expectOnLetterPage(second.page, slug, letter.title);
  expect(queryOne(db(), `SELECT "from", summary FROM responses WHERE id = ?`, response.id)).toEqual({ from, summary });
  expect(verdictsOf(response.id)).toEqual({ 1: "partial" });
  await expect.poll(() => second.page.locator("ul.responses").textContent()).toContain(from);
  expect(await second.page.locator("ul.responses").textContent()).toContain(summary);
  expect((await pageQuestions(second.page))[0]!.status).toBe("partial");
  expect((await latestHistory(second.page)).summary).toMatch(new RegExp(`Sam Second.*Edited the response of ${response.received_on}: from$`, "s"));
  expect(first.failures).toEqual([]);
  expect(second.failures).toEqual([]);
  await first.page.close();
  await second.page.close();
}

/**
 * Journey 6, another day: the first editor only reorders the questions; the second, on a stale
 * form, only retitles. The re-applied save must keep the first editor's order.
 */
async function twoEditorsReorderJourney(firstContext: BrowserContext, secondContext: BrowserContext, slug: string) {
  const first = await newPage(firstContext, editor);
  const second = await newPage(secondContext, secondEditor);
  const letter = letterOf(slug);
  const before = questionRows(letter.id);
  expect(before.length).toBeGreaterThanOrEqual(2);
  for (const page of [first.page, second.page]) {
    await page.goto(`${server.url}/letters/${slug}/edit`);
    await waitForHydration(page);
    await expect.poll(() => page.getByTestId("question-editor").count()).toBe(before.length);
  }

  await first.page.getByTestId("question-editor").nth(0).getByRole("button", { name: "Move down" }).click();
  await expect.poll(() => first.page.getByLabel("Question 1", { exact: true }).inputValue()).toBe(before[1]!.text);
  await first.page.getByRole("button", { name: "Save changes" }).click();
  await expectOnLetterPage(first.page, slug, letter.title);
  const reordered = [before[1]!, before[0]!, ...before.slice(2)].map((row) => row.id);
  expect(questionRows(letter.id).map((row) => row.id)).toEqual(reordered);

  const title = `${letter.title} (retitled on a stale form)`;
  await second.page.getByLabel("Title", { exact: true }).fill(title);
  await second.page.getByRole("button", { name: "Save changes" }).click();
  const notice = await expectConflictNotice(second.page);
  expect(notice).toContain("Erin Editor");
  // The form holds the stored letter (the first editor's order) with the new title.
  expect(await second.page.getByLabel("Title", { exact: true }).inputValue()).toBe(title);
  expect(await second.page.getByLabel("Question 1", { exact: true }).inputValue()).toBe(before[1]!.text);
  expect(await second.page.getByLabel("Question 2", { exact: true }).inputValue()).toBe(before[0]!.text);

  await second.page.getByRole("button", { name: "Save with my changes re-applied" }).click();
  await expectOnLetterPage(second.page, slug, title);
  expect(questionRows(letter.id).map((row) => row.id)).toEqual(reordered);
  await expect.poll(async () => (await pageQuestions(second.page)).map((question) => question.text)).toEqual(
    [before[1]!, before[0]!, ...before.slice(2)].map((row) => row.text),
  );
  expect((await latestHistory(second.page)).changes).toEqual({ title: [letter.title, title] });
  expect(first.failures).toEqual([]);
  expect(second.failures).toEqual([]);
  await first.page.close();
  await second.page.close();
}

/** An anonymous reader sees nothing of internal notes in a letter's history. */
async function internalNotesJourney(staffContext: BrowserContext, anonymous: BrowserContext, slug: string) {
  const { page, failures } = await newPage(staffContext);
  const letter = letterOf(slug);
  const secretOne = "Staff-only: the agency liaison promised a reply by Friday";
  const secretTwo = "Staff-only: liaison now says next month";
  const summary = "Public summary written the same day.";

  await page.goto(`${server.url}/letters/${slug}/edit`);
  await waitForHydration(page);
  await page.getByLabel("Internal notes").fill(secretOne);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expectOnLetterPage(page, slug, letter.title);
  await page.goto(`${server.url}/letters/${slug}/edit`);
  await waitForHydration(page);
  await page.getByLabel("Internal notes").fill(secretTwo);
  await page.getByLabel("Summary").fill(summary);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expectOnLetterPage(page, slug, letter.title);
  expect(letterOf(slug)).toMatchObject({ internal_notes: secretTwo, summary });
  // Staff see both internal-note changes in the history.
  const staffHistory = await historySectionText(page);
  expect(staffHistory).toContain("Changed the internal notes");
  expect(staffHistory).toContain(secretOne);
  expect(staffHistory).toContain(secretTwo);

  const reader = await anonymous.newPage();
  const readerFailures = watchFailures(reader);
  await reader.goto(`${server.url}/letters/${slug}`);
  await expectOnLetterPage(reader, slug, letter.title);
  expect(await reader.getByRole("link", { name: "Sign in" }).count()).toBeGreaterThan(0);
  const history = await historySectionText(reader);
  expect(history).toContain(summary); // the public part of the edit is there
  for (const secret of [secretOne, secretTwo]) expect(history).not.toContain(secret);
  expect(history).not.toMatch(/internal ?notes?/i);
  const whole = (await reader.locator("body").textContent()) ?? "";
  for (const secret of [secretOne, secretTwo]) expect(whole).not.toContain(secret);
  const html = await reader.content();
  for (const secret of [secretOne, secretTwo]) expect(html).not.toContain(secret);
  const api = await anonymous.request.get(`${server.url}/api/letters/${slug}`);
  expect(api.status()).toBe(200);
  const json = await api.text();
  for (const secret of [secretOne, secretTwo]) expect(json).not.toContain(secret);

  // A letter logged with internal notes from the start: the same.
  const secretThree = "Staff-only: tip came from a committee staffer";
  const newTitle = "A letter logged with a staff-only note";
  await page.goto(`${server.url}/letters/new`);
  await waitForHydration(page);
  await page.getByLabel("Title", { exact: true }).fill(newTitle);
  await page.getByLabel("Sent on").fill("2025-07-01");
  await pick(page, "Sender 1", "Alex Padilla (D-CA)", { js: true });
  await pick(page, "Recipient 1", "Antony Blinken, Secretary of State (U.S. Department of State)", { js: true });
  await page.getByLabel("Internal notes").fill(secretThree);
  await page.getByRole("button", { name: "Save letter" }).click();
  const newSlug = `${slugify(newTitle)}-2025-07-01`;
  await expectOnLetterPage(page, newSlug, newTitle);
  expect(letterOf(newSlug).internal_notes).toBe(secretThree);
  expect(await historySectionText(page)).toContain("Changed the internal notes");
  await reader.goto(`${server.url}/letters/${newSlug}`);
  await expectOnLetterPage(reader, newSlug, newTitle);
  const newHistory = await historySectionText(reader);
  expect(newHistory).toContain("Logged the letter");
  expect(newHistory).not.toContain(secretThree);
  expect(newHistory).not.toMatch(/internal ?notes?/i);
  expect(await reader.content()).not.toContain(secretThree);
  expect(failures).toEqual([]);
  expect(readerFailures).toEqual([]);
  await page.close();
  await reader.close();
}

// ---------------------------------------------------------------------------------------------

describe("a staffer's day, with JavaScript", () => {
  it(
    "journey 1: edits the title, a question, the order, removes and adds questions; verdicts stay on their questions",
    () => editLetterJourney(withJs, true, "meeks-castro-rubio-el-salvador-2025-04-17", "2025-05-01"),
    JOURNEY_TIMEOUT,
  );

  it(
    "journey 2: logs a response with verdicts, edits its verdicts, deletes it",
    () => responseJourney(withJs, true, "wyden-bessent-doge-payment-systems-2025-01-31", "2025-03-01"),
    JOURNEY_TIMEOUT,
  );

  it(
    "journey 3: records and removes an extension, closes and reopens the letter",
    () => deadlineJourney(withJs, true, "comer-cheatle-butler-documents-2024-07-15", { newDeadline: "2024-08-01", grantedOn: "2024-07-17", closedOn: "2024-09-01" }),
    JOURNEY_TIMEOUT,
  );

  it(
    "journey 4: drafts and saves a follow-up, then edits the original; the chain shows both ways",
    () => followUpJourney(withJs, true, "markey-vanhollen-rubio-leahy-cecot-2025-05-15", { title: "Markey and Van Hollen follow up on CECOT", sentOn: "2025-06-20" }),
    JOURNEY_TIMEOUT,
  );

  it(
    "journey 5: an invalid submission of every staff form keeps what was typed and names the field",
    () => invalidSubmissionsJourney(withJs, true, "jordan-wray-catholic-memo-reiteration-2023-03-20"),
    JOURNEY_TIMEOUT,
  );

  it(
    "journey 6: two editors on one letter; the stale save is refused with the first's changes, then re-applied",
    async () => {
      const second = await launchBrowser();
      try {
        await twoEditorsOnALetterJourney(withJs, second, true, "mccaul-blinken-afghanistan-priority-items-2023-03-20", "2023-04-03");
      } finally {
        await second.close();
      }
    },
    JOURNEY_TIMEOUT,
  );

  it(
    "journey 6: two editors on one response; the stale save is refused with the first's changes, then re-applied",
    async () => {
      const second = await launchBrowser();
      try {
        await twoEditorsOnAResponseJourney(withJs, second, true, "mccaul-blinken-dissent-cable-contempt-warning-2023-05-05");
      } finally {
        await second.close();
      }
    },
    JOURNEY_TIMEOUT,
  );

  it(
    "journey 6: the first editor reorders the questions, the second retitles a stale form; the re-applied save keeps the order",
    async () => {
      const second = await launchBrowser();
      try {
        await twoEditorsReorderJourney(withJs, second, "meeks-raskin-castro-rubio-ms13-informants-2025-10");
      } finally {
        await second.close();
      }
    },
    JOURNEY_TIMEOUT,
  );

  it(
    "an anonymous reader sees no trace of internal notes (edited, or logged with the letter) in its history",
    async () => {
      const anonymous = await launchBrowser();
      try {
        await internalNotesJourney(withJs, anonymous, "rgarcia-bondi-rubio-noem-ms13-leaders-2025-08-18");
      } finally {
        await anonymous.close();
      }
    },
    JOURNEY_TIMEOUT,
  );

  it(
    "journey 7: deletes a letter, then logs a new one that shows only its own history",
    () => deleteAndLogJourney(withJs, true, "A new letter at a deleted letter's address"),
    JOURNEY_TIMEOUT,
  );
});

describe("a staffer's day, without JavaScript", () => {
  it(
    "journey 1: edits the title, a question, the order, removes and adds questions; verdicts stay on their questions",
    () => editLetterJourney(withoutJs, false, "castro-meeks-kaine-vanhollen-rubio-noem-cecot-torture-2025-11", "2025-12-01"),
    JOURNEY_TIMEOUT,
  );

  it(
    "journey 2: logs a response with verdicts, edits its verdicts, deletes it",
    () => responseJourney(withoutJs, false, "jordan-johnson-wray-catholic-memo-field-offices-2023-08-09", "2023-09-01"),
    JOURNEY_TIMEOUT,
  );

  it(
    "journey 3: records and removes an extension, closes and reopens the letter",
    () => deadlineJourney(withoutJs, false, "mccaul-blinken-afghanistan-withdrawal-2023-01-12", { newDeadline: "2023-02-15", grantedOn: "2023-01-25", closedOn: "2023-03-01" }),
    JOURNEY_TIMEOUT,
  );

  it(
    "journey 4: drafts and saves a follow-up, then edits the original; the chain shows both ways",
    () => followUpJourney(withoutJs, false, "vanhollen-senators-noem-lyons-abrego-garcia-2025-04-09", { title: "Senators follow up on Abrego Garcia", sentOn: "2025-05-02" }),
    JOURNEY_TIMEOUT,
  );

  it(
    "journey 5: an invalid submission of every staff form keeps what was typed and names the field",
    () => invalidSubmissionsJourney(withoutJs, false, "jordan-wray-subpoena-compliance-contempt-warning-2023-07-17"),
    JOURNEY_TIMEOUT,
  );

  it(
    "journey 6: the second editor, without JavaScript, saves a stale letter form: refused, then re-applied",
    () => twoEditorsOnALetterJourney(withJs, withoutJs, false, "mccaul-blinken-afghanistan-three-items-2023-06-08", "2023-06-20"),
    JOURNEY_TIMEOUT,
  );

  it(
    "journey 6: the second editor, without JavaScript, saves a stale response form: refused, then re-applied",
    () => twoEditorsOnAResponseJourney(withJs, withoutJs, false, "mccaul-blinken-afghanistan-aar-neo-2023-06-20"),
    JOURNEY_TIMEOUT,
  );

  it(
    "journey 7: deletes a letter, then logs a new one that shows only its own history",
    () => deleteAndLogJourney(withoutJs, false, "Another new letter at a deleted letter's address"),
    JOURNEY_TIMEOUT,
  );
});
