/**
 * On a 390-pixel phone (issue 13, "on a phone"): lists are cards with the status and the days first,
 * so nothing a reader needs sits off-screen in a sideways table; the filters fold behind one button
 * (with and without JavaScript) so the list starts on the first screen; the charts' labels do not
 * overlap; no badge overflows its card.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, watchErrors } from "../support/browser";
import { queryOne } from "../support/journeys";
import { startServer, type RunningServer } from "../support/server";

const WIDTH = 390;
let server: RunningServer;
let phone: BrowserContext;
let phoneWithoutJs: BrowserContext;
let desktop: BrowserContext;

beforeAll(async () => {
  server = await startServer();
  phone = await launchBrowser({ viewport: { width: WIDTH, height: 844 } });
  phoneWithoutJs = await launchBrowser({ viewport: { width: WIDTH, height: 844 }, javaScriptEnabled: false });
  desktop = await launchBrowser({ viewport: { width: 1280, height: 900 } });
}, 180_000);

afterAll(async () => {
  await Promise.all([phone?.close(), phoneWithoutJs?.close(), desktop?.close()]);
  await server?.stop();
});

const agencySlug = () =>
  queryOne<{ slug: string }>(
    server.databasePath,
    "SELECT a.slug FROM agencies a JOIN letter_recipients r ON r.agency_id = a.id GROUP BY a.id ORDER BY COUNT(*) DESC LIMIT 1",
  )!.slug;

/** Elements matching `selector` whose box reaches past the screen's right edge. */
async function offScreen(page: Page, selector: string): Promise<string[]> {
  return page.evaluate(
    ([css, width]) =>
      [...document.querySelectorAll(css)]
        .filter((element) => {
          const box = element.getBoundingClientRect();
          return box.width > 0 && (box.right > width + 0.5 || box.left < -0.5);
        })
        .map((element) => `${element.tagName.toLowerCase()}.${element.className}: ${element.textContent?.trim().slice(0, 40)}`),
    [selector, WIDTH] as const,
  );
}

describe("lists at 390 px", () => {
  it.each([
    ["/letters", "letter-row", "Days outstanding"],
    ["/questions", "question-row", "Days open"],
  ])("%s shows each row as a card whose status and days are on screen, first", async (address, rowTestId, daysLabel) => {
    const page = await phone.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}${address}`);
    const row = page.getByTestId(rowTestId).first();
    const rowBox = (await row.boundingBox())!;
    // The first card starts on the first screen: the filters do not fill it.
    expect(rowBox.y).toBeLessThan(844);
    expect(rowBox.x + rowBox.width).toBeLessThanOrEqual(WIDTH);
    const status = row.locator(".badge").first();
    const days = row.locator(".card-days");
    for (const part of [status, days]) {
      const box = (await part.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(rowBox.x);
      expect(box.x + box.width).toBeLessThanOrEqual(rowBox.x + rowBox.width + 0.5);
    }
    // Status and days come before the title, on the card's first line.
    const titleBox = (await row.locator(".card-title").boundingBox())!;
    expect((await status.boundingBox())!.y).toBeLessThan(titleBox.y);
    expect((await days.boundingBox())!.y).toBeLessThan(titleBox.y);
    // Each value is named, since the column headings are not shown.
    expect(await days.evaluate((cell) => getComputedStyle(cell, "::before").content)).toContain(daysLabel);
    expect(await offScreen(page, "main td, main th, main .badge")).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("the overview's overdue letters show their days overdue on screen", async () => {
    const page = await phone.newPage();
    await page.goto(`${server.url}/`);
    const rows = page.getByTestId("overdue-row");
    expect(await rows.count()).toBeGreaterThan(0);
    const days = rows.first().locator(".card-days");
    const box = (await days.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(WIDTH);
    expect(Number((await days.textContent())!.trim())).toBeGreaterThan(0);
    // The survival and scorecard figures are cards too; only the month-by-status table scrolls sideways.
    expect(await offScreen(page, "main table.cards, main table.cards td, main .badge")).toEqual([]);
    await page.close();
  }, 60_000);

  it("no badge overflows its card on the overview, an agency's page and the agency ranking", async () => {
    const page = await phone.newPage();
    for (const address of ["/", `/agencies/${agencySlug()}`, "/agencies", "/letters"]) {
      await page.goto(`${server.url}${address}`);
      const overflowing = await page.evaluate(() =>
        [...document.querySelectorAll("main .badge")]
          .map((badge) => {
            const card = badge.closest("li, tr, .card, figure");
            if (!card) return null;
            const inner = badge.getBoundingClientRect();
            const outer = card.getBoundingClientRect();
            return inner.right > outer.right + 0.5 || inner.left < outer.left - 0.5 ? badge.textContent : null;
          })
          .filter(Boolean),
      );
      expect(overflowing, address).toEqual([]);
    }
    await page.close();
  }, 60_000);
});

describe("filters fold behind one button on a phone", () => {
  it.each([
    ["with JavaScript", () => phone],
    ["without JavaScript", () => phoneWithoutJs],
  ])("%s: folded until asked for, they open, apply, and say how many are on", async (_how, context) => {
    const page = await context().newPage();
    await page.goto(`${server.url}/letters`);
    const form = page.getByRole("form", { name: "Filter letters" });
    expect(await form.isVisible()).toBe(false);
    const button = page.getByTestId("filter-fold-button");
    expect((await button.textContent())!.trim()).toBe("Show filters");
    await button.click();
    expect(await form.isVisible()).toBe(true);
    await form.locator("select[name=status]").selectOption("overdue");
    await form.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/[?&]status=overdue/);
    // With JavaScript the address changes before React has drawn the new page; wait for the count.
    const counted = page.getByTestId("filter-fold-button").filter({ hasText: "·" });
    await counted.waitFor();
    expect((await counted.textContent())!.trim()).toBe("Show filters · 1 on");
    const rows = page.getByTestId("letter-row");
    expect(await rows.count()).toBeGreaterThan(0);
    for (const badge of await rows.locator(".card-status .badge").allTextContents()) expect(badge).toBe("Overdue");
    await page.close();
  }, 60_000);

  it("on a wide screen the filters are always open and there is no button", async () => {
    const page = await desktop.newPage();
    await page.goto(`${server.url}/letters`);
    expect(await page.getByRole("form", { name: "Filter letters" }).isVisible()).toBe(true);
    expect(await page.getByTestId("filter-fold-button").isVisible()).toBe(false);
    // Cards are for phones: the wide screen keeps the table and its column headings.
    expect(await page.getByRole("columnheader", { name: /Days outstanding/ }).isVisible()).toBe(true);
    await page.close();
  }, 60_000);
});

describe("charts at 390 px", () => {
  it("the day-bucket charts' labels do not overlap", async () => {
    const page = await phone.newPage();
    await page.goto(`${server.url}/`);
    await page.locator(".chart-box .tick-label").first().waitFor();
    const charts = await page.evaluate(() =>
      [...document.querySelectorAll(".chart-box")].map((chart) =>
        [...chart.querySelectorAll<SVGTextElement>(".tick-label")].map((label) => {
          const box = label.getBoundingClientRect();
          const angle = /rotate\((-?[\d.]+)/.exec(label.getAttribute("transform") ?? "")?.[1];
          return {
            left: box.left,
            right: box.right,
            x: Number(label.getAttribute("x")),
            angle: angle ? Number(angle) : 0,
            fontSize: Number(label.getAttribute("font-size")),
          };
        }),
      ),
    );
    const withLabels = charts.filter((labels) => labels.length > 1);
    expect(withLabels.length).toBeGreaterThanOrEqual(2);
    for (const labels of withLabels) {
      for (let index = 1; index < labels.length; index++) {
        const [before, after] = [labels[index - 1]!, labels[index]!];
        if (before.angle === 0 && after.angle === 0) {
          // Level labels: side by side, apart.
          expect(after.left).toBeGreaterThanOrEqual(before.right);
        } else {
          // Slanted labels (parallel lines): apart when the distance between their baselines
          // exceeds a line of text.
          const gap = (after.x - before.x) * Math.sin((Math.abs(after.angle) * Math.PI) / 180);
          expect(gap).toBeGreaterThan(after.fontSize * 1.1);
        }
      }
    }
    await page.close();
  }, 60_000);
});

describe("forms at 390 px", () => {
  it("every field and button a reader can use on a letter page and the lists is big enough to tap", async () => {
    const page = await phone.newPage();
    const letter = queryOne<{ slug: string }>(server.databasePath, "SELECT slug FROM letters ORDER BY id LIMIT 1")!.slug;
    for (const address of [`/letters/${letter}`, "/letters", "/questions"]) {
      await page.goto(`${server.url}${address}`);
      const fold = page.getByTestId("filter-fold-button");
      if (await fold.isVisible()) await fold.click();
      const small = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>("main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main select, main button")]
          .filter((control) => control.getBoundingClientRect().width > 0)
          .filter((control) => control.getBoundingClientRect().height < 36)
          .map((control) => `${control.tagName.toLowerCase()}[name=${control.getAttribute("name")}] ${Math.round(control.getBoundingClientRect().height)} px`),
      );
      expect(small, address).toEqual([]);
    }
    await page.close();
  }, 60_000);
});
