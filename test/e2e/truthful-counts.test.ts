/**
 * Issue 13, the truthful state of play (decision 0014 and its addenda), through the production
 * server and its bundled read worker: once an editor closes one of Jamie Raskin's two letters, his
 * page (390 px, without JavaScript) says how many questions are open in the same number as its
 * "All N open questions" link and /questions, and counts the closed letter's apart; the calendar
 * and the data package, built in the read pool, say an implied deadline is implied.
 */
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { seriousViolations } from "../support/axe";
import { launchBrowser } from "../support/browser";
import { expectOnLetterPage, queryDb, queryOne, signInAt } from "../support/journeys";
import { createUserWithCli, startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let noScript: BrowserContext;
let phone: BrowserContext;

const editor = { email: "erin@example.org", name: "Erin Editor", role: "editor" as const, password: "correct horse battery staple" };

beforeAll(async () => {
  server = await startServer({ DEFAULT_RESPONSE_DAYS: "30" });
  await createUserWithCli(server.databasePath, editor);
  noScript = await launchBrowser({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  // axe-core runs as a script: in a page with JavaScript.
  phone = await launchBrowser({ viewport: { width: 390, height: 844 } });
}, 300_000);

afterAll(async () => {
  await noScript?.close();
  await phone?.close();
  await server?.stop();
});

describe("one count of open questions, and implied deadlines said to be implied", () => {
  it("a member's page counts a closed letter's questions apart, in the same number as /questions", async () => {
    const letters = queryDb<{ slug: string; title: string; questions: number }>(
      server.databasePath,
      `SELECT l.slug, l.title, (SELECT COUNT(*) FROM questions q WHERE q.letter_id = l.id) AS questions
       FROM letters l JOIN letter_senders ls ON ls.letter_id = l.id JOIN members m ON m.id = ls.member_id
       WHERE m.slug = 'jamie-raskin' ORDER BY l.sent_on`,
    );
    expect(letters.length).toBeGreaterThanOrEqual(2);
    const total = letters.reduce((sum, letter) => sum + letter.questions, 0);
    const closed = letters[0]!;

    const page = await noScript.newPage();
    // A step that cannot happen fails with its reason, well before the test's own time limit.
    page.setDefaultTimeout(60_000);
    await signInAt(page, server.url, editor);
    await page.goto(`${server.url}/letters/${closed.slug}/close`);
    await page.getByLabel("Closed on").fill(queryOne<{ d: string }>(server.databasePath, "SELECT date('now') AS d")!.d);
    await page.getByLabel("Reason").fill("Superseded by a subpoena");
    await page.getByRole("button", { name: "Close the letter" }).click();
    await expectOnLetterPage(page, closed.slug, closed.title);
    // The letter's own page does not call them open either.
    expect((await page.getByTestId("letter-question-counts").textContent())!.replace(/\s+/g, " ")).toBe(
      `(${closed.questions}, ${closed.questions} unanswered when it was closed)`,
    );
    await page.context().clearCookies();

    await page.goto(`${server.url}/members/jamie-raskin`);
    const line = (await page.getByTestId("question-counts").textContent())!.replace(/\s+/g, " ").trim();
    const open = total - closed.questions;
    expect(line).toBe(`${total} questions: ${open} open, 0 partly answered, 0 refused, 0 answered, ${closed.questions} unanswered when their letter was closed.`);
    await expect.poll(() => page.getByRole("link", { name: `All ${open} open questions` }).count()).toBe(1);
    await page.goto(`${server.url}/questions?member=jamie-raskin`);
    expect((await page.getByTestId("question-count").textContent())!.trim()).toBe(open === 1 ? "1 question" : `${open} questions`);
    await page.close();

    const drawn = await phone.newPage();
    drawn.setDefaultTimeout(60_000);
    await drawn.goto(`${server.url}/members/jamie-raskin`);
    expect((await drawn.getByTestId("question-counts").textContent())!.replace(/\s+/g, " ").trim()).toBe(line);
    const overflow = await drawn.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousViolations(drawn)).toEqual([]);
    await drawn.close();

    // The data package (built in the read pool) counts the same.
    const csv = parse(await (await fetch(`${server.url}/data/letters.csv`)).text(), { columns: true }) as Array<Record<string, string>>;
    expect(csv.find((row) => row.id === closed.slug)).toMatchObject({ status: "closed", questions_open: "0" });
  }, 420_000);

  it("/calendar.ics and /data/letters.csv from the read pool: an implied deadline is said to be implied", async () => {
    const silent = queryOne<{ slug: string; title: string; due: string }>(
      server.databasePath,
      "SELECT slug, title, date(sent_on, '+30 days') AS due FROM letters WHERE deadline IS NULL ORDER BY sent_on DESC LIMIT 1",
    )!;
    const ics = (await (await fetch(`${server.url}/calendar.ics?from=2024-01-01&to=2026-12-31`)).text()).replace(/\r\n[ \t]/g, "");
    const event = ics.split("BEGIN:VEVENT").find((part) => part.includes(`UID:letter-${silent.slug}@`));
    if (event) {
      expect(event).toContain("SUMMARY:Deadline (implied): ");
      expect(event).toContain("no deadline set\\; due 30 days after sending by default");
    }
    expect(ics).toContain("SUMMARY:Deadline (implied): ");
    const csv = parse(await (await fetch(`${server.url}/data/letters.csv`)).text(), { columns: true }) as Array<Record<string, string>>;
    expect(csv.find((row) => row.id === silent.slug)).toMatchObject({ deadline: "", effective_deadline: silent.due, deadline_source: "implied" });
  }, 120_000);
});
