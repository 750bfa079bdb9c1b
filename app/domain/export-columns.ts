/**
 * The columns of the CSV exports: for each file, one table of column names and the cell builder of
 * each column, in file order. The header is the names; a row is the builders applied to the
 * row's letter, question or response, read by name (never by position). The queries that read
 * them are in app/models/export.server.ts; the import side of the same columns is letter-csv.ts.
 */
import { joinList } from "./csv-cells";
import { factDateText } from "./approximate-date";
import type { CalendarDate } from "./dates";
import { agencyCell, recipientCell, senderCell } from "./letter-csv";
import type { DatePrecision, DeadlineSource, LetterStatus, QuestionStatus } from "./vocabulary";

export type Cell = string | number | null;

export interface ExportRecipient {
  name: string;
  title: string;
  agency: string;
}

/** A letter as the exports (and the calendar) read it. */
export interface ExportLetter {
  id: number;
  slug: string;
  title: string;
  sentOn: CalendarDate;
  chamber: string;
  committee: string | null;
  deadline: CalendarDate | null;
  effectiveDeadline: CalendarDate | null;
  /** Where effectiveDeadline comes from: letter, extension or implied (DEFAULT_RESPONSE_DAYS). */
  deadlineSource: DeadlineSource | null;
  status: LetterStatus;
  daysOutstanding: number | null;
  firstResponseOn: CalendarDate | null;
  responseDays: number | null;
  questionsTotal: number;
  questionsOpen: number;
  followsUp: string | null;
  sourceUrl: string | null;
  summary: string | null;
  notes: string | null;
  senders: Array<{ name: string; party: string; state: string }>;
  recipients: ExportRecipient[];
  tags: string[];
}

/** The letter fields a row of questions.csv repeats. */
export type QuestionRowLetter = Pick<ExportLetter, "id" | "slug" | "title" | "sentOn" | "effectiveDeadline" | "deadlineSource" | "recipients">;

export interface ExportQuestion {
  number: number;
  kind: string;
  text: string;
  status: QuestionStatus;
  /** The date the question's status began. */
  statusOn: CalendarDate | null;
  daysOpen: number | null;
  /** 1 or 0 (SQL); null when it cannot be said. */
  overdue: number | null;
}

/** A question named in a file: its letter's id (slug) and its number, written `letter-slug#3`. */
export interface QuestionRef {
  letterSlug: string;
  number: number;
}

/** A question of questions.csv, with its repeat links (decision 0023) as of the file's date. */
export interface ExportLinkedQuestion extends ExportQuestion {
  /** The earlier question this one asks again; null for a first ask. */
  repeats: QuestionRef | null;
  /** The later questions that ask this one again, of letters sent by the file's date. */
  askedAgainIn: QuestionRef[];
}

export function questionRefCell(ref: QuestionRef): string {
  return `${ref.letterSlug}#${ref.number}`;
}

export interface ExportResponse {
  letterSlug: string;
  /** The day it counts as; written `YYYY-MM` when the precision is a month. */
  receivedOn: CalendarDate;
  receivedPrecision: DatePrecision;
  from: string;
  completeness: string;
  summary: string | null;
  sourceUrl: string | null;
  notes: string | null;
}

/** A column whose cell comes from one thing: a letter of letters.csv, a response of responses.csv. */
export interface Column<S> {
  readonly name: string;
  readonly cell: (source: S) => Cell;
}

/**
 * A column of a file with one row per question. A letter column's cell is the same on each of the
 * letter's rows (computed once per letter); a question column's cell comes from the row's question,
 * null on the one row of a letter without questions.
 */
export type QuestionRowColumn<L, Q> =
  | { readonly name: string; readonly letter: (letter: L) => Cell }
  | { readonly name: string; readonly question: (question: Q | null, letter: L) => Cell };

export function headerOf(columns: ReadonlyArray<{ name: string }>): string[] {
  return columns.map((column) => column.name);
}

export function cellsOf<S>(columns: ReadonlyArray<Column<S>>, source: S): Cell[] {
  return columns.map((column) => column.cell(source));
}

/**
 * A row maker for a file with one row per question. Rows of one letter come one after another, so
 * its letter cells are kept until the letter changes (by identity: one object per letter).
 */
export function questionRowMaker<L, Q>(columns: ReadonlyArray<QuestionRowColumn<L, Q>>): (letter: L, question: Q | null) => Cell[] {
  const questionColumns = columns.flatMap((column, index) => ("question" in column ? [{ index, cell: column.question }] : []));
  let lastLetter: L | undefined;
  let letterCells: Cell[] = [];
  return (letter, question) => {
    if (letter !== lastLetter) {
      lastLetter = letter;
      letterCells = columns.map((column) => ("letter" in column ? column.letter(letter) : null));
    }
    const cells = letterCells.slice();
    for (const { index, cell } of questionColumns) cells[index] = cell(question, letter);
    return cells;
  };
}

const sendersCell = (letter: Pick<ExportLetter, "senders">) => joinList(letter.senders.map(senderCell));
const recipientsCell = (letter: Pick<ExportLetter, "recipients">) => joinList(letter.recipients.map(recipientCell));
const agenciesCell = (letter: Pick<ExportLetter, "recipients">) => agencyCell(letter.recipients);
const tagsCell = (letter: Pick<ExportLetter, "tags">) => joinList(letter.tags);

/** letters.csv: one row per letter of /letters. */
export const LETTER_FILE: ReadonlyArray<Column<ExportLetter>> = [
  { name: "id", cell: (letter) => letter.slug },
  { name: "title", cell: (letter) => letter.title },
  { name: "sent_on", cell: (letter) => letter.sentOn },
  { name: "chamber", cell: (letter) => letter.chamber },
  { name: "committee", cell: (letter) => letter.committee },
  { name: "senders", cell: sendersCell },
  { name: "recipients", cell: recipientsCell },
  { name: "agencies", cell: agenciesCell },
  { name: "deadline", cell: (letter) => letter.deadline },
  { name: "effective_deadline", cell: (letter) => letter.effectiveDeadline },
  { name: "status", cell: (letter) => letter.status },
  { name: "days_outstanding", cell: (letter) => letter.daysOutstanding },
  { name: "first_response_on", cell: (letter) => letter.firstResponseOn },
  { name: "response_days", cell: (letter) => letter.responseDays },
  { name: "questions_total", cell: (letter) => letter.questionsTotal },
  { name: "questions_open", cell: (letter) => letter.questionsOpen },
  { name: "follows_up", cell: (letter) => letter.followsUp },
  { name: "tags", cell: tagsCell },
  { name: "source_url", cell: (letter) => letter.sourceUrl },
  // Last, so that readers of the earlier columns by position keep working (decision 0014).
  { name: "deadline_source", cell: (letter) => letter.deadlineSource },
];

/** The columns questions.csv and the import sheet begin with. */
const QUESTION_CELLS: ReadonlyArray<QuestionRowColumn<QuestionRowLetter, ExportQuestion>> = [
  { name: "letter_id", letter: (letter) => letter.slug },
  { name: "letter_title", letter: (letter) => letter.title },
  { name: "sent_on", letter: (letter) => letter.sentOn },
  { name: "agencies", letter: agenciesCell },
  { name: "recipients", letter: recipientsCell },
  { name: "question_no", question: (question) => question?.number ?? null },
  { name: "kind", question: (question) => question?.kind ?? null },
  { name: "text", question: (question) => question?.text ?? null },
  { name: "status", question: (question) => question?.status ?? null },
  // The date the question stopped being open.
  { name: "answered_on", question: (question) => (question && question.status !== "open" ? question.statusOn : null) },
  { name: "days_open", question: (question) => question?.daysOpen ?? null },
  { name: "effective_deadline", letter: (letter) => letter.effectiveDeadline },
  // A letter without questions has no overdue question, not a "no".
  { name: "overdue", question: (question) => (question === null || question.overdue === null ? null : question.overdue ? "yes" : "no") },
];

/**
 * Where effective_deadline comes from (letter, extension, implied), as in letters.csv. Last in each
 * file that has it, so that readers of the earlier columns by position keep working (decision 0014).
 */
const DEADLINE_SOURCE_COLUMN = { name: "deadline_source", letter: (letter: QuestionRowLetter) => letter.deadlineSource } as const;

/**
 * questions.csv: one row per question of /questions; its columns up to deadline_source begin the
 * import sheet too. Then, last (decision 0014: readers by position keep working), the question's
 * repeat links as the letter page shows them (decision 0023): `repeats`, the earlier question it
 * asks again, and `asked_again_in`, the later questions that ask it again (`; `-separated), each
 * written `letter-slug#number`.
 */
export const QUESTION_FILE: ReadonlyArray<QuestionRowColumn<QuestionRowLetter, ExportLinkedQuestion>> = [
  ...QUESTION_CELLS,
  DEADLINE_SOURCE_COLUMN,
  { name: "repeats", question: (question) => (question?.repeats ? questionRefCell(question.repeats) : null) },
  { name: "asked_again_in", question: (question) => (question && question.askedAgainIn.length > 0 ? joinList(question.askedAgainIn.map(questionRefCell)) : null) },
];

/**
 * The import sheet (letters-questions.csv): questions.csv's columns but deadline_source, then the
 * letter columns the importer needs, then deadline_source (which the importer does not read), one
 * row per question (a letter without questions has one row with empty question cells).
 */
export const SHEET_FILE: ReadonlyArray<QuestionRowColumn<ExportLetter, ExportQuestion>> = [
  ...QUESTION_CELLS,
  { name: "chamber", letter: (letter) => letter.chamber },
  { name: "committee", letter: (letter) => letter.committee },
  { name: "senders", letter: sendersCell },
  { name: "deadline", letter: (letter) => letter.deadline },
  { name: "follows_up", letter: (letter) => letter.followsUp },
  { name: "tags", letter: tagsCell },
  { name: "source_url", letter: (letter) => letter.sourceUrl },
  { name: "summary", letter: (letter) => letter.summary },
  { name: "notes", letter: (letter) => letter.notes },
  DEADLINE_SOURCE_COLUMN,
];

/** responses.csv: the responses to the letters of /letters. */
export const RESPONSE_FILE: ReadonlyArray<Column<ExportResponse>> = [
  { name: "letter_id", cell: (response) => response.letterSlug },
  { name: "received_on", cell: (response) => factDateText(response.receivedOn, response.receivedPrecision) },
  { name: "from", cell: (response) => response.from },
  { name: "completeness", cell: (response) => response.completeness },
  { name: "summary", cell: (response) => response.summary },
  { name: "source_url", cell: (response) => response.sourceUrl },
  { name: "notes", cell: (response) => response.notes },
];

export const LETTER_COLUMNS = headerOf(LETTER_FILE);
export const QUESTION_COLUMNS = headerOf(QUESTION_FILE);
export const SHEET_COLUMNS = headerOf(SHEET_FILE);
export const RESPONSE_COLUMNS = headerOf(RESPONSE_FILE);
