/**
 * Backups and restores of the SQLite file.
 *
 * Backup: `VACUUM INTO` reads the live database inside one read transaction, so the copy is a
 * consistent snapshot even while the app writes (WAL: the writer is never blocked), compacted, and
 * written to a temporary name that is renamed into place only once it passes an integrity check.
 *
 * Restore: checks the file's integrity and that its migrations are ones this code knows, stages a
 * copy beside the target (applying pending migrations to the copy), keeps the current database
 * under a `.before-restore-<time>` name, and renames the staged copy over the target: the switch is
 * one atomic rename. The app must be stopped: a database still open elsewhere is refused. The
 * restored database's revisions (data_revision) are set past the replaced one's, so no page kept
 * by nginx or a browser before the restore is taken for current after it (carryRevisionsPast).
 *
 * Documents (FILES_PATH, stored by SHA-256) travel beside the database file: a backup to OUT writes
 * OUT.files/ab/cd/<sha256> for every document the backed-up database lists, each checked against
 * its hash as it is copied. A restore checks every listed file against its hash before changing
 * anything, refuses naming the first that is missing or does not match, and copies them into
 * FILES_PATH (a file already there with the same name has the same content).
 */
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import Database from "better-sqlite3";
import { openDatabase } from "./client.server";
import { migrationStatus, runMigrations, type MigrationStatus } from "./migrate.server";

export class BackupError extends Error {
  override name = "BackupError";
}

/** Where a backup's documents are: beside its database file. */
export function backupFilesDirectory(backupFile: string): string {
  return `${path.resolve(backupFile)}.files`;
}

function documentPath(root: string, sha256: string): string {
  return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

function sha256Of(file: string): string {
  const hash = crypto.createHash("sha256");
  const descriptor = fs.openSync(file, "r");
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    for (let read = fs.readSync(descriptor, buffer); read > 0; read = fs.readSync(descriptor, buffer)) hash.update(buffer.subarray(0, read));
  } finally {
    fs.closeSync(descriptor);
  }
  return hash.digest("hex");
}

/** The documents a database file lists (none before the documents migration). */
function listedDocuments(file: string): string[] {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const hasTable = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'documents'").get();
    if (!hasTable) return [];
    return (sqlite.prepare("SELECT sha256 FROM documents ORDER BY sha256").pluck().all() as string[]).filter((sha) => /^[0-9a-f]{64}$/.test(sha));
  } finally {
    sqlite.close();
  }
}

/** Copies `from` to `to` (through a temporary name), refusing if its content does not hash to `sha256`. */
function copyChecked(from: string, to: string, sha256: string, what: string): void {
  if (!fs.existsSync(from)) throw new BackupError(`${what} ${from} is missing`);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  const partial = `${to}.partial-${process.pid}`;
  fs.copyFileSync(from, partial);
  if (sha256Of(partial) !== sha256) {
    fs.rmSync(partial, { force: true });
    throw new BackupError(`${what} ${from} does not match its SHA-256 (${sha256}): it is damaged`);
  }
  fs.renameSync(partial, to);
}

export function backupDatabase({
  source,
  destination,
  filesPath = path.join(path.dirname(path.resolve(source)), "files"),
}: {
  source: string;
  destination: string;
  /** The documents' directory (FILES_PATH). */
  filesPath?: string;
}): { bytes: number; documents: number } {
  if (!fs.existsSync(source)) throw new BackupError(`There is no database at ${source}`);
  const target = path.resolve(destination);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  fs.rmSync(partial, { force: true });
  const sqlite = new Database(source, { fileMustExist: true });
  try {
    sqlite.pragma("busy_timeout = 5000");
    sqlite.prepare("VACUUM INTO ?").run(partial);
  } finally {
    sqlite.close();
  }
  const problems = checkFile(partial).integrity;
  if (problems !== "ok") {
    fs.rmSync(partial, { force: true });
    throw new BackupError(`The backup failed its integrity check: ${problems}`);
  }
  // The documents the copied database lists, each checked against its hash.
  const listed = listedDocuments(partial);
  const filesTarget = backupFilesDirectory(target);
  try {
    for (const sha256 of listed) {
      const copy = documentPath(filesTarget, sha256);
      if (fs.existsSync(copy) && sha256Of(copy) === sha256) continue;
      copyChecked(documentPath(path.resolve(filesPath), sha256), copy, sha256, "The document");
    }
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
  fs.renameSync(partial, target);
  return { bytes: fs.statSync(target).size, documents: listed.length };
}

/** Checks every document a backup lists against its hash; throws naming the first bad one. */
export function checkBackupDocuments(file: string): number {
  const listed = listedDocuments(file);
  const root = backupFilesDirectory(file);
  for (const sha256 of listed) {
    const copy = documentPath(root, sha256);
    if (!fs.existsSync(copy)) throw new BackupError(`The backup's document ${copy} is missing; nothing was changed`);
    if (sha256Of(copy) !== sha256) throw new BackupError(`The backup's document ${copy} does not match its SHA-256: it is damaged; nothing was changed`);
  }
  return listed.length;
}

export interface FileCheck {
  integrity: string;
  migrations: MigrationStatus | null;
}

/** Integrity and migration state of a database file, read-only. */
export function checkFile(file: string): FileCheck {
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    return { integrity: `cannot open: ${(error as Error).message}`, migrations: null };
  }
  try {
    const rows = sqlite.pragma("integrity_check") as Array<{ integrity_check: string }>;
    const integrity = rows.map((row) => row.integrity_check).join("; ");
    return { integrity, migrations: integrity === "ok" ? migrationStatus(sqlite) : null };
  } catch (error) {
    return { integrity: (error as Error).message, migrations: null };
  } finally {
    sqlite.close();
  }
}

export function restoreDatabase({
  file,
  target,
  filesPath = path.join(path.dirname(path.resolve(target)), "files"),
}: {
  file: string;
  target: string;
  /** Where the restored documents go (FILES_PATH). */
  filesPath?: string;
}): {
  keptPrevious: string | null;
  migrationsApplied: number;
  documents: number;
} {
  if (!fs.existsSync(file)) throw new BackupError(`There is no file at ${file}`);
  const check = checkFile(file);
  if (check.integrity !== "ok") throw new BackupError(`${file} is damaged (integrity check: ${check.integrity}); nothing was changed`);
  const migrations = check.migrations as MigrationStatus;
  if (migrations.applied === 0) throw new BackupError(`${file} is not a tracker database (no migrations); nothing was changed`);
  if (migrations.unknown > 0) {
    throw new BackupError(
      `${file} has ${migrations.unknown} migration(s) this version does not know (a newer version made it); nothing was changed`,
    );
  }
  // A migration older than the backup's latest, never applied to it (a database migrated on another
  // branch's journal): the migrator will not apply it, so the restored tracker would lack it.
  if (migrations.skipped > 0) {
    throw new BackupError(
      `${file} lacks ${migrations.skipped} migration(s) older than its latest, which this version will not apply (it was migrated by another version's list); nothing was changed`,
    );
  }
  // Every document, checked before anything changes.
  const documents = checkBackupDocuments(file);

  const resolvedTarget = path.resolve(target);
  fs.mkdirSync(path.dirname(resolvedTarget), { recursive: true });
  const staged = `${resolvedTarget}.restoring-${process.pid}`;
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(staged + suffix, { force: true });
  fs.copyFileSync(file, staged);
  try {
    const db = openDatabase(staged);
    try {
      runMigrations(db);
      const integrity = db.$client.pragma("integrity_check", { simple: true });
      if (integrity !== "ok") throw new BackupError(`The staged copy failed its integrity check: ${String(integrity)}`);
    } finally {
      db.$client.close();
    }

    let keptPrevious: string | null = null;
    let replacedRevisions: Record<string, number> | null = null;
    if (fs.existsSync(resolvedTarget)) {
      // Fold the WAL into the file; if the WAL survives our close, another process has it open.
      const current = new Database(resolvedTarget);
      try {
        current.pragma("wal_checkpoint(TRUNCATE)");
        replacedRevisions = revisionsOf(current);
      } finally {
        current.close();
      }
      if (fs.existsSync(`${resolvedTarget}-wal`)) {
        throw new BackupError(`${resolvedTarget} is in use (stop the server first); nothing was changed`);
      }
      fs.rmSync(`${resolvedTarget}-shm`, { force: true });
      keptPrevious = `${resolvedTarget}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
      fs.copyFileSync(resolvedTarget, keptPrevious);
    }
    // The documents first (content-addressed: one already there is the same), then the database.
    for (const sha256 of listedDocuments(file)) {
      const into = documentPath(path.resolve(filesPath), sha256);
      if (!fs.existsSync(into) || sha256Of(into) !== sha256) copyChecked(documentPath(backupFilesDirectory(file), sha256), into, sha256, "The backup's document");
    }
    if (replacedRevisions) carryRevisionsPast(staged, replacedRevisions);
    fs.renameSync(staged, resolvedTarget);
    return { keptPrevious, migrationsApplied: migrations.pending, documents };
  } finally {
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(staged + suffix, { force: true });
  }
}

/** The highest history mark (decision 0031), or null before migration 0028. */
function historyTopOf(sqlite: Database.Database): number | null {
  try {
    return (sqlite.prepare("SELECT MAX(revision) AS top FROM history_marks").get() as { top: number | null }).top;
  } catch {
    return null;
  }
}

/** The counts of data_revision (the data revision, search's, letter pages'), or null without them. */
function revisionsOf(sqlite: Database.Database): Record<string, number> | null {
  try {
    const row = sqlite.prepare("SELECT * FROM data_revision WHERE id = 1").get() as Record<string, number> | undefined;
    if (!row) return null;
    const historyTop = historyTopOf(sqlite);
    return historyTop === null ? row : { ...row, [HISTORY_TOP]: historyTop };
  } catch {
    return null;
  }
}

/** Where revisionsOf reports the highest history mark beside data_revision's columns. */
const HISTORY_TOP = "history_marks.top";

/**
 * Every page's cache generation is made of these counts (the data revision, or a letter's own count
 * with letter_pages_revision: decision 0029), and nginx and browsers (ETags) keep pages by it across
 * restarts. A restore takes them back to the backup's: the next writes would reach generations the
 * replaced database already had, with other content, and those kept pages would be served as
 * current. Each count is set past both the backup's and the replaced database's, so every
 * generation after the restore is new.
 */
function carryRevisionsPast(staged: string, replaced: Record<string, number>): void {
  const sqlite = new Database(staged, { fileMustExist: true });
  try {
    const columns = Object.keys(revisionsOf(sqlite) ?? {}).filter(
      (column) => column !== "id" && column !== HISTORY_TOP && typeof replaced[column] === "number",
    );
    if (columns.length > 0) {
      sqlite
        .prepare(`UPDATE data_revision SET ${columns.map((column) => `"${column}" = MAX("${column}", @${column}) + 1`).join(", ")} WHERE id = 1`)
        .run(Object.fromEntries(columns.map((column) => [column, replaced[column]])));
    }
    // Pages of past dates are kept by their day's history revision (decision 0031): a mark for
    // every day, numbered past both databases' marks.
    const stagedTop = historyTopOf(sqlite);
    if (stagedTop !== null) {
      sqlite
        .prepare(
          "INSERT INTO history_marks (from_day, revision) VALUES ('0000-00-00', MAX(?, ?) + 1) ON CONFLICT(from_day) DO UPDATE SET revision = excluded.revision",
        )
        .run(stagedTop, replaced[HISTORY_TOP] ?? 0);
    }
  } finally {
    sqlite.close();
  }
}
