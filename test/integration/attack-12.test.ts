/**
 * Attack 12 on the documents feature (upload, jobs, write gate). Each test is a finding: it fails
 * on main as merged and should pass once the product is fixed.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { documentJobs, documents } from "../../db/schema";
import { env } from "~/env.server";
import { claimDocumentJob } from "~/models/document-jobs.server";
import { acquireLease, releaseLease } from "~/models/leases.server";
import * as letterNew from "~/routes/letters.new";
import * as jobRoute from "~/routes/documents.jobs.$id";
import { BULK_WRITE_LEASE } from "~/utils/write-gate.server";
import { freshDatabase } from "../support/database";
import { getRequest, run, signedInAs } from "../support/requests";

let db: Db;
const IMPORTER = "import-in-another-process";

function multipart(pathname: string, file: { name: string; bytes: string }, cookie: string): Request {
  const body = new FormData();
  body.append("intent", "upload");
  body.append("document", new File([file.bytes], file.name, { type: "text/plain" }));
  return new Request(`http://localhost${pathname}`, { method: "POST", body, headers: { Cookie: cookie } });
}

beforeEach(() => {
  db = freshDatabase();
  fs.rmSync(env.FILES_PATH, { recursive: true, force: true });
});

afterEach(() => {
  releaseLease({ name: BULK_WRITE_LEASE, holder: IMPORTER });
});

describe("attack 12: the write gate and documents", () => {
  it("an upload while an import holds the write gate writes nothing and is answered 503 (not a row written past the gate)", async () => {
    const editor = await signedInAs("editor");
    expect(acquireLease({ name: BULK_WRITE_LEASE, ttlMs: 60_000, holder: IMPORTER })).toBe(true);
    let status: number;
    try {
      status = (await run(letterNew.action as never, multipart("/letters/new", { name: "gate.txt", bytes: "Text sent while an import is written.\n" }, editor.cookie))).status;
    } catch {
      status = 500;
    }
    // Every other writer on an app connection checks the gate first (decision 0007); the upload's
    // storeUpload/createDocumentJob inserts do not, so during a real import they stall the event
    // loop for busy_timeout and then fail.
    expect(db.select().from(documents).all()).toEqual([]);
    expect(db.select().from(documentJobs).all()).toEqual([]);
    expect(status).toBe(503);
  });

  it("the document job runner claims no job while an import holds the write gate", () => {
    const sha256 = crypto.createHash("sha256").update("queued before the import").digest("hex");
    db.insert(documents).values({ sha256, mediaType: "text/plain; charset=utf-8", byteSize: 24, originalName: "q.txt" }).run();
    db.insert(documentJobs).values({ documentSha256: sha256, state: "queued" }).run();
    expect(acquireLease({ name: BULK_WRITE_LEASE, ttlMs: 60_000, holder: IMPORTER })).toBe(true);
    // claimDocumentJob is an UPDATE on the app connection (and the run then writes progress every
    // 500 ms and pages at the end): each blocks the event loop on SQLite's lock during an import.
    let claimed: unknown;
    try {
      claimed = claimDocumentJob();
    } catch (error) {
      claimed = error;
    }
    expect(claimed).toBeNull();
    expect(db.select({ state: documentJobs.state }).from(documentJobs).get()?.state).toBe("queued");
  });
});

describe("attack 12: jobs belong to whoever uploaded", () => {
  it("another editor cannot read someone else's upload job by enumerating ids (progress JSON or the form's ?document=)", async () => {
    const alice = await signedInAs("editor");
    const bob = await signedInAs("editor");
    const sha256 = crypto.createHash("sha256").update("alice's draft").digest("hex");
    db.insert(documents).values({ sha256, mediaType: "text/plain; charset=utf-8", byteSize: 13, originalName: "whistleblower-complaint.txt" }).run();
    const job = db.insert(documentJobs).values({ documentSha256: sha256, state: "queued", createdBy: alice.id }).returning({ id: documentJobs.id }).get();

    const progress = await run(jobRoute.loader as never, getRequest(`/documents/jobs/${job.id}`, bob.cookie), { id: String(job.id) });
    const form = await run(letterNew.loader as never, getRequest(`/letters/new?document=${job.id}`, bob.cookie));
    const formJson = JSON.stringify(form.data);
    expect(progress.status).toBe(404);
    expect(formJson).not.toContain("whistleblower-complaint.txt");
    expect(formJson).not.toContain(sha256);
  });
});
