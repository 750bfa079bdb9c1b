/** A whole export as one string, for tests (the app only streams: app/models/export-stream.server.ts). */
import { csvLine } from "~/domain/csv-cells";
import { exportRows, type ExportFile } from "~/models/export-snapshot.server";

/** A whole export as text: the header and every row (no byte-order mark: decision 0015). */
export function exportToString(file: ExportFile): string {
  let text = csvLine(file.header);
  for (const cells of exportRows(file)) text += csvLine(cells);
  return text;
}
