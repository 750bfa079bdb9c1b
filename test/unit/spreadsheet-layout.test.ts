import { describe, expect, it } from "vitest";
import { LETTER_COLUMNS, QUESTION_COLUMNS, RESPONSE_COLUMNS, SHEET_COLUMNS } from "~/domain/export-columns";
import { hyperlinkFormula, sheetName, SPREADSHEET_LAYOUT, spreadsheetColumns, spreadsheetValue, type SpreadsheetColumnKind } from "~/domain/spreadsheet-layout";

const URL = "https://tracker.example.org";
const column = (kind: SpreadsheetColumnKind) => ({ name: "x", kind, width: 10 });

describe("spreadsheet cells", () => {
  it.each([
    ["letter", "a-letter-2025-01-02", { formula: `HYPERLINK("${URL}/letters/a-letter-2025-01-02","a-letter-2025-01-02")`, result: "a-letter-2025-01-02" }],
    ["letter", "x".repeat(300), "x".repeat(300)], // too long for a formula's text: plain text
    ["date", "2025-02-28", new Date("2025-02-28T00:00:00Z")],
    ["date", "2025-06", "2025-06"], // a month-only reply date stays the text the CSV has
    ["number", 42, 42],
    ["number", "17", 17],
    ["text", "=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")"], // text, never a formula: nothing to neutralise
    ["wrap", "Line one\nline two", "Line one\nline two"],
    ["url", "https://oversight.house.gov/x", "https://oversight.house.gov/x"],
    ["url", 'javascript:alert("1")', 'javascript:alert("1")'], // text, never a link
    ["text", null, null],
    ["date", "", null],
  ] as const)("a %s cell holding %j is %j", (kind, cell, expected) => {
    expect(spreadsheetValue(column(kind), cell, URL)).toEqual(expected);
  });
});

describe("hyperlink formulas", () => {
  it.each([
    ["https://a.example/letters/x", "x", 'HYPERLINK("https://a.example/letters/x","x")'],
    ['https://a.example/"q"', 'say "hi"', 'HYPERLINK("https://a.example/""q""","say ""hi""")'],
  ])("%s shown as %s is %s", (url, text, formula) => {
    expect(hyperlinkFormula(url, text)).toEqual({ formula, result: text });
  });
});

describe("spreadsheet columns", () => {
  it.each([
    ["letters", LETTER_COLUMNS],
    ["questions", QUESTION_COLUMNS],
    ["responses", RESPONSE_COLUMNS],
    ["letters-questions", SHEET_COLUMNS],
  ])("every column of %s has a layout of its own (none falls back to plain text)", (_file, header) => {
    const layout = spreadsheetColumns(header);
    expect(layout.map((entry) => entry.name)).toEqual([...header]);
    for (const entry of layout) expect(SPREADSHEET_LAYOUT, entry.name).toHaveProperty([entry.name]);
    expect(layout[0]!.kind).toBe("letter");
  });

  it.each([
    ["sent_on", "date"],
    ["effective_deadline", "date"],
    ["title", "wrap"],
    ["text", "wrap"],
    ["days_outstanding", "number"],
    ["source_url", "url"],
  ])("%s is a %s column", (name, kind) => {
    expect(spreadsheetColumns([name])[0]!.kind).toBe(kind);
  });

  it.each([
    ["Letters", "Letters"],
    ["Letters and questions", "Letters and questions"],
    ["a/b:c*d?e[f]g\\h", "a b c d e f g h"],
    ["x".repeat(40), "x".repeat(31)],
    ["", "Export"],
  ])("sheet name %j is %j", (title, expected) => {
    expect(sheetName(title)).toBe(expected);
  });
});
