/**
 * Two editors uploading to the same letter at once, through the edit page's real action: each
 * upload is stored whole under its own hash (the same file sent by both at once is stored once,
 * complete), nothing is left half-written in the upload area, and when both save, the second save
 * is refused as stale (409) with the stored letter and this editor's own document re-applied: both
 * documents are offered, and saving that keeps both (app/domain/edit-merge.ts reapplySet).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { DEMO_SEED_FILE, seedFromFile } from "../../db/seed.server";
import { documents, letterDocuments, letters } from "../../db/schema";
import { env } from "~/env.server";
import { documentJob } from "~/models/document-jobs.server";
import { documentFilePath } from "~/models/documents.server";
import { letterFormValues } from "~/models/letter-forms.server";
import * as letterEdit from "~/routes/letters.$slug_.edit";
import { closeDocumentExtraction } from "~/utils/document-extract.server";
import { freshDatabase } from "../support/database";
import { formRequest, run, signedInAs } from "../support/requests";

const SLUG = "meeks-castro-rubio-el-salvador-2025-04-17";
let db: Db;
let first: { cookie: string; id: number };
let second: { cookie: string; id: number };

beforeAll(async () => {
  db = freshDatabase();
  fs.rmSync(env.FILES_PATH, { recursive: true, force: true });
  seedFromFile({ db, file: DEMO_SEED_FILE });
  first = await signedInAs("editor");
  second = await signedInAs("editor");
});

afterAll(async () => {
  await closeDocumentExtraction();
});

const sha256 = (text: string) => crypto.createHash("sha256").update(text).digest("hex");

function upload(cookie: string, name: string, text: string): Request {
  const body = new FormData();
  body.append("intent", "upload");
  body.append("document", new File([text], name, { type: "text/plain" }));
  return new Request(`http://localhost/letters/${SLUG}/edit`, { method: "POST", body, headers: { Cookie: cookie } });
}

/** The edit form as a browser posts it, from the values it was loaded with. */
function loadedForm(): Record<string, string> {
  const loaded = letterFormValues({ slug: SLUG })!;
  const v = loaded.values;
  const fields: Record<string, string> = { version: String(loaded.version), base: JSON.stringify(v), title: v.title, slug: v.slug, sentOn: v.sentOn, chamber: v.chamber, leadSender: v.leadSender, tags: v.tags };
  if (v.committee) fields.committee = v.committee;
  if (v.sourceUrl) fields.sourceUrl = v.sourceUrl;
  v.senders.forEach((s, i) => {
    fields[`senders[${i}].member`] = s.member;
    if (s.role) fields[`senders[${i}].role`] = s.role;
  });
  v.recipients.forEach((r, i) => (fields[`recipients[${i}].official`] = r.official));
  v.questions.forEach((q, i) => {
    fields[`questions[${i}].id`] = q.id;
    fields[`questions[${i}].text`] = q.text;
    fields[`questions[${i}].kind`] = q.kind;
  });
  v.documents.forEach((hash, i) => (fields[`documents[${i}]`] = hash));
  return fields;
}

/** Form fields from values (the 409 reply's), as the re-offered form posts them. */
function fieldsOf(values: Record<string, unknown>, version: number, base: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  const walk = (prefix: string, value: unknown) => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) value.forEach((item, i) => walk(`${prefix}[${i}]`, item));
    else if (typeof value === "object") for (const [key, item] of Object.entries(value)) walk(prefix ? `${prefix}.${key}` : key, item);
    else fields[prefix] = String(value);
  };
  walk("", values);
  // The re-offered form carries the stored version and values (the route renders them as hidden fields).
  return { ...fields, version: String(version), base: JSON.stringify(base) };
}

const save = (fields: Record<string, string>, cookie: string) => run(letterEdit.action as never, formRequest(`/letters/${SLUG}/edit`, fields, cookie), { slug: SLUG });
const jobOf = (location: string | null | undefined) => Number(new URL(location!, "http://localhost").searchParams.getAll("document").at(-1));
const linked = () => {
  const letterId = db.select({ id: letters.id }).from(letters).where(eq(letters.slug, SLUG)).get()!.id;
  return db.select({ sha256: letterDocuments.documentSha256 }).from(letterDocuments).where(eq(letterDocuments.letterId, letterId)).all().map((row) => row.sha256).sort();
};

describe("two editors uploading to the same letter at once", () => {
  it("stores both uploads whole, and the same file sent by both at once once; nothing half-written is left", async () => {
    const a = "Letter copy from the first editor.\nDear Secretary Rubio, 1. Who approved the transfers?";
    const b = "Reply scan text from the second editor.\nDear Representatives, we received your letter.";
    const same = "The same document, uploaded by both editors at the same moment.";
    const outcomes = await Promise.all([
      run(letterEdit.action as never, upload(first.cookie, "first.txt", a), { slug: SLUG }),
      run(letterEdit.action as never, upload(second.cookie, "second.txt", b), { slug: SLUG }),
      run(letterEdit.action as never, upload(first.cookie, "same-1.txt", same), { slug: SLUG }),
      run(letterEdit.action as never, upload(second.cookie, "same-2.txt", same), { slug: SLUG }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([302, 302, 302, 302]);
    for (const text of [a, b, same]) {
      expect(fs.readFileSync(documentFilePath(sha256(text)), "utf8")).toBe(text);
      expect(db.select().from(documents).where(eq(documents.sha256, sha256(text))).all()).toHaveLength(1);
    }
    // No temporary upload is left behind.
    const uploads = path.join(env.FILES_PATH, "tmp");
    expect(fs.existsSync(uploads) ? fs.readdirSync(uploads) : []).toEqual([]);
    // Every job reads its document (the two of the same file end on the same text).
    await expect.poll(() => outcomes.map((outcome) => documentJob(jobOf(outcome.location))?.state), { timeout: 120_000, interval: 200 }).toEqual(["done", "done", "done", "done"]);
  }, 180_000);

  it("both save: the second is refused as stale and offered both documents; saving it keeps both", async () => {
    const docA = "First editor's attachment: the letter as sent.";
    const docB = "Second editor's attachment: the agency's acknowledgment.";
    // Both open the edit page, and both upload at once.
    const formA = loadedForm();
    const formB = loadedForm();
    const before = linked();
    const [upA, upB] = await Promise.all([
      run(letterEdit.action as never, upload(first.cookie, "a.txt", docA), { slug: SLUG }),
      run(letterEdit.action as never, upload(second.cookie, "b.txt", docB), { slug: SLUG }),
    ]);
    expect([upA.status, upB.status]).toEqual([302, 302]);
    const withDocument = (form: Record<string, string>, hash: string) => {
      const count = Object.keys(form).filter((key) => key.startsWith("documents[")).length;
      return { ...form, [`documents[${count}]`]: hash };
    };

    const savedA = await save(withDocument(formA, sha256(docA)), first.cookie);
    expect(savedA.status).toBe(302);
    const staleB = await save(withDocument(formB, sha256(docB)), second.cookie);
    expect(staleB.status).toBe(409);
    const offered = staleB.data as { values: Record<string, unknown>; version: number; base: Record<string, unknown> };
    expect([...(offered.values.documents as string[])].sort()).toEqual([...before, sha256(docA), sha256(docB)].sort());
    // Nothing of the second save was written.
    expect(linked()).toEqual([...before, sha256(docA)].sort());

    const savedB = await save(fieldsOf(offered.values, offered.version, offered.base), second.cookie);
    expect(savedB.status).toBe(302);
    expect(linked()).toEqual([...before, sha256(docA), sha256(docB)].sort());
    await expect.poll(() => [upA, upB].map((outcome) => documentJob(jobOf(outcome.location))?.state), { timeout: 120_000, interval: 200 }).toEqual(["done", "done"]);
  }, 180_000);
});
