/**
 * Migration 0006 rebuilds letters, questions, responses and deadline_changes (AUTOINCREMENT ids).
 * A rebuild is where data is lost: a DROP TABLE with foreign keys on cascades to every child row,
 * and the tables' triggers (search index, data revision) vanish with them. This applies the
 * migrations before 0006 to a file, writes one of everything, migrates, and checks nothing was lost.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client.server";
import { MIGRATIONS_FOLDER, runMigrations } from "../../db/migrate.server";

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "tracker-migration-"));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

/** A copy of the migrations folder holding only the first `count` migrations. */
function migrationsUpTo(count: number): string {
  const folder = path.join(workDir, `migrations-${count}`);
  fs.mkdirSync(path.join(folder, "meta"), { recursive: true });
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8")) as {
    entries: Array<{ idx: number; tag: string }>;
  };
  journal.entries = journal.entries.filter((entry) => entry.idx < count);
  fs.writeFileSync(path.join(folder, "meta/_journal.json"), JSON.stringify(journal));
  for (const entry of journal.entries) fs.copyFileSync(path.join(MIGRATIONS_FOLDER, `${entry.tag}.sql`), path.join(folder, `${entry.tag}.sql`));
  return folder;
}

describe("migration 0006 (ids never reused)", () => {
  it("keeps every row, child row, search entry and trigger of a database made before it", () => {
    const db = openDatabase(path.join(workDir, "old.db"));
    runMigrations(db, migrationsUpTo(6));
    const sqlite = db.$client;
    expect(sqlite.prepare("SELECT count(*) AS n FROM pragma_table_info('letters') WHERE name = 'version'").get()).toEqual({ n: 0 });
    sqlite.exec(`
      INSERT INTO members (id, slug, name, party, state, chamber) VALUES (1, 'jamie-raskin', 'Jamie Raskin', 'D', 'MD', 'House');
      INSERT INTO agencies (id, slug, name) VALUES (1, 'state', 'U.S. Department of State');
      INSERT INTO officials (id, name, title, agency_id) VALUES (1, 'Marco Rubio', 'Secretary of State', 1);
      INSERT INTO letters (id, slug, title, sent_on, chamber) VALUES (1, 'first', 'CECOT transfers', '2025-04-17', 'House');
      INSERT INTO letters (id, slug, title, sent_on, chamber, follows_up_id) VALUES (2, 'second', 'Follow-up on CECOT', '2025-07-01', 'House', 1);
      INSERT INTO letter_senders (letter_id, member_id, is_lead, position) VALUES (1, 1, 1, 1), (2, 1, 1, 1);
      INSERT INTO letter_recipients (letter_id, official_id, agency_id, title, position) VALUES (1, 1, 1, 'Secretary of State', 1);
      INSERT INTO questions (id, letter_id, number, text) VALUES (1, 1, 1, 'How many detainees?'), (2, 1, 2, 'At what cost?');
      INSERT INTO responses (id, letter_id, received_on, "from", completeness) VALUES (1, 1, '2025-05-01', 'State', 'partial');
      INSERT INTO question_assessments (response_id, question_id, verdict) VALUES (1, 1, 'answered');
      INSERT INTO deadline_changes (id, letter_id, new_deadline, granted_on) VALUES (1, 1, '2025-06-01', '2025-05-02');
    `);
    const counts = () =>
      Object.fromEntries(
        ["letters", "questions", "responses", "question_assessments", "deadline_changes", "letter_senders", "letter_recipients", "search_index"].map((table) => [
          table,
          (sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
        ]),
      );
    const before = counts();
    expect(before.question_assessments).toBe(1);

    runMigrations(db);

    expect(counts()).toEqual(before);
    expect(sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(sqlite.prepare("SELECT follows_up_id AS f, version AS v FROM letters WHERE id = 2").get()).toEqual({ f: 1, v: 1 });
    // Every trigger of 0002 and 0005 on the rebuilt tables is back, with 0020's search-revision
    // triggers and 0026's letter-page revisions (4 on letters, 6 on questions, 3 on the others).
    const triggers = (table: string) =>
      (sqlite.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?").get(table) as { n: number }).n;
    expect([triggers("letters"), triggers("questions"), triggers("responses"), triggers("deadline_changes")]).toEqual([13, 15, 12, 6]);
    const revision = () => (sqlite.prepare("SELECT revision FROM data_revision").get() as { revision: number }).revision;
    const revisionBefore = revision();
    sqlite.prepare("UPDATE letters SET title = 'Renamed CECOT letter' WHERE id = 1").run();
    expect(revision()).toBeGreaterThan(revisionBefore);
    expect(sqlite.prepare("SELECT item_id FROM search_index WHERE search_index MATCH 'renamed'").all()).toEqual([{ item_id: 1 }]);

    // A deleted letter's id is never given to the next one.
    sqlite.prepare("DELETE FROM letters WHERE id = 2").run();
    const next = sqlite.prepare("INSERT INTO letters (slug, title, sent_on, chamber) VALUES ('third', 'New', '2025-08-01', 'House') RETURNING id").get() as { id: number };
    expect(next.id).toBe(3);
    db.$client.close();
  });
});
