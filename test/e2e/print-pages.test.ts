/**
 * The reader's pages on paper (issue 13, item 4 and its tests), printed by a real Chromium
 * (`page.pdf`) against the built app: the PDF's text (pdfjs-dist) carries the live page's absolute
 * address (PUBLIC_URL, never the Host the request came with), each letter's status and days, item
 * numbers whole, every chart's figures (recharts draws nothing on the server, so paper gets each
 * chart's table), and no navigation, filter forms or buttons. Lists print as tables of whole
 * columns (never one word per line) in a bounded number of pages for their rows: "printing a list"
 * means printing its page (decision 0020); the CSV and .xlsx exports are data files for a
 * spreadsheet, not print layouts.
 *
 * The briefing's own print checks (QR code, clipped numbers) are in briefing-print.test.ts.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { queryOne } from "../support/journeys";
import { startServer, type RunningServer } from "../support/server";

const PUBLIC_URL = "https://tracker.example.org";
/** The printable width of A4 less the margins, in CSS px: the layout the PDF is cut from. */
const PRINT_WIDTH = 703;

let server: RunningServer;
let browser: BrowserContext;

beforeAll(async () => {
  server = await startServer({ PUBLIC_URL });
  browser = await launchBrowser({ viewport: { width: PRINT_WIDTH, height: 1000 } });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The letter with the most questions (two-digit item numbers in the demo). */
const letterSlug = () =>
  queryOne<{ slug: string }>(
    server.databasePath,
    "SELECT l.slug FROM letters l JOIN questions q ON q.letter_id = l.id GROUP BY l.id ORDER BY COUNT(*) DESC, l.id LIMIT 1",
  )!.slug;
/** The agency with the most letters (its page draws charts). */
const agencySlug = () =>
  queryOne<{ slug: string }>(
    server.databasePath,
    "SELECT a.slug FROM agencies a JOIN letter_recipients r ON r.agency_id = a.id GROUP BY a.id ORDER BY COUNT(*) DESC, a.id LIMIT 1",
  )!.slug;

const PAGES: Array<[string, () => string]> = [
  ["the overview", () => "/"],
  ["a letter", () => `/letters/${letterSlug()}`],
  ["the letters list", () => "/letters"],
  ["the questions list", () => "/questions"],
  ["an agency", () => `/agencies/${agencySlug()}`],
  ["the briefing", () => "/briefing"],
];

interface Printed {
  page: Page;
  text: string;
  /** The text without any white space: lines and columns break words' spacing in a PDF. */
  squeezed: string;
  pages: number;
}

async function printed(path: string): Promise<Printed> {
  const page = await browser.newPage();
  // Pages that compute figures (the briefing of every question) take long on a loaded machine.
  page.setDefaultTimeout(60_000);
  await page.emulateMedia({ media: "print" });
  // Asked for at the server's own address: the address printed must be PUBLIC_URL's.
  await page.goto(`${server.url}${path}`);
  await page.waitForSelector("html[data-hydrated]");
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  const { text, pages } = await pdfText(pdf);
  return { page, text, squeezed: squeeze(text), pages };
}

const squeeze = (text: string) => text.replace(/\s+/g, "");

/** Elements a reader cannot use on paper that are still laid out when printing. */
async function printedChrome(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [
      ...document.querySelectorAll<HTMLElement>(
        "nav, form, button, input, select, textarea, .site-header, .site-footer, .skip-link, .pagination, .filter-fold-button",
      ),
    ]
      .filter((element) => element.getClientRects().length > 0 && getComputedStyle(element).visibility !== "hidden")
      .map((element) => `${element.tagName.toLowerCase()}.${element.className}: ${(element.textContent ?? "").trim().slice(0, 40)}`),
  );
}

/** Table cells set one word per line (a column squeezed to a word's width), with their text. */
async function oneWordPerLineCells(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const cell of document.querySelectorAll<HTMLElement>("main td, main th")) {
      if (cell.getClientRects().length === 0) continue;
      const words = (cell.innerText ?? "").trim().split(/\s+/).filter(Boolean);
      if (words.length < 4) continue;
      // The lines of its text only: a range over the whole cell also gives the boxes of its
      // elements (a badge's border, a block's top), which are not lines of text.
      const tops = new Set<number>();
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent?.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const rect of range.getClientRects()) if (rect.width > 0) tops.add(Math.round(rect.top));
      }
      const lines = tops;
      if (lines.size >= words.length * 0.75) found.push(`${words.length} words on ${lines.size} lines: ${words.join(" ").slice(0, 60)}`);
    }
    return found;
  });
}

/** Elements of the page reaching past the paper's right edge (cut off when printed). */
async function pastTheEdge(page: Page): Promise<string[]> {
  return page.evaluate((width) => {
    const found: string[] = [];
    for (const element of document.querySelectorAll<HTMLElement>("main *")) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.right > width + 1) found.push(`${element.tagName.toLowerCase()}.${element.className} ends at ${Math.round(box.right)}`);
    }
    return found.slice(0, 10);
  }, PRINT_WIDTH);
}

describe.each(PAGES)("%s on paper", (_name, address) => {
  it("carries the live page's absolute address and none of the screen's chrome, and nothing is cut off", async () => {
    const path = address();
    const { page, text, squeezed } = await printed(path);
    try {
      expect(squeezed).toContain(squeeze(`${PUBLIC_URL}${path}`));
      expect(squeezed).not.toContain(squeeze(server.url.replace(/^https?:\/\//, "")));
      expect(await printedChrome(page)).toEqual([]);
      expect(text).not.toMatch(/Skip to content|Sign in\b|Export CSV|Printable briefing|Follow by email/);
      // Once, at the top of the first page (the briefing prints its own, beside its QR code).
      expect(text.split(PUBLIC_URL).length - 1).toBeGreaterThanOrEqual(1);
      expect(await oneWordPerLineCells(page)).toEqual([]);
      expect(await pastTheEdge(page)).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);
});

describe("what a reader needs is on the paper", () => {
  it.each([
    ["/letters", "letter-row"],
    ["/", "overdue-row"],
  ])("%s: every letter with its status and days, the list in few pages", async (path, rowTestId) => {
    const { page, squeezed, pages } = await printed(path);
    try {
      const rows = await page.getByTestId(rowTestId).evaluateAll((elements) =>
        elements.map((row) => {
          const visible = (element: Element | null) => !!element && element.getClientRects().length > 0;
          const title = row.querySelector(".card-title a");
          const badge = row.querySelector(".badge");
          const days = row.querySelector(".card-days");
          return {
            title: title?.textContent ?? "",
            status: visible(badge) ? (badge!.textContent ?? "") : null,
            days: visible(days) ? (days!.textContent ?? "").trim() : null,
          };
        }),
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(squeezed).toContain(squeeze(row.title));
        if (rowTestId === "letter-row") expect(row.status, row.title).toBeTruthy();
        expect(row.days, row.title).toMatch(/\d/);
      }
      if (rowTestId === "letter-row") {
        // A table of whole columns: a page holds ten letters or more (one column per page would
        // take one page or more per letter).
        expect(pages).toBeLessThanOrEqual(Math.ceil(rows.length / 10) + 1);
      }
    } finally {
      await page.close();
    }
  }, 120_000);

  it("/questions: every question with its status, in few pages", async () => {
    const { page, squeezed, pages } = await printed("/questions");
    try {
      const rows = await page.getByTestId("question-row").count();
      expect(rows).toBeGreaterThan(10);
      // How many there are in all (this page prints a page of them).
      expect(squeezed).toContain(squeeze((await page.getByTestId("question-count").textContent())!));
      const withoutStatus = await page.getByTestId("question-row").evaluateAll((elements) =>
        elements.filter((row) => !row.querySelector(".badge") || row.querySelector(".badge")!.getClientRects().length === 0).length,
      );
      expect(withoutStatus).toBe(0);
      // Ten questions or more a page (at the screen's size a page held four).
      expect(pages).toBeLessThanOrEqual(Math.ceil(rows / 10) + 1);
    } finally {
      await page.close();
    }
  }, 120_000);

  it("a letter: its status, its days and its question numbers whole", async () => {
    const { page, text, squeezed } = await printed(`/letters/${letterSlug()}`);
    try {
      const status = (await page.locator(".letter-status .badge").first().textContent())!;
      expect(squeezed).toContain(squeeze(status));
      expect(text).toMatch(/\d+ days without a substantive answer|First substantive response after \d+ days/);
      const numbers = await page.locator(".question-number").allTextContents();
      expect(numbers.length).toBeGreaterThan(0);
      for (const number of numbers) expect(text).toMatch(new RegExp(`(^|\\s)${number.replace(".", "\\.")}`));
    } finally {
      await page.close();
    }
  }, 120_000);

  it.each([
    ["the overview", () => "/"],
    ["an agency", () => `/agencies/${agencySlug()}`],
    ["who gets answered", () => "/answered"],
  ])("%s: every chart's figures print as its table", async (_name, address) => {
    const { page, squeezed } = await printed(address());
    try {
      const figures = await page.locator("figure.chart-figure").evaluateAll((elements) =>
        elements.map((figure) => {
          const table = figure.querySelector("table");
          return {
            title: figure.querySelector("h3")?.textContent ?? "",
            tablePrinted: !!table && table.getClientRects().length > 0,
            cells: [...(table?.querySelectorAll("tbody th, tbody td") ?? [])].map((cell) => (cell.textContent ?? "").trim()).filter(Boolean),
          };
        }),
      );
      expect(figures.length).toBeGreaterThan(0);
      for (const figure of figures) {
        expect(figure.tablePrinted, figure.title).toBe(true);
        expect(squeezed).toContain(squeeze(figure.title));
        for (const cell of figure.cells) expect(squeezed, `${figure.title}: ${cell}`).toContain(squeeze(cell));
      }
    } finally {
      await page.close();
    }
  }, 120_000);
});

async function pdfText(pdf: Buffer): Promise<{ text: string; pages: number }> {
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const document = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  let text = "";
  for (let number = 1; number <= document.numPages; number++) {
    const content = await (await document.getPage(number)).getTextContent();
    text += content.items.map((item) => ("str" in item ? item.str : "")).join(" ") + "\n";
  }
  const pages = document.numPages;
  await document.destroy();
  return { text, pages };
}
