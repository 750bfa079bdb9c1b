/**
 * Migration tests: a copy of the migrations folder holding only the migrations before one, so a
 * test can build a database as an older tracker left it, then migrate it the rest of the way.
 */
import fs from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { MIGRATIONS_FOLDER } from "../../db/migrate.server";

/** The folder (under `workDir`, made once per tag) of every migration before `tag`. */
export function migrationsBefore(workDir: string, tag: string): string {
  const folder = path.join(workDir, `migrations-before-${tag}`);
  if (fs.existsSync(folder)) return folder;
  fs.mkdirSync(path.join(folder, "meta"), { recursive: true });
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8")) as { entries: Array<{ idx: number; tag: string }> };
  const at = journal.entries.findIndex((entry) => entry.tag === tag);
  expect(at, `migration ${tag} is in the journal`).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, at);
  fs.writeFileSync(path.join(folder, "meta/_journal.json"), JSON.stringify(journal));
  for (const entry of journal.entries) fs.copyFileSync(path.join(MIGRATIONS_FOLDER, `${entry.tag}.sql`), path.join(folder, `${entry.tag}.sql`));
  return folder;
}
