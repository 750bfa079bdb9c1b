/** A whole export as one string, for tests (the app only streams: app/models/export-stream.server.ts). */
import { csvLine, UTF8_BOM } from "~/domain/csv-cells";
import { exportRows, type ExportFile } from "~/models/export-snapshot.server";

/** A whole export as text: the byte-order mark, the header and every row. */
export function exportToString(file: ExportFile): string {
  let text = UTF8_BOM + csvLine(file.header);
  for (const cells of exportRows(file)) text += csvLine(cells);
  return text;
}
