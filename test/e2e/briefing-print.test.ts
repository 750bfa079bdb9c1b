/**
 * The briefing on paper (issue 13, item 4) in a real Chromium against the built app: item numbers
 * print whole (two-digit ones were clipped), the live view's absolute address is PUBLIC_URL's
 * (not "Link: /briefing", nor the Host the request came with), and the QR code beside it reads back
 * as that address (jsQR on a print-media screenshot). The PDF Chromium prints holds the address.
 */
import jsQR from "jsqr";
import { PNG } from "pngjs";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { startServer, type RunningServer } from "../support/server";

const PUBLIC_URL = "https://tracker.example.org";

let server: RunningServer;
let browser: BrowserContext;

beforeAll(async () => {
  server = await startServer({ PUBLIC_URL });
  // The printable width of A4 less the briefing's margins, in CSS px.
  browser = await launchBrowser({ viewport: { width: 703, height: 1000 } });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Every item number's box against the boxes that could clip it: its own, each clipping ancestor's, and the page's. */
async function clippedNumbers(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const numbers = [...document.querySelectorAll<HTMLElement>(".briefing-number")];
    for (const number of numbers) {
      const range = document.createRange();
      range.selectNodeContents(number);
      const text = range.getBoundingClientRect();
      const box = number.getBoundingClientRect();
      const label = number.textContent ?? "";
      if (number.scrollWidth > number.clientWidth + 0.5) problems.push(`${label} overflows its box`);
      if (text.left < box.left - 0.5 || text.right > box.right + 0.5) problems.push(`${label} is wider than its box`);
      if (text.left < 0) problems.push(`${label} starts off the page (${text.left})`);
      for (let parent = number.parentElement; parent; parent = parent.parentElement) {
        const style = getComputedStyle(parent);
        if (style.overflowX === "visible" && style.overflowY === "visible") continue;
        const clip = parent.getBoundingClientRect();
        if (text.left < clip.left - 0.5 || text.right > clip.right + 0.5) problems.push(`${label} is clipped by ${parent.tagName}.${parent.className}`);
      }
    }
    return problems;
  });
}

async function decodeQr(page: Page): Promise<string | null> {
  const png = PNG.sync.read(await page.getByTestId("briefing-qr").screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

describe("the briefing on paper", () => {
  it.each([
    ["every question", "/briefing", true],
    ["a selection", "/briefing?agency=u-s-department-of-state&tag=el-salvador", false],
  ])("%s: numbers print whole, with the live view's absolute address and its QR code", async (_what, path, twoDigits) => {
    const page = await browser.newPage();
    // A briefing of every question computes its figures first: give a loaded machine room.
    page.setDefaultTimeout(60_000);
    try {
      await page.emulateMedia({ media: "print" });
      // Asked for at the server's own address: nothing printed may come from it.
      await page.goto(`${server.url}${path}`);
      const liveUrl = `${PUBLIC_URL}${path}`;
      expect(await page.getByTestId("briefing-live").textContent()).toBe(`Live view: ${liveUrl}`);
      expect(await page.getByTestId("briefing-made").textContent()).not.toMatch(/Link:/);
      expect(await page.getByTestId("briefing-live").isVisible()).toBe(true);
      expect(await page.getByTestId("briefing-qr").isVisible()).toBe(true);
      expect(await decodeQr(page)).toBe(liveUrl);

      const numbers = await page.locator(".briefing-number").allTextContents();
      expect(numbers.length).toBe(await page.getByTestId("briefing-question").count());
      // The demo letters give some agency ten or more questions: two-digit numbers are printed.
      if (twoDigits) expect(numbers).toContain("10.");
      expect(await clippedNumbers(page)).toEqual([]);
      // Each group counts from 1.
      const perGroup = await page.getByTestId("briefing-group").evaluateAll((groups) =>
        groups.map((group) => [...group.querySelectorAll(".briefing-number")].map((number) => number.textContent)),
      );
      for (const group of perGroup) expect(group).toEqual(group.map((_, index) => `${index + 1}.`));

      // What Chromium prints: a PDF whose text has the address.
      const pdf = await page.pdf({ format: "A4", printBackground: true });
      expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
      const text = await pdfText(pdf);
      expect(text.replace(/\s+/g, "")).toContain(liveUrl.replace(/\s+/g, ""));
      if (twoDigits) expect(text).toMatch(/\b10\./);
    } finally {
      await page.close();
    }
  });

  it("the QR code and address fit a 390 px screen too", async () => {
    const phone = await launchBrowser({ viewport: { width: 390, height: 800 } });
    try {
      const page = await phone.newPage();
      page.setDefaultTimeout(60_000);
      await page.goto(`${server.url}/briefing`);
      const right = await page.evaluate(() =>
        Math.max(...[...document.querySelectorAll(".briefing-header, .briefing-header *")].map((element) => element.getBoundingClientRect().right)),
      );
      expect(right).toBeLessThanOrEqual(390);
      expect(await decodeQr(page)).toBe(`${PUBLIC_URL}/briefing`);
    } finally {
      await phone.close();
    }
  });
});

async function pdfText(pdf: Buffer): Promise<string> {
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const document = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  let text = "";
  for (let number = 1; number <= document.numPages; number++) {
    const content = await (await document.getPage(number)).getTextContent();
    text += content.items.map((item) => ("str" in item ? item.str : "")).join(" ") + "\n";
  }
  await document.destroy();
  return text;
}
