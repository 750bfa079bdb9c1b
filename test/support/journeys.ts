/**
 * Helpers for the staff journey tests (test/e2e/staff-journeys*.test.ts): signing in, reading the
 * server's SQLite file read-only, and reading what the letter page shows (questions, history).
 */
import Database from "better-sqlite3";
import type { Page } from "playwright-core";
import { expect } from "vitest";

export interface Credentials {
  email: string;
  password: string;
}

export async function signInAt(page: Page, baseUrl: string, user: Credentials): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${baseUrl}/`);
}

/** Rows of a query against the server's database file, opened read-only for this query alone. */
export function queryDb<T = Record<string, unknown>>(databasePath: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export function queryOne<T = Record<string, unknown>>(databasePath: string, sql: string, ...params: unknown[]): T | undefined {
  return queryDb<T>(databasePath, sql, ...params)[0];
}

/** Answers of 500 and over, and uncaught page errors, seen by this page: a journey expects none. */
export function watchFailures(page: Page): string[] {
  const failures: string[] = [];
  page.on("response", (response) => {
    if (response.status() >= 500) failures.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  page.on("pageerror", (error) => failures.push(`page error: ${error.message}`));
  return failures;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Waits until the browser is on the letter's own page (optionally with a #fragment) and checks it
 * is the letter page, not an error page.
 */
export async function expectOnLetterPage(page: Page, slug: string, title?: string): Promise<void> {
  await page.waitForURL(new RegExp(`/letters/${escapeRegExp(slug)}(#[\\w-]+)?$`));
  await expect.poll(() => page.locator("article.letter h1").count()).toBe(1);
  expect(await page.locator(".error-page").count()).toBe(0);
  if (title !== undefined) await expect.poll(() => page.locator("article.letter h1").textContent()).toBe(title);
}

/** The letter page's questions, in order: their text and status badge. */
export async function pageQuestions(page: Page): Promise<Array<{ text: string; status: string }>> {
  return page.getByTestId("question").evaluateAll((items) =>
    items.map((item) => ({
      text: item.querySelector(":scope > p")?.textContent ?? "",
      status: item.querySelector("[data-status]")?.getAttribute("data-status") ?? "",
    })),
  );
}

export interface HistoryEntry {
  text: string;
  summary: string;
  /** Field → [before, after] as the "What changed" table shows them. */
  changes: Record<string, [string, string]>;
}

/** The letter page's History entries, newest first; empty when the page shows none. */
export async function pageHistory(page: Page): Promise<HistoryEntry[]> {
  if ((await page.getByTestId("history").count()) === 0) return [];
  return page.getByTestId("history").locator(":scope > li").evaluateAll((items) =>
    items.map((item) => {
      const clone = item.cloneNode(true) as HTMLElement;
      clone.querySelector("details")?.remove();
      clone.querySelector("time")?.remove();
      return {
        text: item.textContent ?? "",
        summary: (clone.textContent ?? "").trim(),
        changes: Object.fromEntries(
          [...item.querySelectorAll("table.changes tbody tr")].map((row) => [
            row.querySelector("th")?.textContent ?? "",
            [...row.querySelectorAll("td")].map((cell) => cell.textContent ?? "") as [string, string],
          ]),
        ),
      };
    }),
  );
}

/** The History section's whole text (heading and entries, "What changed" tables included). */
export async function historySectionText(page: Page): Promise<string> {
  return page.locator("section", { has: page.locator("#history-heading") }).evaluate((section) => section.textContent ?? "");
}

/** A field's frame (label, control, errors) on a staff form, found by its label. */
export function fieldFrame(page: Page, label: string) {
  return page.locator(".field", { has: page.getByLabel(label, { exact: true }) });
}

/** With JavaScript, waits until React has hydrated the page (app/root.tsx marks it). */
export async function waitForHydration(page: Page): Promise<void> {
  await page.locator("html[data-hydrated=true]").waitFor({ state: "attached" });
}

/**
 * Picks `label` in a searchable picker field (components/picker.tsx) found by its label, e.g.
 * "Sender 1": with JavaScript by typing it and choosing the suggestion; without, by typing the
 * whole label, which the server looks up when the form is sent.
 */
export async function pick(page: Page, field: string, label: string, { js }: { js: boolean }): Promise<void> {
  if (js) await waitForHydration(page);
  const input = page.getByLabel(field, { exact: true });
  await input.fill(label);
  if (!js) return;
  const list = page.locator(`[id="${await input.getAttribute("aria-controls")}"]`);
  await list.getByRole("option").filter({ hasText: label }).first().click();
  await expect.poll(() => input.getAttribute("aria-expanded")).toBe("false");
  expect(await input.inputValue()).toBe(label);
}
