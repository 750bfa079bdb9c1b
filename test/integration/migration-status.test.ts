/**
 * migrationStatus (behind /healthz and the restore script's check) decides what is applied as
 * drizzle's migrator (and runMigrations' gate on the code's schema) does: by the journal's time of
 * each migration against the latest applied row, not by the file's hash. It compared hashes, so a
 * migration file whose bytes changed after it was applied (line endings on checkout) showed as
 * pending, and /healthz answered 503, though the migrator counted it applied and would never run it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client.server";
import { checkFile } from "../../db/backup.server";
import { createHealthCheck } from "../../db/health.server";
import { MIGRATIONS_FOLDER, migrationStatus, runMigrations } from "../../db/migrate.server";
import { migrationsBefore } from "../support/migrations";

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "tracker-migration-status-"));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8")) as {
  entries: Array<{ tag: string; when: number }>;
};
const lastTag = journal.entries.at(-1)!.tag;

/** A database migrated (and closed) from `folder`. */
function migratedFrom(name: string, folder = MIGRATIONS_FOLDER): string {
  const file = path.join(workDir, `${name}.db`);
  const db = openDatabase(file);
  try {
    runMigrations(db, folder);
  } finally {
    db.$client.close();
  }
  return file;
}

function statusOf(file: string, folder = MIGRATIONS_FOLDER) {
  const sqlite = new Database(file, { readonly: true });
  try {
    return migrationStatus(sqlite, folder);
  } finally {
    sqlite.close();
  }
}

function healthOf(file: string) {
  const health = createHealthCheck(file);
  try {
    return health.check();
  } finally {
    health.close();
  }
}

describe("migrationStatus decides what is applied as the migrator does", () => {
  it("counts a migration whose file changed a byte after it was applied (line endings) as applied: current", () => {
    const folder = path.join(workDir, "changed-bytes");
    fs.cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
    const file = migratedFrom("changed-bytes", folder);
    // The last migration's file, checked out again with other line endings.
    const sql = path.join(folder, `${lastTag}.sql`);
    const before = fs.readFileSync(sql, "utf8");
    fs.writeFileSync(sql, before.includes("\r\n") ? before.replace(/\r\n/g, "\n") : before.replace(/\n/g, "\r\n"));
    expect(fs.readFileSync(sql, "utf8")).not.toBe(before);

    const status = statusOf(file, folder);
    // Before: { pending: 1, unknown: 1, current: false }.
    expect(status).toEqual({ expected: journal.entries.length, applied: journal.entries.length, unknown: 0, pending: 0, skipped: 0, current: true });
    // And the migrator agrees: running it again applies nothing.
    const db = openDatabase(file);
    try {
      runMigrations(db, folder);
      expect(db.$client.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get()).toEqual({ n: journal.entries.length });
    } finally {
      db.$client.close();
    }
  });

  it("/healthz's check and the restore's check answer current for a database whose applied migration's recorded hash is not its file's", () => {
    const file = migratedFrom("other-hash");
    const sqlite = new Database(file);
    sqlite.prepare("UPDATE __drizzle_migrations SET hash = 'a-file-with-other-bytes' WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations)").run();
    sqlite.close();
    // Before: ok false (503), current false.
    expect(healthOf(file)).toMatchObject({ ok: true, database: "ok", migrations: { pending: 0, unknown: 0, current: true } });
    expect(checkFile(file)).toMatchObject({ integrity: "ok", migrations: { pending: 0, unknown: 0, current: true } });
  });

  it("reports a database missing the last migration as pending", () => {
    const file = migratedFrom("missing-last", migrationsBefore(workDir, lastTag));
    const expected = { expected: journal.entries.length, applied: journal.entries.length - 1, unknown: 0, pending: 1, skipped: 0, current: false };
    expect(statusOf(file)).toEqual(expected);
    expect(healthOf(file)).toMatchObject({ ok: false, database: "ok", migrations: expected });
    expect(checkFile(file).migrations).toEqual(expected);
  });

  it("reports a known migration older than the latest applied one, never applied, as skipped: not current", () => {
    // A database migrated on a journal without 0029 (another branch's, or a build before the two
    // branches met) and on to later migrations: the migrator, which applies only what is newer than
    // its latest row, will never apply 0029 here. By hash this showed as pending (503); by time alone
    // it showed as current (200, nothing to see) though the database lacks what 0029 does.
    const skippedTag = "0029_reserved_letter_slugs";
    const folder = path.join(workDir, "without-0029");
    fs.cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
    const withoutIt = { ...journal, entries: journal.entries.filter((entry) => entry.tag !== skippedTag) };
    expect(withoutIt.entries).toHaveLength(journal.entries.length - 1);
    fs.writeFileSync(path.join(folder, "meta/_journal.json"), JSON.stringify(withoutIt));
    const file = migratedFrom("skipped-0029", folder);
    // The migrator with the code's own folder applies nothing more.
    const db = openDatabase(file);
    try {
      runMigrations(db);
      expect(db.$client.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get()).toEqual({ n: journal.entries.length - 1 });
    } finally {
      db.$client.close();
    }
    const expected = { expected: journal.entries.length, applied: journal.entries.length - 1, unknown: 0, pending: 0, skipped: 1, current: false };
    expect(statusOf(file)).toEqual(expected);
    expect(healthOf(file)).toMatchObject({ ok: false, database: "ok", migrations: expected });
    expect(checkFile(file).migrations).toEqual(expected);
  });

  it("reports an applied row whose time is no migration's in the journal as unknown", () => {
    const file = migratedFrom("unknown-row");
    const sqlite = new Database(file);
    sqlite.prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('from-the-future', 9999999999999)").run();
    sqlite.close();
    expect(statusOf(file)).toMatchObject({ unknown: 1, pending: 0, current: false });
    expect(healthOf(file)).toMatchObject({ ok: false });
  });
});

// Attack 17: the latest applied time was the largest number among the rows, while the migrator
// takes SQLite's `ORDER BY created_at DESC LIMIT 1`, where a text value sorts after every number:
// with a text time in the table, migrationStatus said one migration pending while the migrator ran
// all of them (an empty text: Number("") is 0) or none (a text that is no number: NaN).
describe("migrationStatus reads the latest applied time as the migrator does, whatever the rows hold", () => {
  function tampered(name: string, statement: string): string {
    const file = migratedFrom(name);
    const sqlite = new Database(file);
    sqlite.prepare(statement).run();
    sqlite.close();
    return file;
  }
  const lastRow = "WHERE rowid = (SELECT max(rowid) FROM __drizzle_migrations)";

  it("an empty text as the last row's time: the migrator runs every migration again, and they are all pending", () => {
    const file = tampered("empty-text-time", `UPDATE __drizzle_migrations SET created_at = '' ${lastRow}`);
    const status = statusOf(file);
    expect(status).toMatchObject({ unknown: 1, pending: journal.entries.length, current: false });
    const db = openDatabase(file);
    try {
      // The migrator does run them all again: the first one's CREATE TABLE fails.
      expect(() => runMigrations(db)).toThrow(/CREATE TABLE `agencies`/);
    } finally {
      db.$client.close();
    }
  });

  it("a text that is no number as the last row's time: the migrator runs nothing, and nothing is pending", () => {
    const file = tampered("word-time", `UPDATE __drizzle_migrations SET created_at = 'yesterday' ${lastRow}`);
    expect(statusOf(file)).toMatchObject({ unknown: 1, pending: 0, current: false });
    const db = openDatabase(file);
    try {
      runMigrations(db);
      expect(db.$client.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get()).toEqual({ n: journal.entries.length });
    } finally {
      db.$client.close();
    }
  });

  it("a NULL time, or a row repeated: as before (NULL is unknown and sorts last; a repeat changes nothing)", () => {
    const nulled = tampered("null-time", `UPDATE __drizzle_migrations SET created_at = NULL ${lastRow}`);
    expect(statusOf(nulled)).toMatchObject({ unknown: 1, pending: 1, current: false });
    const repeated = tampered("repeated-row", `INSERT INTO __drizzle_migrations (hash, created_at) SELECT hash, created_at FROM __drizzle_migrations ${lastRow}`);
    expect(statusOf(repeated)).toEqual({ expected: journal.entries.length, applied: journal.entries.length + 1, unknown: 0, pending: 0, skipped: 0, current: true });
  });
});
