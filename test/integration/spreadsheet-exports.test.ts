/**
 * The spreadsheet side of the exports (issue 13, item 4; decision 0015): CSV without a byte-order
 * mark unless `excel=1` asks for one, every export an attachment, and an `.xlsx` beside each CSV,
 * read back with exceljs: real cells and types, the frozen header, widths, wrapping and the links.
 */
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_SEED_FILE, seedFromFile } from "../../db/seed.server";
import { spreadsheetColumns } from "~/domain/spreadsheet-layout";
import { env } from "~/env.server";
import { loader as lettersQuestionsCsv } from "~/routes/export.letters-questions[.]csv";
import { loader as lettersQuestionsXlsx } from "~/routes/export.letters-questions[.]xlsx";
import { loader as lettersCsv } from "~/routes/export.letters[.]csv";
import { loader as lettersXlsx } from "~/routes/export.letters[.]xlsx";
import { loader as questionsCsv } from "~/routes/export.questions[.]csv";
import { loader as questionsXlsx } from "~/routes/export.questions[.]xlsx";
import { loader as responsesCsv } from "~/routes/export.responses[.]csv";
import { loader as responsesXlsx } from "~/routes/export.responses[.]xlsx";
import { freshDatabase } from "../support/database";

type Loader = (args: LoaderFunctionArgs) => Response | Promise<Response>;

async function get(loader: Loader, path: string): Promise<Response> {
  return loader({ request: new Request(`http://evil.example${path}`), params: {}, context: {} } as LoaderFunctionArgs);
}

async function workbookOf(response: Response): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ExcelJS.Buffer);
  expect(workbook.worksheets).toHaveLength(1);
  return workbook.worksheets[0]!;
}

/** A cell as the CSV writes it: dates as YYYY-MM-DD, links as their text, numbers as digits. */
function asCsvText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object" && "formula" in value) return String((value as ExcelJS.CellFormulaValue).result);
  return String(value);
}

const FILES: Array<[string, Loader, Loader, string]> = [
  ["letters", lettersCsv, lettersXlsx, "/export/letters"],
  ["questions", questionsCsv, questionsXlsx, "/export/questions"],
  ["responses", responsesCsv, responsesXlsx, "/export/responses"],
  ["letters-questions", lettersQuestionsCsv, lettersQuestionsXlsx, "/export/letters-questions"],
];

beforeAll(() => {
  const db = freshDatabase();
  seedFromFile({ db, file: DEMO_SEED_FILE });
});

describe("CSV for spreadsheets", () => {
  it.each(FILES)("%s.csv starts with the header `id`-first, without a byte-order mark, unless excel=1 asks", async (kind, csv, _xlsx, path) => {
    const plain = new Uint8Array(await (await get(csv, `${path}.csv?asOf=2026-01-01&status=all`)).arrayBuffer());
    expect(plain[0]).not.toBe(0xef);
    expect(new TextDecoder("utf-8", { ignoreBOM: true }).decode(plain).split("\r\n")[0]).toMatch(/^(id|letter_id),/);
    const excel = new Uint8Array(await (await get(csv, `${path}.csv?asOf=2026-01-01&status=all&excel=1`)).arrayBuffer());
    expect([...excel.slice(0, 3)], kind).toEqual([0xef, 0xbb, 0xbf]);
    expect(excel.slice(3)).toEqual(plain);
  });

  it("refuses a bad excel value, naming it", async () => {
    const response = await get(lettersCsv, "/export/letters.csv?excel=yes");
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/excel: "yes" must be 1/);
  });

  it.each(FILES)("%s: CSV and .xlsx are downloads (attachments), never pages to show or print", async (kind, csv, xlsx, path) => {
    const csvResponse = await get(csv, `${path}.csv?asOf=2026-01-01`);
    expect(csvResponse.headers.get("content-disposition")).toBe(`attachment; filename="${kind}-2026-01-01.csv"`);
    expect(csvResponse.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const xlsxResponse = await get(xlsx, `${path}.xlsx?asOf=2026-01-01`);
    expect(xlsxResponse.headers.get("content-disposition")).toBe(`attachment; filename="${kind}-2026-01-01.xlsx"`);
    expect(xlsxResponse.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  });
});

describe(".xlsx exports", () => {
  it.each(FILES)("%s.xlsx holds the CSV's rows, in order, cell for cell", async (_kind, csv, xlsx, path) => {
    const search = "?asOf=2026-01-01&status=all";
    const rows = parse(await (await get(csv, `${path}.csv${search}`)).text()) as string[][];
    const sheet = await workbookOf(await get(xlsx, `${path}.xlsx${search}`));
    expect(sheet.rowCount).toBe(rows.length);
    rows.forEach((cells, index) => {
      const values = (sheet.getRow(index + 1).values as ExcelJS.CellValue[]).slice(1);
      // The CSV neutralises formula-like text with a leading ' (csv-cells.ts); the workbook holds text as text.
      const expected = cells.map((cell) => cell.replace(/^'(?='*[=+\-@\t\r])/, ""));
      expect(Array.from({ length: cells.length }, (_, at) => asCsvText(values[at] ?? null)), `row ${index + 1}`).toEqual(expected);
    });
  });

  it("has a bold frozen header, column widths, dates as dates, wrapped text and each letter's link at PUBLIC_URL", async () => {
    const sheet = await workbookOf(await get(lettersXlsx, "/export/letters.xlsx?asOf=2026-01-01&status=overdue"));
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    const header = sheet.getRow(1);
    expect(header.getCell(1).value).toBe("id");
    expect(header.getCell(1).font?.bold).toBe(true);
    const layout = spreadsheetColumns((header.values as string[]).slice(1));
    layout.forEach((column, index) => expect(sheet.getColumn(index + 1).width, column.name).toBe(column.width));
    const at = (name: string) => layout.findIndex((column) => column.name === name) + 1;
    // Overdue as of then includes letters past their implied deadline (decision 0014): find the row.
    const rows = Array.from({ length: sheet.rowCount - 1 }, (_, index) => sheet.getRow(index + 2));
    const butler = rows.find((row) => (row.getCell(at("id")).result as unknown) === "comer-cheatle-butler-documents-2024-07-15")!;
    expect(butler).toBeDefined();
    const id = butler.getCell(at("id"));
    expect(id.type).toBe(ExcelJS.ValueType.Formula);
    expect(id.formula).toBe(`HYPERLINK("${env.PUBLIC_URL}/letters/comer-cheatle-butler-documents-2024-07-15","comer-cheatle-butler-documents-2024-07-15")`);
    expect(id.result).toBe("comer-cheatle-butler-documents-2024-07-15");
    const sent = butler.getCell(at("sent_on"));
    expect(sent.type).toBe(ExcelJS.ValueType.Date);
    expect(sent.value).toEqual(new Date("2024-07-15T00:00:00Z"));
    expect(sent.numFmt).toBe("yyyy-mm-dd");
    expect(butler.getCell(at("days_outstanding")).type).toBe(ExcelJS.ValueType.Number);
    expect(butler.getCell(at("title")).alignment?.wrapText).toBe(true);
    expect(butler.getCell(at("title")).type).toBe(ExcelJS.ValueType.String);
  });

  it("refuses bad filter values as the CSV does", async () => {
    const response = await get(lettersXlsx, "/export/letters.xlsx?status=lost");
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/status: "lost"/);
  });
});
