/**
 * Peak memory of an .xlsx export (decision 0015): writes one export of a database to a file with the
 * app's streaming writer and prints the rows, the file's size, the time and the peak RSS.
 *   npx tsx scripts/xlsx-memory.ts --db COPY.db [--kind letters|questions|responses|letters-questions] [--csv] [--search "sentFrom=2025-01-01"]
 * Use a copy of a benchmark database: the export only reads, but WAL files may be written beside it.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { db: { type: "string" }, kind: { type: "string", default: "letters" }, csv: { type: "boolean", default: false }, out: { type: "string" }, search: { type: "string", default: "" } } });
if (!values.db) throw new Error("--db FILE is required");
process.env.DATABASE_PATH = values.db;
process.env.NODE_ENV ??= "production";
const { parseLetterFilters, parseQuestionFilters } = await import("~/domain/filters");
const { exportFileOf, EXPORT_TITLES } = await import("~/models/export.server");
const { xlsxChunks } = await import("~/models/export-xlsx.server");
const { csvChunks } = await import("~/models/export-stream.server");
const { today } = await import("~/domain/dates");

const kind = values.kind as "letters" | "questions" | "responses" | "letters-questions";
const asOf = today();
const spec =
  kind === "questions"
    ? { kind, filters: parseQuestionFilters(new URLSearchParams(`status=all&${values.search}`)).filters, asOf }
    : { kind, filters: parseLetterFilters(new URLSearchParams(values.search)).filters, asOf };
const out = values.out ?? `/tmp/export-memory.${values.csv ? "csv" : "xlsx"}`;
const fd = fs.openSync(out, "w");
const started = performance.now();
let bytes = 0;
let samples = 0;
let peakHeap = 0;
const sample = () => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  samples++;
};
if (values.csv) {
  for (const chunk of csvChunks(exportFileOf(spec))) {
    const buffer = Buffer.from(chunk);
    fs.writeSync(fd, buffer);
    bytes += buffer.length;
    sample();
  }
} else {
  for await (const chunk of xlsxChunks(exportFileOf(spec), { publicUrl: "https://tracker.example.org", title: EXPORT_TITLES[kind] })) {
    fs.writeSync(fd, chunk);
    bytes += chunk.length;
    sample();
  }
}
fs.closeSync(fd);
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    kind,
    search: values.search,
    format: values.csv ? "csv" : "xlsx",
    file: out,
    megabytes: +(bytes / 1e6).toFixed(1),
    seconds: +seconds.toFixed(1),
    peakRssMB: +(process.resourceUsage().maxRSS / 1024).toFixed(0),
    peakHeapMB: +(peakHeap / 1e6).toFixed(0),
    batches: samples,
  }),
);
