/**
 * How the `.xlsx` exports lay out the columns of the CSV exports (app/domain/export-columns.ts):
 * each column's width and kind, and a cell's value as the spreadsheet holds it: calendar dates as
 * dates, counts as numbers, long text wrapped, and a letter's id as a link to its page at the site's
 * absolute address (PUBLIC_URL). Pure: the writer is app/models/export-xlsx.server.ts.
 */
import type { Cell } from "./export-columns";

/** `letter`: the letter's id (slug), written as a link to its page; `url`: an address, as text. */
export type SpreadsheetColumnKind = "letter" | "date" | "number" | "text" | "wrap" | "url";

export interface SpreadsheetColumn {
  name: string;
  kind: SpreadsheetColumnKind;
  /** In characters of the default font, as spreadsheets measure column widths. */
  width: number;
}

export const SPREADSHEET_LAYOUT: Record<string, { kind: SpreadsheetColumnKind; width: number }> = {
  id: { kind: "letter", width: 34 },
  letter_id: { kind: "letter", width: 34 },
  title: { kind: "wrap", width: 48 },
  letter_title: { kind: "wrap", width: 48 },
  sent_on: { kind: "date", width: 12 },
  chamber: { kind: "text", width: 9 },
  committee: { kind: "wrap", width: 30 },
  senders: { kind: "wrap", width: 30 },
  recipients: { kind: "wrap", width: 34 },
  agencies: { kind: "wrap", width: 28 },
  deadline: { kind: "date", width: 12 },
  effective_deadline: { kind: "date", width: 12 },
  first_response_on: { kind: "date", width: 12 },
  answered_on: { kind: "date", width: 12 },
  status: { kind: "text", width: 10 },
  days_outstanding: { kind: "number", width: 10 },
  response_days: { kind: "number", width: 10 },
  days_open: { kind: "number", width: 10 },
  questions_total: { kind: "number", width: 10 },
  questions_open: { kind: "number", width: 10 },
  question_no: { kind: "number", width: 8 },
  kind: { kind: "text", width: 10 },
  text: { kind: "wrap", width: 60 },
  overdue: { kind: "text", width: 8 },
  follows_up: { kind: "text", width: 30 },
  tags: { kind: "wrap", width: 20 },
  source_url: { kind: "url", width: 30 },
  deadline_source: { kind: "text", width: 12 },
  summary: { kind: "wrap", width: 60 },
  notes: { kind: "wrap", width: 40 },
  // Written `YYYY-MM` when the record gives only the month: a date cell then, text otherwise.
  received_on: { kind: "date", width: 12 },
  from: { kind: "wrap", width: 28 },
  completeness: { kind: "text", width: 14 },
  // A question named `letter-slug#number` (questions.csv's repeat links); several `; `-separated.
  repeats: { kind: "wrap", width: 34 },
  asked_again_in: { kind: "wrap", width: 34 },
};

/** The layout of a file's columns, by header name; a name not in the table is plain text. */
export function spreadsheetColumns(header: readonly string[]): SpreadsheetColumn[] {
  return header.map((name) => ({ name, ...(SPREADSHEET_LAYOUT[name] ?? { kind: "text", width: Math.max(10, name.length + 2) }) }));
}

/**
 * A link cell, as a HYPERLINK formula with its result: the streaming writer keeps every cell
 * hyperlink (a relationship) in memory until the sheet ends, which a million question rows would
 * make hundreds of megabytes; a formula costs nothing after its row is written (decision 0015).
 */
export interface SpreadsheetLink {
  formula: string;
  result: string;
}

export type SpreadsheetValue = string | number | Date | SpreadsheetLink | null;

/** Spreadsheets take at most 255 characters in a formula's text argument. */
const MAX_FORMULA_TEXT = 255;

/** `HYPERLINK("url","text")`, quotes doubled; plain text when either would be too long. */
export function hyperlinkFormula(url: string, text: string): SpreadsheetLink | string {
  if (url.length > MAX_FORMULA_TEXT || text.length > MAX_FORMULA_TEXT) return text;
  const quoted = (value: string) => `"${value.replace(/"/g, '""')}"`;
  return { formula: `HYPERLINK(${quoted(url)},${quoted(text)})`, result: text };
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A cell's value for the spreadsheet. Dates are UTC midnight of the calendar day (spreadsheets
 * store a day number without a zone, and the writer counts it from UTC). No formula neutralising
 * (csv-cells.ts) is needed: every value is written as a typed value, never as a formula.
 */
export function spreadsheetValue(column: SpreadsheetColumn, cell: Cell, publicUrl: string): SpreadsheetValue {
  if (cell === null || cell === "") return null;
  switch (column.kind) {
    case "letter":
      return hyperlinkFormula(`${publicUrl}/letters/${encodeURIComponent(String(cell))}`, String(cell));
    case "date": {
      const match = CALENDAR_DATE.exec(String(cell));
      return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : String(cell);
    }
    case "number":
      return typeof cell === "number" ? cell : Number.isFinite(Number(cell)) ? Number(cell) : String(cell);
    default:
      return String(cell);
  }
}

/** The worksheet's name: at most 31 characters, none of `[]:*?/\` (spreadsheets refuse them). */
export function sheetName(kind: string): string {
  return (kind.replace(/[[\]:*?/\\]/g, " ").trim() || "Export").slice(0, 31);
}
