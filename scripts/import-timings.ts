/**
 * `npx tsx scripts/import-timings.ts [--letters N] [--dir DIR] [--phase ...]`: how long an import's
 * write takes per letter. Builds a synthetic database of N letters (reused), exports its letter
 * sheet and responses.csv (reused), then imports both into a fresh database and times the check
 * and the write of each file separately: the sheet creates N letters, responses.csv then updates
 * them. A dry run of the sheet into the empty database is timed first. Run under
 * `node --cpu-prof --import tsx` to see where the write spends its time.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    letters: { type: "string", default: "2000" },
    dir: { type: "string", default: ".cache/import-timings" },
    phase: { type: "string", default: "main" },
    /** Writes every table's rows (timestamps left out) to this file after the import, to compare two versions of the writer. */
    dump: { type: "string" },
  },
});
const letters = Number(values.letters);
const dir = path.resolve(values.dir!);
const source = path.join(dir, `source-${letters}.db`);
const sheetFile = path.join(dir, `letters-questions-${letters}.csv`);
const responsesFile = path.join(dir, `responses-${letters}.csv`);
const target = path.join(dir, `target-${letters}.db`);

function runPhase(phase: string, databasePath: string): void {
  const result = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, "--letters", String(letters), "--dir", dir, "--phase", phase, ...(values.dump ? ["--dump", path.resolve(values.dump)] : [])], {
    stdio: "inherit",
    env: { ...process.env, DATABASE_PATH: databasePath },
  });
  if (result.status !== 0) throw new Error(`phase ${phase} failed`);
}

async function exportPhase(): Promise<void> {
  const { parseLetterFilters } = await import("~/domain/filters");
  const { today } = await import("~/domain/dates");
  const { sheetExport, responsesExport } = await import("~/models/export.server");
  const { exportRows } = await import("~/models/export-snapshot.server");
  const { csvLine, UTF8_BOM } = await import("~/domain/csv-cells");
  const filters = parseLetterFilters(new URLSearchParams("sort=sent&dir=asc")).filters;
  for (const [file, made] of [
    [sheetFile, sheetExport({ filters, asOf: today() })],
    [responsesFile, responsesExport({ filters, asOf: today() })],
  ] as const) {
    let text = UTF8_BOM + csvLine(made.header);
    for (const cells of exportRows(made)) text += csvLine(cells);
    fs.writeFileSync(file, text);
  }
}

async function importPhase(): Promise<void> {
  const { closeDb, getDb } = await import("../db/client.server");
  const { runMigrations } = await import("../db/migrate.server");
  const { today } = await import("~/domain/dates");
  const { checkLetterFile } = await import("~/models/letter-file-check.server");
  const { COMMAND_LINE_ACTOR, writeChecked } = await import("~/models/letter-file-import.server");
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(target + suffix, { force: true });
  runMigrations(getDb());
  const steps: Array<[string, string, boolean]> = [
    ["sheet, dry run", sheetFile, true],
    ["sheet", sheetFile, false],
    ["responses", responsesFile, false],
  ];
  for (const [label, file, dryRun] of steps) {
    const content = fs.readFileSync(file);
    let started = performance.now();
    const check = checkLetterFile({ content, fileName: path.basename(file), today: today() });
    const checkMs = performance.now() - started;
    if (!check.ok) throw new Error(`${label}: ${JSON.stringify(check.problems.slice(0, 3))}`);
    const count = check.fresh.length + check.updates.length;
    started = performance.now();
    const cpu = process.cpuUsage();
    const base = { ok: false, dryRun, fileName: path.basename(file), format: check.format, created: [], updated: [], unchanged: [], problems: [], moreProblems: 0 };
    const report = await writeChecked(check, { fileName: path.basename(file), dryRun, actor: COMMAND_LINE_ACTOR }, base);
    const writeMs = performance.now() - started;
    const { user, system } = process.cpuUsage(cpu);
    const cpuMs = (user + system) / 1000;
    if (!report?.ok) throw new Error(`${label}: not written: ${JSON.stringify(report?.problems.slice(0, 3))}`);
    console.log(
      `${label.padEnd(16)} ${String(count).padStart(6)} letters (${report.created.length} created, ${report.updated.length} updated): ` +
        `check ${(checkMs / 1000).toFixed(2)} s, write ${(writeMs / 1000).toFixed(2)} s = ${(writeMs / Math.max(count, 1)).toFixed(2)} ms a letter ` +
        `(CPU ${(cpuMs / Math.max(count, 1)).toFixed(2)} ms a letter)`,
    );
  }
  if (values.dump) {
    const sqlite = getDb().$client;
    const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name").all() as Array<{ name: string }>;
    const lines: string[] = [];
    for (const { name } of tables) {
      const columns = (sqlite.prepare(`SELECT * FROM "${name}" LIMIT 0`).columns() as Array<{ name: string }>).map((column) => column.name);
      const kept = columns.filter((column) => !["at", "created_at", "updated_at", "expires_at"].includes(column));
      const rows = sqlite.prepare(`SELECT ${kept.map((column) => `"${column}"`).join(", ")} FROM "${name}" ORDER BY ${kept.map((_, i) => i + 1).join(", ")}`).raw().all();
      lines.push(`# ${name} (${rows.length})`, ...rows.map((row) => JSON.stringify(row)));
    }
    fs.writeFileSync(path.resolve(values.dump), lines.join("\n") + "\n");
  }
  closeDb();
}

async function main(): Promise<void> {
  if (values.phase === "export") return exportPhase();
  if (values.phase === "import") return importPhase();
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(source)) {
    const { buildSyntheticDatabase } = await import("./seed-synthetic");
    buildSyntheticDatabase({ file: source, letters, seed: 1 });
  }
  if (!fs.existsSync(sheetFile) || !fs.existsSync(responsesFile)) runPhase("export", source);
  runPhase("import", target);
  if (values.dump) console.log(`Rows written to ${values.dump}`);
}

await main();
