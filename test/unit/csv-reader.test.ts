/**
 * The importer's CSV reader (app/domain/csv-reader.ts) reads as csv-parse did with the importer's
 * options (same records, same numbering, the same files refused), and its work grows linearly with
 * rows whose cell count is wrong (csv-parse built an Error per such row).
 */
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readCsvRecords } from "~/domain/csv-reader";

function ours(text: string): { records: Array<{ fields: string[]; number: number }> } | { error: string } {
  const records: Array<{ fields: string[]; number: number }> = [];
  const error = readCsvRecords(text, (fields, number) => records.push({ fields, number }));
  return error ? { error: error.message } : { records };
}

function csvParse(text: string): { records: Array<{ fields: string[]; number: number }> } | { error: string } {
  try {
    const parsed = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as Array<{ record: string[]; info: { records: number } }>;
    return { records: parsed.map(({ record, info }) => ({ fields: record, number: info.records })) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe("readCsvRecords", () => {
  it.each<[string, string, string[][]]>([
    ["CRLF rows", "a,b\r\nc,d\r\n", [["a", "b"], ["c", "d"]]],
    ["LF rows, no final line break", "a,b\nc,d", [["a", "b"], ["c", "d"]]],
    ["CR rows", "a,b\rc,d\r", [["a", "b"], ["c", "d"]]],
    ["quoted commas, quotes and line breaks", 'x,"a, ""b""\r\nc"\r\ny,z\r\n', [["x", 'a, "b"\r\nc'], ["y", "z"]]],
    ["empty lines skipped, empty cells kept", "a,,\r\n\r\n\r\n,b,\r\n", [["a", "", ""], ["", "b", ""]]],
    ["a byte-order mark dropped", "\uFEFFid,x\nl-1,2\n", [["id", "x"], ["l-1", "2"]]],
    ["a quoted empty field is a record", '""\n', [[""]]],
    ["a line break other than the file's is a character", "a\r\nb\nc\r\n", [["a"], ["b\nc"]]],
    ["rows of different lengths", "a,b,c\nx\n", [["a", "b", "c"], ["x"]]],
  ])("reads %s", (_name, text, expected) => {
    const result = ours(text);
    expect(result).toEqual({ records: expected.map((fields, index) => ({ fields, number: index + 1 })) });
    expect(result).toEqual(csvParse(text));
  });

  it.each([
    ["a quote inside an unquoted field", 'a,b"c\n', /^Invalid Opening Quote/],
    ["text after a closing quote", '"a"b,c\n', /^Invalid Closing Quote/],
    ["a quote not closed", 'a,"b\nc,d\n', /^Quote Not Closed/],
  ])("refuses %s, as csv-parse does", (_name, text, message) => {
    const result = ours(text);
    expect(result).toMatchObject({ error: expect.stringMatching(message) });
    expect(csvParse(text)).toHaveProperty("error");
  });

  it("gives the line where a quote was left open", () => {
    expect(readCsvRecords('a,b\r\nc,d\r\ne,"f\r\ng\r\n', () => {})).toEqual({ line: 3, message: expect.stringMatching(/opened at line 3/) });
  });

  it("reads any text as csv-parse does: the same records, numbered alike, or both refuse (property)", () => {
    const text = fc.array(fc.constantFrom("a", "b", ",", '"', "\r", "\n", " ", "\r\n", '""', "\uFEFF"), { maxLength: 30 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, (input) => {
        const mine = ours(input);
        const theirs = csvParse(input);
        if ("error" in theirs) expect(mine).toHaveProperty("error");
        else expect(mine).toEqual(theirs);
      }),
      { numRuns: 2_000 },
    );
  });

  it("does work linear in the text for rows of the wrong length (no per-row error objects)", () => {
    // Counted, not timed: every record handed over is one call, and a million one-cell rows under
    // a 15-column header are a million calls and nothing more.
    let calls = 0;
    let cells = 0;
    const header = "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o\n";
    expect(readCsvRecords(header + "x\n".repeat(1_000_000), (fields) => ((calls += 1), (cells += fields.length)))).toBeNull();
    expect(calls).toBe(1_000_001);
    expect(cells).toBe(15 + 1_000_000);
  });
});
