/**
 * Reading the tracker's CSV files back into the exchange format (app/domain/letter-record.ts), and
 * the list cells both directions share. Pure: the importer (app/models/letter-file-import.server.ts) adds what
 * needs the database.
 *
 * Two CSV shapes are read:
 * - the letter sheet: the columns of questions.csv, then the letter columns of letters.csv
 *   (SHEET_FILE in app/domain/export-columns.ts), one row per question with the letter's fields
 *   repeated; a letter without questions has one row with empty question cells;
 * - responses.csv: one row per response, matched to letters by `letter_id`.
 *
 * Recipients and agencies: `recipients` lists `Name, Title` per recipient (joined by `; `);
 * `agencies` lists ONE agency when every recipient belongs to it, otherwise one agency per recipient
 * in the same order. Exports write it that way, so a file round-trips exactly.
 */
import { z } from "zod";
import { joinList, restoreCell, splitList } from "./csv-cells";
import { readCsvRecords } from "./csv-reader";
import { withoutControlCharacters } from "./forms";
import { letterRecordSchema, responseRecordSchema, type LetterRecord } from "./letter-record";
import { COMPLETENESS, QUESTION_KINDS, QUESTION_STATUSES } from "./vocabulary";

export interface ImportProblem {
  /** The spreadsheet row (the header is row 1); null for a file-wide or JSON problem. */
  row: number | null;
  /** The letter's id (slug) when known. */
  letterId: string | null;
  column: string;
  reason: string;
}

/** How many problems an import report lists; the rest are only counted ("and 999,800 more"). */
export const MAX_REPORTED_PROBLEMS = 200;

/**
 * An import's problems: the first MAX_REPORTED_PROBLEMS kept, every one counted. A file of a
 * million bad rows makes a report of 200 problems and a count, not a million objects. Pushes like
 * an array; `length` is the count of every problem pushed.
 */
export class ProblemList {
  readonly kept: ImportProblem[] = [];
  private total = 0;

  constructor(private readonly cap = MAX_REPORTED_PROBLEMS) {}

  static of(...parts: Array<ProblemList | readonly ImportProblem[]>): ProblemList {
    const list = new ProblemList();
    for (const part of parts) list.add(part);
    return list;
  }

  /** Every problem pushed, kept or not. */
  get length(): number {
    return this.total;
  }

  /** How many were counted but not kept. */
  get more(): number {
    return this.total - this.kept.length;
  }

  [Symbol.iterator](): Iterator<ImportProblem> {
    return this.kept[Symbol.iterator]();
  }

  push(...problems: ImportProblem[]): number {
    for (const problem of problems) {
      this.total += 1;
      if (this.kept.length < this.cap) this.kept.push(problem);
    }
    return this.total;
  }

  add(part: ProblemList | readonly ImportProblem[]): this {
    if (part instanceof ProblemList) {
      this.push(...part.kept);
      this.total += part.more;
    } else {
      for (const problem of part) this.push(problem);
    }
    return this;
  }
}

// ---------------------------------------------------------------- list cells

export function senderCell(sender: { name: string; party: string; state: string }): string {
  return `${sender.name} (${sender.party}-${sender.state})`;
}

export function recipientCell(recipient: { name: string; title: string }): string {
  return `${recipient.name}, ${recipient.title}`;
}

/** One agency when all recipients share it, else one per recipient in order (see the file comment). */
export function agencyCell(recipients: ReadonlyArray<{ agency: string }>): string {
  const distinct = new Set(recipients.map((recipient) => recipient.agency));
  return distinct.size <= 1 ? [...distinct].join("") : joinList(recipients.map((recipient) => recipient.agency));
}

const SENDER = /^(.+?) \(([A-Z])-([A-Z]{2})\)$/;

export function parseSenders(cell: string): { senders: Array<{ name: string; party: string; state: string }>; problems: string[] } {
  const senders: Array<{ name: string; party: string; state: string }> = [];
  const problems: string[] = [];
  for (const item of splitList(cell)) {
    const match = SENDER.exec(item);
    if (match) senders.push({ name: match[1]!.trim(), party: match[2]!, state: match[3]! });
    else problems.push(`"${item}" is not in the form Name (P-ST), e.g. Gregory Meeks (D-NY)`);
  }
  return { senders, problems };
}

export function parseRecipients(
  recipientsCell: string,
  agenciesCell: string,
): { recipients: Array<{ name: string; title: string; agency: string }>; problems: Array<{ column: string; reason: string }> } {
  const problems: Array<{ column: string; reason: string }> = [];
  const people: Array<{ name: string; title: string }> = [];
  for (const item of splitList(recipientsCell)) {
    const comma = item.indexOf(", ");
    if (comma <= 0) problems.push({ column: "recipients", reason: `"${item}" is not in the form Name, Title` });
    else people.push({ name: item.slice(0, comma).trim(), title: item.slice(comma + 2).trim() });
  }
  const agencyNames = splitList(agenciesCell);
  if (people.length > 0 && agencyNames.length === 0) {
    problems.push({ column: "agencies", reason: "is empty: give the recipients' agency" });
  } else if (agencyNames.length !== 1 && agencyNames.length !== people.length && people.length > 0) {
    problems.push({
      column: "agencies",
      reason: `lists ${agencyNames.length} agencies for ${people.length} recipients: give one agency for all, or one per recipient in the same order`,
    });
  }
  const recipients = problems.length > 0 ? [] : people.map((person, index) => ({
    ...person,
    agency: agencyNames.length === 1 ? agencyNames[0]! : agencyNames[index]!,
  }));
  return { recipients, problems };
}

// ---------------------------------------------------------------- files

export const SHEET_REQUIRED = [
  "letter_id", "letter_title", "sent_on", "agencies", "recipients", "question_no", "kind", "text",
  "chamber", "committee", "senders", "deadline", "follows_up", "tags", "source_url",
] as const;

export const RESPONSES_REQUIRED = ["letter_id", "received_on", "from", "completeness", "summary", "source_url", "notes"] as const;

export type CsvShape = "letters" | "responses";

interface Table {
  header: string[];
  rows: Array<{ row: number; cells: Record<string, string> }>;
}

/**
 * Parses CSV text into rows keyed by column; cells are restored (formula prefix removed). One
 * linear pass (app/domain/csv-reader.ts): a row whose cell count differs from the header's becomes
 * one problem, counted, and costs no more than reading it.
 */
export function readCsvTable(text: string): { table: Table | null; problems: ProblemList } {
  let header: string[] | null = null;
  const problems = new ProblemList();
  const rows: Table["rows"] = [];
  const error = readCsvRecords(text, (record, row) => {
    if (header === null) {
      header = record.map((name) => name.trim().toLowerCase());
      const seen = new Set<string>();
      for (const name of header) {
        if (seen.has(name)) problems.push({ row: 1, letterId: null, column: name, reason: "appears twice in the header" });
        seen.add(name);
      }
      return;
    }
    if (record.length !== header.length) {
      problems.push({ row, letterId: record[0] ? restoreCell(record[0]) : null, column: "(row)", reason: `has ${record.length} cells; the header has ${header.length}` });
      return;
    }
    // Control characters go, as from every form's text field (forms.ts).
    rows.push({ row, cells: Object.fromEntries(header.map((name, index) => [name, restoreCell(withoutControlCharacters(record[index]!))])) });
  });
  if (error) {
    return { table: null, problems: ProblemList.of([{ row: error.line, letterId: null, column: "(file)", reason: `is not valid CSV: ${error.message}` }]) };
  }
  if (header === null) return { table: null, problems: ProblemList.of([{ row: null, letterId: null, column: "(file)", reason: "is empty" }]) };
  return { table: { header, rows }, problems };
}

export function csvShapeOf(header: readonly string[]): CsvShape {
  return header.includes("received_on") && !header.includes("question_no") ? "responses" : "letters";
}

export function missingColumns(header: readonly string[], shape: CsvShape): ImportProblem[] {
  const required: readonly string[] = shape === "responses" ? RESPONSES_REQUIRED : SHEET_REQUIRED;
  return required
    .filter((name) => !header.includes(name))
    .map((name) => ({ row: 1, letterId: null, column: name, reason: "is missing from the header" }));
}

/** Which optional facts a CSV carries (the JSON format carries all of them). */
export interface Carried {
  summary: boolean;
  notes: boolean;
  /** Sender roles and lead flags. */
  roles: boolean;
  responses: boolean;
}

const nullable = (value: string | undefined): string | null => (value === undefined || value.trim() === "" ? null : value);

/** Columns whose values must agree on every row of one letter. */
const LETTER_FIELDS = ["letter_title", "sent_on", "agencies", "recipients", "chamber", "committee", "senders", "deadline", "follows_up", "tags", "source_url", "summary", "notes"] as const;

/** Maps a zod issue path on a letter record to the sheet column it came from. */
function sheetColumn(path: ReadonlyArray<PropertyKey>): string {
  const [head, , field] = path.map(String);
  switch (head) {
    case "id": return "letter_id";
    case "title": return "letter_title";
    case "source": return "source_url";
    case "topic_tags": return "tags";
    case "questions": return field === "n" ? "question_no" : field ?? "question_no";
    case "recipients": return field === "agency" ? "agencies" : "recipients";
    default: return head ?? "(letter)";
  }
}

/** Letter records from the rows of a letter sheet, with every problem by row and column. */
export function lettersFromSheet(table: Table): { letters: LetterRecord[]; rowOf: Map<string, number>; carried: Carried; problems: ProblemList } {
  const problems = new ProblemList();
  const groups = new Map<string, Table["rows"]>();
  for (const entry of table.rows) {
    const id = entry.cells.letter_id!.trim();
    if (!id) {
      problems.push({ row: entry.row, letterId: null, column: "letter_id", reason: "is empty" });
      continue;
    }
    const group = groups.get(id);
    if (group) group.push(entry);
    else groups.set(id, [entry]);
  }

  const letters: LetterRecord[] = [];
  const rowOf = new Map<string, number>();
  for (const [id, entries] of groups) {
    const first = entries[0]!;
    rowOf.set(id, first.row);
    const before = problems.length;
    for (const entry of entries) {
      // Status is derived from responses, so it is not imported; a value must still be a real one.
      const status = entry.cells.status?.trim();
      if (status && !(QUESTION_STATUSES as readonly string[]).includes(status)) {
        problems.push({ row: entry.row, letterId: id, column: "status", reason: `"${status}" is not a known status (${QUESTION_STATUSES.join(", ")})` });
      }
    }
    for (const entry of entries.slice(1)) {
      for (const column of LETTER_FIELDS) {
        if ((entry.cells[column] ?? "") !== (first.cells[column] ?? "")) {
          problems.push({ row: entry.row, letterId: id, column, reason: `differs from row ${first.row} of the same letter (letter ids must be unique)` });
        }
      }
    }
    const questions: Array<{ n: number; text: string; kind: string; row: number }> = [];
    const numbers = new Map<number, number>();
    for (const entry of entries) {
      const no = entry.cells.question_no!.trim();
      const text = entry.cells.text ?? "";
      const kind = entry.cells.kind!.trim();
      if (!no && !text.trim() && !kind) continue;
      const n = Number(no);
      if (!/^\d+$/.test(no) || n < 1) {
        problems.push({ row: entry.row, letterId: id, column: "question_no", reason: no ? `"${no}" is not a whole number from 1` : "is empty but the row has a question" });
        continue;
      }
      if (!(QUESTION_KINDS as readonly string[]).includes(kind)) {
        problems.push({ row: entry.row, letterId: id, column: "kind", reason: `"${kind}" is not a known kind (${QUESTION_KINDS.join(", ")})` });
        continue;
      }
      if (numbers.has(n)) {
        problems.push({ row: entry.row, letterId: id, column: "question_no", reason: `question ${n} of this letter is also on row ${numbers.get(n)}` });
        continue;
      }
      numbers.set(n, entry.row);
      questions.push({ n, text, kind, row: entry.row });
    }
    const cells = first.cells;
    const senders = parseSenders(cells.senders ?? "");
    for (const reason of senders.problems) problems.push({ row: first.row, letterId: id, column: "senders", reason });
    const recipients = parseRecipients(cells.recipients ?? "", cells.agencies ?? "");
    for (const { column, reason } of recipients.problems) problems.push({ row: first.row, letterId: id, column, reason });
    if (problems.length > before) continue;

    const parsed = letterRecordSchema.safeParse({
      id,
      title: cells.letter_title,
      sent_on: cells.sent_on?.trim(),
      chamber: cells.chamber?.trim(),
      committee: nullable(cells.committee),
      senders: senders.senders,
      recipients: recipients.recipients,
      deadline: nullable(cells.deadline)?.trim() ?? null,
      topic_tags: splitList(cells.tags ?? ""),
      questions: questions.map(({ n, text, kind }) => ({ n, text, kind })),
      follows_up: nullable(cells.follows_up)?.trim() ?? null,
      responses: [],
      source: nullable(cells.source_url)?.trim() ?? null,
      summary: nullable(cells.summary),
      notes: nullable(cells.notes),
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const question = issue.path[0] === "questions" ? questions[Number(issue.path[1])] : undefined;
        problems.push({ row: question?.row ?? first.row, letterId: id, column: sheetColumn(issue.path), reason: issue.message });
      }
      continue;
    }
    letters.push(parsed.data);
  }
  return {
    letters,
    rowOf,
    carried: { summary: table.header.includes("summary"), notes: table.header.includes("notes"), roles: false, responses: false },
    problems,
  };
}

export type ResponseRecord = z.output<typeof responseRecordSchema>;

/** Responses from the rows of responses.csv, grouped by letter id in file order. */
export function responsesFromTable(table: Table): { responses: Map<string, Array<ResponseRecord & { row: number }>>; problems: ProblemList } {
  const problems = new ProblemList();
  const responses = new Map<string, Array<ResponseRecord & { row: number }>>();
  const columnOf = (key: string) => (key === "source" ? "source_url" : key);
  for (const entry of table.rows) {
    const id = entry.cells.letter_id!.trim();
    if (!id) {
      problems.push({ row: entry.row, letterId: null, column: "letter_id", reason: "is empty" });
      continue;
    }
    const completeness = entry.cells.completeness!.trim();
    if (!(COMPLETENESS as readonly string[]).includes(completeness)) {
      problems.push({ row: entry.row, letterId: id, column: "completeness", reason: `"${completeness}" is not a known completeness (${COMPLETENESS.join(", ")})` });
      continue;
    }
    const parsed = responseRecordSchema.safeParse({
      received_on: entry.cells.received_on!.trim(),
      from: entry.cells.from,
      completeness,
      summary: nullable(entry.cells.summary),
      source: nullable(entry.cells.source_url)?.trim() ?? null,
      notes: nullable(entry.cells.notes),
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push({ row: entry.row, letterId: id, column: columnOf(String(issue.path[0] ?? "(row)")), reason: issue.message });
      }
      continue;
    }
    const list = responses.get(id);
    if (list) list.push({ ...parsed.data, row: entry.row });
    else responses.set(id, [{ ...parsed.data, row: entry.row }]);
  }
  return { responses, problems };
}
