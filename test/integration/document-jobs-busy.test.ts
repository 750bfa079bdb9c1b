/**
 * The document job sweep runs from a timer: when another process holds the database's write lock
 * past the busy timeout, its claim fails with SQLITE_BUSY. Thrown from the timer that ended the
 * process (attack 16: a worker died, and its replacements died at their start until the lock was
 * released); now the sweep says so and the next one claims the job.
 */
import crypto from "node:crypto";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "../../db/client.server";
import { documentJobs, documents } from "../../db/schema";
import { env } from "~/env.server";
import { claimDocumentJob, wakeDocumentJobs } from "~/models/document-jobs.server";
import { freshDatabase } from "../support/database";

let db: Db;
let otherProcess: Database.Database;

beforeEach(() => {
  db = freshDatabase();
  otherProcess = new Database(env.DATABASE_PATH);
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
