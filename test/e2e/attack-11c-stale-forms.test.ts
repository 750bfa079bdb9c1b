/**
 * ATTACK 11c: two editors without JavaScript edit the same letter. The first saves a question's
 * text; the second, whose form was opened before that save, adds a question (a round trip to the
 * server without JavaScript) and then saves. The round trip gave the form back with the second
 * editor's typed values but the loader's fresh version, so the save was accepted against the new
 * version and silently put back the old question text. The form must keep the version it was
 * opened at, so the save is refused as a conflict with both changes kept.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { createUserWithCli, startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let first: BrowserContext;
let second: BrowserContext;
const SLUG = "meeks-castro-rubio-el-salvador-2025-04-17";
const alice = { email: "alice@example.org", name: "Alice Editor", role: "editor" as const, password: "correct horse battery staple" };
const bob = { email: "bob@example.org", name: "Bob Editor", role: "editor" as const, password: "another long passphrase" };

beforeAll(async () => {
  server = await startServer();
  await createUserWithCli(server.databasePath, alice);
  await createUserWithCli(server.databasePath, bob);
  first = await launchBrowser({ javaScriptEnabled: false });
  second = await launchBrowser({ javaScriptEnabled: false });
});

afterAll(async () => {
  await first?.close();
  await second?.close();
  await server?.stop();
});

async function signIn(page: Page, user: { email: string; password: string }) {
  await page.goto(`${server.url}/login`);
  // Each editor's browser keeps its session from the test before.
  if (!page.url().includes("/login")) return;
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${server.url}/`);
}

describe("ATTACK 11c: a form given back without JavaScript keeps the version it was opened at", () => {
  it("a question added after a colleague's save is refused as a conflict, keeping both changes", async () => {
    const a = await first.newPage();
    const b = await second.newPage();
    await signIn(a, alice);
    await signIn(b, bob);
    await a.goto(`${server.url}/letters/${SLUG}/edit`);
    await b.goto(`${server.url}/letters/${SLUG}/edit`);

    await a.locator('textarea[name="questions[0].text"]').fill("Alice's rewording of question one");
    await a.getByRole("button", { name: "Save changes" }).click();
    await a.waitForURL(`${server.url}/letters/${SLUG}`);

    await b.locator('input[name="title"]').fill("Bob's new title");
    await Promise.all([b.waitForNavigation(), b.locator('button[name="__intent__"][value*="insert"][value*="questions"]').click()]);
    await b.locator('textarea[name="questions[4].text"]').fill("Bob's added question");
    await Promise.all([b.waitForNavigation(), b.getByRole("button", { name: "Save changes" }).click()]);

    // Refused and told, with everything typed kept and the colleague's change re-applied.
    expect(b.url()).toBe(`${server.url}/letters/${SLUG}/edit`);
    expect(await b.getByTestId("conflict").count()).toBe(1);
    expect(await b.locator('input[name="title"]').inputValue()).toBe("Bob's new title");
    expect(await b.locator('textarea[name="questions[0].text"]').inputValue()).toBe("Alice's rewording of question one");
    expect(await b.locator('textarea[name="questions[4].text"]').inputValue()).toBe("Bob's added question");

    await b.getByRole("button", { name: "Save with my changes re-applied" }).click();
    await b.waitForURL(`${server.url}/letters/${SLUG}`);
    const page = await b.locator("main").innerText();
    expect(page).toContain("Alice's rewording of question one");
    expect(page).toContain("Bob's added question");
    expect(page).toContain("Bob's new title");
  }, 180_000);

  it("a response form opened before a question was removed shows each verdict by its question and names the one gone", async () => {
    const a = await first.newPage();
    const b = await second.newPage();
    await signIn(a, alice);
    await signIn(b, bob);
    const slug = "comer-cheatle-butler-documents-2024-07-15";
    await a.goto(`${server.url}/letters/${slug}/responses/new`);
    const questionTexts = () => a.locator('[data-testid="verdict"] > p').allInnerTexts();
    const before = await questionTexts();
    expect(before.length).toBeGreaterThanOrEqual(3);

    // Bob removes the second question and saves.
    await b.goto(`${server.url}/letters/${slug}/edit`);
    const removedText = await b.locator('textarea[name="questions[1].text"]').inputValue();
    await Promise.all([b.waitForNavigation(), b.locator('button[name="__intent__"][value*="remove"][value*="questions"][value*="\\"index\\":1"]').click()]);
    await Promise.all([b.waitForNavigation(), b.getByRole("button", { name: "Save changes" }).click()]);
    await b.waitForURL(`${server.url}/letters/${slug}`);

    // Alice saves the response she opened before.
    await a.getByLabel("Received on").fill("2025-09-01");
    await a.getByLabel("From").fill("Office of Legislative Affairs");
    await Promise.all([a.waitForNavigation(), a.getByRole("button", { name: "Save response" }).click()]);
    expect(a.url()).toContain(`/letters/${slug}/responses/new`);
    // The verdict of the removed question is named as gone, with its reason; every other verdict
    // sits beside its own question's text (not shifted by one).
    const gone = a.getByTestId("verdict-gone");
    expect(await gone.count()).toBe(1);
    expect(await gone.innerText()).toMatch(/removed from the letter/);
    const shown = await questionTexts();
    expect(shown.join("\n")).not.toContain(removedText);
    expect(shown).toHaveLength(before.length - 1);
    for (const text of shown) expect(before).toContain(text);

    // Leaving it out keeps what was typed, and the response saves.
    await Promise.all([a.waitForNavigation(), gone.getByRole("button", { name: "Leave out this verdict" }).click()]);
    expect(await a.getByTestId("verdict-gone").count()).toBe(0);
    expect(await a.getByLabel("From").inputValue()).toBe("Office of Legislative Affairs");
    await Promise.all([a.waitForNavigation(), a.getByRole("button", { name: "Save response" }).click()]);
    await a.waitForURL(new RegExp(`/letters/${slug}(#.*)?$`));
    expect(await a.locator("main").innerText()).toContain("Office of Legislative Affairs");
  }, 180_000);
});
