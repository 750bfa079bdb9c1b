/**
 * `npm run import -- FILE... [--dry-run]`: imports letters (JSON in the seed shape, the CSV letter
 * sheet, or responses.csv) into DATABASE_PATH. Each file is one transaction, all or nothing; files
 * are imported in the order given (letters before their responses) and the run stops at the first
 * file with problems. Exit code 1 when any file had problems.
 */
import fs from "node:fs";
import path from "node:path";
import { env } from "~/env.server";
import { formatImportReport } from "~/domain/import-report";
import { COMMAND_LINE_ACTOR, importLetterFile } from "~/models/letter-file-import.server";
import { closeDb, getDb } from "../db/client.server";
import { runMigrations } from "../db/migrate.server";

const args = process.argv.slice(2);
const dryRun = args.includes("--dry-run");
const files = args.filter((arg) => arg !== "--dry-run");

if (files.length === 0 || files.some((file) => file.startsWith("--"))) {
  console.error("Usage: npm run import -- FILE... [--dry-run]");
  process.exit(2);
}

try {
  runMigrations(getDb());
  console.log(`Database: ${env.DATABASE_PATH}`);
  for (const file of files) {
    let content: Buffer;
    try {
      content = fs.readFileSync(file);
    } catch (error) {
      console.error(`${file}: cannot be read: ${(error as Error).message}`);
      process.exitCode = 1;
      break;
    }
    // No read pool here: the check runs inline (nobody else is waiting on this process).
    const report = await importLetterFile({ content, fileName: path.basename(file), dryRun, actor: COMMAND_LINE_ACTOR });
    console.log(formatImportReport(report));
    if (!report.ok) {
      process.exitCode = 1;
      break;
    }
  }
} finally {
  closeDb();
}
