/**
 * CSV helpers the tests share: the spec of formula neutralisation (independent of the regular
 * expressions in app/domain/csv-cells.ts) and files built from rows.
 */
import { csvLine } from "~/domain/csv-cells";

/** Characters a cell of an exported file never begins with (OWASP's CSV injection list). */
export const FORMULA_PREFIXES = ["=", "+", "-", "@", "\t", "\r"] as const;

/** csvLine for each row, joined. */
export function csvLines(rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): string {
  return rows.map(csvLine).join("");
}
