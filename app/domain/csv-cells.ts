/**
 * The cell rules of the tracker's CSV files, shared by exports and the importer.
 *
 * Spreadsheets run a cell that begins with `=`, `+`, `-`, `@`, tab or carriage return as a formula
 * (CSV injection). As OWASP recommends, exports prefix such cells with `'`, and the importer strips
 * that prefix again. To keep the rule reversible for text that itself begins with quotes before a
 * formula character (`'=x`), exports add one more `'` to it and the importer removes exactly one.
 *
 * Lists inside one cell (senders, recipients, agencies, tags) are joined with `; `.
 */
import { stringify } from "csv-stringify/sync";

const NEEDS_PREFIX = /^'*[=+\-@\t\r]/;
const PREFIXED = /^'+[=+\-@\t\r]/;

/** A cell value made safe for a spreadsheet; null and undefined become an empty cell. */
export function neutraliseCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return NEEDS_PREFIX.test(text) ? `'${text}` : text;
}

/** The original text of a cell written by neutraliseCell. */
export function restoreCell(cell: string): string {
  return PREFIXED.test(cell) ? cell.slice(1) : cell;
}

/** Characters a cell of an exported file never begins with. */
export const FORMULA_PREFIXES = ["=", "+", "-", "@", "\t", "\r"] as const;

/** The byte-order mark that makes Excel read the file as UTF-8 (accents intact). */
export const UTF8_BOM = "\uFEFF";

/** RFC 4180 lines (CRLF, quotes doubled, quoted only where needed) for rows of neutralised cells. */
export function csvLines(rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): string {
  if (rows.length === 0) return "";
  return stringify(
    rows.map((row) => row.map(neutraliseCell)),
    // csv-stringify quotes a lone LF or CR only when it is the record delimiter; RFC 4180 wants any.
    { record_delimiter: "\r\n", quoted_match: /[\r\n]/ },
  );
}

export const LIST_SEPARATOR = "; ";

export function joinList(items: ReadonlyArray<string>): string {
  return items.join(LIST_SEPARATOR);
}

/** Splits a `; `-joined cell; blank items are dropped. */
export function splitList(cell: string): string[] {
  return cell
    .split(";")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/** A file name safe in a Content-Disposition header: `letters-2025-11-23.csv`. */
export function exportFileName(kind: string, date: string, extension = "csv"): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "export";
  return `${safe(kind)}-${safe(date)}.${extension}`;
}

export function attachmentHeader(fileName: string): string {
  return `attachment; filename="${fileName}"`;
}
