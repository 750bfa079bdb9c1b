/**
 * The Export CSV link on /letters in a real Chromium against the built app: the download holds the
 * rows on screen, in the same order, and the links fit a phone's width.
 */
import fs from "node:fs";
import { parse } from "csv-parse/sync";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, watchErrors } from "../support/browser";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let browser: BrowserContext;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser({ viewport: { width: 375, height: 800 } });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("Export CSV", () => {
  it("downloads exactly the filtered, sorted rows on screen", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/letters?status=partial&sort=title`);
    const onScreen = await page.getByTestId("letter-row").locator("td:first-child a").evaluateAll((links) =>
      links.map((link) => (link as HTMLAnchorElement).pathname.replace("/letters/", "")),
    );
    expect(onScreen.length).toBe(8);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^letters-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = parse(fs.readFileSync((await download.path())!), { bom: true }) as string[][];
    expect(rows[0]![0]).toBe("id");
    expect(rows.slice(1).map((row) => row[0])).toEqual(onScreen);
    expect(rows.slice(1).every((row) => row[10] === "partial")).toBe(true);
    const links = await page.getByTestId("export-links").boundingBox();
    expect(links!.x + links!.width).toBeLessThanOrEqual(375);
    expect(errors).toEqual([]);
  });
});
