/**
 * Documents on letters and responses, through the forms' real actions and loaders on a real
 * database and store: an upload is sniffed while it streams, stored by content, read by a job off
 * the request, proposed into the form, and linked in the same transaction as the letter; a
 * refused file stores nothing; a document nothing refers to goes; search finds pages; backups
 * carry the files and restores check their hashes.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { backupDatabase, restoreDatabase } from "../../db/backup.server";
import { auditEvents, documentJobs, documentPages, documents, letterDocuments, letters, responseDocuments } from "../../db/schema";
import { env } from "~/env.server";
import { MATCH_START } from "~/domain/search";
import { SYSTEM_ACTOR } from "~/models/audit.server";
import { claimDocumentJob, documentJob, runDocumentJob } from "~/models/document-jobs.server";
import { collectDocuments, documentFilePath, storeUpload, newUploadPath, sweepOrphanDocuments } from "~/models/documents.server";
import { deleteLetter, deleteResponse, saveLetter, writeResponse } from "~/models/letter-writer.server";
import { search } from "~/models/search.server";
import * as documentRoute from "~/routes/documents.$sha256.$name";
import * as letterNew from "~/routes/letters.new";
import * as responseNew from "~/routes/letters.$slug_.responses.new";
import { receiveDocumentUpload } from "~/utils/document-upload.server";
import { createLetter } from "../factories";
import { freshDatabase, tableCounts } from "../support/database";
import { formRequest, getRequest, run, signedInAs } from "../support/requests";

let db: Db;
let editor: { cookie: string; email: string; id: number };

const LETTER_TEXT = [
  "Dear Secretary Rubio,",
  "We write about the agreement to send deportees to the CECOT prison in El Salvador.",
  "Please answer the following no later than May 1, 2025:",
  "1. How many people have been sent to CECOT under the agreement?",
  "2. What did the United States pay for their detention?",
  "3. Provide all documents describing the agreement.",
  "Sincerely,",
].join("\n");

function multipart(pathname: string, file: { name: string; bytes: Uint8Array | string; type?: string } | null, cookie: string, fields: Record<string, string> = {}): Request {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  body.append("intent", "upload");
  if (file) body.append("document", new File([typeof file.bytes === "string" ? file.bytes : new Uint8Array(file.bytes)], file.name, { type: file.type ?? "application/octet-stream" }));
  return new Request(`http://localhost${pathname}`, { method: "POST", body, headers: { Cookie: cookie } });
}

const sha256 = (bytes: Uint8Array | string) => crypto.createHash("sha256").update(bytes).digest("hex");

function storedFiles(): string[] {
  const root = env.FILES_PATH;
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((entry) => fs.statSync(path.join(root, entry)).isFile());
}

async function waitForJob(id: number) {
  await expect.poll(() => documentJob(id)?.state, { timeout: 60_000, interval: 100 }).toMatch(/done|failed/);
  return documentJob(id)!;
}

/** Stores a document with the given pages as if uploaded and read. */
function storeDocument(name: string, pages: string[]): string {
  const content = pages.join("\f");
  const temp = newUploadPath();
  fs.writeFileSync(temp, content);
  const hash = sha256(content);
  storeUpload({ tempPath: temp, sha256: hash, mediaType: "text/plain; charset=utf-8", byteSize: Buffer.byteLength(content), originalName: name });
  db.transaction((tx) => {
    pages.forEach((text, index) => tx.insert(documentPages).values({ documentSha256: hash, number: index + 1, text }).run());
    tx.update(documents).set({ pageCount: pages.length }).where(eq(documents.sha256, hash)).run();
  });
  return hash;
}

function linkToLetter(slug: string, hashes: string[]) {
  const form = letterInputOf(slug);
  const saved = saveLetter({ slug, input: { ...form, documents: hashes }, actor: SYSTEM_ACTOR });
  expect(saved.ok).toBe(true);
}

function letterInputOf(slug: string) {
  const row = db.select().from(letters).where(eq(letters.slug, slug)).get()!;
  return {
    slug,
    title: row.title,
    sentOn: row.sentOn,
    chamber: row.chamber,
    committee: null,
    deadline: row.deadline,
    summary: row.summary,
    notes: row.notes,
    sourceUrl: row.sourceUrl,
    followsUp: null,
    senders: [{ member: { name: "Jamie Raskin", party: "D" as const, state: "MD", chamber: "House" as const }, role: null, isLead: true }],
    recipients: [{ official: { name: "Marco Rubio", title: "Secretary of State", agency: "U.S. Department of State" } }],
    tags: ["test"],
    questions: [],
  };
}

beforeEach(async () => {
  db = freshDatabase();
  fs.rmSync(env.FILES_PATH, { recursive: true, force: true });
  editor = await signedInAs("editor");
});

describe("uploading a document on Log a letter", () => {
  it("stores it by content, reads it off the request, proposes it, and links it in the letter's own transaction", async () => {
    const upload = await run(letterNew.action as never, multipart("/letters/new", { name: "meeks-letter.txt", bytes: LETTER_TEXT, type: "text/plain" }, editor.cookie));
    expect(upload.status).toBe(302);
    const jobId = Number(new URL(upload.location!, "http://localhost").searchParams.get("document"));
    const hash = sha256(LETTER_TEXT);
    expect(fs.readFileSync(documentFilePath(hash), "utf8")).toBe(LETTER_TEXT);
    expect(fs.readdirSync(path.join(env.FILES_PATH, "tmp"))).toEqual([]);

    const job = await waitForJob(jobId);
    expect(job).toMatchObject({ state: "done", sha256: hash, error: null });

    const form = await run(letterNew.loader as never, getRequest(`/letters/new?document=${jobId}`, editor.cookie));
    const loaded = form.data as { defaultValue: Record<string, unknown>; proposalNote: string; jobs: Array<{ state: string }> };
    expect(loaded.jobs[0]!.state).toBe("done");
    expect(loaded.defaultValue.pasteText).toContain("How many people have been sent to CECOT");
    expect(loaded.defaultValue.documents).toEqual([hash]);
    expect(loaded.defaultValue.deadline).toBe("2025-05-01");
    expect((loaded.defaultValue.questions as unknown[]).length).toBe(3);
    expect(loaded.proposalNote).toMatch(/^From meeks-letter\.txt: Proposed .*\b3 questions and requests/);

    // A save the writer refuses (a slug in use) links nothing; the same save with a free slug links it.
    const taken = createLetter(db).slug;
    const fields = (slug: string) => ({
      intent: "save",
      title: "CECOT letter",
      slug,
      sentOn: "2025-04-17",
      chamber: "House",
      "senders[0].name": "Gregory Meeks",
      "senders[0].party": "D",
      "senders[0].state": "NY",
      "senders[0].chamber": "House",
      leadSender: "0",
      "recipients[0].name": "Marco Rubio",
      "recipients[0].title": "Secretary of State",
      "recipients[0].agency": "U.S. Department of State",
      "documents[0]": hash,
    });
    const refused = await run(letterNew.action as never, formRequest("/letters/new", fields(taken), editor.cookie));
    expect(refused.status).toBe(400);
    expect(db.select().from(letterDocuments).all()).toEqual([]);
    const saved = await run(letterNew.action as never, formRequest("/letters/new", fields("cecot-letter"), editor.cookie));
    expect(saved.status).toBe(302);
    const letter = db.select({ id: letters.id }).from(letters).where(eq(letters.slug, "cecot-letter")).get()!;
    expect(db.select().from(letterDocuments).where(eq(letterDocuments.letterId, letter.id)).all()).toEqual([
      { letterId: letter.id, documentSha256: hash, position: 1, role: "letter" },
    ]);
    const history = db.select({ after: auditEvents.after }).from(auditEvents).where(eq(auditEvents.letterId, letter.id)).all();
    expect(JSON.parse(history[0]!.after!)).toMatchObject({ documents: ["meeks-letter.txt"] });

    // Its text is found, with the page it is on.
    const found = search({ q: "CECOT prison", asOf: "2026-12-01" }).groups.find((group) => group.kind === "document")!;
    expect(found.total).toBe(1);
    expect(found.hits[0]).toMatchObject({ letterSlug: "cecot-letter", number: 1, title: "meeks-letter.txt" });
    expect(found.hits[0]!.snippet).toContain(`${MATCH_START}CECOT`);
  });

  it("refuses a file that is not what it claims, or too big, naming the field and the reason, and stores nothing", async () => {
    const before = tableCounts(db);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(200).fill(7)]);
    const refused = await run(letterNew.action as never, multipart("/letters/new", { name: "letter.pdf", bytes: png, type: "application/pdf" }, editor.cookie));
    expect(refused.status).toBe(400);
    expect((refused.data as { message: string }).message).toMatch(/^Document: .*image.*Nothing was stored\.$/i);

    const none = await run(letterNew.action as never, multipart("/letters/new", null, editor.cookie));
    expect(none.status).toBe(400);
    expect((none.data as { message: string }).message).toMatch(/^Document: choose a file/);

    const big = await receiveDocumentUpload(multipart("/letters/new", { name: "big.txt", bytes: "x".repeat(5000) }, editor.cookie), { createdBy: editor.id, maxBytes: 4096 });
    expect(big).toMatchObject({ ok: false, field: "document" });
    expect(!big.ok && big.message).toMatch(/^Document: the file is larger than 4 kB/);

    expect(tableCounts(db)).toEqual(before);
    expect(storedFiles()).toEqual([]);
  });

  // Kept under cleanFileName's name: without the characters that mean something in a header.
  it.each([
    { sent: "Letter; final.txt", kept: "Letter final.txt" },
    { sent: "Letter final=v2.txt", kept: "Letter final=v2.txt" },
    { sent: 'Q&A=response; "draft".txt', kept: "Q&A=response draft.txt" },
    { sent: "Réponse — DHS (2025).txt", kept: "Réponse — DHS (2025).txt" },
  ])("receives a file named $sent (a ';' or '=' was refused as a cut-off upload)", async ({ sent, kept }) => {
    const outcome = await receiveDocumentUpload(multipart("/letters/new", { name: sent, bytes: LETTER_TEXT, type: "text/plain" }, editor.cookie, { version: "3" }), {
      createdBy: editor.id,
    });
    expect(outcome.ok ? { name: outcome.document.originalName, fields: outcome.fields } : outcome.message).toEqual({ name: kept, fields: { version: "3", intent: "upload" } });
  });

  it("says an upload was cut off when it was, and that a form without a boundary cannot be read; stores nothing", async () => {
    const before = tableCounts(db);
    const boundary = "----tracker-test-boundary";
    const parts = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="intent"',
      "",
      "upload",
      `--${boundary}`,
      'Content-Disposition: form-data; name="document"; filename="letter.txt"',
      "Content-Type: text/plain",
      "",
      LETTER_TEXT,
    ].join("\r\n"); // no closing boundary: the connection ended mid-file
    const cut = new Request("http://localhost/letters/new", {
      method: "POST",
      body: parts,
      headers: { Cookie: editor.cookie, "Content-Type": `multipart/form-data; boundary=${boundary}` },
    });
    const noBoundary = new Request("http://localhost/letters/new", { method: "POST", body: parts, headers: { Cookie: editor.cookie, "Content-Type": "multipart/form-data" } });
    const message = async (request: Request) => {
      const outcome = await receiveDocumentUpload(request, { createdBy: editor.id });
      return outcome.ok ? "stored" : outcome.message;
    };
    expect(await message(cut)).toBe("Document: the upload was cut off before the whole file arrived; try again. Nothing was stored.");
    expect(await message(noBoundary)).toMatch(/^Document: the form could not be read \(.*boundary.*\)\. Nothing was stored\.$/i);
    expect(tableCounts(db)).toEqual(before);
    expect(storedFiles()).toEqual([]);
  });

  it("says what is wrong with a form the parser cannot read, or that has too many fields, and leaves no file behind", async () => {
    const boundary = "XyZ";
    const part = (headers: string, content: string) => `--${boundary}\r\n${headers}\r\n\r\n${content}\r\n`;
    const filePart = part('Content-Disposition: form-data; name="document"; filename="letter.txt"\r\nContent-Type: text/plain', LETTER_TEXT);
    const posted = (body: string) =>
      new Request("http://localhost/letters/new", { method: "POST", body: Buffer.from(body, "latin1"), headers: { Cookie: editor.cookie, "Content-Type": `multipart/form-data; boundary=${boundary}` } });
    const message = async (body: string) => {
      const outcome = await receiveDocumentUpload(posted(body), { createdBy: editor.id });
      return outcome.ok ? "stored" : outcome.message;
    };
    const before = tableCounts(db);
    // A control character in a later part's header, after the file: the file's temporary copy was
    // removed while its write stream was still opening, which then made it again (attack 22).
    expect(await message(filePart + part('Content-Disposition: form-data; name="note\x01"', "x") + `--${boundary}--\r\n`)).toBe(
      "Document: the form could not be read (malformed part header). Nothing was stored.",
    );
    // The file after more fields than a form has: not "choose a file".
    const fields = Array.from({ length: 80 }, (_, i) => part('Content-Disposition: form-data; name="keepJob"', String(i))).join("");
    expect(await message(fields + filePart + `--${boundary}--\r\n`)).toBe("Document: the form has more than 50 fields. Nothing was stored.");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(tableCounts(db)).toEqual(before);
    expect(storedFiles()).toEqual([]);
  });

  it("attaches the agency's reply to a response the same way", async () => {
    const { slug, id: letterId } = createLetter(db, { sent_on: "2025-01-10" });
    const reply = "The Department has received your letter of January 10 and will respond in due course.";
    const upload = await run(responseNew.action as never, multipart(`/letters/${slug}/responses/new`, { name: "reply.txt", bytes: reply }, editor.cookie), { slug });
    expect(upload.status).toBe(302);
    const jobId = Number(new URL(upload.location!, "http://localhost").searchParams.get("document"));
    await waitForJob(jobId);
    const form = await run(responseNew.loader as never, getRequest(`/letters/${slug}/responses/new?document=${jobId}`, editor.cookie), { slug });
    expect((form.data as { defaultValue: { documents: string[] } }).defaultValue.documents).toEqual([sha256(reply)]);
    const saved = await run(
      responseNew.action as never,
      formRequest(`/letters/${slug}/responses/new`, { intent: "save", receivedOn: "2025-02-01", from: "Department of State", completeness: "acknowledgment", "documents[0]": sha256(reply) }, editor.cookie),
      { slug },
    );
    expect(saved.status).toBe(302);
    expect(db.select().from(responseDocuments).all()).toHaveLength(1);
    const found = search({ q: "due course", asOf: "2026-12-01" }).groups.find((group) => group.kind === "document")!;
    expect(found.hits[0]).toMatchObject({ letterSlug: slug, receivedOn: "2025-02-01" });
    expect(letterId).toBeGreaterThan(0);
  });
});

describe("search through documents", () => {
  it("names the page a match is on, and leaves out letters sent after asOf", () => {
    const { slug } = createLetter(db, { sent_on: "2025-03-01" });
    const hash = storeDocument("scan.pdf", ["Cover page, nothing to see.", "On page two the CECOT agreement is described."]);
    linkToLetter(slug, [hash]);
    const group = search({ q: "CECOT", asOf: "2026-12-01" }).groups.find((each) => each.kind === "document")!;
    expect(group.total).toBe(1);
    expect(group.hits[0]).toMatchObject({ number: 2, title: "scan.pdf", letterSlug: slug });
    // Stored as text (its content), so it downloads as text whatever its name said.
    expect(group.hits[0]!.url).toBe(`/documents/${hash}/scan.pdf.txt`);
    expect(search({ q: "CECOT", asOf: "2025-02-01" }).groups.find((each) => each.kind === "document")!.total).toBe(0);
  });
});

describe("documents nothing refers to", () => {
  it("go when the last letter or response that held them goes, rows and file, after the commit", () => {
    const first = createLetter(db);
    const second = createLetter(db);
    const shared = storeDocument("shared.txt", ["shared words"]);
    const own = storeDocument("own.txt", ["own words"]);
    linkToLetter(first.slug, [shared, own]);
    linkToLetter(second.slug, [shared]);

    // Detached from the first letter: "own" is no longer referred to.
    linkToLetter(first.slug, [shared]);
    expect(db.select().from(documents).where(eq(documents.sha256, own)).get()).toBeUndefined();
    expect(fs.existsSync(documentFilePath(own))).toBe(false);
    expect(db.select().from(documentPages).where(eq(documentPages.documentSha256, own)).all()).toEqual([]);

    // The first letter deleted: "shared" stays with the second; deleted too, it goes.
    expect(deleteLetter({ slug: first.slug, actor: SYSTEM_ACTOR }).ok).toBe(true);
    expect(fs.existsSync(documentFilePath(shared))).toBe(true);
    expect(deleteLetter({ slug: second.slug, actor: SYSTEM_ACTOR }).ok).toBe(true);
    expect(fs.existsSync(documentFilePath(shared))).toBe(false);
    expect(db.select().from(documents).all()).toEqual([]);
    expect(db.all(sql`SELECT rowid FROM document_pages_fts`)).toEqual([]);
  });

  it("a response's go with the response", () => {
    const { id, slug } = createLetter(db);
    const hash = storeDocument("reply.txt", ["reply words"]);
    const responseId = db.transaction((tx) =>
      writeResponse({ tx, letterId: id, actor: SYSTEM_ACTOR, input: { receivedOn: "2025-02-01", from: "Agency", completeness: "partial", summary: null, sourceUrl: null, notes: null, documents: [hash] } }).id,
    );
    expect(db.select().from(responseDocuments).all()).toHaveLength(1);
    expect(deleteResponse({ letterSlug: slug, responseId, actor: SYSTEM_ACTOR }).ok).toBe(true);
    expect(fs.existsSync(documentFilePath(hash))).toBe(false);
  });

  it("a save naming a document that is no longer stored is refused on the documents field", () => {
    const { slug } = createLetter(db);
    const saved = saveLetter({ slug, input: { ...letterInputOf(slug), documents: ["f".repeat(64)] }, actor: SYSTEM_ACTOR });
    expect(saved.ok).toBe(false);
    expect(!saved.ok && saved.fieldErrors.documents?.[0]).toMatch(/no longer stored/);
  });

  it("are swept at start once abandoned, with stray and half-written files; a linked one never", () => {
    const { slug } = createLetter(db);
    const kept = storeDocument("kept.txt", ["kept"]);
    linkToLetter(slug, [kept]);
    const abandoned = storeDocument("abandoned.txt", ["abandoned"]);
    const fresh = storeDocument("fresh.txt", ["uploaded a minute ago"]);
    const dayAgo = Date.now() - 25 * 60 * 60 * 1000;
    db.update(documents).set({ createdAt: dayAgo }).where(sql`${documents.sha256} IN (${kept}, ${abandoned})`).run();
    const stray = path.join(env.FILES_PATH, "00", "11", "0011".padEnd(64, "0"));
    fs.mkdirSync(path.dirname(stray), { recursive: true });
    fs.writeFileSync(stray, "no row describes me");
    const halfWritten = newUploadPath();
    fs.writeFileSync(halfWritten, "cut off");
    for (const file of [stray, halfWritten]) fs.utimesSync(file, dayAgo / 1000, dayAgo / 1000);

    expect(sweepOrphanDocuments()).toEqual({ rows: 1, files: 2 });
    expect(fs.existsSync(documentFilePath(kept))).toBe(true);
    expect(fs.existsSync(documentFilePath(fresh))).toBe(true);
    expect(fs.existsSync(documentFilePath(abandoned))).toBe(false);
    expect(fs.existsSync(stray) || fs.existsSync(halfWritten)).toBe(false);
    expect(collectDocuments([kept])).toEqual([]);
  });
});

describe("extraction jobs", () => {
  it("are claimed by one holder at a time, and taken over once a dead holder's lease runs out", () => {
    const hash = storeDocument("a.txt", ["a"]);
    db.update(documents).set({ pageCount: null }).run();
    const id = db.insert(documentJobs).values({ documentSha256: hash }).returning({ id: documentJobs.id }).get().id;
    const now = Date.now();
    expect(claimDocumentJob({ holder: "dead", now, leaseMs: 1000 })).toMatchObject({ id, attempts: 1 });
    expect(claimDocumentJob({ holder: "other", now: now + 500 })).toBeNull();
    expect(claimDocumentJob({ holder: "other", now: now + 1001 })).toMatchObject({ id, attempts: 2 });
  });

  it("fail with the extractor's reason, or after too many attempts", async () => {
    const hash = storeDocument("b.txt", ["b"]);
    fs.writeFileSync(documentFilePath(hash), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]));
    const id = db.insert(documentJobs).values({ documentSha256: hash }).returning({ id: documentJobs.id }).get().id;
    const claimed = claimDocumentJob({ holder: "me" })!;
    await runDocumentJob(claimed, { holder: "me" });
    expect(documentJob(id)).toMatchObject({ state: "failed" });
    expect(documentJob(id)!.error).toMatch(/image|PNG/i);

    const again = db.insert(documentJobs).values({ documentSha256: hash }).returning({ id: documentJobs.id }).get().id;
    await runDocumentJob({ id: again, sha256: hash, attempts: 4 }, { holder: "me" });
    db.update(documentJobs).set({ holder: "me", state: "running" }).where(eq(documentJobs.id, again)).run();
    await runDocumentJob({ id: again, sha256: hash, attempts: 4 }, { holder: "me" });
    expect(documentJob(again)).toMatchObject({ state: "failed" });
    expect(documentJob(again)!.error).toMatch(/several times/);
  });
});

describe("serving a document", () => {
  it("as a download of its stored type, by its hash; unattached ones only to staff", async () => {
    const hash = storeDocument("page.html", ["<script>alert(1)</script>"]);
    const anonymous = await run(documentRoute.loader as never, getRequest(`/documents/${hash}/page.html`), { sha256: hash, name: "page.html" });
    expect(anonymous.status).toBe(404);
    const staff = (await documentRoute.loader({ request: getRequest(`/documents/${hash}/x`, editor.cookie), params: { sha256: hash }, context: {} } as never)) as Response;
    expect(staff.status).toBe(200);
    expect(staff.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    expect(staff.headers.get("Content-Disposition")).toMatch(/^attachment; filename="page\.html\.txt"/);
    expect(staff.headers.get("ETag")).toBe(`"${hash}"`);
    expect(await staff.text()).toBe("<script>alert(1)</script>");
    const revalidated = (await documentRoute.loader({
      request: new Request(`http://localhost/documents/${hash}`, { headers: { Cookie: editor.cookie, "If-None-Match": `"${hash}"` } }),
      params: { sha256: hash },
      context: {},
    } as never)) as Response;
    expect(revalidated.status).toBe(304);

    const { slug } = createLetter(db);
    linkToLetter(slug, [hash]);
    const attached = (await documentRoute.loader({ request: getRequest(`/documents/${hash}`), params: { sha256: hash }, context: {} } as never)) as Response;
    expect(attached.status).toBe(200);
    expect(attached.headers.get("Cache-Control")).toMatch(/^public, .*immutable/);
  });
});

describe("backups", () => {
  it("carry every document, and a restore checks each against its hash before changing anything", () => {
    const { slug } = createLetter(db);
    const hash = storeDocument("kept.txt", ["backed up words"]);
    linkToLetter(slug, [hash]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tracker-doc-backup-"));
    const backup = path.join(dir, "backup.db");
    expect(backupDatabase({ source: env.DATABASE_PATH, destination: backup, filesPath: env.FILES_PATH })).toMatchObject({ documents: 1 });
    const copy = path.join(`${backup}.files`, hash.slice(0, 2), hash.slice(2, 4), hash);
    expect(fs.readFileSync(copy, "utf8")).toBe("backed up words");

    const target = path.join(dir, "restored", "tracker.db");
    const files = path.join(dir, "restored", "files");
    expect(restoreDatabase({ file: backup, target, filesPath: files })).toMatchObject({ documents: 1 });
    expect(fs.readFileSync(path.join(files, hash.slice(0, 2), hash.slice(2, 4), hash), "utf8")).toBe("backed up words");

    // A damaged copy: refused, naming it, and the restored database left as it was.
    fs.writeFileSync(copy, "backed up w0rds");
    const target2 = path.join(dir, "second", "tracker.db");
    expect(() => restoreDatabase({ file: backup, target: target2, filesPath: path.join(dir, "second", "files") })).toThrow(new RegExp(`${hash}.*does not match its SHA-256`));
    expect(fs.existsSync(target2)).toBe(false);
    fs.rmSync(copy);
    expect(() => restoreDatabase({ file: backup, target: target2 })).toThrow(/is missing; nothing was changed/);
  });
});
