/**
 * Bulk import of letters from a file: JSON in the seed shape, the CSV letter sheet, or
 * responses.csv (see app/domain/letter-csv.ts). Everything is checked before anything is written;
 * the write is one immediate transaction, all or nothing, through the one letter writer (with its
 * history of every letter and response). A dry run
 * does the same work inside the transaction and rolls it back, so it reports exactly what the real
 * run would do. Letters are matched by slug, so importing the same file twice changes nothing.
 */
import { inArray } from "drizzle-orm";
import { getDb, type Tx } from "../../db/client.server";
import { letters } from "../../db/schema";
import { csvShapeOf, lettersFromSheet, missingColumns, readCsvTable, responsesFromTable, type Carried, type ImportProblem, ProblemList, type ResponseRecord } from "~/domain/letter-csv";
import type { ImportReport } from "~/domain/import-report";
import { letterRecordSchema, recordRuleProblems, type LetterRecord } from "~/domain/letter-record";
import { today } from "~/domain/dates";
import type { Actor } from "./audit.server";
import { createLetterRecords, readLetterRecords, updateLetterFromRecord, type StoredLetter } from "./letter-records.server";
import { WriteRefused } from "./letter-writer.server";

import { MAX_IMPORT_BYTES } from "~/domain/body-limits";

/** The largest file an import takes (defined with the body limits, which leave room for it). */
export { MAX_IMPORT_BYTES };

export const COMMAND_LINE_ACTOR: Actor = { id: null, email: null, name: "import (command line)" };

const ALL_CARRIED: Carried = { summary: true, notes: true, roles: true, responses: true };

class Abort extends Error {
  constructor(readonly problems: ProblemList) {
    super("import aborted");
  }
}
class DryRunDone extends Error {}

function fileProblem(reason: string, column = "(file)"): ImportProblem {
  return { row: null, letterId: null, column, reason };
}

/** Decodes strict UTF-8 (a byte-order mark is dropped); null when the bytes are not UTF-8. */
function decodeUtf8(content: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(content);
  } catch {
    return null;
  }
}

type Parsed =
  | { format: "json" | "csv-letters"; letters: LetterRecord[]; rowOf: Map<string, number>; carried: Carried; problems: ProblemList }
  | { format: "csv-responses"; responses: Map<string, Array<ResponseRecord & { row: number }>>; problems: ProblemList };

function parseJson(text: string): Parsed {
  const empty = { format: "json" as const, letters: [], rowOf: new Map<string, number>(), carried: ALL_CARRIED };
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    return { ...empty, problems: ProblemList.of([fileProblem(`is not valid JSON: ${(error as Error).message}`)]) };
  }
  const raw = (input as { letters?: unknown } | null)?.letters;
  if (!Array.isArray(raw)) return { ...empty, problems: ProblemList.of([fileProblem("must be an object with a list of letters", "letters")]) };
  const problems = new ProblemList();
  const records: LetterRecord[] = [];
  raw.forEach((item, index) => {
    const rawId = (item as { id?: unknown } | null)?.id;
    const letterId = typeof rawId === "string" && rawId ? rawId : `#${index + 1}`;
    const result = letterRecordSchema.safeParse(item);
    if (result.success) records.push(result.data);
    else for (const issue of result.error.issues) problems.push({ row: null, letterId, column: issue.path.join(".") || "(letter)", reason: issue.message });
  });
  return { ...empty, letters: records, problems };
}

function parseFile(text: string, fileName: string): Parsed {
  const start = text.replace(/^\uFEFF/, "").trimStart();
  if (/\.json$/i.test(fileName) || start.startsWith("{") || start.startsWith("[")) return parseJson(text);
  const { table, problems } = readCsvTable(text);
  if (!table) return { format: "csv-letters", letters: [], rowOf: new Map(), carried: ALL_CARRIED, problems };
  const shape = csvShapeOf(table.header);
  const missing = missingColumns(table.header, shape);
  if (missing.length > 0) return { format: "csv-letters", letters: [], rowOf: new Map(), carried: ALL_CARRIED, problems: ProblemList.of(missing, problems) };
  if (shape === "responses") {
    const read = responsesFromTable(table);
    return { format: "csv-responses", responses: read.responses, problems: ProblemList.of(problems, read.problems) };
  }
  const read = lettersFromSheet(table);
  return { format: "csv-letters", letters: read.letters, rowOf: read.rowOf, carried: read.carried, problems: ProblemList.of(problems, read.problems) };
}

function responseKey(response: { received_on: string; from: string }): string {
  return `${response.received_on}\u0000${response.from}`;
}

/** Stored responses, with the file's versions in place of matching ones and new ones after. */
function mergeResponses(stored: LetterRecord["responses"], incoming: ReadonlyArray<ResponseRecord>): LetterRecord["responses"] {
  const pending = new Map<string, ResponseRecord[]>();
  for (const response of incoming) pending.set(responseKey(response), [...(pending.get(responseKey(response)) ?? []), response]);
  const merged = stored.map((response) => {
    const replacement = pending.get(responseKey(response))?.shift();
    return replacement ?? response;
  });
  for (const rest of pending.values()) merged.push(...rest);
  return merged.map(({ received_on, from, completeness, summary, source, notes }) => ({ received_on, from, completeness, summary, source, notes }));
}

/** The file's letter, completed with what the file does not carry from the stored letter. */
function mergeWithStored(incoming: LetterRecord, stored: StoredLetter, carried: Carried): LetterRecord {
  const current = stored.record;
  const fileNumbers = new Set(incoming.questions.map((question) => question.n));
  return {
    ...incoming,
    senders: carried.roles
      ? incoming.senders
      : incoming.senders.map((sender) => {
          const known = current.senders.find((candidate) => candidate.name === sender.name);
          return { ...sender, role: known?.role ?? null, lead: known?.lead ?? false };
        }),
    summary: carried.summary ? incoming.summary : current.summary,
    notes: carried.notes ? incoming.notes : current.notes,
    // An import never deletes questions or responses: those missing from the file are kept.
    questions: [...incoming.questions, ...current.questions.filter((question) => !fileNumbers.has(question.n))].sort((a, b) => a.n - b.n),
    responses: carried.responses ? mergeResponses(current.responses, incoming.responses) : current.responses,
  };
}

/** The format's checks and the one writer's rules (no fact in the future, numbering 1..n, ...). */
function validateMerged(record: LetterRecord, row: number | null): ImportProblem[] {
  const result = letterRecordSchema.safeParse(record);
  if (!result.success) {
    return result.error.issues.map((issue) => ({ row, letterId: record.id, column: issue.path.join(".") || "(letter)", reason: issue.message }));
  }
  return recordRuleProblems(record, today()).map((problem) => ({ row, letterId: record.id, column: problem.field, reason: problem.message }));
}

function writeLetters(tx: Tx, parsed: Extract<Parsed, { letters: LetterRecord[] }>, fileName: string, actor: Actor, report: ImportReport): void {
  const problems = new ProblemList();
  const seen = new Map<string, number | null>();
  for (const record of parsed.letters) {
    if (seen.has(record.id)) problems.push({ row: parsed.rowOf.get(record.id) ?? null, letterId: record.id, column: parsed.format === "json" ? "id" : "letter_id", reason: "appears more than once" });
    seen.set(record.id, parsed.rowOf.get(record.id) ?? null);
  }
  const stored = readLetterRecords({ tx, slugs: [...seen.keys()] });
  const followTargets = parsed.letters.flatMap((record) => (record.follows_up ? [record.follows_up] : []));
  const knownTargets = new Set(
    followTargets.length === 0
      ? []
      : tx.select({ slug: letters.slug }).from(letters).where(inArray(letters.slug, followTargets)).all().map((row) => row.slug),
  );
  for (const record of parsed.letters) {
    if (record.follows_up && !seen.has(record.follows_up) && !knownTargets.has(record.follows_up)) {
      problems.push({ row: parsed.rowOf.get(record.id) ?? null, letterId: record.id, column: "follows_up", reason: `"${record.follows_up}" is neither in the file nor in the database` });
    }
  }
  // Letters of the file that follow each other up in a circle: no order of writing them exists.
  const inFile = new Map(parsed.letters.map((record) => [record.id, record]));
  for (const record of parsed.letters) {
    const path = [record.id];
    for (let next = record.follows_up ? inFile.get(record.follows_up) : undefined; next; next = next.follows_up ? inFile.get(next.follows_up) : undefined) {
      path.push(next.id);
      if (next.id === record.id) {
        problems.push({ row: parsed.rowOf.get(record.id) ?? null, letterId: record.id, column: "follows_up", reason: `makes a circle of follow-ups: ${path.join(" → ")}` });
        break;
      }
      if (path.length > inFile.size) break;
    }
  }
  const updates: Array<{ stored: StoredLetter; record: LetterRecord }> = [];
  const fresh: LetterRecord[] = [];
  for (const record of parsed.letters) {
    const existing = stored.get(record.id);
    if (!existing) {
      problems.push(...validateMerged(record, parsed.rowOf.get(record.id) ?? null));
      fresh.push(record);
      continue;
    }
    const merged = mergeWithStored(record, existing, parsed.carried);
    problems.push(...validateMerged(merged, parsed.rowOf.get(record.id) ?? null));
    updates.push({ stored: existing, record: merged });
  }
  if (problems.length > 0) throw new Abort(problems);

  report.created.push(...createLetterRecords({ tx, records: fresh, actor, summary: (record) => `Imported letter "${record.title}" from ${fileName}` }));
  applyUpdates(tx, updates, fileName, actor, report);
}

function applyUpdates(tx: Tx, updates: Array<{ stored: StoredLetter; record: LetterRecord }>, fileName: string, actor: Actor, report: ImportReport): void {
  for (const { stored, record } of updates) {
    const fields = updateLetterFromRecord({ tx, stored, record, actor, summary: `Import from ${fileName} changed` });
    if (fields.length === 0) {
      report.unchanged.push(record.id);
      continue;
    }
    report.updated.push({ letterId: record.id, fields });
  }
}

function writeResponses(tx: Tx, parsed: Extract<Parsed, { format: "csv-responses" }>, fileName: string, actor: Actor, report: ImportReport): void {
  const problems = new ProblemList();
  const stored = readLetterRecords({ tx, slugs: [...parsed.responses.keys()] });
  const updates: Array<{ stored: StoredLetter; record: LetterRecord }> = [];
  for (const [letterId, rows] of parsed.responses) {
    const existing = stored.get(letterId);
    if (!existing) {
      problems.push({ row: rows[0]!.row, letterId, column: "letter_id", reason: "is not a letter in the database: import the letters first" });
      continue;
    }
    const record = { ...existing.record, responses: mergeResponses(existing.record.responses, rows) };
    problems.push(
      ...validateMerged(record, rows[0]!.row).map((problem) => {
        // Name the file's own row of the response at fault, not the letter's first.
        const index = /^responses\.(\d+)\./.exec(problem.column)?.[1];
        const response = index === undefined ? undefined : record.responses[Number(index)];
        const row = response ? rows.find((candidate) => candidate.received_on === response.received_on && candidate.from === response.from)?.row : undefined;
        return { ...problem, row: row ?? problem.row, column: problem.column.replace(/^responses\.\d+\./, "") };
      }),
    );
    updates.push({ stored: existing, record });
  }
  if (problems.length > 0) throw new Abort(problems);
  applyUpdates(tx, updates, fileName, actor, report);
}

/**
 * Imports one file. Never throws for a bad file: every problem is in the report, with its row (or
 * letter id), column and reason, and then nothing is written.
 */
export function importLetterFile({
  content,
  fileName,
  dryRun,
  actor,
  maxBytes = MAX_IMPORT_BYTES,
}: {
  content: Uint8Array;
  fileName: string;
  dryRun: boolean;
  actor: Actor;
  maxBytes?: number;
}): ImportReport {
  const report: ImportReport = { ok: false, dryRun, fileName, format: null, created: [], updated: [], unchanged: [], problems: [], moreProblems: 0 };
  // The report lists the first MAX_REPORTED_PROBLEMS problems and counts the rest.
  const fail = (problems: ProblemList | ImportProblem[]): ImportReport => {
    const list = problems instanceof ProblemList ? problems : ProblemList.of(problems);
    return { ...report, ok: false, created: [], updated: [], unchanged: [], problems: list.kept, moreProblems: list.more };
  };

  if (content.byteLength > maxBytes) {
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    return fail([fileProblem(`is ${mb(content.byteLength)} MB; the limit is ${mb(maxBytes)} MB: split it into smaller files`)]);
  }
  const text = decodeUtf8(content);
  if (text === null) {
    return fail([fileProblem("is not UTF-8 text: save it with UTF-8 encoding (in Excel: \"CSV UTF-8\")")]);
  }
  const parsed = parseFile(text, fileName);
  report.format = parsed.format;
  if (parsed.problems.length > 0) return fail(parsed.problems);

  try {
    getDb().transaction(
      (tx) => {
        if (parsed.format === "csv-responses") writeResponses(tx, parsed, fileName, actor, report);
        else writeLetters(tx, parsed, fileName, actor, report);
        if (dryRun) throw new DryRunDone();
      },
      { behavior: "immediate" },
    );
  } catch (error) {
    if (error instanceof Abort) return fail(error.problems);
    if (error instanceof WriteRefused) {
      return fail(error.problems.map((problem) => fileProblem(`was refused, so nothing was written: ${problem.message}`, problem.field || "(letter)")));
    }
    if (!(error instanceof DryRunDone)) {
      return fail([fileProblem(`could not be written, so nothing was: ${(error as Error).message}`)]);
    }
  }
  return { ...report, ok: true };
}
