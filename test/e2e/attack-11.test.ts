/**
 * Attack on f94bee9 in a real Chromium against the built server, without JavaScript, at 390 px:
 * while an import holds the bulk-write gate, a form that is not a letter form comes back with what
 * was typed and the gate's message (503), never with a password. A failing test here is a finding.
 */
import Database from "better-sqlite3";
import type { BrowserContext } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "~/domain/follows";
import { WRITE_GATE_SHORT_MESSAGE } from "~/utils/write-gate.server";
import { launchBrowser } from "../support/browser";
import { createUserWithCli, startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let phone: BrowserContext;
const staffer = { email: "sam@example.org", name: "Sam Staffer", role: "editor" as const, password: "correct horse battery staple" };
const TIMEOUT = 240_000;
const KEY = "attack-11-e2e-key-of-at-least-32-characters-long";

beforeAll(async () => {
  // A write meets the gate at once instead of waiting for it (60 s by default).
  server = await startServer({ MAIL_TOKEN_SECRET: KEY, MAIL_SENDER: "false", WRITE_GATE_WAIT_MS: "0" });
  await createUserWithCli(server.databasePath, staffer);
  phone = await launchBrowser({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
}, TIMEOUT);

afterAll(async () => {
  await phone?.close();
  await server?.stop();
});

/** An import elsewhere holds the gate (an old-style holder name: alive until its lease expires). */
function gate(closed: boolean) {
  const db = new Database(server.databasePath);
  try {
    if (closed) {
      db.prepare("INSERT INTO job_leases (name, holder, expires_at) VALUES ('bulk-write', 'attack11-import', ?) ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at").run(Date.now() + 60 * 60_000);
    } else {
      db.prepare("DELETE FROM job_leases WHERE name = 'bulk-write'").run();
    }
  } finally {
    db.close();
  }
}

afterEach(() => gate(false));

describe("forms during an import, without JavaScript at 390 px", () => {
  it(
    "held up: sign-in comes back as the sign-in page, 503, with the gate's message and the address typed; the password field is empty",
    async () => {
      const page = await phone.newPage();
      await page.goto(`${server.url}/login`);
      await page.getByLabel("Email").fill(staffer.email);
      await page.getByLabel("Password").fill(staffer.password);
      gate(true);
      const answered = page.waitForResponse((response) => response.request().method() === "POST");
      await page.getByRole("button", { name: "Sign in" }).click();
      expect((await answered).status()).toBe(503);
      await page.getByText(WRITE_GATE_SHORT_MESSAGE).first().waitFor();
      expect(await page.getByLabel("Email").inputValue()).toBe(staffer.email);
      expect(await page.getByLabel("Password").inputValue()).toBe("");
      expect(await page.content()).not.toContain(staffer.password);
      await page.close();
    },
    TIMEOUT,
  );

  // What a user would see: "Email me a fresh link" on /follows/manage during an import answers with
  // the error page; the address typed is gone (the Follow form beside it keeps it, since f94bee9).
  it(
    "the manage-link request comes back as its form with the gate's message and the address typed",
    async () => {
      // The form is offered on an expired manage link (they work for 30 days).
      const db = new Database(server.databasePath);
      const letter = db.prepare("SELECT slug, title FROM letters ORDER BY id LIMIT 1").get() as { slug: string; title: string };
      const then = Date.now() - 40 * 24 * 60 * 60_000;
      const follow = (
        db
          .prepare("INSERT INTO follows (email, subject_kind, subject_key, subject_label, cadence, secret, created_at, confirmed_at) VALUES ('reader@example.org', 'letter', ?, ?, 'immediate', 'attack11-secret', ?, ?) RETURNING id")
          .get(letter.slug, letter.title, then, then) as { id: number }
      ).id;
      db.close();
      const token = signToken({ key: KEY, followId: follow, followSecret: "attack11-secret", purpose: "manage", now: then });
      const page = await phone.newPage();
      await page.goto(`${server.url}/follows/manage?token=${encodeURIComponent(token)}`);
      await page.getByLabel("Your email address").fill("reader@example.org");
      gate(true);
      const answered = page.waitForResponse((response) => response.request().method() === "POST");
      await page.getByRole("button", { name: "Email me a fresh link" }).click();
      expect((await answered).status()).toBe(503);
      await page.getByText(WRITE_GATE_SHORT_MESSAGE).first().waitFor();
      await expect.poll(() => page.getByLabel("Your email address").count()).toBe(1);
      expect(await page.getByLabel("Your email address").inputValue()).toBe("reader@example.org");
      await page.close();
    },
    TIMEOUT,
  );
});
