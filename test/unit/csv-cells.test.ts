import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exportFileName, neutraliseCell, restoreCell, UTF8_BOM } from "~/domain/csv-cells";
import { readCsvTable } from "~/domain/letter-csv";
import { csvLines, FORMULA_PREFIXES } from "../support/csv";

/**
 * What the importer does with a file: read it as csv-parse does (its own reader is held to
 * csv-parse by csv-reader.test.ts), then the cell rule undone.
 */
function importCells(text: string): string[][] {
  return (parse(text, { bom: true, relax_column_count: true }) as string[][]).map((row) => row.map(restoreCell));
}

function rawCells(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: true }) as string[][];
}

// Text that spreadsheets and CSV get wrong: formula starts, quotes, separators, line breaks, emoji.
const tricky = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ unit: fc.constantFrom("=", "+", "-", "@", "\t", "\r", "\n", "'", '"', ",", ";", " ", "a", "é", "😀", "\u00a0"), maxLength: 12 }),
  fc.tuple(fc.constantFrom(...FORMULA_PREFIXES, "'", "''="), fc.string({ unit: "grapheme", maxLength: 15 })).map(([a, b]) => a + b),
);

describe("neutraliseCell / restoreCell", () => {
  it.each([
    ["=SUM(A1:A2)", "'=SUM(A1:A2)"],
    ["+1", "'+1"],
    ["-2", "'-2"],
    ["@cmd", "'@cmd"],
    ["\tx", "'\tx"],
    ["\rx", "'\rx"],
    ["'=already", "''=already"],
    ["'plain quote", "'plain quote"],
    ["Plain text, with comma", "Plain text, with comma"],
    ["", ""],
    ["2025-04-17", "2025-04-17"],
  ])("%j is written as %j and read back", (text, cell) => {
    expect(neutraliseCell(text)).toBe(cell);
    expect(restoreCell(cell)).toBe(text);
  });

  it("writes null and undefined as empty cells and numbers as digits", () => {
    expect(neutraliseCell(null)).toBe("");
    expect(neutraliseCell(undefined)).toBe("");
    expect(neutraliseCell(42)).toBe("42");
  });
});

describe("CSV files", () => {
  it("quote fields as RFC 4180 says, with CRLF line ends", () => {
    expect(csvLines([["a", 'say "hi"', "x,y", "two\nlines", null, 3]])).toBe('a,"say ""hi""","x,y","two\nlines",,3\r\n');
  });

  it("any text survives export then import unchanged (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.array(tricky, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (rows) => {
        // Every row as wide as the first, as in a real file.
        const width = rows[0]!.length;
        const table = rows.map((row) => Array.from({ length: width }, (_, index) => row[index] ?? ""));
        const text = UTF8_BOM + csvLines([table[0]!.map((_, index) => `c${index}`), ...table]);
        expect(importCells(text).slice(1)).toEqual(table);
      }),
      { numRuns: 500 },
    );
  });

  it("no exported cell begins with a formula character (property)", () => {
    fc.assert(
      fc.property(fc.array(tricky, { minLength: 1, maxLength: 8 }), (row) => {
        for (const cell of rawCells(csvLines([row]))[0]!) {
          expect(FORMULA_PREFIXES.some((prefix) => cell.startsWith(prefix))).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("the importer's table reader restores cells and numbers rows as a spreadsheet does", () => {
    const text = UTF8_BOM + csvLines([["letter_id", "text"], ["a", "=1+1"], ["b", "two\nlines"], ["c", "'-x"]]);
    const { table, problems } = readCsvTable(text);
    expect([...problems]).toEqual([]);
    expect(problems.length).toBe(0);
    expect(table!.rows).toEqual([
      { row: 2, cells: { letter_id: "a", text: "=1+1" } },
      { row: 3, cells: { letter_id: "b", text: "two\nlines" } },
      { row: 4, cells: { letter_id: "c", text: "'-x" } },
    ]);
  });
});

describe("exportFileName", () => {
  it.each([
    ["letters", "2025-11-23", "letters-2025-11-23.csv"],
    ["questions", "2025-01-02", "questions-2025-01-02.csv"],
    ['evil"; name\r\n', "2025-01-02", "evil-name-2025-01-02.csv"],
  ])("%j on %s is %s", (kind, date, name) => {
    expect(exportFileName(kind, date)).toBe(name);
  });
});
