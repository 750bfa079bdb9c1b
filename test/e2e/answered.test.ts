/**
 * Who gets answered (issue 13, item 6) in Chromium: the page and an agency's cut server-rendered
 * without JavaScript (the tables are the truth), the chart drawn and inert with JavaScript, nothing
 * wider than a 390 px phone but the scrolling tables, and axe-core finding no serious violation.
 */
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousViolations } from "../support/axe";
import { launchBrowser } from "../support/browser";
import { queryOne } from "../support/journeys";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let phone: BrowserContext;
let noScript: BrowserContext;

beforeAll(async () => {
  server = await startServer();
  phone = await launchBrowser({ viewport: { width: 390, height: 844 } });
  noScript = await launchBrowser({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
}, 180_000);

afterAll(async () => {
  await Promise.all([phone?.close(), noScript?.close()]);
  await server?.stop();
});

// The agency the demo letters write to most.
const busiestAgency = () =>
  queryOne<{ slug: string }>(
    server.databasePath,
    "SELECT a.slug FROM agencies a JOIN letter_recipients r ON r.agency_id = a.id GROUP BY a.id ORDER BY COUNT(DISTINCT r.letter_id) DESC, a.slug LIMIT 1",
  )!.slug;

describe("who gets answered", () => {
  it("is linked from the navigation and reads without JavaScript: every axis a table with its n", async () => {
    const page = await noScript.newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Who gets answered" }).click();
    await page.waitForURL(/\/answered$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Who gets answered");
    for (const axis of ["chamber", "administration", "party", "leadership"]) {
      const table = page.getByTestId(`sides-${axis}`);
      expect(await table.locator("[data-testid=sides-all] [data-side=unknown]").count()).toBe(1);
    }
    // The demo letters are 2023–2025: the 118th and the 119th Congress.
    const periods = await page.getByTestId("sides-chamber").locator("[data-testid=sides-period]").evaluateAll((bodies) =>
      bodies.map((body) => body.getAttribute("data-period")),
    );
    expect(periods).toEqual(["119", "118"]);
    // No drawing without JavaScript: recharts renders nothing on the server.
    expect(await page.locator(".chart-box svg").count()).toBe(0);
    await page.getByRole("link", { name: "by administration" }).first().click();
    await page.waitForURL(/by=administration/);
    expect(await page.getByTestId("sides-by").first().textContent()).toContain("by administration");
    await page.close();
  }, 90_000);

  it("at 390 px: drawn and inert, nothing wider than the screen but the tables, no serious axe violation", async () => {
    const page = await phone.newPage();
    await page.goto(`${server.url}/answered`);
    await expect.poll(() => page.locator("[data-chart=sides-chamber] svg").count()).toBeGreaterThan(0);
    expect(await page.locator("[data-chart=sides-chamber]").getAttribute("inert")).not.toBeNull();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  }, 90_000);

  it("an agency's page has the same cut, and passes axe at 390 px", async () => {
    const page = await phone.newPage();
    await page.goto(`${server.url}/agencies/${busiestAgency()}`);
    const section = page.getByTestId("agency-sides");
    expect(await section.getByRole("heading", { name: "Who gets answered" }).count()).toBe(1);
    expect(await section.getByTestId("sides-party").count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  }, 90_000);
});
