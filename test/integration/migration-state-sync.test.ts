/**
 * runMigrations syncs the stored state with this start's DEFAULT_RESPONSE_DAYS (syncStateSettings,
 * decision 0014) once the database has the code's latest migration (by its journal time, as the
 * migrator counts it), whichever folder it was applied from: it was gated on the folder's path
 * being the code's own, so a database
 * migrated from a copy of the folder (or a link to it) was never synced. A database migrated only
 * part of the way (a migration's test) still is not: it lacks the columns the state's statements
 * write (decision 0035).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../db/client.server";
import { MIGRATIONS_FOLDER, runMigrations } from "../../db/migrate.server";
import { defaultResponseDays } from "~/models/letter-state.server";
import { migrationsBefore } from "../support/migrations";

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "tracker-migration-state-sync-"));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

/** The DEFAULT_RESPONSE_DAYS the stored state was computed with, or null (never synced). */
function syncedDays(db: Db): string | null {
  const table = db.$client.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'state_settings'").get();
  if (!table) return null;
  const row = db.$client.prepare("SELECT value FROM state_settings WHERE key = 'default_response_days'").get() as { value: string } | undefined;
  return row?.value ?? null;
}

describe("runMigrations and the stored state's settings", () => {
  it.each([
    ["a copy of the migrations folder", (folder: string) => fs.cpSync(MIGRATIONS_FOLDER, folder, { recursive: true })],
    ["a link to the migrations folder", (folder: string) => fs.symlinkSync(MIGRATIONS_FOLDER, folder, "dir")],
  ])("syncs a database migrated all the way from %s", (label, make) => {
    const folder = path.join(workDir, label.replace(/\W+/g, "-"));
    make(folder);
    const db = openDatabase(path.join(workDir, `${path.basename(folder)}.db`));
    try {
      runMigrations(db, folder);
      expect(syncedDays(db)).toBe(String(defaultResponseDays()));
    } finally {
      db.$client.close();
    }
  });

  it("syncs a database whose applied migration's file changed its bytes since (line endings on checkout), as the migrator counts it applied", () => {
    const db = openDatabase(path.join(workDir, "changed-bytes.db"));
    try {
      runMigrations(db);
      // As if the file had been checked out with other line endings after it was applied: the
      // migrator goes by the time it was made, so nothing is pending for it.
      db.$client.prepare("UPDATE __drizzle_migrations SET hash = 'a-file-with-other-bytes' WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations)").run();
      db.$client.prepare("UPDATE state_settings SET value = '1' WHERE key = 'default_response_days'").run();
      expect(syncedDays(db)).toBe("1");
      runMigrations(db);
      // Before: gated on every file's hash being applied, the sync never ran again.
      expect(syncedDays(db)).toBe(String(defaultResponseDays()));
    } finally {
      db.$client.close();
    }
  });

  it("leaves a database migrated part of the way unsynced (it lacks the state's columns), and syncs it once migrated the rest of the way", () => {
    const db = openDatabase(path.join(workDir, "partial.db"));
    try {
      // Before 0030, state_settings exists but the letters lack the question counts the sync writes.
      expect(() => runMigrations(db, migrationsBefore(workDir, "0030_letter_question_counts"))).not.toThrow();
      expect(db.$client.prepare("SELECT 1 FROM sqlite_master WHERE name = 'state_settings'").get()).toBeDefined();
      expect(syncedDays(db)).toBeNull();
      runMigrations(db);
      expect(syncedDays(db)).toBe(String(defaultResponseDays()));
    } finally {
      db.$client.close();
    }
  });
});
