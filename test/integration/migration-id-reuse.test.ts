/**
 * ATTACK: migration 0006 promises that a letter id is never reused, so a deleted letter's history
 * stays with it alone. But the AUTOINCREMENT counter is seeded from the highest id still in the
 * table, not the highest id ever used: a letter deleted under the previous release (its history
 * rows keep letter_id) hands its id to the next letter created after the upgrade, and that new
 * letter's page shows the deleted letter's history ("Deleted the letter ..." with its snapshot).
 * Seen on a real previous-release database (b1d938b server, delete the newest demo letter, start
 * this release, import one letter): the new letter got id 21 and its history lists
 * 'Deleted the letter "McCaul gives State until June 26 ..."'.
 * Suspect: migrations/0006_*.sql (INSERT INTO __new_letters SELECT ... leaves sqlite_sequence at max(id)).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client.server";
import { MIGRATIONS_FOLDER, runMigrations } from "../../db/migrate.server";

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "attack-migration-"));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

function migrationsUpTo(count: number): string {
  const folder = path.join(workDir, `migrations-${count}`);
  fs.mkdirSync(path.join(folder, "meta"), { recursive: true });
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8")) as { entries: Array<{ idx: number; tag: string }> };
  journal.entries = journal.entries.filter((entry) => entry.idx < count);
  fs.writeFileSync(path.join(folder, "meta/_journal.json"), JSON.stringify(journal));
  for (const entry of journal.entries) fs.copyFileSync(path.join(MIGRATIONS_FOLDER, `${entry.tag}.sql`), path.join(folder, `${entry.tag}.sql`));
  return folder;
}

describe("ATTACK: migration 0006 and ids deleted before it", () => {
  it("does not give a letter deleted under the previous release's id (and history) to a new letter", () => {
    const db = openDatabase(path.join(workDir, "old.db"));
    runMigrations(db, migrationsUpTo(6));
    const sqlite = db.$client;
    sqlite.exec(`
      INSERT INTO letters (id, slug, title, sent_on, chamber) VALUES (1, 'kept', 'Kept', '2025-04-17', 'House');
      INSERT INTO letters (id, slug, title, sent_on, chamber) VALUES (2, 'deleted', 'Deleted before the upgrade', '2025-04-18', 'House');
      INSERT INTO questions (id, letter_id, number, text) VALUES (1, 1, 1, 'kept q'), (2, 2, 1, 'deleted q');
      INSERT INTO responses (id, letter_id, received_on, "from", completeness) VALUES (1, 2, '2025-05-01', 'State', 'partial');
      INSERT INTO audit_events (at, actor_name, action, entity, entity_id, letter_id, summary, before)
        VALUES (1, 'old', 'delete', 'letter', 2, 2, 'Deleted the letter "Deleted before the upgrade"', '{"title":"Deleted before the upgrade"}');
      INSERT INTO audit_events (at, actor_name, action, entity, entity_id, letter_id, summary)
        VALUES (1, 'old', 'create', 'response', 1, 2, 'Logged a partial response');
      DELETE FROM letters WHERE id = 2;
    `);
    runMigrations(db);
    const next = sqlite.prepare("INSERT INTO letters (slug, title, sent_on, chamber) VALUES ('new', 'New after upgrade', '2025-08-01', 'House') RETURNING id").get() as { id: number };
    const inherited = sqlite.prepare("SELECT summary FROM audit_events WHERE letter_id = ?").all(next.id);
    expect(inherited).toEqual([]);
    expect(next.id).toBeGreaterThan(2);
    db.$client.close();
  });
});
