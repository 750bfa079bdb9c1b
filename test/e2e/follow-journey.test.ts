/**
 * Following a letter by email, in a real Chromium against the built server and a real SMTP server:
 * a reader follows a letter without an account and without JavaScript, confirms from the message
 * that arrives, an editor logs a response, the alert arrives, and one click unsubscribes.
 */
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { queryOne, signInAt } from "../support/journeys";
import { createUserWithCli, startServer, type RunningServer } from "../support/server";
import { startSmtpServer, type TestSmtpServer } from "../support/smtp";
import { today } from "~/domain/dates";

let server: RunningServer;
let smtp: TestSmtpServer;
let withoutJs: BrowserContext;
let withJs: BrowserContext;
const editor = { email: "erin@example.org", name: "Erin Editor", role: "editor" as const, password: "correct horse battery staple" };
const JOURNEY_TIMEOUT = 240_000;

beforeAll(async () => {
  smtp = await startSmtpServer();
  server = await startServer({ SMTP_URL: smtp.url, MAIL_POLL_MS: "500" });
  await createUserWithCli(server.databasePath, editor);
  withoutJs = await launchBrowser({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  withJs = await launchBrowser();
}, JOURNEY_TIMEOUT);

afterAll(async () => {
  await withoutJs?.close();
  await withJs?.close();
  await server?.stop();
  await smtp?.close();
});

/** A link from a message, on the test server (PUBLIC_URL names localhost and the server's port). */
function linkIn(text: string, path: string): string {
  const match = new RegExp(`https?://[^\\s]+${path.replace("/", "\\/")}\\?token=[^\\s>]+`).exec(text);
  if (!match) throw new Error(`no ${path} link in:\n${text}`);
  const url = new URL(match[0]);
  return `${server.url}${url.pathname}${url.search}`;
}

describe("following a letter by email", () => {
  it(
    "follow without an account or JavaScript, confirm, hear of a response, unsubscribe in one click",
    async () => {
      const letter = queryOne<{ slug: string; title: string; sent_on: string }>(
        server.databasePath,
        "SELECT slug, title, sent_on FROM letters WHERE closed_on IS NULL ORDER BY sent_on DESC LIMIT 1",
      )!;
      const reader = await withoutJs.newPage();
      await reader.goto(`${server.url}/letters/${letter.slug}`);
      const box = reader.getByRole("region", { name: "Follow this letter" });
      await box.getByLabel("Your email address").fill("reader@example.org");
      await box.getByRole("button", { name: "Follow" }).click();
      await reader.getByRole("heading", { name: "Check your inbox" }).waitFor();

      const [confirmation] = await smtp.waitFor(1);
      expect(confirmation!.to).toEqual(["reader@example.org"]);
      await reader.goto(linkIn(confirmation!.parsed.text!, "/follow/confirm"));
      await reader.getByRole("button", { name: "Confirm" }).click();
      await reader.getByRole("heading", { name: "You are following" }).waitFor();
      // The page never shows the address.
      expect(await reader.content()).not.toContain("reader@example.org");
      // It says how often messages come, and leads to where that (and the day and hour) is changed.
      await expect.poll(() => reader.getByTestId("follow-schedule").textContent()).toContain("How often: As it happens.");
      // The confirmation link opened again (a mail scanner, a forwarded message) says how often but
      // hands out no manage link: only pressing Confirm does.
      const again = await withoutJs.newPage();
      await again.goto(linkIn(confirmation!.parsed.text!, "/follow/confirm"));
      await again.getByRole("heading", { name: "You are following" }).waitFor();
      await expect.poll(() => again.getByTestId("follow-schedule").textContent()).toContain("How often: As it happens.");
      expect(await again.content()).not.toContain("/follows/manage");
      await again.close();
      await reader.getByRole("link", { name: "Change how often, the day or the hour, or stop" }).click();
      await reader.getByRole("heading", { name: "Manage your alerts" }).waitFor();
      await reader.getByLabel("How often").selectOption("daily");
      await reader.getByLabel("Digest hour").selectOption("18");
      await reader.getByRole("button", { name: /^Save/ }).click();
      await reader.getByText(/Daily digest at 18:00 \(/).first().waitFor();
      const chosen = queryOne<{ cadence: string; digest_hour: number }>(server.databasePath, "SELECT cadence, digest_hour FROM follows WHERE email = ?", "reader@example.org")!;
      expect(chosen).toEqual({ cadence: "daily", digest_hour: 18 });
      // As it happens again, so the response below is heard at once.
      await reader.getByLabel("How often").selectOption("immediate");
      await reader.getByRole("button", { name: /^Save/ }).click();
      await expect
        .poll(() => queryOne<{ cadence: string }>(server.databasePath, "SELECT cadence FROM follows WHERE email = ?", "reader@example.org")!.cadence)
        .toBe("immediate");

      const staff = await withJs.newPage();
      await signInAt(staff, server.url, editor);
      await staff.goto(`${server.url}/letters/${letter.slug}/responses/new`);
      await staff.getByLabel("Received on").fill(today());
      await staff.getByLabel("From").fill("Office of Legislative Affairs");
      await staff.getByLabel("Completeness").selectOption("acknowledgment");
      await staff.getByRole("button", { name: "Save response" }).click();
      await staff.waitForURL(new RegExp(`/letters/${letter.slug}(#.*)?$`));

      const [, alert] = await smtp.waitFor(2);
      expect(alert!.parsed.subject).toBe(`Response logged: ${letter.title}`);
      expect(alert!.parsed.text).toContain("Response logged from Office of Legislative Affairs");
      expect(alert!.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/im);

      await reader.goto(linkIn(alert!.parsed.text!, "/unsubscribe"));
      await reader.getByRole("button", { name: "Unsubscribe" }).click();
      await reader.getByRole("heading", { name: "Unsubscribed" }).waitFor();
      const follow = queryOne<{ unsubscribed_at: number | null }>(server.databasePath, "SELECT unsubscribed_at FROM follows WHERE email = ?", "reader@example.org")!;
      expect(follow.unsubscribed_at).not.toBeNull();

      // The mail program's one-click POST (RFC 8058): no cookie, no form token.
      const oneClick = await fetch(linkIn(alert!.parsed.text!, "/unsubscribe"), {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      });
      expect(oneClick.status).toBe(200);
    },
    JOURNEY_TIMEOUT,
  );
});
