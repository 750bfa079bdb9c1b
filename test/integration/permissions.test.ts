/**
 * Every action that changes data, tried signed out and as a viewer: refused, and the database is
 * unchanged. The same request from an editor (or admin) succeeds and changes it, so the table
 * would notice a route that forgot its check.
 */
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { DEMO_SEED_FILE, seedFromFile } from "../../db/seed.server";
import { letters, officials, responses } from "../../db/schema";
import * as adminUsers from "~/routes/admin.users";
import * as accountPassword from "~/routes/account.password";
import * as letterClose from "~/routes/letters.$slug_.close";
import * as letterDeadline from "~/routes/letters.$slug_.deadline";
import * as letterEdit from "~/routes/letters.$slug_.edit";
import * as responseEdit from "~/routes/letters.$slug_.responses.$responseId";
import * as responseNew from "~/routes/letters.$slug_.responses.new";
import * as letterNew from "~/routes/letters.new";
import * as letterPage from "~/routes/letters.$slug";
import { writeAudit } from "~/models/audit.server";
import { addExtension } from "../factories";
import { freshDatabase, tableCounts } from "../support/database";
import { formRequest, getRequest, run, signedInAs } from "../support/requests";

const MEEKS = "meeks-castro-rubio-el-salvador-2025-04-17";
const WYDEN = "wyden-bessent-doge-payment-systems-2025-01-31";

let db: Db;
let responseId: number;
let extensionId: number;
let rubioId: number;
let someUserId: number;

beforeAll(async () => {
  db = freshDatabase();
  seedFromFile({ db, file: DEMO_SEED_FILE });
  const wyden = db.select({ id: letters.id }).from(letters).where(eq(letters.slug, WYDEN)).get()!;
  responseId = db.select({ id: responses.id }).from(responses).where(eq(responses.letterId, wyden.id)).get()!.id;
  const meeks = db.select({ id: letters.id }).from(letters).where(eq(letters.slug, MEEKS)).get()!;
  addExtension(db, meeks.id, { newDeadline: "2025-06-01", grantedOn: "2025-05-01" });
  extensionId = db.get<{ id: number }>(sql`SELECT id FROM deadline_changes LIMIT 1`)!.id;
  rubioId = db.select({ id: officials.id }).from(officials).where(eq(officials.name, "Marco Rubio")).get()!.id;
  someUserId = (await signedInAs("viewer")).id;
});

const letterFields = {
  intent: "save",
  title: "A new letter",
  sentOn: "2025-03-01",
  chamber: "House",
  "senders[0].member": "gregory-meeks",
  leadSender: "0",
  "recipients[0].official": "",
  "questions[0].text": "Why?",
  "questions[0].kind": "question",
};

type Case = {
  name: string;
  fn: (args: never) => unknown;
  path: string;
  params: Record<string, string>;
  fields: () => Record<string, string>;
  needs: "editor" | "admin";
  /** Roles that must be refused besides signed-out visitors. */
  refused: Array<"viewer" | "editor">;
};

/** The version an edit form carries: the stored one, read when the form is posted. */
const letterVersion = (slug: string) => String(db.select({ version: letters.version }).from(letters).where(eq(letters.slug, slug)).get()!.version);
const responseVersion = () => String(db.select({ version: responses.version }).from(responses).where(eq(responses.id, responseId)).get()!.version);

const CASES: Case[] = [
  { name: "log a letter", fn: letterNew.action, path: "/letters/new", params: {}, fields: () => ({ ...letterFields, "recipients[0].official": String(rubioId) }), needs: "editor", refused: ["viewer"] },
  { name: "edit a letter", fn: letterEdit.action, path: `/letters/${MEEKS}/edit`, params: { slug: MEEKS }, fields: () => ({ ...letterFields, title: "Renamed", "recipients[0].official": String(rubioId), version: letterVersion(MEEKS) }), needs: "editor", refused: ["viewer"] },
  { name: "log a response", fn: responseNew.action, path: `/letters/${MEEKS}/responses/new`, params: { slug: MEEKS }, fields: () => ({ receivedOn: "2025-05-02", from: "State", completeness: "partial" }), needs: "editor", refused: ["viewer"] },
  { name: "edit a response", fn: responseEdit.action, path: `/letters/${WYDEN}/responses/x`, params: { slug: WYDEN, responseId: "0" }, fields: () => ({ receivedOn: "2025-02-05", from: "Treasury", completeness: "full", version: responseVersion() }), needs: "editor", refused: ["viewer"] },
  { name: "record an extension", fn: letterDeadline.action, path: `/letters/${MEEKS}/deadline`, params: { slug: MEEKS }, fields: () => ({ intent: "extend", newDeadline: "2025-07-01", grantedOn: "2025-05-20" }), needs: "editor", refused: ["viewer"] },
  { name: "remove an extension", fn: letterDeadline.action, path: `/letters/${MEEKS}/deadline`, params: { slug: MEEKS }, fields: () => ({ intent: "remove", confirm: "yes", changeId: String(extensionId) }), needs: "editor", refused: ["viewer"] },
  { name: "close a letter", fn: letterClose.action, path: `/letters/${MEEKS}/close`, params: { slug: MEEKS }, fields: () => ({ intent: "close", closedOn: "2025-09-01", reason: "Superseded", version: letterVersion(MEEKS) }), needs: "editor", refused: ["viewer"] },
  { name: "delete a response", fn: responseEdit.action, path: `/letters/${WYDEN}/responses/x`, params: { slug: WYDEN, responseId: "0" }, fields: () => ({ intent: "delete", confirm: "yes", version: responseVersion() }), needs: "editor", refused: ["viewer"] },
  { name: "delete a letter", fn: letterEdit.action, path: `/letters/${WYDEN}/edit`, params: { slug: WYDEN }, fields: () => ({ intent: "delete", confirm: "yes", version: letterVersion(WYDEN) }), needs: "editor", refused: ["viewer"] },
  { name: "create a user", fn: adminUsers.action, path: "/admin/users", params: {}, fields: () => ({ intent: "create", email: "new@example.org", name: "New", role: "editor" }), needs: "admin", refused: ["viewer", "editor"] },
  { name: "change a role", fn: adminUsers.action, path: "/admin/users", params: {}, fields: () => ({ intent: "set-role", userId: String(someUserId), role: "admin" }), needs: "admin", refused: ["viewer", "editor"] },
  { name: "disable a user", fn: adminUsers.action, path: "/admin/users", params: {}, fields: () => ({ intent: "disable", userId: String(someUserId) }), needs: "admin", refused: ["viewer", "editor"] },
  { name: "reset a password", fn: adminUsers.action, path: "/admin/users", params: {}, fields: () => ({ intent: "reset-password", userId: String(someUserId) }), needs: "admin", refused: ["viewer", "editor"] },
];

/** Row counts and a checksum of the tables a refused request must not touch. */
function fingerprint() {
  const { sessions: _s, login_attempts: _l, users: _u, ...counts } = tableCounts(db);
  const content = db.get<{ digest: string }>(sql`SELECT
    (SELECT group_concat(slug || title || coalesce(closed_on, '') || coalesce(effective_deadline, ''), '|') FROM letters) ||
    (SELECT group_concat(role || coalesce(disabled_at, '') || password_hash, '|') FROM users) AS digest`)!.digest;
  return { counts, content };
}

describe.each(CASES)("$name", (testCase) => {
  const params = () => (testCase.params.responseId ? { ...testCase.params, responseId: String(responseId) } : testCase.params);

  it("is refused when signed out, and changes nothing", async () => {
    const before = fingerprint();
    const outcome = await run(testCase.fn as never, formRequest(testCase.path, testCase.fields()), params());
    expect(outcome.status).toBe(302);
    expect(outcome.location).toMatch(/^\/login\?redirectTo=/);
    expect(fingerprint()).toEqual(before);
  });

  it.each(testCase.refused)("is refused for a %s, and changes nothing", async (role) => {
    const { cookie } = await signedInAs(role);
    const before = fingerprint();
    const outcome = await run(testCase.fn as never, formRequest(testCase.path, testCase.fields(), cookie), params());
    expect(outcome.status).toBe(403);
    expect(fingerprint()).toEqual(before);
  });

  it(`works for an ${testCase.needs}`, async () => {
    const { cookie } = await signedInAs(testCase.needs);
    const before = fingerprint();
    const outcome = await run(testCase.fn as never, formRequest(testCase.path, testCase.fields(), cookie), params());
    expect(outcome.status, JSON.stringify(outcome.data)).toBeLessThan(400);
    expect(fingerprint()).not.toEqual(before);
  });
});

describe("changing one's own password", () => {
  it("is refused when signed out", async () => {
    const outcome = await run(accountPassword.action as never, formRequest("/account/password", { currentPassword: "x", newPassword: "long enough password", confirmPassword: "long enough password" }));
    expect(outcome.status).toBe(302);
    expect(outcome.location).toMatch(/^\/login/);
  });
});

describe("the letter's history", () => {
  it("never shows an anonymous reader internal notes, their field names or authors' emails; staff see them", async () => {
    const meeks = db.select({ id: letters.id }).from(letters).where(eq(letters.slug, MEEKS)).get()!;
    const editor = { id: null, email: "author@example.org", name: "An Author" };
    db.transaction((tx) => {
      // History rows as the write path writes them: field keys, before and after values.
      writeAudit({ tx, actor: editor, action: "update", entity: "letter", entityId: meeks.id, letterId: meeks.id, summary: "Edited title, internalNotes", before: { title: "Old title", internalNotes: "SECRET-BEFORE" }, after: { title: "New title", internalNotes: "SECRET-AFTER" } });
      writeAudit({ tx, actor: editor, action: "update", entity: "letter", entityId: meeks.id, letterId: meeks.id, summary: "Edited internalNotes", before: { internalNotes: null }, after: { internalNotes: "SECRET-ONLY" } });
      writeAudit({ tx, actor: editor, action: "create", entity: "letter", entityId: meeks.id, letterId: meeks.id, summary: "Logged the letter", after: { title: "Old title", internalNotes: "SECRET-CREATED" } });
    });
    const anonymous = await run(letterPage.loader as never, getRequest(`/letters/${MEEKS}`), { slug: MEEKS });
    const seen = JSON.stringify((anonymous.data as { history: unknown[] }).history);
    expect(seen).not.toMatch(/internalNotes|internal_notes|SECRET|author@example\.org/);
    expect(seen).toContain("New title");
    expect(seen).toContain("Edited title");
    expect((anonymous.data as { letter: { internalNotes: unknown } }).letter.internalNotes).toBeNull();

    const { cookie } = await signedInAs("viewer");
    const staff = await run(letterPage.loader as never, getRequest(`/letters/${MEEKS}`, cookie), { slug: MEEKS });
    const staffSeen = JSON.stringify((staff.data as { history: unknown[] }).history);
    for (const text of ["Edited title, internalNotes", "SECRET-BEFORE", "SECRET-AFTER", "SECRET-ONLY", "SECRET-CREATED", "author@example.org"]) {
      expect(staffSeen).toContain(text);
    }
  });
});
