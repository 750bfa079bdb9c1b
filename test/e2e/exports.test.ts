/**
 * The Export CSV link on /letters in a real Chromium against the built app: the download holds the
 * rows on screen, in the same order, and the links fit a phone's width. And against the real server
 * on a larger tracker: a download the client abandons stops reading the database.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { parse } from "csv-parse/sync";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, watchErrors } from "../support/browser";
import { startServer, type RunningServer } from "../support/server";
import ExcelJS from "exceljs";
import { buildSyntheticDatabase } from "../../scripts/seed-synthetic";

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
    // The file's first page on a cold server: room for a loaded machine.
    page.setDefaultTimeout(60_000);
    const errors = watchErrors(page);
    await page.goto(`${server.url}/letters?status=partial&sort=title`);
    const onScreen = await page.getByTestId("letter-row").locator("td:first-child a").evaluateAll((links) =>
      links.map((link) => (link as HTMLAnchorElement).pathname.replace("/letters/", "")),
    );
    expect(onScreen.length).toBe(8);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^letters-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = fs.readFileSync((await download.path())!);
    // No byte-order mark (decision 0015): the first header reads `id` in any spreadsheet's import.
    expect(bytes.subarray(0, 3).toString("utf8")).toBe("id,");
    const rows = parse(bytes) as string[][];
    expect(rows[0]![0]).toBe("id");
    expect(rows.slice(1).map((row) => row[0])).toEqual(onScreen);
    expect(rows.slice(1).every((row) => row[10] === "partial")).toBe(true);
    const links = await page.getByTestId("export-links").boundingBox();
    expect(links!.x + links!.width).toBeLessThanOrEqual(375);
    expect(errors).toEqual([]);
  });
});

describe("Export .xlsx", () => {
  it("downloads the same rows as a workbook, written by the export thread", async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(60_000);
    await page.goto(`${server.url}/letters?status=partial&sort=title`);
    const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    const rows = parse(fs.readFileSync((await csv.path())!)) as string[][];
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: ".xlsx spreadsheet of the letters", exact: true }).click()]);
    expect(download.suggestedFilename()).toMatch(/^letters-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await download.path())!);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.rowCount).toBe(rows.length);
    expect((sheet.getRow(1).values as string[]).slice(1)).toEqual(rows[0]);
    const ids = Array.from({ length: rows.length - 1 }, (_, index) => sheet.getRow(index + 2).getCell(1).value as { formula: string; result: string });
    expect(ids.map((id) => id.result)).toEqual(rows.slice(1).map((row) => row[0]));
    // The server's PUBLIC_URL is its default: http://localhost:PORT.
    for (const id of ids) expect(id.formula).toBe(`HYPERLINK("http://localhost:${new URL(server.url).port}/letters/${id.result}","${id.result}")`);
    expect(sheet.getRow(2).getCell(3).value).toBeInstanceOf(Date);
    await page.close();
  });

  it("sends each security header once (the export set nosniff and so did the server: 'nosniff, nosniff')", async () => {
    for (const address of ["/export/letters.csv", "/export/letters.xlsx", "/export/questions.csv"]) {
      const response = await fetch(`${server.url}${address}`);
      await response.arrayBuffer();
      expect(response.headers.get("x-content-type-options"), address).toBe("nosniff");
      expect(response.headers.get("content-disposition"), address).toMatch(/^attachment; filename="[^,]+"$/);
    }
  });
});

describe("an abandoned download", () => {
  let directory: string;
  let file: string;
  let large: RunningServer;
  let writes = 0;

  beforeAll(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "tracker-abandon-"));
    file = path.join(directory, "tracker.db");
    // ~60,000 questions, ~17 MB of CSV: far more than loopback socket buffers hold.
    buildSyntheticDatabase({ file, letters: 8000, seed: 7, log: () => {} });
    large = await startServer({ DATABASE_PATH: file, SEED_DEMO_DATA: "off" });
  }, 120_000);

  afterAll(async () => {
    await large?.stop();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  /** Whether some connection still holds a read snapshot of the file (a truncating checkpoint cannot finish). */
  function snapshotHeld(): boolean {
    const db = new Database(file);
    try {
      db.pragma("busy_timeout = 0");
      // A changed value: SQLite writes nothing for an update to the same value.
      db.prepare("UPDATE letters SET notes = ? WHERE id = (SELECT MIN(id) FROM letters)").run(`abandoned-download check ${++writes}`);
      const [result] = db.pragma("wal_checkpoint(TRUNCATE)") as Array<{ busy: number }>;
      return result!.busy === 1;
    } finally {
      db.close();
    }
  }

  it("stops the export and releases its snapshot when the client goes away", async () => {
    // Read the first bytes, then stop reading: the server waits on the full socket mid-export.
    const response = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get(`${large.url}/export/questions.csv?status=all`, resolve).on("error", reject),
    );
    expect(response.statusCode).toBe(200);
    await new Promise((resolve) => response.once("data", resolve));
    response.pause();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(snapshotHeld()).toBe(true);

    response.destroy();
    for (let attempt = 0; attempt < 100 && !large.output().includes("Export stopped"); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(large.output()).toContain("Export stopped: the client went away before the end of the file");
    expect(snapshotHeld()).toBe(false);
  });
});
