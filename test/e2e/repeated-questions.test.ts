/**
 * Issue 13 in the browser at 390 px: a follow-up drafted from a letter links each question it asks
 * again to the earlier one, both letter pages say so, and neither the unanswered questions' count nor
 * the overview's open questions of the agency double; search shows people, agencies and committees
 * as results of their own, with and without JavaScript.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousViolations } from "../support/axe";
import { launchBrowser } from "../support/browser";
import { expectOnLetterPage, queryDb, signInAt, waitForHydration, watchFailures } from "../support/journeys";
import { createUserWithCli, startServer, type RunningServer } from "../support/server";
import { formatDate } from "~/domain/dates";
import { slugify } from "~/domain/slug";

let server: RunningServer;
let withJs: BrowserContext;
let withoutJs: BrowserContext;

const PHONE = { width: 390, height: 844 };
const editor = { email: "erin@example.org", name: "Erin Editor", role: "editor" as const, password: "correct horse battery staple" };
const ORIGINAL = "meeks-castro-rubio-el-salvador-2025-04-17";
const TIMEOUT = 240_000;

beforeAll(async () => {
  server = await startServer();
  await createUserWithCli(server.databasePath, editor);
  withJs = await launchBrowser({ viewport: PHONE });
  withoutJs = await launchBrowser({ javaScriptEnabled: false, viewport: PHONE });
}, TIMEOUT);

afterAll(async () => {
  await withJs?.close();
  await withoutJs?.close();
  await server?.stop();
});

async function noSidewaysScroll(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
}

/** The unanswered questions' count on /questions (open questions, the list's default). */
async function openQuestionCount(page: Page): Promise<number> {
  await page.goto(`${server.url}/questions`);
  const text = (await page.getByTestId("question-count").textContent()) ?? "";
  return Number(/(\d[\d,]*) question/.exec(text)![1]!.replace(/,/g, ""));
}

/** The State Department's open questions on the overview, once its figures are current. */
async function overviewStateOpen(page: Page): Promise<number | null> {
  await page.goto(`${server.url}/`);
  if ((await page.content()).includes("before the latest change")) return null;
  const row = page.locator('[data-testid="agency-row"][data-agency="u-s-department-of-state"]').first();
  return Number((await row.locator("td").last().textContent())?.trim());
}

describe("a follow-up's repeated questions, without JavaScript at 390 px", () => {
  it(
    "drafts the follow-up with each open question linked, and the counts do not double",
    async () => {
      const page = await withoutJs.newPage();
      const failures = watchFailures(page);
      await signInAt(page, server.url, editor);
      const original = queryDb<{ id: number; title: string }>(server.databasePath, "SELECT id, title FROM letters WHERE slug = ?", ORIGINAL)[0]!;
      const open = queryDb<{ id: number; number: number }>(
        server.databasePath,
        // Not already asked again (the demo seed links its question 1 to the July 2025 letter's).
        "SELECT id, number FROM questions WHERE letter_id = ? AND status = 'open' AND repeated_on IS NULL ORDER BY number",
        original.id,
      );
      const askedBefore = queryDb<{ n: number }>(
        server.databasePath,
        "SELECT COUNT(*) AS n FROM questions WHERE letter_id = ? AND status = 'open' AND repeated_on IS NOT NULL",
        original.id,
      )[0]!.n;
      expect(open.length).toBeGreaterThan(0);
      const countBefore = await openQuestionCount(page);
      let stateBefore: number | null = null;
      await expect.poll(async () => (stateBefore = await overviewStateOpen(page)), { timeout: 60_000, interval: 1_000 }).not.toBeNull();

      await page.goto(`${server.url}/letters/new?followUp=${ORIGINAL}`);
      expect(await page.getByTestId("question-editor").count()).toBe(open.length);
      const notes = await page.locator(".question-editor .repeat-note").allTextContents();
      expect(notes).toEqual(open.map((question) => `Repeats question ${question.number} of the letter of ${formatDate("2025-04-17")} (${original.title})`));
      expect(await page.locator('.question-editor input[type="hidden"][name$=".repeats"]').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value))).toEqual(
        open.map((question) => String(question.id)),
      );
      await noSidewaysScroll(page);

      const title = "Meeks and Castro ask Rubio again";
      const sentOn = "2025-07-01";
      await page.getByLabel("Title", { exact: true }).fill(title);
      await page.getByLabel("Sent on").fill(sentOn);
      await page.getByRole("button", { name: "Save letter" }).click();
      const slug = `${slugify(title).slice(0, 60).replace(/-+$/, "")}-${sentOn}`;
      await expectOnLetterPage(page, slug, title);
      const links = page.locator('[data-testid="question"] .repeat-note a');
      expect(await links.evaluateAll((anchors) => anchors.map((a) => a.getAttribute("href")))).toEqual(
        open.map((question) => `/letters/${ORIGINAL}#question-${question.number}`),
      );
      expect(await links.first().textContent()).toBe(`question ${open[0]!.number} of the letter of ${formatDate("2025-04-17")}`);
      await noSidewaysScroll(page);

      // The original says where each was asked again, and counts none of them open.
      await links.first().click();
      await page.waitForURL(new RegExp(`/letters/${ORIGINAL}#question-${open[0]!.number}$`));
      expect(await page.locator(`#question-${open[0]!.number} .repeat-note`).textContent()).toContain(`Asked again as question 1 of the letter of ${formatDate(sentOn)}`);
      expect(await page.locator("#questions-heading").textContent()).toMatch(new RegExp(`, 0 open, ${open.length + askedBefore} asked again in a later letter\\)`));

      // Counted once: the unanswered questions and the agency's open questions are as they were.
      expect(await openQuestionCount(page)).toBe(countBefore);
      await expect.poll(() => overviewStateOpen(page), { timeout: 120_000, interval: 1_000 }).toBe(stateBefore);

      // Both letter pages, as a reader with JavaScript sees them: no serious accessibility violation.
      const reader = await withJs.newPage();
      for (const address of [`/letters/${slug}`, `/letters/${ORIGINAL}`]) {
        await reader.goto(`${server.url}${address}`);
        await waitForHydration(reader);
        expect(await seriousViolations(reader), address).toEqual([]);
        await noSidewaysScroll(reader);
      }
      await reader.close();
      expect(failures).toEqual([]);
      await page.close();
    },
    TIMEOUT,
  );
});

async function searchGroups(context: BrowserContext, js: boolean): Promise<void> {
  const page = await context.newPage();
  const failures = watchFailures(page);
  await page.goto(`${server.url}/search?q=Raskin`);
  if (js) await waitForHydration(page);
  const people = page.getByTestId("names-members");
  expect(await people.getByRole("heading", { level: 2 }).textContent()).toBe("People");
  const raskin = people.getByRole("link", { name: "Jamie Raskin (D-MD)" });
  expect(await raskin.getAttribute("href")).toBe("/members/jamie-raskin");
  expect(await people.getByRole("listitem").first().textContent()).toMatch(/\d+ letters? sent, \d+ awaiting a reply or overdue/);
  await noSidewaysScroll(page);
  if (js) expect(await seriousViolations(page)).toEqual([]);
  await raskin.click();
  await page.waitForURL(/\/members\/jamie-raskin$/);

  await page.goto(`${server.url}/search?q=State`);
  expect(await page.getByTestId("names-agencies").getByRole("link", { name: "U.S. Department of State", exact: true }).count()).toBe(1);
  await noSidewaysScroll(page);

  await page.goto(`${server.url}/search?q=Oversight`);
  const committees = page.getByTestId("names-committees");
  expect(await committees.getByRole("heading", { level: 2 }).textContent()).toBe("Committees");
  expect(await committees.getByRole("listitem").count()).toBeGreaterThan(0);
  expect(await committees.getByRole("listitem").count()).toBeLessThanOrEqual(5);
  const more = committees.getByRole("link", { name: /^More committees named/ });
  if ((await more.count()) > 0) {
    await more.click();
    await page.waitForURL(/names=committees/);
    // With JavaScript the page's data comes after the address changes.
    await expect.poll(() => page.getByTestId("names-committees").getByRole("listitem").count(), { timeout: 60_000 }).toBeGreaterThan(5);
  }
  await noSidewaysScroll(page);
  expect(failures).toEqual([]);
  await page.close();
}

describe("people, agencies and committees in search at 390 px", () => {
  it("without JavaScript", () => searchGroups(withoutJs, false), TIMEOUT);
  it("with JavaScript", () => searchGroups(withJs, true), TIMEOUT);
});
