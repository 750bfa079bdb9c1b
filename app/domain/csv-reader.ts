/**
 * Reads CSV text (RFC 4180) record by record, in one linear pass, handing each record to a
 * callback: nothing is kept for a record the caller does not keep. The importer reads files of up
 * to 20 MB with it, and a file of millions of short rows, each one a problem, must cost about as
 * much as reading it: csv-parse, read before, built an Error with a stack trace and deep copies
 * for every row whose cell count differed from the header's (about 0.2 ms a row: 200 s for a
 * million rows), and an object per record on top.
 *
 * Its reading is csv-parse's with the options the importer used (`bom`, `skip_empty_lines`,
 * `relax_column_count`; test/unit/csv-reader.test.ts holds the two to the same records and the
 * same refusals):
 * - comma-separated; a field that starts with `"` is quoted, `""` inside it is one `"`, and it may
 *   hold commas and line breaks;
 * - the record delimiter is the first unquoted line break of the file (`\r\n`, `\n` or `\r`); other
 *   line breaks outside quotes are ordinary characters;
 * - empty lines are skipped and not counted; a byte-order mark at the start is dropped;
 * - refused (the whole file): a quote inside an unquoted field, anything but a comma or the end of
 *   the record after a closing quote, and a quote not closed at the end of the file.
 */

export interface CsvSyntaxError {
  /** The line (counting every line break, as an editor does) where reading stopped. */
  line: number;
  message: string;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** Line breaks in text[from, to): \r\n, \n and \r each count once. */
function lineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let index = from; index < to; index++) {
    const code = text.charCodeAt(index);
    if (code === LF) count += 1;
    else if (code === CR && text.charCodeAt(index + 1) !== LF) count += 1;
  }
  return count;
}

/**
 * Calls `onRecord(fields, number)` for every record, numbered from 1 (the header, if the file has
 * one, is record 1). Returns the syntax error that stopped reading, or null; records before the
 * error have been handed over already.
 */
export function readCsvRecords(text: string, onRecord: (fields: string[], number: number) => void): CsvSyntaxError | null {
  const length = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let delimiter: "\r\n" | "\n" | "\r" | null = null;
  let line = 1;
  let records = 0;

  /** The length of the record delimiter at `at` (0 if none), discovering it on first sight. */
  const breakAt = (at: number): number => {
    const code = text.charCodeAt(at);
    if (code !== CR && code !== LF) return 0;
    if (delimiter === null) {
      delimiter = code === LF ? "\n" : text.charCodeAt(at + 1) === LF ? "\r\n" : "\r";
      return delimiter.length;
    }
    if (delimiter === "\r\n") return code === CR && text.charCodeAt(at + 1) === LF ? 2 : 0;
    return (delimiter === "\n" ? code === LF : code === CR) ? 1 : 0;
  };

  while (pos < length) {
    const emptyLine = breakAt(pos);
    if (emptyLine > 0) {
      pos += emptyLine;
      line += 1;
      continue;
    }
    const fields: string[] = [];
    for (;;) {
      if (text.charCodeAt(pos) === QUOTE) {
        const opened = line;
        let value = "";
        let start = pos + 1;
        for (;;) {
          const close = text.indexOf('"', start);
          if (close === -1) {
            return { line: opened, message: `Quote Not Closed: the file ends inside the quoted field opened at line ${opened}` };
          }
          line += lineBreaks(text, start, close);
          value += text.slice(start, close);
          if (text.charCodeAt(close + 1) === QUOTE) {
            value += '"';
            start = close + 2;
            continue;
          }
          pos = close + 1;
          break;
        }
        if (pos < length && text.charCodeAt(pos) !== COMMA && breakAt(pos) === 0) {
          return { line, message: `Invalid Closing Quote: got ${JSON.stringify(text[pos])} at line ${line} instead of a comma or the end of the row` };
        }
        fields.push(value);
      } else {
        let end = pos;
        while (end < length) {
          const code = text.charCodeAt(end);
          if (code === COMMA) break;
          if ((code === CR || code === LF) && breakAt(end) > 0) break;
          if (code === QUOTE) {
            return { line, message: `Invalid Opening Quote: a quote is found in field ${fields.length} at line ${line}, value is ${JSON.stringify(text.slice(pos, end))}` };
          }
          end += 1;
        }
        fields.push(text.slice(pos, end));
        pos = end;
      }
      if (pos >= length) break;
      if (text.charCodeAt(pos) === COMMA) {
        pos += 1;
        if (pos >= length) {
          fields.push("");
          break;
        }
        continue;
      }
      pos += breakAt(pos);
      line += 1;
      break;
    }
    records += 1;
    onRecord(fields, records);
  }
  return null;
}
