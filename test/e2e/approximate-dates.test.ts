/**
 * A reply the record dates only by month, logged through the response form in a real Chromium,
 * with JavaScript and without: typed as 2025-06, stored as the month, shown as "June 2025" on the
 * letter page (decision 0007).
 */
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { expectOnLetterPage, fieldFrame, queryOne, signInAt, waitForHydration, watchFailures } from "../support/journeys";
import { createUserWithCli, startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let withJs: BrowserContext;
let withoutJs: BrowserContext;

const editor = { email: "mona@example.org", name: "Mona Month", role: "editor" as const, password: "month only replies are fine" };
const JOURNEY_TIMEOUT = 180_000;

beforeAll(async () => {
  server = await startServer();
  await createUserWithCli(server.databasePath, editor);
  withJs = await launchBrowser();
  withoutJs = await launchBrowser({ javaScriptEnabled: false });
}, JOURNEY_TIMEOUT);

afterAll(async () => {
  await withJs?.close();
  await withoutJs?.close();
  await server?.stop();
});

/** A demo letter sent before June 2025 (the seed's, read from the server's own database). */
function letterBefore(month: string, skip: number) {
  return queryOne<{ id: number; slug: string; title: string; sent_on: string }>(
    server.databasePath,
    "SELECT id, slug, title, sent_on FROM letters WHERE sent_on < ? ORDER BY sent_on DESC, id LIMIT 1 OFFSET ?",
    `${month}-01`,
    skip,
  )!;
}

describe("logging a month-only reply", () => {
  it.each([
    { js: true, skip: 0 },
    { js: false, skip: 1 },
  ])(
    "JavaScript $js: typed 2025-06, shown as June 2025; a month before the letter is refused, naming the field",
    async ({ js, skip }) => {
      const context = js ? withJs : withoutJs;
      const page = await context.newPage();
      const failures = watchFailures(page);
      await signInAt(page, server.url, editor);
      const letter = letterBefore("2025-06", skip);
      const from = `Month-only reply, ${js ? "js" : "nojs"}`;

      await page.goto(`${server.url}/letters/${letter.slug}/responses/new`);
      if (js) await waitForHydration(page);
      // A month before the letter's is refused, and the message names the field.
      const early = letter.sent_on.slice(0, 4) === "2023" ? "2022-12" : "2023-01";
      await page.getByLabel("Received on").fill(early);
      await page.getByLabel("From").fill(from);
      await page.getByLabel("Completeness").selectOption("partial");
      await page.getByRole("button", { name: "Save response" }).click();
      await expect.poll(() => fieldFrame(page, "Received on").textContent(), { timeout: 60_000 }).toContain(
        `Received date cannot be before the month the letter was sent (${letter.sent_on.slice(0, 7)})`,
      );
      expect(queryOne(server.databasePath, `SELECT id FROM responses WHERE "from" = ?`, from)).toBeUndefined();

      await page.getByLabel("Received on").fill("2025-06");
      await page.getByLabel("Notes").fill("The record gives only the month.");
      await page.getByRole("button", { name: "Save response" }).click();
      await expectOnLetterPage(page, letter.slug, letter.title);

      expect(queryOne(server.databasePath, `SELECT received_on, received_precision FROM responses WHERE "from" = ?`, from)).toEqual({
        received_on: "2025-06-30",
        received_precision: "month",
      });
      const item = page.locator("ul.responses li", { hasText: from });
      await expect.poll(() => item.locator("strong time").textContent()).toBe("June 2025");
      expect(await item.locator("strong time").getAttribute("datetime")).toBe("2025-06");
      expect(await item.textContent()).toContain("The record gives only the month; counted as received on 30 Jun 2025.");
      expect(await item.textContent()).toContain("Note: The record gives only the month.");
      const event = page.locator("ol.timeline li", { hasText: from });
      expect(await event.locator("time").textContent()).toBe("June 2025");

      // The edit form holds it as typed: an edit keeps the month.
      await item.getByRole("link", { name: "Edit or delete this response" }).click();
      await page.waitForURL(/\/responses\/\d+$/);
      expect(await page.getByLabel("Received on").inputValue()).toBe("2025-06");
      expect(failures).toEqual([]);
      await page.close();
    },
    JOURNEY_TIMEOUT,
  );
});
