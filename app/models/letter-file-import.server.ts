/**
 * Bulk import of letters from a file: JSON in the seed shape, the CSV letter sheet, or
 * responses.csv (see app/domain/letter-csv.ts). Everything is checked before anything is written;
 * the write is one immediate transaction, all or nothing, through the one letter writer (with its
 * history of every letter and response). A dry run
 * does the same work inside the transaction and rolls it back, so it reports exactly what the real
 * run would do. Letters are matched by slug, so importing the same file twice changes nothing.
 *
 * Two steps, on two threads:
 * - the check (letter-file-check.server.ts: decode, parse, validate, read the stored letters,
 *   merge) is a read task: with the read pool installed (the server) it runs in a worker thread, so
 *   a 20 MB file never holds up the event loop; without one (`npm run import`, model tests) inline;
 * - the write of the checked records, on this thread's connection (the one writer), in one
 *   immediate transaction. It first makes sure the database is still as checked (every stored
 *   letter at the version the check read, every new slug still free); if a letter changed in
 *   between, the file is checked again rather than written over someone's change.
 */
import { inArray } from "drizzle-orm";
import type { AppLoadContext } from "@remix-run/node";
import { getDb, type Tx } from "../../db/client.server";
import { letters } from "../../db/schema";
import { ProblemList, type ImportProblem } from "~/domain/letter-csv";
import type { ImportReport } from "~/domain/import-report";
import { today } from "~/domain/dates";
import { readInPool } from "~/utils/read-pool.server";
import type { Actor } from "./audit.server";
import { fileProblem, storedLetterOf, type CheckedUpdate, type ImportCheck, type UploadRefusal } from "./letter-file-check.server";
import { createLetterRecords, updateLetterFromRecord } from "./letter-records.server";
import { WriteRefused } from "./letter-writer.server";

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

function applyUpdates(tx: Tx, updates: readonly CheckedUpdate[], fileName: string, actor: Actor, report: ImportReport): void {
  for (const { stored, record } of updates) {
    const fields = updateLetterFromRecord({ tx, stored: storedLetterOf(stored), record, actor, summary: `Import from ${fileName} changed` });
    if (fields.length === 0) {
      report.unchanged.push(record.id);
      continue;
    }
    report.updated.push({ letterId: record.id, fields });
  }
}

/**
 * Writes the checked records in one immediate transaction (rolled back for a dry run). Null when
 * the database changed since the check, and nothing was written.
 */
export function writeChecked(check: Checked, { fileName, dryRun, actor }: { fileName: string; dryRun: boolean; actor: Actor }, report: ImportReport): ImportReport | null {
  const result: ImportReport = { ...report, format: check.format, created: [], updated: [], unchanged: [] };
  try {
    getDb().transaction(
      (tx) => {
        if (!unchangedSinceCheck(tx, check)) throw new ChangedSinceCheck();
        result.created.push(...createLetterRecords({ tx, records: check.fresh, actor, summary: (record) => `Imported letter "${record.title}" from ${fileName}` }));
        applyUpdates(tx, check.updates, fileName, actor, result);
        if (dryRun) throw new DryRunDone();
      },
      { behavior: "immediate" },
    );
  } catch (error) {
    if (error instanceof ChangedSinceCheck) return null;
    const fail = (problems: ImportProblem[]): ImportReport => ({ ...result, ok: false, created: [], updated: [], unchanged: [], problems, moreProblems: 0 });
    if (error instanceof WriteRefused) {
      const list = ProblemList.of(error.problems.map((problem) => fileProblem(`was refused, so nothing was written: ${problem.message}`, problem.field || "(letter)")));
      return { ...fail(list.kept), moreProblems: list.more };
    }
    if (!(error instanceof DryRunDone)) {
      return fail([fileProblem(`could not be written, so nothing was: ${(error as Error).message}`)]);
    }
  }
  return { ...result, ok: true };
}

type CheckedFile = { fileName: string; dryRun: boolean; check: ImportCheck };

/** The check (in the read pool) then the write (here), checking again while the database moves on under it. */
async function checkThenWrite(actor: Actor, checkFile: () => Promise<CheckedFile>): Promise<ImportReport> {
  let report: ImportReport | null = null;
  for (let attempt = 1; attempt <= MAX_IMPORT_CHECKS; attempt++) {
    const { fileName, dryRun, check } = await checkFile();
    report = { ok: false, dryRun, fileName, format: check.format, created: [], updated: [], unchanged: [], problems: [], moreProblems: 0 };
    if (!check.ok) return { ...report, problems: check.problems, moreProblems: check.moreProblems };
    const written = writeChecked(check, { fileName, dryRun, actor }, report);
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
}: {
  content: Uint8Array;
  fileName: string;
  dryRun: boolean;
  actor: Actor;
  maxBytes?: number;
  context?: AppLoadContext;
  request?: Request;
}): Promise<ImportReport> {
  if (content.byteLength > maxBytes) {
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    const problems = [fileProblem(`is ${mb(content.byteLength)} MB; the limit is ${mb(maxBytes)} MB: split it into smaller files`)];
    return { ok: false, dryRun, fileName, format: null, created: [], updated: [], unchanged: [], problems, moreProblems: 0 };
  }
  return checkThenWrite(actor, async () => ({
    fileName,
    dryRun,
    check: await readInPool("checkLetterFile", { content, fileName, today: today() }, { context, request }),
  }));
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
}: {
  request: Request;
  actor: Actor;
  context?: AppLoadContext;
  maxBytes?: number;
}): Promise<{ report: ImportReport; refusal: null } | { report: null; refusal: UploadRefusal }> {
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
    });
    return { report, refusal: null };
  } catch (error) {
    if (error instanceof Refused) return { report: null, refusal: error.refusal };
    throw error;
  }
}
