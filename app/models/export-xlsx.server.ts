/**
 * An export as an `.xlsx` workbook (decision 0015), written by exceljs's streaming writer: each row
 * is committed (turned into XML and compressed) as it is read from the export's snapshot, and the
 * zip's bytes are handed on in batches, so 100,000 letters never sit in memory. No shared strings
 * table (it would hold every text of the file until the end). One sheet: a bold, frozen header row
 * with a filter, column widths, dates as dates, long text wrapped, each letter's id a link to its
 * page at PUBLIC_URL (a HYPERLINK formula: see spreadsheet-layout.ts). The same rows, in the same order, as the CSV of the same address.
 */
import { PassThrough, type Writable } from "node:stream";
// exceljs (about 30 MB a thread) loads with the first workbook, not with every export thread.
import type ExcelJS from "exceljs";
import { spreadsheetColumns, spreadsheetValue, sheetName, type SpreadsheetColumn } from "~/domain/spreadsheet-layout";
import { exportRows, type ExportFile } from "./export-snapshot.server";

/** Rows committed between looks at the output: the zip then has a turn to compress them. */
const ROWS_PER_SLICE = 500;

export const XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function columnStyle(column: SpreadsheetColumn): Partial<ExcelJS.Style> {
  switch (column.kind) {
    case "date":
      return { numFmt: "yyyy-mm-dd", alignment: { vertical: "top", horizontal: "left" } };
    case "wrap":
      return { alignment: { vertical: "top", wrapText: true } };
    case "letter":
    case "url":
      return { font: { color: { argb: "FF1F4E99" }, underline: true }, alignment: { vertical: "top" } };
    default:
      return { alignment: { vertical: "top" } };
  }
}

/** Uncompressed sheet XML allowed to wait for the compressor before rows are held back. */
const SHEET_BACKLOG_BYTES = 1024 * 1024;

/**
 * Waits until the zip's compressor has taken in the sheet's XML written so far (but a backlog).
 * exceljs's sheet stream (a StreamBuf) ignores its consumer's backpressure: written on regardless,
 * its XML piled up in the compressor's queue, 300 MB for 100,000 letters. Its `pipes` and `buffers`
 * are exceljs internals (held to exceljs 4.4 by package.json); without them this only yields.
 */
async function compressionCaughtUp(sheet: unknown): Promise<void> {
  type Queue = { length?: number };
  type Pipe = { _writableState?: Queue; _readableState?: Queue };
  const stream = (sheet as { stream?: { pipes?: Pipe[]; buffers?: unknown[] } }).stream;
  for (;;) {
    const pipe = stream?.pipes?.[0];
    // The sheet's XML queued in front of the compressor (a readable-stream PassThrough), or, before
    // the zip takes the sheet up, held in the sheet stream's own 64 kB buffers.
    const waiting = pipe
      ? (pipe._writableState?.length ?? 0) + (pipe._readableState?.length ?? 0)
      : (stream?.buffers?.length ?? 0) * 65536;
    if (waiting <= SHEET_BACKLOG_BYTES) break;
    await new Promise<void>((resolve) => setTimeout(resolve, 2));
  }
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * The workbook's bytes, batch by batch (each at least `batchBytes` but the last). Reading stops,
 * and the export's snapshot closes, when the caller stops iterating (`return()`).
 */
export async function* xlsxChunks(
  file: ExportFile,
  { publicUrl, title, batchBytes = 256 * 1024, rowsPerSlice = ROWS_PER_SLICE }: { publicUrl: string; title: string; batchBytes?: number; rowsPerSlice?: number },
): AsyncGenerator<Uint8Array> {
  const output = new PassThrough();
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  output.on("data", (chunk: Buffer) => {
    pending.push(chunk);
    pendingBytes += chunk.length;
  });
  const take = (): Uint8Array => {
    const batch = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    return new Uint8Array(batch.buffer, batch.byteOffset, batch.byteLength);
  };
  // Lets the zip's last compression (zlib, answering through this thread's event loop) finish.
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

  const { default: excel } = await import("exceljs");
  const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  workbook.creator = "Oversight Letter Tracker";
  const columns = spreadsheetColumns(file.header);
  const sheet = workbook.addWorksheet(sheetName(title), {
    views: [{ state: "frozen", xSplit: 0, ySplit: 1, topLeftCell: "A2", activeCell: "A2" }],
    pageSetup: { orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: "1:1" },
  });
  sheet.columns = columns.map((column) => ({ key: column.name, width: column.width, style: columnStyle(column) }));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  const header = sheet.addRow(columns.map((column) => column.name));
  header.font = { bold: true };
  header.alignment = { vertical: "top" };
  header.commit();

  const rows = exportRows(file);
  try {
    let inSlice = 0;
    for (const cells of rows) {
      const row = sheet.addRow(cells.map((cell, index) => spreadsheetValue(columns[index]!, cell, publicUrl)));
      row.commit();
      if (++inSlice >= rowsPerSlice) {
        inSlice = 0;
        await compressionCaughtUp(sheet);
        if (pendingBytes >= batchBytes) yield take();
      }
    }
    sheet.commit();
    await workbook.commit();
    await turn();
    if (pendingBytes > 0) yield take();
  } finally {
    // Stopped early or failed: close the snapshot's connection.
    rows.return(undefined);
  }
}

/**
 * The workbook as a byte stream on this thread, for tests and scripts without export workers
 * (the server writes it in an export worker thread: app/workers/export-worker.ts).
 */
export function xlsxToStream(makeChunks: () => AsyncGenerator<Uint8Array>, { signal }: { signal?: AbortSignal } = {}): ReadableStream<Uint8Array> {
  let chunks: AsyncGenerator<Uint8Array> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (signal?.aborted) {
            await chunks?.return(undefined);
            controller.close();
            return;
          }
          chunks ??= makeChunks();
          const next = await chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        } catch (error) {
          await chunks?.return(undefined);
          controller.error(error);
        }
      },
      async cancel() {
        await chunks?.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}
