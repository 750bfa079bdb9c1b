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
  /**
   * Known migrations made before the latest applied one and never applied (the database was
   * migrated on another journal: a branch's, a build before two branches met). The migrator applies
   * only what is newer than its latest row, so it never will: someone must.
   */
  skipped: number;
  current: boolean;
}

/**
 * Whether the database has the code's latest migration (nothing pending by migrationStatus), from
 * whichever folder it was applied.
 */
function atCodeSchema(sqlite: import("better-sqlite3").Database): boolean {
  return migrationStatus(sqlite).pending === 0;
}

/**
 * Compares the migrations recorded in a database with those in the repository as drizzle's
 * migrator does: by the time each was made (the journal's `when`, stored as `created_at`), not its
 * file's hash. The migrator applies every migration made after the latest applied one, so those are
 * pending; a file whose bytes changed after it was applied (a line-ending conversion on checkout,
 * an edited comment) is not, for it or for this. A known migration made before that latest one and
 * never applied is skipped: the migrator will not apply it, and the database is not this code's. An
 * applied row whose time is no migration's in the journal is unknown (a newer or other version made it).
 * Takes a plain better-sqlite3 connection so read-only checks (health, restore) can use it.
 */
export function migrationStatus(
  sqlite: import("better-sqlite3").Database,
  migrationsFolder = MIGRATIONS_FOLDER,
): MigrationStatus {
  const expected = readMigrationFiles({ migrationsFolder }).map((migration) => migration.folderMillis);
  const hasTable = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  const applied = hasTable
    ? (sqlite.prepare("SELECT created_at FROM __drizzle_migrations").all() as Array<{ created_at: number | string | null }>).map((row) =>
        row.created_at === null ? null : Number(row.created_at),
      )
    : [];
  const known = new Set(expected);
  const unknown = applied.filter((at) => at === null || !known.has(at)).length;
  // As the migrator reads it, by SQLite's order (where a text sorts after every number and NULL
  // last) and Number(): a migration is pending when there is no row, or the latest's time is less
  // than the migration's (NULL and "" read 0; a text that is no number, NaN, leaves none pending).
  const latest = hasTable
    ? (sqlite.prepare("SELECT created_at FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1").get() as { created_at: unknown } | undefined)
    : undefined;
  const isPending = (when: number) => latest === undefined || Number(latest.created_at) < when;
  const pending = expected.filter(isPending).length;
  // Not pending, yet never applied: the migrator will not apply it.
  const done = new Set(applied);
  const skipped = expected.filter((when) => !isPending(when) && !done.has(when)).length;
  return { expected: expected.length, applied: applied.length, unknown, pending, skipped, current: unknown === 0 && pending === 0 && skipped === 0 };
}
