import path from "node:path";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { syncStateSettings } from "~/models/letter-state.server";
import type { Db } from "./client.server";

/** Generated SQL migrations, committed in the repository. Paths resolve from the project root. */
export const MIGRATIONS_FOLDER = path.resolve(process.cwd(), "migrations");

/**
 * Applies every pending migration; a no-op when the database is current.
 *
 * Foreign keys are off while migrations run: the migrator wraps them in one transaction, where
 * `PRAGMA foreign_keys` is a no-op, and a migration that rebuilds a table (drizzle-kit's
 * create-copy-drop-rename) would otherwise cascade the DROP to every child row. Afterwards every
 * reference is checked, and a dangling one stops the start with the table named. Then, once the
 * code's latest migration is applied (atCodeSchema), when the stored state was computed with another
 * DEFAULT_RESPONSE_DAYS, it is recomputed (syncStateSettings), before any request is served.
 */
export function runMigrations(db: Db, migrationsFolder = MIGRATIONS_FOLDER): void {
  const sqlite = db.$client;
  const enforced = sqlite.pragma("foreign_keys", { simple: true }) === 1;
  sqlite.pragma("foreign_keys = OFF");
  try {
    migrate(db, { migrationsFolder });
    const dangling = sqlite.pragma("foreign_key_check") as Array<{ table: string; parent: string }>;
    if (dangling.length > 0) {
      const first = dangling[0]!;
      throw new Error(`After migrating, ${dangling.length} row(s) of ${first.table} refer to missing ${first.parent} rows`);
    }
    // The stored state follows this start's DEFAULT_RESPONSE_DAYS (implied deadlines, decision 0014).
    // Only at the code's own schema, known by its latest migration applied (from whichever folder:
    // a copy or a link of the code's own too): a database migrated part of the way (a migration's
    // test) lacks columns the state's statements write, and is synced when it is migrated the rest
    // of the way.
    if (atCodeSchema(sqlite)) syncStateSettings(db);
  } finally {
    if (enforced) sqlite.pragma("foreign_keys = ON");
  }
}

export interface MigrationStatus {
  /** Migrations in the repository (the code's expectation), oldest first. */
  expected: number;
  applied: number;
  /** Applied migrations this code does not know: the database is from a newer or other version. */
  unknown: number;
  /** Known migrations not yet applied; the server applies them at start. */
  pending: number;
  current: boolean;
}

/**
 * Whether the database has the code's latest migration, as drizzle's migrator decides what is
 * applied: by the time it was made (the journal's `when`, stored as `created_at`), not its file's
 * hash. A file whose bytes changed after it was applied (a line-ending conversion on checkout, an
 * edited comment) still counts, as it does for the migrator; migrationStatus reports it as pending.
 */
function atCodeSchema(sqlite: import("better-sqlite3").Database): boolean {
  const latest = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).at(-1)?.folderMillis;
  if (latest === undefined) return false;
  const applied = sqlite.prepare("SELECT max(created_at) AS at FROM __drizzle_migrations").get() as { at: number | null } | undefined;
  return applied?.at !== null && applied?.at !== undefined && Number(applied.at) >= latest;
}

/**
 * Compares the migrations recorded in a database with those in the repository, by content hash.
 * Takes a plain better-sqlite3 connection so read-only checks (health, restore) can use it.
 */
export function migrationStatus(
  sqlite: import("better-sqlite3").Database,
  migrationsFolder = MIGRATIONS_FOLDER,
): MigrationStatus {
  const expected = readMigrationFiles({ migrationsFolder }).map((migration) => migration.hash);
  const hasTable = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  const applied = hasTable
    ? (sqlite.prepare("SELECT hash FROM __drizzle_migrations").all() as Array<{ hash: string }>).map((row) => row.hash)
    : [];
  const known = new Set(expected);
  const done = new Set(applied);
  const unknown = applied.filter((hash) => !known.has(hash)).length;
  const pending = expected.filter((hash) => !done.has(hash)).length;
  return { expected: expected.length, applied: applied.length, unknown, pending, current: unknown === 0 && pending === 0 };
}
