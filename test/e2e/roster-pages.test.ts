/**
 * Pages with the roster and agency directory loaded, rendered by the built app as a browser
 * without JavaScript receives them: a member's seat and committees, an agency's department, and an
 * ambiguous typed name offered as links that each pick one match.
 */
import path from "node:path";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemoDataIfEmpty } from "../../db/seed.server";
import { freshDatabase } from "../support/database";

let handle: (request: Request) => Promise<Response>;

beforeAll(async () => {
  seedDemoDataIfEmpty({ db: freshDatabase() });
  const build = (await import(path.resolve("build/index.js"))) as ServerBuild;
  const handler = createRequestHandler(build, "production");
  handle = (request) => handler(request, { cspNonce: "test-nonce", clientAddress: "127.0.0.1" });
});

async function html(pathname: string): Promise<string> {
  const closed = new AbortController();
  const response = await handle(new Request(`http://localhost${pathname}`, { signal: closed.signal }));
  expect(response.status).toBe(200);
  const text = await response.text();
  closed.abort();
  return text;
}

describe("roster pages, server-rendered", () => {
  it("a member's page gives the seat and committee roles, linked", async () => {
    const page = await html("/members/jamie-raskin");
    expect(page).toContain("Representative for MD, district 8");
    expect(page).toMatch(/Ranking Member, <a[^>]*href="\/committees\/house-committee-on-the-judiciary"[^>]*>House Committee on the Judiciary<\/a>/);
  });

  it("an agency's page names its department, a department its components", async () => {
    expect(await html("/agencies/u-s-immigration-and-customs-enforcement")).toMatch(
      /Part of <a[^>]*href="\/agencies\/u-s-department-of-homeland-security"[^>]*>U\.S\. Department of Homeland Security<\/a>/,
    );
    expect(await html("/agencies/u-s-department-of-homeland-security")).toMatch(/Components \((<!-- -->)?\d+(<!-- -->)?\)[\s\S]*U\.S\. Immigration and Customs Enforcement/);
  });

  it("an ambiguous typed member offers each match as a link that picks it", async () => {
    const page = await html("/letters?member=Johnson");
    expect(page).toContain('aria-label="Member: choose one"');
    expect(page).toMatch(/<a[^>]*href="\/letters\?member=mike-johnson"[^>]*>Mike Johnson \(R-LA\)<\/a>/);
    expect(page).toMatch(/<a[^>]*href="\/letters\?member=ron-johnson"[^>]*>Ron Johnson \(R-WI\)<\/a>/);
  });
});
