/**
 * The check of an import file: everything that reads the file and the database to produce either
 * the problem report or the records to write. It is a read task (app/models/read-tasks.server.ts):
 * the read pool runs it in a worker thread on a read-only connection, so decoding, parsing and
 * validating a 20 MB file never holds up the event loop; only the write of the checked records
 * (letter-file-import.server.ts) runs on the main thread, through the one writer.
 *
 * Its answer crosses a thread boundary, so it is plain data: arrays and objects of strings, numbers,
 * booleans and null (no Maps, no class instances). It names the version of every stored letter it
 * was checked against (and the slugs that were free), so the write can tell whether the database
 * moved on since and have the file checked again.
 */
import { pairResponses } from "~/domain/response-matching";
import { inArray } from "drizzle-orm";
import { getDb, type DbOrTx } from "../../db/client.server";
import { letters } from "../../db/schema";
import type { CalendarDate } from "~/domain/dates";
import type { ImportReport } from "~/domain/import-report";
import { csvShapeOf, lettersFromSheet, missingColumns, readCsvTable, responsesFromTable, type Carried, type ImportProblem, ProblemList, type ResponseRecord } from "~/domain/letter-csv";
import { letterRecordSchema, recordRuleProblems, type LetterRecord } from "~/domain/letter-record";
import { readLetterRecords, type StoredLetter } from "./letter-records.server";

/** A stored letter as plain data: its record and the ids the writer matches questions and responses by. */
export interface CheckedStoredLetter {
  id: number;
  version: number;
  record: LetterRecord;
  /** [response key (see readLetterRecords), response id] */
  responseIds: Array<[string, number]>;
  /** [question number, question id] */
  questionIds: Array<[number, number]>;
}

/** A stored letter to bring in line with `record` (the file's letter merged with what the file does not carry). */
export interface CheckedUpdate {
  stored: CheckedStoredLetter;
  record: LetterRecord;
}

export type ImportFormat = NonNullable<ImportReport["format"]>;

export type ImportCheck =
  | { ok: false; format: ImportFormat | null; problems: ImportProblem[]; moreProblems: number }
  | {
      ok: true;
      format: ImportFormat;
      /** New letters, in file order; their slugs were free when checked. */
      fresh: LetterRecord[];
      /** Stored letters the file changes (or leaves as they are), at the versions checked. */
      updates: CheckedUpdate[];
    };

const ALL_CARRIED: Carried = { summary: true, notes: true, roles: true, responses: true };

export function fileProblem(reason: string, column = "(file)"): ImportProblem {
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

/**
 * Stored responses, with the file's versions in place of the ones they are (same date and sender,
 * or the same reply's date at another precision: pairResponses) and new ones after.
 */
function mergeResponses(stored: LetterRecord["responses"], incoming: ReadonlyArray<ResponseRecord>): LetterRecord["responses"] {
  const merged: Array<LetterRecord["responses"][number] | ResponseRecord> = [...stored];
  pairResponses(stored, incoming).forEach((index, n) => {
    if (index === null) merged.push(incoming[n]!);
    else merged[index] = incoming[n]!;
  });
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
    // A question the file gives without `repeats` (a CSV never carries it) keeps the stored link.
    questions: [
      ...incoming.questions.map((question) =>
        question.repeats !== undefined ? question : { ...question, repeats: current.questions.find((known) => known.n === question.n)?.repeats },
      ),
      ...current.questions.filter((question) => !fileNumbers.has(question.n)),
    ].sort((a, b) => a.n - b.n),
    responses: carried.responses ? mergeResponses(current.responses, incoming.responses) : current.responses,
  };
}

/** The format's checks and the one writer's rules (no fact in the future, numbering 1..n, ...). */
function validateMerged(record: LetterRecord, row: number | null, today: CalendarDate): ImportProblem[] {
  const result = letterRecordSchema.safeParse(record);
  if (!result.success) {
    return result.error.issues.map((issue) => ({ row, letterId: record.id, column: issue.path.join(".") || "(letter)", reason: issue.message }));
  }
  return recordRuleProblems(record, today).map((problem) => ({ row, letterId: record.id, column: problem.field, reason: problem.message }));
}

function plainStored(stored: StoredLetter): CheckedStoredLetter {
  return { id: stored.id, version: stored.version, record: stored.record, responseIds: [...stored.responseIds], questionIds: [...stored.questionIds] };
}

/** Back from plain data to what the writer's helpers take. */
export function storedLetterOf(stored: CheckedStoredLetter): StoredLetter {
  return { id: stored.id, version: stored.version, record: stored.record, responseIds: new Map(stored.responseIds), questionIds: new Map(stored.questionIds) };
}

type Outcome = { problems: ProblemList; fresh: LetterRecord[]; updates: CheckedUpdate[] };

function checkLetters(tx: DbOrTx, parsed: Extract<Parsed, { letters: LetterRecord[] }>, today: CalendarDate): Outcome {
  const problems = new ProblemList();
  const seen = new Map<string, number | null>();
  for (const record of parsed.letters) {
    if (seen.has(record.id)) problems.push({ row: parsed.rowOf.get(record.id) ?? null, letterId: record.id, column: parsed.format === "json" ? "id" : "letter_id", reason: "appears more than once" });
    seen.set(record.id, parsed.rowOf.get(record.id) ?? null);
  }
  const stored = readLetterRecords({ tx, slugs: [...seen.keys()] });
  const followTargets = [...new Set(parsed.letters.flatMap((record) => (record.follows_up ? [record.follows_up] : [])))];
  const knownTargets = new Set<string>();
  // In chunks: SQLite limits the number of bound parameters of one statement.
  for (let start = 0; start < followTargets.length; start += 500) {
    const chunk = followTargets.slice(start, start + 500);
    for (const row of tx.select({ slug: letters.slug }).from(letters).where(inArray(letters.slug, chunk)).all()) knownTargets.add(row.slug);
  }
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
  const updates: CheckedUpdate[] = [];
  const fresh: LetterRecord[] = [];
  for (const record of parsed.letters) {
    const existing = stored.get(record.id);
    if (!existing) {
      problems.push(...validateMerged(record, parsed.rowOf.get(record.id) ?? null, today));
      fresh.push(record);
      continue;
    }
    const merged = mergeWithStored(record, existing, parsed.carried);
    problems.push(...validateMerged(merged, parsed.rowOf.get(record.id) ?? null, today));
    updates.push({ stored: plainStored(existing), record: merged });
  }
  return { problems, fresh, updates };
}

function checkResponses(tx: DbOrTx, parsed: Extract<Parsed, { format: "csv-responses" }>, today: CalendarDate): Outcome {
  const problems = new ProblemList();
  const stored = readLetterRecords({ tx, slugs: [...parsed.responses.keys()] });
  const updates: CheckedUpdate[] = [];
  for (const [letterId, rows] of parsed.responses) {
    const existing = stored.get(letterId);
    if (!existing) {
      problems.push({ row: rows[0]!.row, letterId, column: "letter_id", reason: "is not a letter in the database: import the letters first" });
      continue;
    }
    const record = { ...existing.record, responses: mergeResponses(existing.record.responses, rows) };
    problems.push(
      ...validateMerged(record, rows[0]!.row, today).map((problem) => {
        // Name the file's own row of the response at fault, not the letter's first.
        const index = /^responses\.(\d+)\./.exec(problem.column)?.[1];
        const response = index === undefined ? undefined : record.responses[Number(index)];
        const row = response ? rows.find((candidate) => candidate.received_on === response.received_on && candidate.from === response.from)?.row : undefined;
        return { ...problem, row: row ?? problem.row, column: problem.column.replace(/^responses\.\d+\./, "") };
      }),
    );
    updates.push({ stored: plainStored(existing), record });
  }
  return { problems, fresh: [], updates };
}

function failed(format: ImportFormat | null, problems: ProblemList): ImportCheck {
  return { ok: false, format, problems: problems.kept, moreProblems: problems.more };
}

/**
 * Checks one import file against the database (this thread's connection, in one read
 * transaction): the problem report (the first MAX_REPORTED_PROBLEMS and a count of the rest), or
 * the letters to create and update. Never throws for a bad file. The file's size is checked by the
 * caller, before the bytes are handed over.
 */
export function checkLetterFile({ content, fileName, today }: { content: Uint8Array; fileName: string; today: CalendarDate }): ImportCheck {
  const text = decodeUtf8(content);
  if (text === null) {
    return failed(null, ProblemList.of([fileProblem("is not UTF-8 text: save it with UTF-8 encoding (in Excel: \"CSV UTF-8\")")]));
  }
  const parsed = parseFile(text, fileName);
  if (parsed.problems.length > 0) return failed(parsed.format, parsed.problems);
  // One snapshot: the stored letters and their versions are read together.
  const outcome = getDb().transaction((tx) => (parsed.format === "csv-responses" ? checkResponses(tx, parsed, today) : checkLetters(tx, parsed, today)), {
    behavior: "deferred",
  });
  if (outcome.problems.length > 0) return failed(parsed.format, outcome.problems);
  return { ok: true, format: parsed.format, fresh: outcome.fresh, updates: outcome.updates };
}

/** An upload the import page cannot take, with the status and message it answers. */
export interface UploadRefusal {
  ok: false;
  status: 400 | 413;
  message: string;
}

export type UploadCheck = { ok: true; fileName: string; dryRun: boolean; check: ImportCheck } | UploadRefusal;

/**
 * The import page's upload, as the browser sent it (the raw multipart/form-data body, at most the
 * server's body limit): its form read here, off the event loop (Remix's multipart parser held the
 * loop for up to 0.7 s on a 2 MB file of short lines, and scaled with the file's line breaks), then
 * its file checked as by checkLetterFile. `intent` "import" is a real run; anything else a dry run.
 */
export async function checkImportUpload({
  body,
  contentType,
  today,
  maxBytes,
}: {
  body: Uint8Array;
  contentType: string;
  today: CalendarDate;
  maxBytes: number;
}): Promise<UploadCheck> {
  const unreadable: UploadRefusal = { ok: false, status: 400, message: "The upload could not be read: send the file with the form on this page." };
  if (!/^multipart\/form-data\s*;/i.test(contentType)) return unreadable;
  let form: FormData;
  try {
    form = await new Response(body as Uint8Array<ArrayBuffer>, { headers: { "Content-Type": contentType } }).formData();
  } catch {
    return unreadable;
  }
  const file = form.get("file");
  if (file === null || typeof file === "string" || file.size === 0) {
    return { ok: false, status: 400, message: "Choose a file to import (JSON or CSV)." };
  }
  if (file.size > maxBytes) {
    return { ok: false, status: 413, message: `The file is larger than ${maxBytes / 1024 / 1024} MB: split it into smaller files.` };
  }
  // Only the base name, as the multipart/form-data spec recommends (RFC 7578, section 4.2).
  const fileName = file.name.split(/[/\\]/).pop() || "upload";
  const content = new Uint8Array(await file.arrayBuffer());
  return { ok: true, fileName, dryRun: form.get("intent") !== "import", check: checkLetterFile({ content, fileName, today }) };
}
