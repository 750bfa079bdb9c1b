/**
 * The bulk data package through the production server: built by the read pool's worker thread
 * (the bundled read worker), downloaded twice with no write between (the same snapshot, from the
 * cache), and /data readable at 390 px with no serious axe violation.
 */
import { unzipSync } from "fflate";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_FILES, PACKAGE_ZIP } from "~/domain/data-package";
import { seriousViolations } from "../support/axe";
import { launchBrowser } from "../support/browser";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let phone: BrowserContext;

beforeAll(async () => {
  server = await startServer();
  phone = await launchBrowser({ viewport: { width: 390, height: 844 } });
}, 180_000);

afterAll(async () => {
  await phone?.close();
  await server?.stop();
});

describe("bulk data", () => {
  it("downloads the package built in the read pool, and again from the cache", async () => {
    const first = await fetch(`${server.url}/data/${PACKAGE_ZIP}`);
    expect(first.status).toBe(200);
    const firstBytes = Buffer.from(await first.arrayBuffer());
    const entries = unzipSync(new Uint8Array(firstBytes));
    expect(Object.keys(entries).sort()).toEqual([...PACKAGE_FILES].sort());
    const again = await fetch(`${server.url}/data/${PACKAGE_ZIP}`);
    expect(again.headers.get("X-Data-Revision")).toBe(first.headers.get("X-Data-Revision"));
    // The same file: the cached package, not a second build (which would carry a later "created").
    expect(Buffer.from(await again.arrayBuffer()).equals(firstBytes)).toBe(true);
  }, 120_000);

  it("/data at 390 px: the dictionary, linked from the footer, no serious axe violation", async () => {
    const page = await phone.newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole("contentinfo").getByRole("link", { name: "Bulk data" }).click();
    await page.waitForURL(/\/data$/);
    expect(await page.getByRole("heading", { name: /letters\.csv/ }).count()).toBe(1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  }, 90_000);
});

