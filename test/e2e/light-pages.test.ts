/**
 * Light pages, against the real built server on 20,000 synthetic letters (300 agencies, 535
 * members): the overview, the letter and question lists and the agency ranking each send under
 * 60 kB of HTML and no list of every agency or member; and, in a real Chromium, the searchable
 * agency picker of /letters with JavaScript (type, choose, apply), without it (type the name),
 * and on a 390-pixel phone screen.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, watchErrors } from "../support/browser";
import { queryDb, queryOne, waitForHydration } from "../support/journeys";
import { startServer, type RunningServer } from "../support/server";
import { buildSyntheticDatabase } from "../../scripts/seed-synthetic";

const LIGHT_PAGE_BYTES = 60_000;
const PAGES = ["/", "/letters", "/questions", "/agencies"];
const DHS = { slug: "department-of-homeland-security", name: "Department of Homeland Security" };

let directory: string;
let file: string;
let server: RunningServer;
let withJs: BrowserContext;
let withoutJs: BrowserContext;
let phone: BrowserContext;

beforeAll(async () => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "tracker-light-"));
  file = path.join(directory, "tracker.db");
  buildSyntheticDatabase({ file, letters: 20_000, seed: 11, log: () => {} });
  server = await startServer({ DATABASE_PATH: file, SEED_DEMO_DATA: "off" });
  withJs = await launchBrowser();
  withoutJs = await launchBrowser({ javaScriptEnabled: false });
  phone = await launchBrowser({ viewport: { width: 390, height: 844 } });
}, 300_000);

afterAll(async () => {
  await Promise.all([withJs?.close(), withoutJs?.close(), phone?.close()]);
  await server?.stop();
  if (directory) fs.rmSync(directory, { recursive: true, force: true });
});

/** Letters with a recipient at the agency: what /letters lists when filtered by it. */
const lettersTo = (slug: string) =>
  queryOne<{ n: number }>(
    file,
    `SELECT COUNT(DISTINCT lr.letter_id) AS n FROM letter_recipients lr JOIN agencies a ON a.id = lr.agency_id WHERE a.slug = ?`,
    slug,
  )!.n;

const countText = (n: number) => (n === 1 ? "1 letter" : `${n} letters`);

describe("page weight", () => {
  it.each(PAGES)("%s sends under 60 kB of HTML and no list of every agency or member", async (page) => {
    const response = await fetch(`${server.url}${page}`, { headers: { Accept: "text/html" } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(Buffer.byteLength(html)).toBeLessThan(LIGHT_PAGE_BYTES);
    // No dropdown or datalist of hundreds of choices: the longest list of options is a short one.
    const lists = html.match(/<(select|datalist)\b[\s\S]*?<\/\1>/g) ?? [];
    const longest = Math.max(0, ...lists.map((list) => (list.match(/<option\b/g) ?? []).length));
    expect(longest).toBeLessThanOrEqual(10);
    // Neither the HTML nor the data for hydration names the members (no page here lists them),
    // nor more than a page's worth of the agencies.
    const named = (slug: string) => [`"${slug}"`, `\\"${slug}\\"`, `/${slug}"`].some((form) => html.includes(form));
    const members = queryDb<{ slug: string }>(file, "SELECT slug FROM members");
    expect(members.filter((member) => named(member.slug))).toEqual([]);
    const agencies = queryDb<{ slug: string }>(file, "SELECT slug FROM agencies");
    expect(agencies.filter((agency) => named(agency.slug)).length).toBeLessThanOrEqual(60);
  });
});

async function openLetters(page: Page): Promise<void> {
  await page.goto(`${server.url}/letters`);
  await waitForHydration(page);
}

/** The agency picker's list of suggestions (the status and sort dropdowns have options too). */
const suggestions = (page: Page) => page.getByRole("listbox", { name: "Suggested agencies" }).getByRole("option");

describe("the agency picker of /letters", () => {
  it("suggests Homeland Security as you type 'Home'; choosing it and applying filters the list", async () => {
    const page = await withJs.newPage();
    const errors = watchErrors(page);
    await openLetters(page);
    const field = page.getByRole("combobox", { name: "Agency" });
    expect(await field.getAttribute("aria-autocomplete")).toBe("list");
    expect(await field.getAttribute("aria-expanded")).toBe("false");
    await field.pressSequentially("Home");
    await expect.poll(() => suggestions(page).allTextContents()).toContain(`${DHS.name} · DHS`);
    expect(await field.getAttribute("aria-expanded")).toBe("true");
    // The keyboard: down to the suggestion, Enter picks it (and does not send the form).
    const index = (await suggestions(page).allTextContents()).indexOf(`${DHS.name} · DHS`);
    for (let step = 0; step <= index; step++) await field.press("ArrowDown");
    expect(await field.getAttribute("aria-activedescendant")).toBe(await suggestions(page).nth(index).getAttribute("id"));
    expect(await suggestions(page).nth(index).getAttribute("aria-selected")).toBe("true");
    await field.press("Enter");
    expect(await field.inputValue()).toBe(DHS.name);
    expect(await field.getAttribute("aria-expanded")).toBe("false");
    expect(page.url()).toBe(`${server.url}/letters`);

    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(new RegExp(`[?&]agency=${DHS.slug}(&|$)`));
    await expect.poll(() => page.getByTestId("letter-count").textContent()).toBe(countText(lettersTo(DHS.slug)));
    expect(await page.getByTestId("letter-row").count()).toBe(Math.min(25, lettersTo(DHS.slug)));
    // The field shows the agency picked, by its name.
    expect(await page.getByRole("combobox", { name: "Agency" }).inputValue()).toBe(DHS.name);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("closes its suggestions with Escape, and keeps what was typed", async () => {
    const page = await withJs.newPage();
    await openLetters(page);
    const field = page.getByRole("combobox", { name: "Agency" });
    await field.pressSequentially("Homeland Sec");
    await expect.poll(() => suggestions(page).allTextContents()).toEqual([`${DHS.name} · DHS`]);
    await field.press("Escape");
    expect(await field.getAttribute("aria-expanded")).toBe("false");
    expect(await suggestions(page).count()).toBe(0);
    expect(await field.inputValue()).toBe("Homeland Sec");
    // Applied as typed, the name is looked up on the server: its one match.
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(new RegExp(`[?&]agency=${DHS.slug}(&|$)`));
    await expect.poll(() => page.getByTestId("letter-count").textContent()).toBe(countText(lettersTo(DHS.slug)));
    await page.close();
  });

  it("without JavaScript is a text field: the full name typed filters the list", async () => {
    const page = await withoutJs.newPage();
    await page.goto(`${server.url}/letters`);
    const field = page.getByRole("textbox", { name: "Agency" });
    await field.fill(DHS.name);
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(new RegExp(`/letters\\?agency=${DHS.slug}(&|$)`));
    expect(await page.getByTestId("letter-count").textContent()).toBe(countText(lettersTo(DHS.slug)));
    expect(await page.getByRole("textbox", { name: "Agency" }).inputValue()).toBe(DHS.name);
    await page.close();
  });

  it("without JavaScript says which field names several agencies, keeps the text and leaves the filter out", async () => {
    const page = await withoutJs.newPage();
    await page.goto(`${server.url}/letters`);
    await page.getByRole("textbox", { name: "Agency" }).fill("Department");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/agency=Department/);
    const field = page.getByRole("textbox", { name: "Agency" });
    expect(await field.inputValue()).toBe("Department");
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    const message = page.locator(`[id="${await field.getAttribute("aria-describedby")}"]`);
    expect(await message.textContent()).toMatch(/^Agency: "Department" matches \d+ agencies \(Department of .*\); type more of the name$/);
    expect(await page.getByTestId("letter-count").textContent()).toBe("20000 letters");
    await page.close();
  });

  it("is usable on a 390-pixel screen: the suggestions fit under the field, are big enough to tap, and nothing scrolls sideways", async () => {
    const page = await phone.newPage();
    const errors = watchErrors(page);
    await openLetters(page);
    // On a phone the filters are folded behind one button.
    await page.getByTestId("filter-fold-button").click();
    const field = page.getByRole("combobox", { name: "Agency" });
    await field.click();
    await field.pressSequentially("Home");
    const option = suggestions(page).filter({ hasText: DHS.name });
    await expect.poll(() => option.count()).toBe(1);
    const list = await page.getByRole("listbox", { name: "Suggested agencies" }).boundingBox();
    const box = await field.boundingBox();
    expect(list!.x).toBeGreaterThanOrEqual(0);
    expect(list!.x + list!.width).toBeLessThanOrEqual(390);
    expect(list!.y).toBeGreaterThanOrEqual(box!.y + box!.height - 1);
    expect(box!.height).toBeGreaterThanOrEqual(36);
    const optionBox = await option.boundingBox();
    expect(optionBox!.height).toBeGreaterThanOrEqual(30);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await option.click();
    expect(await field.inputValue()).toBe(DHS.name);
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(new RegExp(`[?&]agency=${DHS.slug}(&|$)`));
    await expect.poll(() => page.getByTestId("letter-count").textContent()).toBe(countText(lettersTo(DHS.slug)));
    expect(errors).toEqual([]);
    await page.close();
  });
});
