/**
 * Migration reserved_letter_slugs (0029): a letter stored with the slug `new` before
 * RESERVED_LETTER_SLUGS existed (decision 0032) was shadowed by the new-letter form at /letters/new.
 * Against a real SQLite file with the real migrations: the migrations before it are applied, letters
 * are written as an older tracker stored them, the rest is migrated, and the letter has the address
 * the writer gives a clashing slug, `new` as its former slug, a new version and a history entry.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client.server";
import { MIGRATIONS_FOLDER, runMigrations } from "../../db/migrate.server";
import { currentSlug } from "~/models/letter-slugs.server";
import { env } from "~/env.server";
import { migrationsBefore } from "../support/migrations";

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "tracker-migration-reserved-slugs-"));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

const TAG = "0029_reserved_letter_slugs";

/** A database at the migration before 0029, holding `letters` (id, slug) and former slugs (slug, letter id). */
function oldDatabase(name: string, letters: Array<[number, string]>, formerSlugs: Array<[string, number]> = []) {
  const db = openDatabase(path.join(workDir, `${name}.db`));
  runMigrations(db, migrationsBefore(workDir, TAG));
  const sqlite = db.$client;
  const insertLetter = sqlite.prepare("INSERT INTO letters (id, slug, title, sent_on, chamber, version) VALUES (?, ?, ?, '2024-05-01', 'House', 3)");
  for (const [id, slug] of letters) insertLetter.run(id, slug, `Letter ${slug}`);
  const insertFormer = sqlite.prepare("INSERT INTO letter_former_slugs (slug, letter_id) VALUES (?, ?)");
  for (const [slug, letterId] of formerSlugs) insertFormer.run(slug, letterId);
  // As an older tracker left it: its stored state computed with this start's DEFAULT_RESPONSE_DAYS,
  // so migrating the rest of the way recomputes nothing (syncStateSettings runs at the full schema).
  sqlite.prepare("INSERT INTO state_settings (key, value) VALUES ('default_response_days', ?)").run(String(env.DEFAULT_RESPONSE_DAYS));
  return db;
}

const rows = (db: ReturnType<typeof openDatabase>) => ({
  letters: db.$client.prepare("SELECT id, slug, version FROM letters ORDER BY id").all(),
  formerSlugs: db.$client.prepare("SELECT slug, letter_id FROM letter_former_slugs ORDER BY slug").all(),
  history: db.$client.prepare("SELECT actor_name, action, entity, entity_id, letter_id, letter_version, summary, before, after FROM audit_events ORDER BY id").all(),
});

describe("migration reserved_letter_slugs", () => {
  it("gives a letter stored as `new` the writer's next free address, keeps `new` as its former slug, and says so in its history", () => {
    // new-2 is another letter's; new-3 is a third letter's former slug (a live slug wins over it,
    // as when the writer renames a letter); new-4 is free... but new-3 is the first no letter has.
    const db = oldDatabase("with-new", [[1, "new"], [2, "new-2"], [3, "renamed-letter"], [4, "other"]], [["new-3", 3], ["older", 4]]);
    runMigrations(db);
    const after = rows(db);
    expect(after.letters).toEqual([
      { id: 1, slug: "new-3", version: 4 },
      { id: 2, slug: "new-2", version: 3 },
      { id: 3, slug: "renamed-letter", version: 3 },
      { id: 4, slug: "other", version: 3 },
    ]);
    expect(after.formerSlugs).toEqual([
      { slug: "new", letter_id: 1 },
      { slug: "older", letter_id: 4 },
    ]);
    expect(after.history).toEqual([
      {
        actor_name: "system",
        action: "update",
        entity: "letter",
        entity_id: 1,
        letter_id: 1,
        letter_version: 4,
        summary: "Address changed by the tracker's upgrade (/letters/new is the form for a new letter): address (slug)",
        before: JSON.stringify({ slug: "new" }),
        after: JSON.stringify({ slug: "new-3" }),
      },
    ]);
    // The app finds the letter at its old slug (its edit, card and badge addresses, old forms).
    expect(currentSlug(db, "new")).toBe("new-3");
    expect(db.$client.pragma("foreign_key_check")).toEqual([]);
    db.$client.close();
  });

  it("takes new-2 when it is free", () => {
    const db = oldDatabase("new-2-free", [[7, "a-letter"], [9, "new"]]);
    runMigrations(db);
    expect(rows(db).letters).toEqual([
      { id: 7, slug: "a-letter", version: 3 },
      { id: 9, slug: "new-2", version: 4 },
    ]);
    expect(rows(db).formerSlugs).toEqual([{ slug: "new", letter_id: 9 }]);
    db.$client.close();
  });

  it("changes nothing in a database without such a letter", () => {
    const db = oldDatabase("without-new", [[1, "new-2"], [2, "newer"]], [["new-3", 2]]);
    const revision = () => db.$client.prepare("SELECT revision FROM data_revision WHERE id = 1").get();
    const before = { ...rows(db), revision: revision() };
    runMigrations(db);
    expect({ ...rows(db), revision: revision() }).toEqual(before);
    db.$client.close();
  });
});
