/**
 * Migration 0013 (roster) on a database of the previous release: members, agencies and officials
 * keep their rows and ids, the picker index keeps finding them and then finds the new names too,
 * and the roster links them afterwards.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, openDatabase } from "../../db/client.server";
import { MIGRATIONS_FOLDER, runMigrations } from "../../db/migrate.server";

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "roster-migration-"));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

function migrationsBefore(tag: string): string {
  const folder = path.join(workDir, `before-${tag}`);
  fs.mkdirSync(path.join(folder, "meta"), { recursive: true });
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8")) as { entries: Array<{ idx: number; tag: string }> };
  const index = journal.entries.findIndex((entry) => entry.tag === tag);
  expect(index).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, index);
  fs.writeFileSync(path.join(folder, "meta/_journal.json"), JSON.stringify(journal));
  for (const entry of journal.entries) fs.copyFileSync(path.join(MIGRATIONS_FOLDER, `${entry.tag}.sql`), path.join(folder, `${entry.tag}.sql`));
  return folder;
}

describe("migration 0013_roster", () => {
  it("keeps existing members, agencies and officials and their picker rows, and indexes the new names", async () => {
    const db = openDatabase(path.join(workDir, "old.db"));
    runMigrations(db, migrationsBefore("0013_roster"));
    const sqlite = db.$client;
    sqlite.exec(`
      INSERT INTO members (id, slug, name, party, state, chamber) VALUES (7, 'gregory-meeks', 'Gregory Meeks', 'D', 'NY', 'House');
      INSERT INTO agencies (id, slug, name, acronym) VALUES (3, 'u-s-department-of-homeland-security', 'U.S. Department of Homeland Security', 'DHS');
      INSERT INTO officials (id, name, title, agency_id) VALUES (5, 'Kristi Noem', 'Secretary', 3);
    `);
    const words = (kind: string, q: string) =>
      (sqlite.prepare("SELECT rowid FROM picker_index WHERE picker_index MATCH ? ORDER BY rowid").all(`kind : "${kind}" AND words : (${q})`) as Array<{ rowid: number }>).map((row) => row.rowid);
    expect(words("member", '"meeks"*')).toEqual([7 * 8 + 3]);
    runMigrations(db);
    expect(sqlite.prepare("SELECT id, slug, name, bioguide_id FROM members").all()).toEqual([{ id: 7, slug: "gregory-meeks", name: "Gregory Meeks", bioguide_id: null }]);
    expect(sqlite.prepare("SELECT id, name, source, parent_id FROM agencies").all()).toEqual([{ id: 3, name: "U.S. Department of Homeland Security", source: "local", parent_id: null }]);
    expect(words("member", '"meeks"*')).toEqual([7 * 8 + 3]);
    expect(words("agency", '"dhs"*')).toEqual([3 * 8 + 1]);
    expect(words("official", '"noem"*')).toEqual([5 * 8 + 5]);
    // The new tables feed the index: a name variant, an alias.
    sqlite.exec(`INSERT INTO member_names (member_id, key, name) VALUES (7, 'greg meeks', 'Greg Meeks');
      INSERT INTO agency_aliases (agency_id, key, alias) VALUES (3, 'homeland security', 'Homeland Security');`);
    expect(words("member", '"greg"* AND "meeks"*')).toEqual([7 * 8 + 3]);
    expect(words("agency", '"homeland"*')).toEqual([3 * 8 + 1]);
    sqlite.exec(`DELETE FROM member_names WHERE member_id = 7`);
    expect(words("member", '"greg"*')).toEqual([7 * 8 + 3]); // "Gregory" still starts with "greg"
    sqlite.exec(`DELETE FROM members WHERE id = 7`);
    expect(words("member", '"meeks"*')).toEqual([]);
    // Deleting a department leaves its components without a parent (ON DELETE SET NULL).
    sqlite.exec(`INSERT INTO agencies (id, slug, name, parent_id) VALUES (4, 'ice', 'ICE', 3); DELETE FROM officials; DELETE FROM agencies WHERE id = 3;`);
    expect(sqlite.prepare("SELECT parent_id FROM agencies WHERE id = 4").get()).toEqual({ parent_id: null });
    sqlite.close();
    closeDb();
  });
});
