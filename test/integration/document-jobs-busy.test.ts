/**
 * Document jobs while another process holds the database's write lock past the busy timeout (a
 * CLI script, a backup): SQLITE_BUSY is a passing condition, never a job's failure.
 * - The sweep runs from a timer: its claim failing with SQLITE_BUSY, thrown from the timer, ended
 *   the process (attack 16: a worker died, and its replacements died at their start until the lock
 *   was released); now the sweep says so and the next one claims the job.
 * - A job whose pages meet the lock is left to its next claim, which stores the pages already read
 *   (review 17: it was failed for good once the lock was gone); another error still fails it.
 * - A lease renewal or progress note that meets the lock is skipped (renewQuietly); one that fails
 *   otherwise is no passing condition: it ends the run and fails the job (review 17: it was
 *   swallowed like a busy database, and the reading went on).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "../../db/client.server";
import { documentJobs, documentPages, documents } from "../../db/schema";
import { env } from "~/env.server";
import { claimDocumentJob, documentJob, JOB_LEASE_MS, renewQuietly, runDocumentJob, wakeDocumentJobs } from "~/models/document-jobs.server";
import { documentFilePath, newUploadPath, storeUpload } from "~/models/documents.server";
import { closeDocumentExtraction, setDocumentExtractionLimits } from "~/utils/document-extract.server";
import { freshDatabase } from "../support/database";

let db: Db;
let otherProcess: Database.Database;

beforeEach(() => {
  db = freshDatabase();
  fs.rmSync(env.FILES_PATH, { recursive: true, force: true });
  otherProcess = new Database(env.DATABASE_PATH);
});

afterAll(async () => {
  await closeDocumentExtraction();
});

afterEach(() => {
  if (otherProcess.inTransaction) otherProcess.exec("ROLLBACK");
  otherProcess.close();
  db.$client.pragma("busy_timeout = 5000");
  vi.restoreAllMocks();
});

describe("the document job sweep while another process holds the write lock", () => {
  it("does not throw: it logs, leaves the job queued, and the job is claimed once the lock is free", () => {
    const sha256 = crypto.createHash("sha256").update("queued while locked").digest("hex");
    db.insert(documents).values({ sha256, mediaType: "text/plain; charset=utf-8", byteSize: 19, originalName: "q.txt" }).run();
    db.insert(documentJobs).values({ documentSha256: sha256, state: "queued" }).run();
    // The app's busy timeout is 5 s; a short one keeps the test short, the failure is the same.
    db.$client.pragma("busy_timeout = 20");
    otherProcess.exec("BEGIN IMMEDIATE");
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});

    expect(() => wakeDocumentJobs()).not.toThrow();
    expect(logged.mock.calls.some(([message]) => String(message).includes("claiming failed"))).toBe(true);

    otherProcess.exec("ROLLBACK");
    expect(db.select({ state: documentJobs.state }).from(documentJobs).get()?.state).toBe("queued");
    expect(claimDocumentJob()?.sha256).toBe(sha256);
  });
});

/** A stored text document of `pages` (form feeds between them) and a queued job to read it. */
function queueTextDocument(pages: string[], mediaType = "text/plain; charset=utf-8"): { sha256: string; id: number } {
  const content = pages.join("\f");
  const temp = newUploadPath();
  fs.writeFileSync(temp, content);
  const sha256 = crypto.createHash("sha256").update(content).digest("hex");
  storeUpload({ tempPath: temp, sha256, mediaType, byteSize: Buffer.byteLength(content), originalName: "letter.txt" });
  const id = db.insert(documentJobs).values({ documentSha256: sha256 }).returning({ id: documentJobs.id }).get().id;
  return { sha256, id };
}

function storedPages(sha256: string): string[] {
  return db
    .select({ text: documentPages.text })
    .from(documentPages)
    .where(eq(documentPages.documentSha256, sha256))
    .orderBy(documentPages.number)
    .all()
    .map((page) => page.text.trim());
}

/** Whether console.error was given an SQLITE_BUSY error. */
function busyLogged(args: unknown[]): boolean {
  return args.some((arg) => (arg as { code?: unknown } | null)?.code === "SQLITE_BUSY");
}

describe("a document job whose pages meet another process's write lock", () => {
  it("is not failed: it stays running until its lease lapses, and its next claim (an attempt more) stores the pages already read", async () => {
    const { sha256, id } = queueTextDocument(["First page of the letter.", "Second page of the letter."]);
    const claimed = claimDocumentJob({ holder: "first" })!;
    expect(claimed).toMatchObject({ id, attempts: 1 });
    db.$client.pragma("busy_timeout = 20");
    otherProcess.exec("BEGIN IMMEDIATE");
    // The other process lets go as soon as the job has said what the busy database did to it (a
    // lease renewal or progress note meeting the lock is skipped, and not this). Before, the job
    // then marked itself failed, and stayed so.
    const logged = vi.spyOn(console, "error").mockImplementation((message: unknown, ...rest: unknown[]) => {
      if (/lease|renew/i.test(String(message)) || !busyLogged(rest)) return;
      if (otherProcess.inTransaction) otherProcess.exec("ROLLBACK");
    });

    await runDocumentJob(claimed, { holder: "first" });
    expect(logged.mock.calls.some(([, ...rest]) => busyLogged(rest))).toBe(true);
    expect(otherProcess.inTransaction).toBe(false);
    expect(documentJob(id)).toMatchObject({ state: "running", error: null });
    expect(storedPages(sha256)).toEqual([]);

    // Held until the lease lapses; then the next sweep takes it, counting the attempt.
    expect(claimDocumentJob({ holder: "second" })).toBeNull();
    const again = claimDocumentJob({ holder: "second", now: Date.now() + JOB_LEASE_MS + 1 });
    expect(again).toMatchObject({ id, attempts: 2 });
    // The file is not read again: without it only the kept read can store the pages.
    fs.rmSync(documentFilePath(sha256));
    await runDocumentJob(again!, { holder: "second" });
    expect(documentJob(id)).toMatchObject({ state: "done", pages: 2, error: null });
    expect(storedPages(sha256)).toEqual(["First page of the letter.", "Second page of the letter."]);
  });

  // Attack 17: the claim after the last attempt (MAX_ATTEMPTS, 3) failed the job "failed several
  // times" and threw the kept read away, though the document had been read each time and only the
  // database's lock (a long CLI import, a backup) had stopped its pages being stored.
  it("read on its last attempt and met by the lock, its pages are still stored by the next claim, not failed as unreadable", async () => {
    const { sha256, id } = queueTextDocument(["Read on the last attempt."]);
    db.update(documentJobs).set({ attempts: 2 }).where(eq(documentJobs.id, id)).run();
    const last = claimDocumentJob({ holder: "first" })!;
    expect(last).toMatchObject({ id, attempts: 3 });
    db.$client.pragma("busy_timeout = 20");
    otherProcess.exec("BEGIN IMMEDIATE");
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    await runDocumentJob(last, { holder: "first" });
    expect(logged.mock.calls.some(([, ...rest]) => busyLogged(rest))).toBe(true);
    expect(documentJob(id)).toMatchObject({ state: "running", error: null });

    otherProcess.exec("ROLLBACK");
    const again = claimDocumentJob({ holder: "first", now: Date.now() + JOB_LEASE_MS + 1 });
    expect(again).toMatchObject({ id, attempts: 4 });
    await runDocumentJob(again!, { holder: "first" });
    expect(documentJob(id)).toMatchObject({ state: "done", pages: 1, error: null });
    expect(storedPages(sha256)).toEqual(["Read on the last attempt."]);
  });

  it("a document that cannot be read, met by the lock when its job is marked failed, is failed by the next claim", async () => {
    const { sha256, id } = queueTextDocument(["unused"]);
    fs.writeFileSync(documentFilePath(sha256), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]));
    const claimed = claimDocumentJob({ holder: "first" })!;
    db.$client.pragma("busy_timeout = 20");
    otherProcess.exec("BEGIN IMMEDIATE");
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    // Before, the failure's own write threw SQLITE_BUSY out of the run.
    await expect(runDocumentJob(claimed, { holder: "first" })).resolves.toBeUndefined();
    expect(logged.mock.calls.some(([, ...rest]) => busyLogged(rest))).toBe(true);
    expect(documentJob(id)).toMatchObject({ state: "running", error: null });

    otherProcess.exec("ROLLBACK");
    const again = claimDocumentJob({ holder: "second", now: Date.now() + JOB_LEASE_MS + 1 });
    expect(again).toMatchObject({ id, attempts: 2 });
    await runDocumentJob(again!, { holder: "second" });
    expect(documentJob(id)).toMatchObject({ state: "failed" });
    expect(documentJob(id)!.error).toMatch(/image|PNG/i);
  });

  it("another error storing the pages (not BUSY) still fails the job, with its message", async () => {
    const { sha256, id } = queueTextDocument(["A page that cannot be stored."]);
    db.$client.exec("CREATE TEMP TRIGGER refuse_pages BEFORE INSERT ON document_pages BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    await runDocumentJob(claimDocumentJob({ holder: "me" })!, { holder: "me" });
    expect(documentJob(id)).toMatchObject({ state: "failed", error: "The document could not be read." });
    expect(logged.mock.calls.some(([message]) => String(message).includes(`Document job ${id} failed`))).toBe(true);
    expect(storedPages(sha256)).toEqual([]);
  });
});

describe("renewQuietly: a lease renewal's or progress note's write", () => {
  it("is skipped, said in the log, when it meets the lock; any other error is thrown; else it is written", () => {
    const { id } = queueTextDocument(["A page."]);
    const renewal = (connection: Database.Database) => () =>
      connection.prepare("UPDATE document_jobs SET lease_expires_at = 12345 WHERE id = ?").run(id);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    db.$client.pragma("busy_timeout = 20");
    otherProcess.exec("BEGIN IMMEDIATE");
    expect(() => renewQuietly(renewal(db.$client))).not.toThrow();
    expect(logged.mock.calls.some(([, ...rest]) => busyLogged(rest))).toBe(true);
    otherProcess.exec("ROLLBACK");
    logged.mockClear();

    // Not busy: a connection that may not write (as a database gone read-only, full or damaged).
    const readOnly = new Database(env.DATABASE_PATH, { readonly: true });
    try {
      let thrown: unknown = null;
      try {
        renewQuietly(renewal(readOnly));
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ code: "SQLITE_READONLY" });
    } finally {
      readOnly.close();
    }
    expect(logged).not.toHaveBeenCalled();

    renewQuietly(renewal(db.$client));
    expect(db.select({ lease: documentJobs.leaseExpiresAt }).from(documentJobs).where(eq(documentJobs.id, id)).get()?.lease).toBe(12345);
  });
});

describe("a progress note that fails for another reason than a busy database", () => {
  // A stand-in reader that posts a progress note and then waits forever: only an abort ends it.
  const limits = setDocumentExtractionLimits({});
  beforeAll(async () => {
    await closeDocumentExtraction();
    process.env.DOCUMENT_WORKER_FILE = path.resolve("test/support/stalling-document-worker.mjs");
    setDocumentExtractionLimits({ timeLimitMs: 3_600_000 });
  });
  afterAll(async () => {
    await closeDocumentExtraction();
    delete process.env.DOCUMENT_WORKER_FILE;
    setDocumentExtractionLimits(limits);
  });

  it("stops the reading and fails the job, the error logged", async () => {
    const { id } = queueTextDocument(["%PDF-1.4 note\n"], "application/pdf");
    db.$client.exec(
      "CREATE TEMP TRIGGER refuse_progress BEFORE UPDATE OF stage ON document_jobs WHEN NEW.state = 'running' BEGIN SELECT RAISE(ABORT, 'progress refused by the test'); END",
    );
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    // Before, the failure was logged as a renewal to try again, and the reading waited on.
    await runDocumentJob(claimDocumentJob({ holder: "me" })!, { holder: "me" });
    expect(documentJob(id)).toMatchObject({ state: "failed", error: "The document could not be read." });
    const failure = logged.mock.calls.find(([message]) => String(message).includes(`Document job ${id} failed`));
    expect(String(failure?.[1])).toMatch(/progress refused by the test/);
  });
});
