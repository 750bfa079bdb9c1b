/**
 * Every staff form, fed random and hostile input by fast-check: no submission crashes (a 500), and
 * one that is refused leaves the database exactly as it was.
 */
import fc from "fast-check";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { DEMO_SEED_FILE, seedFromFile } from "../../db/seed.server";
import { letters, responses } from "../../db/schema";
import * as adminUsers from "~/routes/admin.users";
import * as accountPassword from "~/routes/account.password";
import * as letterClose from "~/routes/letters.$slug_.close";
import * as letterDeadline from "~/routes/letters.$slug_.deadline";
import * as letterEdit from "~/routes/letters.$slug_.edit";
import * as responseEdit from "~/routes/letters.$slug_.responses.$responseId";
import * as responseNew from "~/routes/letters.$slug_.responses.new";
import * as letterNew from "~/routes/letters.new";
import * as login from "~/routes/login";
import { freshDatabase } from "../support/database";
import { formRequest, run, signedInAs } from "../support/requests";

const WYDEN = "wyden-bessent-doge-payment-systems-2025-01-31";
let db: Db;
let editorCookie: string;
let adminCookie: string;
let responseId: number;

beforeAll(async () => {
  db = freshDatabase();
  seedFromFile({ db, file: DEMO_SEED_FILE });
  editorCookie = (await signedInAs("editor")).cookie;
  adminCookie = (await signedInAs("admin")).cookie;
  const letterId = db.select({ id: letters.id }).from(letters).where(eq(letters.slug, WYDEN)).get()!.id;
  responseId = db.select({ id: responses.id }).from(responses).where(eq(responses.letterId, letterId)).get()!.id;
});

/** Strings that have broken web apps before, mixed with anything at all. */
const hostile = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.constantFrom(
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "'; DROP TABLE letters; --",
    "=HYPERLINK(\"http://evil\")",
    "2025-02-30",
    "9999-99-99",
    "0000-01-01",
    "-1",
    "1e309",
    "NaN",
    "__proto__",
    "constructor",
    "\u0000",
    "\uD800",
    "😀".repeat(50),
    "a".repeat(20_000),
    "",
  ),
);

const fieldNames = [
  "intent", "title", "slug", "sentOn", "chamber", "committee", "newCommittee", "deadline", "tags", "sourceUrl",
  "summary", "notes", "internalNotes", "followsUp", "pasteText", "leadSender",
  "senders[0].member", "senders[0].name", "senders[0].party", "senders[0].state", "senders[0].chamber",
  "senders[1].name", "recipients[0].official", "recipients[0].name", "recipients[0].title", "recipients[0].agency",
  "questions[0].id", "questions[0].text", "questions[0].kind", "questions[5].text", "receivedOn", "from",
  "completeness", "verdicts[0].questionId", "verdicts[0].verdict", "newDeadline", "grantedOn", "reason",
  "closedOn", "confirm", "changeId", "email", "name", "role", "userId", "password", "currentPassword",
  "newPassword", "confirmPassword", "redirectTo", "__intent__", "documents[0]", "documents[1]",
];

const formData = fc.dictionary(fc.constantFrom(...fieldNames), hostile, { maxKeys: 14 });

function fingerprint(): string {
  return JSON.stringify(
    db.all(sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('sessions', 'login_attempts') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_index%' AND name NOT LIKE 'picker_index%' AND name NOT LIKE 'document_pages_fts%' ORDER BY name`).map((row) => {
      const name = (row as { name: string }).name;
      return [name, db.all(sql.raw(`SELECT * FROM "${name}" ORDER BY rowid`))];
    }),
  );
}

const ROUTES = [
  ["log a letter", letterNew.action, "/letters/new", () => ({}), () => editorCookie],
  ["edit a letter", letterEdit.action, `/letters/${WYDEN}/edit`, () => ({ slug: WYDEN }), () => editorCookie],
  ["log a response", responseNew.action, `/letters/${WYDEN}/responses/new`, () => ({ slug: WYDEN }), () => editorCookie],
  ["edit a response", responseEdit.action, `/letters/${WYDEN}/responses/x`, () => ({ slug: WYDEN, responseId: String(responseId) }), () => editorCookie],
  ["extensions", letterDeadline.action, `/letters/${WYDEN}/deadline`, () => ({ slug: WYDEN }), () => editorCookie],
  ["close or reopen", letterClose.action, `/letters/${WYDEN}/close`, () => ({ slug: WYDEN }), () => editorCookie],
  ["users", adminUsers.action, "/admin/users", () => ({}), () => adminCookie],
  ["password", accountPassword.action, "/account/password", () => ({}), () => editorCookie],
  ["sign in", login.action, "/login", () => ({}), () => ""],
] as const;

describe.each(ROUTES)("%s", (_name, action, path, params, cookie) => {
  it("never crashes, and a refused submission changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(formData, async (fields) => {
        const before = fingerprint();
        // run() rethrows anything that is not a response: a crash fails the property.
        const outcome = await run(action as never, formRequest(path, fields, cookie() || undefined), params());
        expect(outcome.status).toBeLessThan(500);
        if (outcome.status >= 400) expect(fingerprint()).toBe(before);
      }),
      { numRuns: 60 },
    );
  });
});

describe("a corrupted list intent", () => {
  it.each([" ", "<script>alert(1)</script>", '{"type":"remove","payload":{"name":"questions","index":99}}', "null"])(
    "%j is ignored, not a crash (found by the fuzzer)",
    async (intent) => {
      const outcome = await run(letterNew.action as never, formRequest("/letters/new", { __intent__: intent, title: "" }, editorCookie));
      expect(outcome.status).toBeLessThan(500);
    },
  );
});
