/**
 * Migration follows_digest_weekday rebuilds `follows` (drizzle-kit's copy for the new column's
 * check). A rebuild is where data is lost: this applies the migrations before it, writes follows
 * and what refers to them, migrates, and checks every row, id and reference is kept, every follow
 * gets Monday (the day weekly digests were written before), and the new check holds.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client.server";
import { MIGRATIONS_FOLDER, runMigrations } from "../../db/migrate.server";
import { migrationsBefore } from "../support/migrations";

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "tracker-migration-weekday-"));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

describe("migration follows_digest_weekday", () => {
  it("keeps every follow, id and reference; weekly digests stay on Mondays", () => {
    const db = openDatabase(path.join(workDir, "old.db"));
    const tag = fs
      .readdirSync(MIGRATIONS_FOLDER)
      .find((name) => /^\d{4}_follows_digest_weekday\.sql$/.test(name))!
      .replace(/\.sql$/, "");
    runMigrations(db, migrationsBefore(workDir, tag));
    const sqlite = db.$client;
    sqlite.exec(`
      INSERT INTO letter_events (id, kind, letter_id, letter_slug, letter_title, dedupe_key) VALUES (1, 'letter_logged', 1, 'a', 'A', NULL);
      INSERT INTO follows (id, email, subject_kind, subject_key, subject_label, cadence, digest_hour, secret, created_at, confirmed_at, unsubscribed_at, last_digest_at) VALUES
        (1, 'r@example.org', 'letter', 'a', 'A', 'weekly', 18, 's1', 100, 200, NULL, 300),
        (3, 'q@example.org', 'search', '/letters?q=x', 'Search', 'daily', 0, 's3', 100, NULL, 500, NULL);
      INSERT INTO outbox (id, kind, follow_id, to_address, subject, text_body, html_body, message_id, dedupe_key, state) VALUES
        (1, 'digest', 1, 'r@example.org', 'This week', 't', 'h', '<1@x>', 'digest:1:week:2026-01-05', 'sent');
      INSERT INTO follow_deliveries (follow_id, event_id, outbox_id) VALUES (1, 1, 1);
      UPDATE sqlite_sequence SET seq = 5 WHERE name = 'follows';
    `);
    const before = sqlite.prepare("SELECT * FROM follows ORDER BY id").all() as Array<Record<string, unknown>>;

    runMigrations(db);

    const after = sqlite.prepare("SELECT * FROM follows ORDER BY id").all() as Array<Record<string, unknown>>;
    expect(after).toEqual(before.map((row) => ({ ...row, digest_weekday: 1 })));
    expect(sqlite.prepare("SELECT follow_id, event_id, outbox_id FROM follow_deliveries").all()).toEqual([{ follow_id: 1, event_id: 1, outbox_id: 1 }]);
    expect(sqlite.pragma("foreign_key_check")).toEqual([]);
    const indexes = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'follows' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>).map((row) => row.name);
    expect(indexes).toEqual(["follows_subject_idx", "follows_subscription_unique"]);
    // Ids are not given again (AUTOINCREMENT kept its sequence).
    expect((sqlite.prepare("INSERT INTO follows (email, subject_kind, subject_key, subject_label, secret) VALUES ('n@example.org', 'letter', 'b', 'B', 's') RETURNING id").get() as { id: number }).id).toBe(6);
    expect(() => sqlite.prepare("UPDATE follows SET digest_weekday = 7 WHERE id = 1").run()).toThrow(/CHECK constraint failed/);
    db.$client.close();
  });
});
