/**
 * Managing alerts and reminders in a real Chromium against the built server, without JavaScript, on
 * a 390 px phone, with axe: the signed "Manage your alerts" page lists the address's follows,
 * changes how often and stops them; a staffer chooses deadline reminders on /account/reminders,
 * and a bad value is named next to its field.
 */
import Database from "better-sqlite3";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "~/domain/follows";
import { launchBrowser } from "../support/browser";
import { seriousViolations } from "../support/axe";
import { queryDb, queryOne, signInAt } from "../support/journeys";
import { createUserWithCli, startServer, type RunningServer } from "../support/server";

const KEY = "manage-alerts-e2e-key-of-at-least-32-characters";
let server: RunningServer;
let phone: BrowserContext;
/** The same phone with JavaScript, to measure the page and run axe (page.evaluate needs it). */
let phoneJs: BrowserContext;
const staffer = { email: "sam@example.org", name: "Sam Staffer", role: "editor" as const, password: "correct horse battery staple" };
const TIMEOUT = 240_000;

beforeAll(async () => {
  server = await startServer({ MAIL_TOKEN_SECRET: KEY, MAIL_SENDER: "false" });
  await createUserWithCli(server.databasePath, staffer);
  phone = await launchBrowser({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  phoneJs = await launchBrowser({ viewport: { width: 390, height: 844 } });
}, TIMEOUT);

afterAll(async () => {
  await phone?.close();
  await phoneJs?.close();
  await server?.stop();
});

/** The page at `url`, as a phone with JavaScript shows it: no sideways scrolling, nothing axe calls serious. */
async function fitsThePhone(url: string, page?: Page): Promise<void> {
  const own = page ?? (await phoneJs.newPage());
  await own.goto(url);
  const width = await own.evaluate(() => document.documentElement.scrollWidth);
  expect(width, "no sideways scrolling at 390 px").toBeLessThanOrEqual(390);
  expect(await seriousViolations(own)).toEqual([]);
  if (!page) await own.close();
}

describe("managing alerts without JavaScript at 390 px", () => {
  it(
    "the signed link lists this address's follows only; how often changes; one and then all stop",
    async () => {
      const letters = queryDb<{ slug: string; title: string }>(server.databasePath, "SELECT slug, title FROM letters ORDER BY id LIMIT 2");
      const db = new Database(server.databasePath);
      const now = Date.now();
      const insert = db.prepare(
        "INSERT INTO follows (email, subject_kind, subject_key, subject_label, cadence, secret, created_at, confirmed_at) VALUES (?, 'letter', ?, ?, 'immediate', ?, ?, ?) RETURNING id",
      );
      const first = (insert.get("reader@example.org", letters[0]!.slug, letters[0]!.title, "secret-one", now, now) as { id: number }).id;
      const second = (insert.get("reader@example.org", letters[1]!.slug, letters[1]!.title, "secret-two", now, now) as { id: number }).id;
      const theirs = (insert.get("someone@example.org", letters[1]!.slug, "Not yours", "secret-three", now, now) as { id: number }).id;
      db.close();
      const token = signToken({ key: KEY, followId: first, followSecret: "secret-one", purpose: "manage", now });

      const page = await phone.newPage();
      await page.goto(`${server.url}/follows/manage?token=${encodeURIComponent(token)}`);
      await page.getByRole("heading", { name: "Manage your alerts", level: 1 }).waitFor();
      await expect.poll(() => page.getByRole("link", { name: letters[0]!.title }).count()).toBeGreaterThan(0);
      expect(await page.getByText("Not yours").count()).toBe(0);
      expect(await page.content()).not.toContain("someone@example.org");
      await fitsThePhone(page.url());

      const firstForm = page.getByRole("form", { name: new RegExp(letters[0]!.title.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) });
      await firstForm.getByLabel("How often").selectOption("weekly");
      // The digest's hour and weekday (decision 0025), in the tracker's zone, named next to them.
      await firstForm.getByLabel("Digest hour").selectOption("18");
      await firstForm.getByLabel("Day of a weekly digest").selectOption({ label: "Friday" });
      expect(await firstForm.getByText(/Digests are written at this hour in the tracker's time zone, \S+/).count()).toBe(1);
      await firstForm.getByRole("button", { name: /^Save/ }).click();
      await page.getByRole("status").filter({ hasText: "Saved: how often changed." }).waitFor();
      expect(queryOne<{ cadence: string; hour: number; weekday: number }>(server.databasePath, "SELECT cadence, digest_hour AS hour, digest_weekday AS weekday FROM follows WHERE id = ?", first)).toEqual({
        cadence: "weekly",
        hour: 18,
        weekday: 5,
      });
      expect(await page.getByText(/^Weekly digest on Friday at 18:00 \(\S+\)/).count()).toBe(1);
      expect(await firstForm.getByLabel("Digest hour").inputValue()).toBe("18");
      await fitsThePhone(page.url());

      const secondForm = page.getByRole("form", { name: new RegExp(letters[1]!.title.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) });
      await secondForm.getByRole("button", { name: /^Stop/ }).click();
      await page.getByRole("status").filter({ hasText: "Stopped" }).waitFor();
      expect(queryOne<{ stopped: number | null }>(server.databasePath, "SELECT unsubscribed_at AS stopped FROM follows WHERE id = ?", second)!.stopped).not.toBeNull();

      await page.getByRole("button", { name: "Stop all alerts to this address" }).click();
      await page.getByText("This address follows nothing now.").waitFor();
      await fitsThePhone(page.url());
      expect(queryOne<{ stopped: number | null }>(server.databasePath, "SELECT unsubscribed_at AS stopped FROM follows WHERE id = ?", theirs)!.stopped).toBeNull();
      await page.close();
    },
    TIMEOUT,
  );

  it(
    "an expired link says so and offers a fresh one",
    async () => {
      const row = queryOne<{ id: number; secret: string }>(server.databasePath, "SELECT id, secret FROM follows WHERE email = 'someone@example.org'")!;
      const token = signToken({ key: KEY, followId: row.id, followSecret: row.secret, purpose: "manage", now: Date.now() - 31 * 24 * 60 * 60_000 });
      const page = await phone.newPage();
      await page.goto(`${server.url}/follows/manage?token=${encodeURIComponent(token)}`);
      await page.getByText(/has expired/).waitFor();
      await fitsThePhone(page.url());
      await page.getByLabel("Your email address").fill("someone@example.org");
      await page.getByRole("button", { name: "Email me a fresh link" }).click();
      await page.getByRole("status").filter({ hasText: "a message with a fresh link is on its way" }).waitFor();
      await page.close();
    },
    TIMEOUT,
  );

  it(
    "a staffer chooses deadline reminders; a bad value is named at its field",
    async () => {
      const page = await phone.newPage();
      await signInAt(page, server.url, staffer);
      await page.goto(`${server.url}/account/reminders`);
      await page.getByRole("heading", { name: "Deadline reminders" }).waitFor();
      const measured = await phoneJs.newPage();
      await signInAt(measured, server.url, staffer);
      await fitsThePhone(`${server.url}/account/reminders`, measured);
      await measured.close();
      await page.getByLabel("Send me deadline reminders").check();
      await page.getByLabel("All letters").check();
      await page.getByLabel("Days before the deadline").fill("14, 3, soon");
      await page.getByRole("button", { name: "Save reminders" }).click();
      await page.getByText('Days before the deadline: "soon" is not a whole number of days').waitFor();
      await page.getByLabel("Days before the deadline").fill("14, 3");
      await page.getByLabel(/^From this hour \(.+ time\)$/).selectOption("9");
      await page.getByRole("button", { name: "Save reminders" }).click();
      await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
      const saved = queryOne<{ scope: string; days: string; hour: number; stopped: number | null }>(
        server.databasePath,
        "SELECT scope, days_before AS days, hour, stopped_at AS stopped FROM staff_reminder_settings s JOIN users u ON u.id = s.user_id WHERE u.email = ?",
        staffer.email,
      )!;
      expect(saved).toEqual({ scope: "all", days: "[14,3]", hour: 9, stopped: null });
      await page.close();
    },
    TIMEOUT,
  );
});
