/**
 * "Propose from text" on "Log a letter", in a real Chromium, with and without JavaScript: the
 * whole letter is proposed (title, sent date, deadline, questions and requests, senders and
 * recipients "not matched yet"), the preview marks where each field came from, the focus is on
 * the first proposed field, and saving looks the names up. Also: the sent date starts empty (and
 * says it is required), and a message that goes away as the staffer fixes a field does not eat
 * the click on "Save letter" (at 390 px, where the form is one long column).
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { queryDb, signInAt, waitForHydration, watchFailures } from "../support/journeys";
import { createUserWithCli, startServer, type RunningServer } from "../support/server";

let server: RunningServer;
const editor = { email: "prop@example.org", name: "Pat Proposer", role: "editor" as const, password: "correct horse battery staple" };
const TIMEOUT = 180_000;

const LETTER = `COMMITTEE ON FOREIGN AFFAIRS
U.S. HOUSE OF REPRESENTATIVES
WASHINGTON, DC 20515

May 6, 2025

The Honorable Marco Rubio
Secretary
U.S. Department of State
Washington, DC 20520

Dear Secretary Rubio:

We write regarding the Department's payments to the Government of El Salvador for the detention of deportees.

Please provide the following no later than 5:00 p.m. on Friday, May 16, 2025:

1. All documents and communications referring or relating to the payments;
2. What is the legal authority for the payments?

The Honorable Marco Rubio
May 6, 2025
Page 2

3. Which officials approved them?

Sincerely,

Gregory Meeks
Ranking Member

Joaquin Castro
Ranking Member
Subcommittee on Western Hemisphere`;

beforeAll(async () => {
  server = await startServer();
  await createUserWithCli(server.databasePath, editor);
}, TIMEOUT);

afterAll(async () => {
  await server?.stop();
});

async function openNewLetter(context: BrowserContext, js: boolean): Promise<Page> {
  const page = await context.newPage();
  await signInAt(page, server.url, editor);
  await page.goto(`${server.url}/letters/new`);
  if (js) await waitForHydration(page);
  return page;
}

async function proposeAndCheck(page: Page, js: boolean) {
  expect(await page.getByLabel("Sent on").inputValue()).toBe("");
  await page.getByLabel("Letter text").fill(LETTER);
  await page.getByRole("button", { name: "Propose from text" }).click();
  if (!js) await page.waitForLoadState();
  await expect.poll(() => page.getByTestId("question-editor").count(), { timeout: 30_000 }).toBe(3);
  expect(await page.getByLabel("Title", { exact: true }).inputValue()).toBe("The Department's payments to the Government of El Salvador for the detention of deportees");
  expect(await page.getByLabel("Sent on").inputValue()).toBe("2025-05-06");
  expect(await page.getByLabel("Deadline").inputValue()).toBe("2025-05-16");
  expect(await page.getByLabel("Kind").evaluateAll((nodes) => nodes.map((node) => (node as HTMLSelectElement).value))).toEqual([
    "document_request",
    "question",
    "question",
  ]);
  expect(await page.getByLabel("Question 3").inputValue()).toBe("Which officials approved them?");
  // Senders and recipients: matched by the server to the roster and the directory, with JavaScript
  // (the form's fields posted by a fetcher) and without (the form posted).
  expect(await page.getByLabel("Sender 1", { exact: true }).inputValue()).toMatch(/^Gregory (W\. )?Meeks/);
  expect(await page.getByLabel("Sender 2", { exact: true }).inputValue()).toMatch(/^Joaquin Castro/);
  expect(await page.getByLabel("Recipient 1", { exact: true }).inputValue()).toMatch(/^Marco Rubio/);
  expect(await page.getByTestId("not-matched").count()).toBe(0);
  // The preview marks where each field came from, in the text as pasted.
  const preview = page.getByTestId("proposal-preview");
  expect(await preview.locator('mark[data-source="item-3"]').textContent()).toContain("Which officials approved them?");
  expect(await preview.locator('mark[data-source="deadline"]').textContent()).toContain("no later than 5:00 p.m. on Friday, May 16, 2025");
  expect(await preview.locator('mark[data-source="sender-2"]').textContent()).toContain("Joaquin Castro");
  expect(await preview.locator('mark[data-source="title"]').textContent()).toContain("We write regarding");
  expect(await page.getByTestId("proposed-senders").textContent()).toMatch(/Gregory Meeks, Ranking Member matched: Gregory (W\. )?Meeks \(D-NY\)/);
  // The focus is on the first proposed field.
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("title");
}

describe("proposing a whole letter from its text", () => {
  it.each([true, false])(
    "with JavaScript %s: proposes, marks the sources, focuses the title, and saves with the names looked up",
    async (js) => {
      const context = await launchBrowser({ javaScriptEnabled: js });
      try {
        const page = await openNewLetter(context, js);
        const failures = watchFailures(page);
        await proposeAndCheck(page, js);
        const title = `Proposed letter (${js ? "js" : "no js"})`;
        await page.getByLabel("Title", { exact: true }).fill(title);
        await page.getByRole("button", { name: "Save letter" }).click();
        await page.waitForURL(/\/letters\/proposed-letter-/, { timeout: 30_000 });
        const rows = queryDb<{ slug: string; sent_on: string; deadline: string; senders: string; recipients: string; kinds: string }>(
          server.databasePath,
          `SELECT l.slug, l.sent_on, l.deadline,
             (SELECT group_concat(m.name, '|') FROM letter_senders s JOIN members m ON m.id = s.member_id WHERE s.letter_id = l.id ORDER BY s.position) AS senders,
             (SELECT group_concat(o.name, '|') FROM letter_recipients r JOIN officials o ON o.id = r.official_id WHERE r.letter_id = l.id) AS recipients,
             (SELECT group_concat(q.kind, '|') FROM questions q WHERE q.letter_id = l.id ORDER BY q.number) AS kinds
           FROM letters l WHERE l.title = ?`,
          title,
        );
        expect(rows).toEqual([
          expect.objectContaining({
            sent_on: "2025-05-06",
            deadline: "2025-05-16",
            // The letter's "Gregory Meeks" found the member (the roster names him in full).
            senders: expect.stringMatching(/^Gregory (W\. )?Meeks\|Joaquin Castro$/),
            recipients: "Marco Rubio",
            kinds: "document_request|question|question",
          }),
        ]);
        expect(failures).toEqual([]);
      } finally {
        await context.close();
      }
    },
    TIMEOUT,
  );
});

const RASKIN_LETTER = `June 2, 2025

The Honorable Pam Bondi
Attorney General
U.S. Department of Justice
Washington, DC 20530

Dear Attorney General Bondi:

We write regarding the Department's handling of the pardon attorney's office.

1. Who decided to dismiss the pardon attorney?

Sincerely,

Jamie Raskin
Ranking Member`;

describe("with JavaScript, the proposal is the server's", () => {
  it(
    "a letter signed by Jamie Raskin: the preview and the sender field show Jamie Raskin (D-MD) before saving; the picker changes him",
    async () => {
      const context = await launchBrowser({ javaScriptEnabled: true });
      try {
        const page = await openNewLetter(context, true);
        const failures = watchFailures(page);
        const posts: string[] = [];
        page.on("request", (request) => {
          if (request.method() === "POST") posts.push(new URL(request.url()).pathname);
        });
        await page.getByLabel("Letter text").fill(RASKIN_LETTER);
        await page.getByRole("button", { name: "Propose from text" }).click();
        await expect.poll(() => page.getByTestId("proposed-senders").count(), { timeout: 30_000 }).toBe(1);
        expect(await page.getByTestId("proposed-senders").textContent()).toContain("Jamie Raskin, Ranking Member matched: Jamie Raskin (D-MD)");
        const sender = page.getByRole("combobox", { name: "Sender 1", exact: true });
        expect(await sender.inputValue()).toBe("Jamie Raskin (D-MD)");
        expect(await page.getByTestId("not-matched").count()).toBe(0);
        // Posted to the server without leaving the page (a fetcher, not a navigation).
        expect(posts.some((path) => path.startsWith("/letters/new"))).toBe(true);
        expect(page.url()).toBe(`${server.url}/letters/new`);

        // The match is changeable with the picker.
        await sender.fill("");
        await sender.pressSequentially("meeks");
        const options = page.getByRole("listbox", { name: "Suggested members" }).getByRole("option");
        await expect.poll(() => options.allTextContents(), { timeout: 30_000 }).toEqual(expect.arrayContaining([expect.stringMatching(/Meeks \(D-NY\)/)]));
        const index = (await options.allTextContents()).findIndex((text) => /Meeks \(D-NY\)/.test(text));
        await options.nth(index).click();
        expect(await sender.inputValue()).toMatch(/^Gregory (W\. )?Meeks \(D-NY\)$/);
        await page.getByLabel("Title", { exact: true }).fill("Raskin letter changed to Meeks");
        await page.getByRole("button", { name: "Save letter" }).click();
        await page.waitForURL(/\/letters\/raskin-letter-changed-to-meeks/, { timeout: 30_000 });
        const rows = queryDb<{ senders: string }>(
          server.databasePath,
          `SELECT (SELECT group_concat(m.name, '|') FROM letter_senders s JOIN members m ON m.id = s.member_id WHERE s.letter_id = l.id) AS senders
           FROM letters l WHERE l.title = ?`,
          "Raskin letter changed to Meeks",
        );
        expect(rows).toEqual([{ senders: expect.stringMatching(/^Gregory (W\. )?Meeks$/) }]);
        expect(failures).toEqual([]);
      } finally {
        await context.close();
      }
    },
    TIMEOUT,
  );
});

describe("without JavaScript, a name that matches several", () => {
  it(
    "is offered as a choice of radio buttons, the form keeping what was typed; choosing one and saving saves it",
    async () => {
      const context = await launchBrowser({ javaScriptEnabled: false });
      try {
        const page = await openNewLetter(context, false);
        await page.getByLabel("Title", { exact: true }).fill("Ambiguous recipient without JavaScript");
        await page.getByLabel("Sent on").fill("2025-05-08");
        await page.getByLabel("Sender 1", { exact: true }).fill("Jamie Raskin");
        await page.getByLabel("Recipient 1", { exact: true }).fill("Secretary");
        await page.getByRole("button", { name: "Save letter" }).click();
        await page.waitForLoadState();
        const choices = page.getByRole("group", { name: "Recipient 1: which one did you mean?" });
        await expect.poll(() => choices.count(), { timeout: 30_000 }).toBe(1);
        expect(await choices.getByRole("radio").count()).toBeGreaterThan(1);
        // What was typed is kept.
        expect(await page.getByLabel("Title", { exact: true }).inputValue()).toBe("Ambiguous recipient without JavaScript");
        expect(await page.getByLabel("Recipient 1", { exact: true }).inputValue()).toBe("Secretary");
        await choices.getByRole("radio", { name: /^Scott Bessent, Secretary of the Treasury/ }).check();
        await page.getByRole("button", { name: "Save letter" }).click();
        await page.waitForURL(/\/letters\/ambiguous-recipient-without-javascript-2025-05-08$/, { timeout: 30_000 });
        const rows = queryDb<{ official: string }>(
          server.databasePath,
          `SELECT o.name AS official FROM letters l JOIN letter_recipients r ON r.letter_id = l.id JOIN officials o ON o.id = r.official_id WHERE l.title = ?`,
          "Ambiguous recipient without JavaScript",
        );
        expect(rows).toEqual([{ official: "Scott Bessent" }]);
      } finally {
        await context.close();
      }
    },
    TIMEOUT,
  );
});

describe("the sent date and validation messages", () => {
  it(
    "the sent date starts empty and is required, with JavaScript and without",
    async () => {
      for (const js of [true, false]) {
        const context = await launchBrowser({ javaScriptEnabled: js });
        try {
          const page = await openNewLetter(context, js);
          expect(await page.getByLabel("Sent on").inputValue()).toBe("");
          await page.getByRole("button", { name: "Save letter" }).click();
          if (!js) await page.waitForLoadState();
          await expect.poll(() => page.getByText("Sent date is required").count(), { timeout: 30_000 }).toBe(1);
          const describedBy = (await page.getByLabel("Sent on").getAttribute("aria-describedby")) ?? "";
          expect(await page.locator(`[id="${describedBy.split(" ").at(-1)}"]`).textContent()).toContain("Sent date is required");
        } finally {
          await context.close();
        }
      }
    },
    TIMEOUT,
  );

  it(
    "at 390 px, the first click on Save after fixing an error saves",
    async () => {
      const context = await launchBrowser({ viewport: { width: 390, height: 844 } });
      try {
        const page = await openNewLetter(context, true);
        await page.getByLabel("Sent on").fill("2025-05-07");
        await page.getByLabel("Sender 1", { exact: true }).fill("Gregory Meeks");
        await page.getByLabel("Recipient 1", { exact: true }).fill("Marco Rubio");
        // Messages: the title and an empty question.
        await page.getByRole("button", { name: "Add a question" }).click();
        await expect.poll(() => page.getByTestId("question-editor").count()).toBe(1);
        await page.getByRole("button", { name: "Save letter" }).click();
        await expect.poll(() => page.getByText("Title is required").count()).toBe(1);
        await expect.poll(() => page.getByText("Question text is required").count()).toBe(1);
        await page.getByLabel("Title", { exact: true }).fill("Fixed on the first click");
        // The last fix is the question just above the button: typed, and Save pressed at once with the
        // field still focused. Its message was taller than half the button; had it gone as the focus
        // left the field, the button would have moved between press and release.
        await page.getByLabel("Question 1").fill("Who approved the payments?");
        const box = await page.getByRole("button", { name: "Save letter" }).boundingBox();
        await page.getByRole("button", { name: "Save letter" }).click();
        await page.waitForURL(/\/letters\/fixed-on-the-first-click-2025-05-07$/, { timeout: 30_000 });
        expect(box).not.toBeNull();
      } finally {
        await context.close();
      }
    },
    TIMEOUT,
  );
});
