/**
 * Attack on survival curve points sent as one text per curve (encodeCurvePoints/decodeCurvePoints)
 * and on past-date member and committee pages (agencies' figures over the page's own letters): in
 * Chromium every page with a rated curve draws it as a line through its points, without a console
 * error; a past-date member page says whose letters its agency figures count, at 390 px without
 * JavaScript, with no serious axe finding.
 */
import Database from "better-sqlite3";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousViolations } from "../support/axe";
import { launchBrowser, watchErrors } from "../support/browser";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let browser: BrowserContext;
let phoneNoJs: BrowserContext;
let phone: BrowserContext;
let pages: string[] = [];
let member = "";
let committee = "";
const PAST = "2025-09-01";

/** Slugs of `table`'s rows with at least 5 letters sent (a rated curve), most letters first. */
function rated(db: Database.Database, query: string): string[] {
  return db.prepare(query).all().map((row) => (row as { slug: string }).slug);
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  phoneNoJs = await launchBrowser({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  phone = await launchBrowser({ viewport: { width: 390, height: 844 } });
  const db = new Database(server.databasePath, { readonly: true });
  try {
    const agencies = rated(db, `SELECT a.slug FROM agencies a JOIN letter_recipients lr ON lr.agency_id = a.id GROUP BY a.id HAVING COUNT(DISTINCT lr.letter_id) >= 5 ORDER BY COUNT(DISTINCT lr.letter_id) DESC`);
    const members = rated(db, `SELECT m.slug FROM members m JOIN letter_senders ls ON ls.member_id = m.id GROUP BY m.id HAVING COUNT(DISTINCT ls.letter_id) >= 5 ORDER BY COUNT(DISTINCT ls.letter_id) DESC`);
    const committees = rated(db, `SELECT c.slug FROM committees c JOIN letters l ON l.committee_id = c.id GROUP BY c.id HAVING COUNT(*) >= 5 ORDER BY COUNT(*) DESC`);
    expect(agencies.length * members.length * committees.length, "the demo data has a rated agency, member and committee").toBeGreaterThan(0);
    member = members[0]!;
    committee = committees[0]!;
    pages = ["/", `/agencies/${agencies[0]}`, `/members/${member}`, `/committees/${committee}`, `/members/${member}?asOf=${PAST}`, `/committees/${committee}?asOf=${PAST}`];
  } finally {
    db.close();
  }
});

afterAll(async () => {
  await browser?.close();
  await phoneNoJs?.close();
  await phone?.close();
  await server?.stop();
});

/** Each drawn curve's path: how many points it goes through, and how far it reaches across. */
async function drawnCurves(page: Page) {
  return page.locator('[data-chart="survival"] path.recharts-line-curve').evaluateAll((paths) =>
    paths.map((path) => {
      const d = path.getAttribute("d") ?? "";
      const numbers = (d.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);
      const xs = numbers.filter((_, index) => index % 2 === 0);
      return { commands: (d.match(/[MLHV]/g) ?? []).length, span: xs.length ? Math.max(...xs) - Math.min(...xs) : 0 };
    }),
  );
}

describe("survival curves in Chromium", () => {
  it("are drawn through their points on the overview, agency, member and committee pages, today and as of a past date", async () => {
    for (const path of pages) {
      const page = await browser.newPage();
      const errors = watchErrors(page);
      await page.goto(server.url + path);
      await expect.poll(() => page.locator('[data-chart="survival"] svg.recharts-surface').count(), { timeout: 30_000, message: path }).toBeGreaterThan(0);
      await expect.poll(async () => (await drawnCurves(page)).length, { timeout: 30_000, message: path }).toBeGreaterThan(0);
      for (const curve of await drawnCurves(page)) {
        expect(curve.commands, `${path}: a step line through several points`).toBeGreaterThanOrEqual(3);
        expect(curve.span, `${path}: the line reaches across the chart`).toBeGreaterThan(50);
      }
      expect(errors, path).toEqual([]);
      await page.close();
    }
  });
});

describe("a past-date member or committee page's agency figures", () => {
  it("say whose letters they count, at 390 px without JavaScript, with no serious axe finding", async () => {
    for (const path of [`/members/${member}?asOf=${PAST}`, `/committees/${committee}?asOf=${PAST}`]) {
      const page = await phoneNoJs.newPage();
      await page.goto(server.url + path);
      const intro = await page.locator('section[aria-labelledby="agencies-heading"] > p').first().textContent({ timeout: 30_000 });
      expect(intro, path).toMatch(/figures over .* letters to it/);
      // One letters column, named for this page's letters; no "All letters received" column.
      const headers = await page.locator('section[aria-labelledby="agencies-heading"] thead th').allTextContents();
      expect(headers.join(" | "), path).toContain("Letters from here");
      expect(headers.join(" | "), path).not.toContain("All letters received");
      await page.close();
      // Nothing wider than the phone's screen but the scrolling table region; axe needs scripts.
      const checked = await phone.newPage();
      await checked.goto(server.url + path);
      const overflow = await checked.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
      expect(await seriousViolations(checked), path).toEqual([]);
      await checked.close();
    }
  }, 300_000);
});
