/**
 * Bulk import of letters from a file: JSON in the seed shape, the CSV letter sheet, or
 * responses.csv (see app/domain/letter-csv.ts). Everything is checked before anything is written;
 * the write is one immediate transaction, all or nothing, through the one letter writer (with its
 * history of every letter and response). A dry run
 * does the same work inside the transaction and rolls it back, so it reports exactly what the real
 * run would do. Letters are matched by slug, so importing the same file twice changes nothing.
 *
 * Two steps, neither on the event loop:
 * - the check (letter-file-check.server.ts: decode, parse, validate, read the stored letters,
 *   merge) is a read task: with the read pool installed (the server) it runs in a worker thread, so
 *   a 20 MB file never holds up the event loop; without one (`npm run import`, model tests) inline;
 * - the write of the checked records, in a worker thread of its own with its own read-write
 *   connection (app/workers/write-worker.ts, through the one writer), in one immediate
 *   transaction, behind the bulk-write gate (app/utils/write-gate.server.ts: other writes wait
 *   meanwhile instead of stalling on SQLite's lock; decision 0009). It first makes sure the
 *   database is still as checked (every stored letter at the version the check read, every new
 *   slug still free); if a letter changed in between, the file is checked again rather than
 *   written over someone's change. A dry run is written and rolled back the same way.
 */
import { randomUUID } from "node:crypto";
import { inArray } from "drizzle-orm";
import type { AppLoadContext } from "@remix-run/node";
import { getDb, type Tx } from "../../db/client.server";
import { letters } from "../../db/schema";
import { ProblemList, type ImportProblem } from "~/domain/letter-csv";
import type { ImportReport } from "~/domain/import-report";
import { today } from "~/domain/dates";
import { readInPool } from "~/utils/read-pool.server";
import { BULK_WRITE_LEASE, SETTLE_MS, writeGateClosed } from "~/utils/write-gate.server";
import { writeInWorker } from "~/utils/write-worker.server";
import type { Actor } from "./audit.server";
import { acquireLease, PROCESS_HOLDER, releaseLease } from "./leases.server";
import { fileProblem, storedLetterOf, type CheckedUpdate, type ImportCheck, type UploadRefusal } from "./letter-file-check.server";
import { createLetterRecords, updateLetterFromRecord } from "./letter-records.server";
import { WriteRefused } from "./letter-writer.server";
import { withEventCause } from "./letter-events.server";

import { MAX_IMPORT_BYTES } from "~/domain/body-limits";

/** The largest file an import takes (defined with the body limits, which leave room for it). */
export { MAX_IMPORT_BYTES };

export const COMMAND_LINE_ACTOR: Actor = { id: null, email: null, name: "import (command line)" };

/** How many times a file is checked when letters it touches keep changing before it can be written. */
export const MAX_IMPORT_CHECKS = 3;

class DryRunDone extends Error {}
/** The database moved on since the check: check the file again. */
class ChangedSinceCheck extends Error {}

type Checked = Extract<ImportCheck, { ok: true }>;

/** Whether every letter the check read is still at the version it read, and every new slug still free. */
function unchangedSinceCheck(tx: Tx, check: Checked): boolean {
  const expected = new Map<string, { id: number; version: number } | null>();
  for (const record of check.fresh) expected.set(record.id, null);
  for (const { stored, record } of check.updates) expected.set(record.id, { id: stored.id, version: stored.version });
  const slugs = [...expected.keys()];
  let found = 0;
  // In chunks: SQLite limits the number of bound parameters of one statement.
  for (let start = 0; start < slugs.length; start += 500) {
    const rows = tx
      .select({ slug: letters.slug, id: letters.id, version: letters.version })
      .from(letters)
      .where(inArray(letters.slug, slugs.slice(start, start + 500)))
      .all();
    for (const row of rows) {
      const want = expected.get(row.slug);
      if (!want || want.id !== row.id || want.version !== row.version) return false;
      found += 1;
    }
  }
  return found === check.updates.length;
}

function applyUpdates(tx: Tx, updates: readonly CheckedUpdate[], fileName: string, actor: Actor, report: ImportReport, onWritten: () => void): void {
  for (const { stored, record } of updates) {
    const fields = updateLetterFromRecord({ tx, stored: storedLetterOf(stored), record, actor, summary: `Import from ${fileName} changed` });
    onWritten();
    if (fields.length === 0) {
      report.unchanged.push(record.id);
      continue;
    }
    report.updated.push({ letterId: record.id, fields });
  }
}

export interface WriteOptions {
  fileName: string;
  dryRun: boolean;
  actor: Actor;
}

/** What the writer thread is given (plain data: it crosses a thread boundary). */
export interface WriteJob {
  check: Checked;
  options: WriteOptions;
  report: ImportReport;
  /** Tests only (NODE_ENV=test): the thread exits after writing this many letters, mid-transaction. */
  crashAfterForTests?: number;
}

function failedReport(result: ImportReport, problems: ImportProblem[], moreProblems = 0): ImportReport {
  return { ...result, ok: false, created: [], updated: [], unchanged: [], problems, moreProblems };
}

/**
 * Writes the checked records in one immediate transaction on this thread's connection (rolled back
 * for a dry run); `onWritten` hears the count after each letter. Null when the database changed
 * since the check, and nothing was written. The writer thread runs it (app/workers/write-worker.ts).
 */
export function writeChecked(
  check: Checked,
  { fileName, dryRun, actor }: WriteOptions,
  report: ImportReport,
  onWritten: (written: number) => void = () => {},
): ImportReport | null {
  const result: ImportReport = { ...report, format: check.format, created: [], updated: [], unchanged: [] };
  let written = 0;
  const counted = () => onWritten(++written);
  try {
    // Every event of this file has one cause: a follower hears of the import in one message.
    withEventCause(`import:${randomUUID()}`, () => getDb().transaction(
      (tx) => {
        if (!unchangedSinceCheck(tx, check)) throw new ChangedSinceCheck();
        result.created.push(
          ...createLetterRecords({ tx, records: check.fresh, actor, summary: (record) => `Imported letter "${record.title}" from ${fileName}`, onWritten: counted }),
        );
        applyUpdates(tx, check.updates, fileName, actor, result, counted);
        if (dryRun) throw new DryRunDone();
      },
      { behavior: "immediate" },
    ));
  } catch (error) {
    if (error instanceof ChangedSinceCheck) return null;
    if (error instanceof WriteRefused) {
      const list = ProblemList.of(error.problems.map((problem) => fileProblem(`was refused, so nothing was written: ${problem.message}`, problem.field || "(letter)")));
      return failedReport(result, list.kept, list.more);
    }
    if (!(error instanceof DryRunDone)) {
      return failedReport(result, [fileProblem(`could not be written, so nothing was: ${(error as Error).message}`)]);
    }
  }
  return { ...result, ok: true };
}

/** How long an import waits for another import's write to finish before giving up. */
const OTHER_IMPORT_WAIT_MS = 10 * 60_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Options of the write step, for tests: the writer's progress, its crash, the settle time. */
export interface WriteStepOptions {
  onWriteProgress?: (written: number) => void;
  settleMs?: number;
  crashWriterAfterForTests?: number;
}

/**
 * The write step: takes the bulk-write gate (waiting while another import holds it), lets writes
 * already past the gate finish (SETTLE_MS), writes in the writer thread, releases the gate. The
 * gate's lease lives long enough for a slow write of this many letters; if this process dies
 * holding it, the gate is free at once for the processes that share its PID namespace (a dead
 * holder's lease is free); a restarted container (a new namespace) waits for the lease to expire.
 */
async function writeBehindGate(job: WriteJob, { onWriteProgress, settleMs = SETTLE_MS }: WriteStepOptions): Promise<ImportReport | null> {
  const holder = `${PROCESS_HOLDER}:import:${randomUUID().slice(0, 8)}`;
  const letterCount = job.check.fresh.length + job.check.updates.length;
  const ttlMs = 120_000 + letterCount * 100;
  const giveUpAt = Date.now() + OTHER_IMPORT_WAIT_MS;
  for (;;) {
    // Reading first: taking a lease is a write, which would wait on another import's lock.
    if (!writeGateClosed()) {
      try {
        if (acquireLease({ name: BULK_WRITE_LEASE, ttlMs, holder })) break;
      } catch (error) {
        if ((error as { code?: string }).code !== "SQLITE_BUSY") throw error;
      }
    }
    if (Date.now() >= giveUpAt) {
      return failedReport(job.report, [fileProblem("was not written: another import was being written all the while; import it again later")]);
    }
    await sleep(250);
  }
  try {
    await sleep(settleMs);
    return await writeInWorker(job, { onProgress: onWriteProgress });
  } catch (error) {
    return failedReport({ ...job.report, format: job.check.format }, [fileProblem(`could not be written, so nothing was: ${(error as Error).message}`)]);
  } finally {
    releaseLease({ name: BULK_WRITE_LEASE, holder });
  }
}

type CheckedFile = { fileName: string; dryRun: boolean; check: ImportCheck };

/** The check (in the read pool) then the write (in the writer thread), checking again while the database moves on under it. */
async function checkThenWrite(actor: Actor, checkFile: () => Promise<CheckedFile>, writeStep: WriteStepOptions = {}): Promise<ImportReport> {
  let report: ImportReport | null = null;
  for (let attempt = 1; attempt <= MAX_IMPORT_CHECKS; attempt++) {
    const { fileName, dryRun, check } = await checkFile();
    report = { ok: false, dryRun, fileName, format: check.format, created: [], updated: [], unchanged: [], problems: [], moreProblems: 0 };
    if (!check.ok) return { ...report, problems: check.problems, moreProblems: check.moreProblems };
    // Nothing to write (a file of no letters): no transaction, no gate, no thread.
    if (check.fresh.length === 0 && check.updates.length === 0) return { ...report, ok: true };
    const written = await writeBehindGate(
      { check, options: { fileName, dryRun, actor }, report, ...(writeStep.crashWriterAfterForTests === undefined ? {} : { crashAfterForTests: writeStep.crashWriterAfterForTests }) },
      writeStep,
    );
    if (written) return written;
  }
  return {
    ...report!,
    problems: [fileProblem(`was not written: letters it changes were changed by someone else while it was being checked, ${MAX_IMPORT_CHECKS} times in a row; import it again`)],
  };
}

/**
 * Imports one file. Never throws for a bad file: every problem is in the report, with its row (or
 * letter id), column and reason, and then nothing is written. `context` and `request` (from a
 * route) let the read pool count the check against the client and drop it if the client goes
 * away; a saturated pool refuses with a 503 (thrown as a Remix response, as by every read task).
 */
export async function importLetterFile({
  content,
  fileName,
  dryRun,
  actor,
  maxBytes = MAX_IMPORT_BYTES,
  context,
  request,
  ...writeStep
}: {
  content: Uint8Array;
  fileName: string;
  dryRun: boolean;
  actor: Actor;
  maxBytes?: number;
  context?: AppLoadContext;
  request?: Request;
} & WriteStepOptions): Promise<ImportReport> {
  if (content.byteLength > maxBytes) {
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    const problems = [fileProblem(`is ${mb(content.byteLength)} MB; the limit is ${mb(maxBytes)} MB: split it into smaller files`)];
    return { ok: false, dryRun, fileName, format: null, created: [], updated: [], unchanged: [], problems, moreProblems: 0 };
  }
  return checkThenWrite(actor, async () => ({
    fileName,
    dryRun,
    check: await readInPool("checkLetterFile", { content, fileName, today: today() }, { context, request }),
  }), writeStep);
}

class Refused extends Error {
  constructor(readonly refusal: UploadRefusal) {
    super(refusal.message);
  }
}

/**
 * The import page's upload: the raw multipart/form-data body goes to the read pool whole, where
 * its form is read and its file checked (checkImportUpload); this thread only collects the bytes
 * and writes the checked letters. The form's `intent` "import" is a real run, anything else a dry
 * run. An upload that is not a readable form with a file is refused with the status to answer.
 */
export async function importUpload({
  request,
  actor,
  context,
  maxBytes = MAX_IMPORT_BYTES,
  ...writeStep
}: {
  request: Request;
  actor: Actor;
  context?: AppLoadContext;
  maxBytes?: number;
} & WriteStepOptions): Promise<{ report: ImportReport; refusal: null } | { report: null; refusal: UploadRefusal }> {
  let body: Uint8Array;
  try {
    // At most the server's body limit for /import (app/domain/body-limits.ts); collecting it is a copy.
    body = new Uint8Array(await request.arrayBuffer());
  } catch {
    return { report: null, refusal: { ok: false, status: 400, message: "The upload could not be read: send the file with the form on this page." } };
  }
  const contentType = request.headers.get("Content-Type") ?? "";
  try {
    const report = await checkThenWrite(actor, async () => {
      const upload = await readInPool("checkImportUpload", { body, contentType, today: today(), maxBytes }, { context, request });
      if (!upload.ok) throw new Refused(upload);
      return upload;
    }, writeStep);
    return { report, refusal: null };
  } catch (error) {
    if (error instanceof Refused) return { report: null, refusal: error.refusal };
    throw error;
  }
}
