/**
 * Hostile input sent to the real server, signed in as an editor and anonymously: no answer is a
 * 500, and no script comes back into a page unescaped.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUserWithCli, startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let cookie: string;
const editor = { email: "fuzz-editor@example.org", name: "Fuzz Editor", role: "editor" as const, password: "a long fuzzing password" };

beforeAll(async () => {
  server = await startServer();
  await createUserWithCli(server.databasePath, editor);
  const login = await fetch(`${server.url}/login`, {
    method: "POST",
    body: new URLSearchParams({ email: editor.email, password: editor.password }),
    redirect: "manual",
  });
  cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
  expect(cookie).toMatch(/^tracker_session=/);
});

afterAll(async () => {
  await server?.stop();
});

/** A payload that would run if it reached the page as markup. */
const payload = fc
  .tuple(fc.string({ maxLength: 20 }), fc.constantFrom("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>", "\"><script>alert(1)</script>"))
  .map(([noise, attack]) => `${noise}${attack}`);

const MARKERS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>"];

function assertNoReflection(html: string) {
  for (const marker of MARKERS) expect(html).not.toContain(marker);
}

describe("hostile input is never reflected as markup", () => {
  it("in the staff forms (invalid submissions come back with the typed text)", async () => {
    await fc.assert(
      fc.asyncProperty(payload, async (text) => {
        const response = await fetch(`${server.url}/letters/new`, {
          method: "POST",
          headers: { Cookie: cookie },
          // An impossible date makes the form come back, with everything typed in it.
          body: new URLSearchParams({ intent: "save", title: text, summary: text, sentOn: "2025-02-30", "questions[0].text": text, "questions[0].kind": "question" }),
        });
        expect(response.status).toBeLessThan(500);
        assertNoReflection(await response.text());
      }),
      { numRuns: 15 },
    );
  });

  it("in query parameters of every reading page", async () => {
    const pages = ["/", "/letters", "/questions", "/agencies", "/search", "/briefing", "/login", "/api/letters", "/export/letters.csv"];
    await fc.assert(
      fc.asyncProperty(payload, fc.constantFrom(...pages), fc.constantFrom("q", "asOf", "agency", "status", "sort", "redirectTo", "page"), async (text, page, param) => {
        const response = await fetch(`${server.url}${page}?${new URLSearchParams({ [param]: text })}`);
        expect(response.status).toBeLessThan(500);
        const body = await response.text();
        // CSV and JSON are not HTML; their content types say so.
        if ((response.headers.get("content-type") ?? "").includes("text/html")) assertNoReflection(body);
      }),
      { numRuns: 40 },
    );
  });
});
