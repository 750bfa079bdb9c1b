/**
 * A staffer removes a repeat link on the letter edit form ("Not a repeat", decision 0023 addendum),
 * in Chromium at 390 px, without and with JavaScript: the question stays, its "Repeats" note goes,
 * the earlier letter counts its question open again, and the history says the questions changed.
 * The links are the demo seed's (db/seed-repeats.ts).
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { expectOnLetterPage, pageHistory, queryDb, signInAt, waitForHydration, watchFailures } from "../support/journeys";
import { createUserWithCli, startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let withJs: BrowserContext;
let withoutJs: BrowserContext;

const PHONE = { width: 390, height: 844 };
const editor = { email: "una@example.org", name: "Una Editor", role: "editor" as const, password: "correct horse battery staple" };
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

const repeatLink = (followUp: string, number: number) =>
  queryDb<{ repeats: number | null }>(
    server.databasePath,
    "SELECT q.repeats_question_id AS repeats FROM questions q JOIN letters l ON l.id = q.letter_id WHERE l.slug = ? AND q.number = ?",
    followUp,
    number,
  )[0]!.repeats;

async function unlink(page: Page, { followUp, number, original, js }: { followUp: string; number: number; original: string; js: boolean }) {
  const failures = watchFailures(page);
  await signInAt(page, server.url, editor);
  expect(repeatLink(followUp, number)).not.toBeNull();
  await page.goto(`${server.url}/letters/${original}`);
  const headingBefore = (await page.locator("#questions-heading").textContent()) ?? "";
  expect(headingBefore).toMatch(/asked again in a later letter/);

  await page.goto(`${server.url}/letters/${followUp}/edit`);
  if (js) await waitForHydration(page);
  const editor_ = page.getByTestId("question-editor").nth(number - 1);
  const box = editor_.getByLabel("Not a repeat: remove the link to the earlier question");
  expect(await box.isChecked()).toBe(false);
  await box.check();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expectOnLetterPage(page, followUp);

  expect(repeatLink(followUp, number)).toBeNull();
  const question = page.getByTestId("question").nth(number - 1);
  expect(await question.locator(".repeat-note").count()).toBe(0);
  const [latest] = await pageHistory(page);
  expect(latest!.summary).toMatch(/Edited: questions/);
  const [questionsBefore, questionsAfter] = Object.entries(latest!.changes).find(([field]) => /questions/i.test(field))![1];
  expect(questionsBefore).toMatch(/\(repeats /);
  expect(questionsAfter.match(/\(repeats /g)?.length ?? 0).toBe((questionsBefore.match(/\(repeats /g)?.length ?? 0) - 1);

  // The earlier letter counts its question open again.
  await page.goto(`${server.url}/letters/${original}`);
  expect(await page.locator("#questions-heading").textContent()).not.toBe(headingBefore);
  expect(failures).toEqual([]);
}

describe("Not a repeat on the letter edit form, at 390 px", () => {
  it(
    "without JavaScript",
    async () => {
      const page = await withoutJs.newPage();
      await unlink(page, {
        followUp: "mccaul-blinken-afghanistan-aar-neo-2023-06-20",
        number: 1,
        original: "mccaul-blinken-afghanistan-three-items-2023-06-08",
        js: false,
      });
      // The letter's other link is kept.
      expect(repeatLink("mccaul-blinken-afghanistan-aar-neo-2023-06-20", 2)).not.toBeNull();
      await page.close();
    },
    TIMEOUT,
  );

  it(
    "with JavaScript",
    async () => {
      const page = await withJs.newPage();
      await unlink(page, {
        followUp: "raskin-thompson-garcia-meeks-noem-rubio-el-salvador-2025-07-17",
        number: 1,
        original: "meeks-castro-rubio-el-salvador-2025-04-17",
        js: true,
      });
      await page.close();
    },
    TIMEOUT,
  );
});
