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
 * one atomic rename. The app must be stopped: a database still open elsewhere is refused.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { openDatabase } from "./client.server";
import { migrationStatus, runMigrations, type MigrationStatus } from "./migrate.server";

export class BackupError extends Error {
  override name = "BackupError";
}

export function backupDatabase({ source, destination }: { source: string; destination: string }): { bytes: number } {
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
  fs.renameSync(partial, target);
  return { bytes: fs.statSync(target).size };
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

export function restoreDatabase({ file, target }: { file: string; target: string }): {
  keptPrevious: string | null;
  migrationsApplied: number;
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
    if (fs.existsSync(resolvedTarget)) {
      // Fold the WAL into the file; if the WAL survives our close, another process has it open.
      const current = new Database(resolvedTarget);
      try {
        current.pragma("wal_checkpoint(TRUNCATE)");
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
    fs.renameSync(staged, resolvedTarget);
    return { keptPrevious, migrationsApplied: migrations.pending };
  } finally {
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(staged + suffix, { force: true });
  }
}
