/**
 * A staffer's path in a real Chromium: sign in, log a letter by pasting its text, log a partial
 * response that answers one question, and see the letter become "partly answered".
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, watchErrors } from "../support/browser";
import { pick } from "../support/journeys";
import { createUserWithCli, startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let browser: BrowserContext;
const editor = { email: "editor@example.org", name: "Erin Editor", role: "editor" as const, password: "correct horse battery staple" };
const viewer = { email: "viewer@example.org", name: "Vic Viewer", role: "viewer" as const, password: "another long passphrase" };

const LETTER_TEXT = `Dear Director Patel:

We write about the transfer of detainees to CECOT. Please respond no later than June 30, 2025.

1. How many people in FBI custody were transferred to El Salvador?
2. Provide all communications with the Department of State about the transfers.
3. Who approved the transfers?

Sincerely,`;

beforeAll(async () => {
  server = await startServer();
  await createUserWithCli(server.databasePath, editor);
  await createUserWithCli(server.databasePath, viewer);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(page: Page, user: { email: string; password: string }) {
  await page.context().clearCookies();
  await page.goto(`${server.url}/login`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${server.url}/`);
}

describe("an editor logs a letter and its response", () => {
  it("pastes the text, saves, logs a partial response, and sees the status become partial", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await signIn(page, editor);

    await page.getByRole("link", { name: "Log a letter" }).click();
    await page.waitForURL(/\/letters\/new$/);
    await page.getByLabel("Sent on").fill("2025-06-02");
    await page.getByLabel("Letter text").fill(LETTER_TEXT);
    await page.getByRole("button", { name: "Propose from text" }).click();
    await expect.poll(() => page.getByTestId("proposal-note").textContent()).toMatch(/the deadline 2025-06-30 .*3 questions and requests/);
    await expect.poll(() => page.getByTestId("question-editor").count()).toBe(3);
    expect(await page.getByLabel("Kind").nth(1).inputValue()).toBe("document_request");
    expect(await page.getByLabel("Deadline").inputValue()).toBe("2025-06-30");

    await page.getByLabel("Title", { exact: true }).fill("Senators ask the FBI about transfers to CECOT");
    await pick(page, "Sender 1", "Chris Van Hollen (D-MD)", { js: true });
    // Recipient 1 was proposed from the salutation ("Dear Director Patel:"), not matched yet: the
    // staffer clears it and enters a new official.
    expect(await page.getByLabel("Recipient 1").inputValue()).toBe("Patel");
    await page.getByLabel("Recipient 1").fill("");
    await page.getByLabel("New official's name").fill("Kash Patel");
    await page.getByLabel("Official's title").fill("Director");
    await page.getByLabel("Agency").fill("Federal Bureau of Investigation");
    await page.getByLabel("Chamber", { exact: true }).first().selectOption("Senate");
    await page.getByRole("button", { name: "Save letter" }).click();

    await page.waitForURL(/\/letters\/senators-ask-the-fbi-about-transfers-to-cecot-2025-06-02$/);
    await expect.poll(() => page.getByTestId("question").count()).toBe(3);
    expect(await page.locator(".letter-status [data-status]").getAttribute("data-status")).toBe("overdue");

    await page.getByRole("link", { name: "Log a response" }).click();
    await page.getByLabel("Received on").fill("2025-07-10");
    await page.getByLabel("From").fill("FBI Office of Congressional Affairs");
    await page.getByLabel("Completeness").selectOption("partial");
    await page.getByLabel("Verdict on question 1").selectOption("answered");
    await page.getByLabel("Verdict on question 2").selectOption("not_addressed");
    await page.getByLabel("Verdict on question 3").selectOption("not_addressed");
    await page.getByRole("button", { name: "Save response" }).click();

    await page.waitForURL(/\/letters\/senators-ask-the-fbi-about-transfers-to-cecot-2025-06-02/);
    await expect.poll(() => page.locator(".letter-status [data-status]").getAttribute("data-status")).toBe("partial");
    const statuses = await page.getByTestId("question").locator("[data-status]").evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-status")));
    expect(statuses).toEqual(["answered", "open", "open"]);
    expect(await page.getByTestId("history").textContent()).toMatch(/Erin Editor.*Logged a partial response/s);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows a clear message for bad input and keeps what was typed", async () => {
    const page = await browser.newPage();
    await signIn(page, editor);
    await page.goto(`${server.url}/letters/new`);
    await page.getByLabel("Title", { exact: true }).fill("Letter with a bad deadline");
    await page.getByLabel("Sent on").fill("2025-06-02");
    await page.getByLabel("Deadline").fill("2025-05-01");
    await page.getByRole("button", { name: "Save letter" }).click();
    await expect.poll(() => page.getByText("Deadline cannot be before the sent date").count()).toBe(1);
    expect(await page.getByLabel("Title", { exact: true }).inputValue()).toBe("Letter with a bad deadline");
    await page.close();
  });
});

describe("who may change what", () => {
  it("a viewer sees no editing controls and is refused the form", async () => {
    const page = await browser.newPage();
    await signIn(page, viewer);
    await page.goto(`${server.url}/letters/meeks-castro-rubio-el-salvador-2025-04-17`);
    expect(await page.getByRole("link", { name: "Edit" }).count()).toBe(0);
    const response = await page.goto(`${server.url}/letters/new`);
    expect(response?.status()).toBe(403);
    await page.close();
  });

  it("a signed-out visitor is sent to sign in, and comes back after", async () => {
    const context = await launchBrowser();
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/letters/new`);
      await page.waitForURL(/\/login\?redirectTo=%2Fletters%2Fnew/);
      await page.getByLabel("Email").fill(editor.email);
      await page.getByLabel("Password").fill(editor.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(`${server.url}/letters/new`);
    } finally {
      await context.close();
    }
  });
});

describe("without JavaScript", () => {
  it("an editor can propose questions from pasted text and save the letter", async () => {
    const context = await launchBrowser({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await signIn(page, editor);
      await page.goto(`${server.url}/letters/new`);
      await page.getByLabel("Sent on").fill("2025-06-03");
      await page.getByLabel("Letter text").fill(LETTER_TEXT);
      await page.getByRole("button", { name: "Propose from text" }).click();
      await page.waitForLoadState();
      expect(await page.getByTestId("question-editor").count()).toBe(3);
      await page.getByLabel("Title", { exact: true }).fill("No-JS letter");
      await pick(page, "Sender 1", "Ron Wyden (D-OR)", { js: false });
      await pick(page, "Recipient 1", "Scott Bessent, Secretary of the Treasury (U.S. Department of the Treasury)", { js: false });
      await page.getByRole("button", { name: "Remove question 3" }).click();
      await page.waitForLoadState();
      expect(await page.getByTestId("question-editor").count()).toBe(2);
      await page.getByRole("button", { name: "Save letter" }).click();
      await page.waitForURL(/\/letters\/no-js-letter-2025-06-03$/);
      expect(await page.getByTestId("question").count()).toBe(2);
    } finally {
      await context.close();
    }
  });
});
