/**
 * Attack 23, against the real production server (build/server.js) and Debian's Chromium. Each test
 * is a finding: it fails while the fault is there (see ATTACK-23.md).
 */
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { watchErrors } from "../support/browser";
import { rawPost } from "../support/raw-post";
import { queryOne, waitForHydration } from "../support/journeys";
import type { RunningServer } from "../support/server";
import { demoLetterSlug as demoLetterOf, startWithTwoEditors, type TwoEditors } from "../support/two-editors";

let staff: TwoEditors;
let server: RunningServer;
let cookieA = "";
let aliceJs: BrowserContext;
let bobJs: BrowserContext;
const MB = 1024 * 1024;

beforeAll(async () => {
  staff = await startWithTwoEditors({ tag: "23", javaScriptEnabled: true });
  ({ server, alice: aliceJs, bob: bobJs, aliceCookie: cookieA } = staff);
}, 300_000);

afterAll(async () => {
  await staff?.stop();
});

const demoLetterSlug = (offset = 0) => demoLetterOf(server, offset);

/** A chunked POST of `prefix` then `size` bytes of filler, on a raw connection; resolves with the answer. */
function chunkedPost(target: string, contentType: string, size: number, { cookie, prefix = "" }: { cookie?: string; prefix?: string }): Promise<string> {
  return rawPost({ serverUrl: server.url, target, contentType, cookie, chunked: { head: Buffer.from(prefix, "latin1"), filler: size, fillWith: 0x61, pieceBytes: 256 * 1024 } });
}

describe("chunked bodies over the limit (commit 1ff6be4)", () => {
  it("are answered 413 without the server logging an error (no second answer written over the 413)", async () => {
    const slug = demoLetterSlug(0);
    const form = "application/x-www-form-urlencoded";
    const upload = 'multipart/form-data; boundary=XyZ';
    const filePart = '--XyZ\r\nContent-Disposition: form-data; name="document"; filename="big.txt"\r\nContent-Type: text/plain\r\n\r\nDear Secretary, please answer.\n';
    const cases: Array<[string, string, number, string | undefined, string]> = [
      ["/login", form, 2 * MB, undefined, "email=a%40b.org&password="],
      [`/letters/${slug}/edit`, form, 10 * MB, cookieA, "title="],
      [`/letters/${slug}/responses/new`, form, 10 * MB, cookieA, "from="],
      [`/letters/${slug}/edit`, upload, 30 * MB, cookieA, filePart],
    ];
    for (const [target, contentType, size, cookie, prefix] of cases) {
      const before = server.output().length;
      const answer = await chunkedPost(target, contentType, size, { cookie, prefix });
      expect(answer.slice(0, 12), `${target}: ${answer.slice(0, 100)}`).toBe("HTTP/1.1 413");
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const logged = server.output().slice(before);
      // Seen: "Error: The request body is larger than this address takes" (the route's action failing as
      // an unexpected server error) and "TypeError: Content-Type cannot be set to an Array" (Remix's answer
      // written onto the 413 already sent) after every refused body.
      expect(logged, `${target} (${contentType}) logged`).not.toMatch(/TypeError|Error: The request body/);
    }
    expect((await fetch(`${server.url}/letters`)).status).toBe(200);
  }, 180_000);
});

describe("a save of a letter deleted meanwhile (commit 778c241)", () => {
  it("a save to a letter that never existed is a 404, not 'This letter was deleted after you opened it (someone else deleted it)'", async () => {
    const answer = await fetch(`${server.url}/letters/no-such-letter-ever-2025-01-01/edit`, {
      method: "POST",
      headers: { Cookie: cookieA, Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "save", title: "Anything", "questions[0].text": "Q?" }),
      redirect: "manual",
    });
    const saysDeleted = /someone else deleted it/.test(await answer.text());
    expect(saysDeleted, "the answer says the letter was deleted by someone else").toBe(false);
    expect(answer.status).toBe(404);
  }, 60_000);

  it("with JavaScript: Propose from text on the recovered form, then Save as a new letter, logs the letter once with what was proposed", async () => {
    const slug = demoLetterSlug(3);
    const page = await aliceJs.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/letters/${slug}/edit`);
    await waitForHydration(page);
    const title = await page.locator('input[name="title"]').inputValue();
    const typed = "Alice's rewrite, typed with JavaScript on.";
    await page.locator('textarea[name="questions[0].text"]').fill(typed);

    const other = await bobJs.newPage();
    await other.goto(`${server.url}/letters/${slug}/edit?delete=1`);
    await waitForHydration(other);
    await other.getByRole("button", { name: "Yes, delete the letter" }).click();
    await other.waitForURL(`${server.url}/letters`);
    await other.close();

    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("button", { name: "Save as a new letter" }).waitFor({ timeout: 20_000 });
    expect(await page.locator("body").innerText()).toMatch(/deleted/i);
    expect(await page.locator('textarea[name="questions[0].text"]').inputValue()).toBe(typed);

    const pasted = ["Dear Secretary Rubio:", "", "Please provide the following by June 1, 2025:", "", "1. How many visas were revoked in 2024?", "2. Which offices handled the revocations?", "", "Sincerely,"].join("\n");
    await page.locator("summary", { hasText: "Paste the letter text" }).click();
    await page.getByLabel("Letter text").fill(pasted);
    const proposed = page.waitForResponse((response) => response.request().method() === "POST" && response.url().includes("/letters/new"));
    await page.getByRole("button", { name: "Propose from text" }).click();
    expect((await proposed).status()).toBe(200);
    // The fetcher's answer is applied (and whatever Remix loads after it) before looking.
    await page.waitForLoadState("networkidle");
    await page.waitForTimeout(1_000);
    // Seen: "Page not found — There is no letter "<slug>"": after the fetcher's post, Remix revalidates
    // the page's loaders, the edit route's loader 404s for the deleted letter, and the 404 boundary
    // replaces the recovered form with everything typed and proposed.
    expect(await page.locator("h1").first().innerText()).not.toMatch(/not found/i);
    const texts = await page.locator('textarea[name^="questions["][name$=".text"]').evaluateAll((boxes) => boxes.map((box) => (box as HTMLTextAreaElement).value));
    expect(texts).toEqual(["How many visas were revoked in 2024?", "Which offices handled the revocations?"]);

    const lettersBefore = queryOne<{ n: number }>(server.databasePath, "SELECT count(*) AS n FROM letters")!.n;
    await page.getByRole("button", { name: "Save as a new letter" }).click();
    await page.waitForURL((url) => /\/letters\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith("/new"), { timeout: 30_000 });
    // The address changes before the new page is drawn: wait for the page, not the address.
    await page.locator("main h1", { hasText: title }).waitFor({ timeout: 30_000 });
    expect(queryOne<{ n: number }>(server.databasePath, "SELECT count(*) AS n FROM letters")!.n).toBe(lettersBefore + 1);
    expect(await page.locator("main").innerText()).toContain("Which offices handled the revocations?");
    // The save's 410 is the answer designed for this (Chromium logs every 4xx it loads); nothing else.
    expect(errors.filter((error) => !/responded with a status of 410/.test(error))).toEqual([]);
    await page.close();
  }, 180_000);
});
