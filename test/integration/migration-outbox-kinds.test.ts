/**
 * Migration outbox_kinds_cancelled (0023) rebuilds the outbox for its new kinds (`reminder`,
 * `manage`) and state (`cancelled`). A rebuild is where data is lost: this applies the migrations before it to a file,
 * writes messages of every old shape and deliveries that refer to them, migrates, and checks that
 * every row and id is kept, old reminders and manage links get their kind, messages dropped on
 * unsubscribing read "cancelled", and the indexes and references are all there.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client.server";
import { MIGRATIONS_FOLDER, runMigrations } from "../../db/migrate.server";
import { migrationsBefore } from "../support/migrations";

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "tracker-migration-outbox-"));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

describe("migration outbox_kinds_cancelled (outbox kinds and the cancelled state)", () => {
  it("keeps every message, id and delivery, and names old reminders, manage links and cancelled messages", () => {
    const db = openDatabase(path.join(workDir, "old.db"));
    const tag = fs
      .readdirSync(MIGRATIONS_FOLDER)
      .find((name) => /^\d{4}_outbox_kinds_cancelled\.sql$/.test(name))!
      .replace(/\.sql$/, "");
    runMigrations(db, migrationsBefore(workDir, tag));
    const sqlite = db.$client;
    sqlite.exec(`
      INSERT INTO letter_events (id, kind, letter_id, letter_slug, letter_title, dedupe_key) VALUES (1, 'letter_logged', 1, 'a', 'A', NULL);
      INSERT INTO follows (id, email, subject_kind, subject_key, subject_label, secret) VALUES (1, 'r@example.org', 'letter', 'a', 'A', 's');
      INSERT INTO outbox (id, kind, follow_id, to_address, subject, text_body, html_body, message_id, dedupe_key, state, last_error) VALUES
        (1, 'confirm', 1, 'r@example.org', 'Confirm', 't', 'h', '<1@x>', 'confirm:1:1', 'sent', NULL),
        (2, 'alert', 1, 'r@example.org', 'Alert', 't', 'h', '<2@x>', 'alert:1:1', 'failed', 'Unsubscribed before it was sent'),
        (3, 'alert', NULL, 's@example.org', 'Deadline in 7 days: A', 't', 'h', '<3@x>', 'reminder:4:1:2026-01-10:7', 'queued', NULL),
        (4, 'confirm', 1, 'r@example.org', 'Your link', 't', 'h', '<4@x>', 'manage:1:9', 'sent', NULL),
        (5, 'digest', 1, 'r@example.org', 'Today', 't', 'h', '<5@x>', 'digest:1:day:2026-01-01', 'failed', 'Refused by the mail server: 550'),
        (7, 'alert', NULL, 's@example.org', 'Overdue: A', 't', 'h', '<7@x>', 'reminder:4:1:2026-01-10:overdue', 'failed', 'Reminders stopped before it was sent');
      INSERT INTO follow_deliveries (follow_id, event_id, outbox_id) VALUES (1, 1, 2);
      -- Message 8 was written and removed (by hand): its id is never given again.
      UPDATE sqlite_sequence SET seq = 8 WHERE name = 'outbox';
    `);
    const rowsBefore = sqlite.prepare("SELECT id, to_address, subject, message_id, dedupe_key, attempts, created_at FROM outbox ORDER BY id").all();

    runMigrations(db);

    expect(sqlite.prepare("SELECT id, to_address, subject, message_id, dedupe_key, attempts, created_at FROM outbox ORDER BY id").all()).toEqual(rowsBefore);
    expect(sqlite.prepare("SELECT id, kind, state FROM outbox ORDER BY id").all()).toEqual([
      { id: 1, kind: "confirm", state: "sent" },
      { id: 2, kind: "alert", state: "cancelled" },
      { id: 3, kind: "reminder", state: "queued" },
      { id: 4, kind: "manage", state: "sent" },
      { id: 5, kind: "digest", state: "failed" },
      { id: 7, kind: "reminder", state: "cancelled" },
    ]);
    expect(sqlite.prepare("SELECT follow_id, event_id, outbox_id FROM follow_deliveries").all()).toEqual([{ follow_id: 1, event_id: 1, outbox_id: 2 }]);
    expect(sqlite.pragma("foreign_key_check")).toEqual([]);
    expect(sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    const indexes = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' AND sql IS NOT NULL ORDER BY name").all() as Array<{ name: string }>).map((row) => row.name);
    expect(indexes).toEqual(["outbox_created_idx", "outbox_dedupe_unique", "outbox_due_idx", "outbox_message_id_unique"]);
    // The id of a removed message is never given again (AUTOINCREMENT kept).
    const next = sqlite.prepare("INSERT INTO outbox (kind, to_address, subject, text_body, html_body, message_id, dedupe_key) VALUES ('reminder', 'x', 's', 't', 'h', '<9@x>', 'k9') RETURNING id").get() as { id: number };
    expect(next.id).toBe(9);
    expect(() => sqlite.prepare("INSERT INTO outbox (kind, to_address, subject, text_body, html_body, message_id, dedupe_key) VALUES ('spam', 'x', 's', 't', 'h', '<10@x>', 'k10')").run()).toThrow(/CHECK/);
    db.$client.close();
  });
});
