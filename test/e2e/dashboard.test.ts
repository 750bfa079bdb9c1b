/**
 * The overview's charts in a real Chromium against the built app and the demo data; the same
 * figures with JavaScript off; the questions, search and briefing pages as a reader uses them.
 * "Today" is the machine's date, so only figures that no longer change with the date are checked.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, watchErrors } from "../support/browser";
import { startServer, type RunningServer } from "../support/server";

const CHARTS = ["months", "response-days", "survival", "agency-medians", "ages"];
// With the demo letters no agency has 5 letters and a median, so that chart has nothing to draw.
const DRAWN = ["months", "response-days", "survival", "ages"];

let server: RunningServer;
let browser: BrowserContext;
let noJs: BrowserContext;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  noJs = await launchBrowser({ javaScriptEnabled: false });
});

afterAll(async () => {
  await browser?.close();
  await noJs?.close();
  await server?.stop();
});

/** Where each chart figure starts on the page: equal with and without the drawings means no shift. */
async function figureTops(page: Page): Promise<number[]> {
  return page.evaluate((ids) => ids.map((id) => document.querySelector(`[data-testid="chart-${id}"]`)!.getBoundingClientRect().top + window.scrollY), CHARTS);
}

describe("the overview with JavaScript", () => {
  it("draws every chart into its box, with no console error and no layout shift", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url);
    for (const id of DRAWN) {
      await expect.poll(() => page.locator(`[data-chart="${id}"] svg.recharts-surface`).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    }
    // The drawings carry the data: 16 months with letters, 7 response-day buckets, and a curve for
    // each of the 6 rows of the survival table with 5 letters or more (the small-n rule).
    await expect.poll(() => page.locator('[data-chart="months"] .recharts-bar-rectangle').count()).toBeGreaterThanOrEqual(16);
    const rows = await page.getByTestId("survival-row").allTextContents();
    expect(rows).toHaveLength(6);
    const rated = rows.filter((row) => !row.includes("too few letters to rate")).length;
    expect(rated).toBeGreaterThanOrEqual(1);
    expect(rated).toBeLessThan(6);
    await expect.poll(() => page.locator('[data-chart="survival"] .recharts-line-curve').count()).toBe(rated);
    const drawnTops = await figureTops(page);
    const boxHeights = await page.locator("[data-chart]").evaluateAll((boxes) => boxes.map((box) => box.getBoundingClientRect().height));
    expect(boxHeights).toEqual([260, 260, 300, 260]);
    expect(await page.locator('[data-chart="agency-medians"]').count()).toBe(0);
    expect(await page.getByTestId("chart-agency-medians").locator("figcaption").textContent()).toMatch(/^No agency has a median yet/);

    const plain = await noJs.newPage();
    await plain.goto(server.url);
    expect(await plain.locator("svg.recharts-surface").count()).toBe(0);
    expect(await figureTops(plain)).toEqual(drawnTops);
    await plain.close();

    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("without JavaScript", () => {
  it("the overview leads with the letters without an answer, oldest first", async () => {
    const page = await noJs.newPage();
    await page.goto(server.url);
    // The first section after the heading.
    expect(await page.locator("main section").first().getAttribute("data-testid")).toBe("unanswered");
    expect(await page.locator("#unanswered-heading").textContent()).toBe("13 letters without an answer, oldest first");
    const rows = page.getByTestId("unanswered-row");
    expect(await rows.count()).toBe(10);
    const days = (await rows.locator("td:first-child").allTextContents()).map(Number);
    expect(days[0]).toBeGreaterThan(1000);
    expect([...days].sort((a, b) => b - a)).toEqual(days);
    // A letter that sets no deadline says so, with the window.
    expect(await page.getByTestId("unanswered").getByTestId("implied-deadline").first().textContent()).toBe(
      "(no deadline set; due 30 days after sending by default)",
    );
    // The small-n rule: an agency of fewer than 5 letters has no median in the survival table.
    const fbi = page.getByTestId("survival-row").filter({ hasText: /^FBI/ });
    if ((await fbi.count()) > 0) expect(await fbi.textContent()).toContain("too few letters to rate (n = 4)");
    await page.close();
  });

  it("search finds people and topics, with each result's status and days outstanding", async () => {
    const page = await noJs.newPage();
    for (const q of ["Raskin", "Meeks", "Castro"]) {
      await page.goto(`${server.url}/search?q=${q}`);
      expect(await page.getByTestId("results-letter").getByTestId("search-hit").count(), q).toBeGreaterThan(0);
    }
    await page.goto(`${server.url}/search?q=CECOT`);
    const letters = page.getByTestId("results-letter");
    expect(await letters.getByRole("link", { name: /El Salvador detention deal terms/ }).count()).toBe(1);
    const states = await page.getByTestId("search-hit-state").allTextContents();
    expect(states.length).toBeGreaterThan(0);
    expect(states.some((text) => /\d+ days without a substantive answer/.test(text))).toBe(true);
    await page.close();
  });

  it("the overview's key numbers are in the page", async () => {
    const page = await noJs.newPage();
    await page.goto(server.url);
    // Letters that set no deadline are due 30 days after sending (DEFAULT_RESPONSE_DAYS): every
    // demo letter still waiting is long past it.
    expect(await page.getByTestId("count-overdue").textContent()).toMatch(/^13/);
    expect(await page.getByTestId("count-awaiting").textContent()).toMatch(/^0/);
    expect(await page.getByTestId("count-partial").textContent()).toMatch(/^8/);
    // The overview lists the five longest overdue (the ten oldest unanswered lead the page), and links to all.
    expect(await page.getByTestId("overdue-row").count()).toBe(5);
    expect(await page.getByRole("link", { name: "All 13 overdue letters" }).count()).toBe(1);
    expect(await page.getByTestId("latest-response").count()).toBe(8);
    // Readings and tables of the charts.
    expect(await page.getByTestId("chart-months").locator("figcaption").textContent()).toBe(
      "21 letters sent from 2023-01 to 2025-11; the busiest month was 2023-03 with 2.",
    );
    expect(await page.getByTestId("chart-response-days").locator("figcaption").textContent()).toBe(
      "8 letters got a substantive response; half of them within 5 days of sending.",
    );
    expect(await page.getByTestId("chart-ages").locator("figcaption").textContent()).toMatch(
      /^13 letters are waiting for a substantive response/,
    );
    const overall = page.getByTestId("survival-row").first();
    expect((await overall.locator("th, td").allTextContents()).slice(0, 4)).toEqual(["All agencies", "21", "8", "not reached"]);
    expect(await page.getByTestId("chart-months").getByTestId("month-row").count()).toBe(16);
    const state = page.getByTestId("chart-agency-medians").locator('[data-agency="u-s-department-of-state"]');
    expect(await state.textContent()).toContain("36% (4 of 11)");
    const usss = page.getByTestId("chart-agency-medians").locator('[data-agency="u-s-secret-service"]');
    expect(await usss.textContent()).toContain("too few letters to rate (n = 2)");
    await page.close();
  });

  it("filters the unanswered questions and opens the briefing of the same selection", async () => {
    const page = await noJs.newPage();
    await page.goto(`${server.url}/questions`);
    // 58 questions asked, 8 of them asked again in a later letter (the demo's repeats, decision 0023): counted there.
    expect(await page.getByTestId("question-count").textContent()).toBe("50 questions");
    // Without JavaScript the pickers are text fields: the names typed are looked up on the server.
    await page.getByRole("textbox", { name: "Agency" }).fill("U.S. Department of State");
    await page.getByRole("textbox", { name: "Topic" }).fill("El Salvador");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/agency=u-s-department-of-state&tag=el-salvador/);
    // 16 asked; the July letter asks April's first question again (counted there, decision 0023).
    expect(await page.getByTestId("question-count").textContent()).toBe("15 questions");
    expect(await page.getByTestId("question-row").count()).toBe(15);

    await page.getByRole("link", { name: "Printable briefing of this selection" }).click();
    await page.waitForURL(/\/briefing\?.*tag=el-salvador/);
    expect(await page.getByTestId("briefing-question").count()).toBe(15);
    expect(await page.getByTestId("briefing-group").count()).toBe(3);
    await page.close();
  });

  it("ranks the agencies, and a column header re-sorts the ranking", async () => {
    const page = await noJs.newPage();
    await page.goto(`${server.url}/agencies`);
    expect(await page.locator("th[aria-sort]").textContent()).toBe("Letters received ▼");
    const first = page.getByTestId("agency-row").first();
    expect(await first.locator("th").textContent()).toMatch(/^1\. /);
    await page.getByRole("link", { name: "Share answered" }).click();
    await page.waitForURL(/\/agencies\?sort=answered$/);
    expect(await page.locator("th[aria-sort]").textContent()).toBe("Share answered ▼");
    expect(await page.getByTestId("agency-row").count()).toBeGreaterThan(1);
    await page.close();
  });

  it("searches CECOT and lands on the letter", async () => {
    const page = await noJs.newPage();
    await page.goto(`${server.url}/search`);
    await page.getByRole("searchbox").fill("CECOT");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/q=CECOT/);
    // Letters tagged CECOT count too (the topic is searched with the letter).
    expect(await page.getByTestId("results-letter").getByTestId("search-hit").count()).toBe(5);
    expect(await page.getByTestId("results-question").getByTestId("search-hit").count()).toBe(3);
    expect(await page.locator("mark").first().textContent()).toBe("CECOT");
    await page.getByTestId("results-letter").getByRole("link", { name: /Leahy law/ }).click();
    await page.waitForURL(/\/letters\/markey-vanhollen-rubio-leahy-cecot-2025-05-15/);
    await page.close();
  });
});

describe("on paper and on a phone", () => {
  it("the overview prints its tables, without the drawings or the navigation", async () => {
    const page = await browser.newPage();
    await page.emulateMedia({ media: "print" });
    await page.goto(server.url);
    // Hydrated: the chart's container is mounted (it draws nothing in a hidden box).
    await expect.poll(() => page.locator('[data-chart="months"] > *').count()).toBeGreaterThan(0);
    expect(await page.locator(".site-header").isVisible()).toBe(false);
    expect(await page.locator('[data-chart="months"]').isVisible()).toBe(false);
    expect(await page.getByTestId("chart-survival").locator("table").isVisible()).toBe(true);
    expect(await page.getByTestId("survival-row").count()).toBe(6);
    await page.close();
  });

  // Printable width of A4 (210 mm) and US Letter (8.5 in) less the briefing's 12 mm side margins, in CSS px.
  it.each([
    ["A4", Math.floor(((210 - 24) / 25.4) * 96)],
    ["Letter", Math.floor((8.5 - 24 / 25.4) * 96)],
  ])("the briefing fits %s paper without the navigation", async (_paper, width) => {
    const context = await launchBrowser({ viewport: { width, height: 1000 } });
    try {
      const page = await context.newPage();
      await page.emulateMedia({ media: "print" });
      await page.goto(`${server.url}/briefing?agency=u-s-department-of-state&tag=el-salvador`);
      expect(await page.locator(".site-header").isVisible()).toBe(false);
      expect(await page.locator(".page-actions").isVisible()).toBe(false);
      expect(await page.getByTestId("briefing-made").textContent()).toMatch(/^Made on \d{1,2} \w{3} \d{4}/);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    } finally {
      await context.close();
    }
  });

  it("the new pages fit a 375px screen (content below the site header)", async () => {
    const phone = await launchBrowser({ viewport: { width: 375, height: 740 } });
    try {
      const page = await phone.newPage();
      for (const path of [
        "/",
        "/questions",
        "/agencies",
        "/agencies/u-s-department-of-state",
        "/members/jamie-raskin",
        "/committees/house-judiciary-committee",
        "/search?q=CECOT",
        "/briefing",
        "/answered",
        "/data",
      ]) {
        await page.goto(`${server.url}${path}`);
        const wide = await page.evaluate(() =>
          [...document.querySelectorAll("main *")]
            .filter((element) => !element.closest(".table-scroll, .chart-box"))
            .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
            .map((element) => `${element.tagName}.${element.className}`),
        );
        expect(wide, path).toEqual([]);
      }
    } finally {
      await phone.close();
    }
  });
});
