/**
 * Migration login_attempts_client_keys (0032): sign-in attempts are counted by client key
 * (app/domain/client-key.ts), and an IPv4 peer of the dual-stack listener, stored before as
 * `::ffff:a.b.c.d`, is now `a.b.c.d`. Against a real SQLite file with the real migrations: rows as
 * an older tracker stored them are rewritten so that an account's known address still counts.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { clientKey } from "~/domain/client-key";
import { openDatabase } from "../../db/client.server";
import { runMigrations } from "../../db/migrate.server";
import { migrationsBefore } from "../support/migrations";

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "tracker-migration-login-keys-"));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

describe("migration login_attempts_client_keys", () => {
  it("rewrites IPv4-mapped addresses as the IPv4 key the app now counts by, and leaves every other row as it was", () => {
    const db = openDatabase(path.join(workDir, "old.db"));
    runMigrations(db, migrationsBefore(workDir, "0032_login_attempts_client_keys"));
    const stored = ["::ffff:203.0.113.7", "203.0.113.8", "2001:db8:1:2::9", "::ffff:0:1.2.3.4", "unknown", "::1"];
    const insert = db.$client.prepare("INSERT INTO login_attempts (email, ip, attempted_at, succeeded) VALUES ('owner@example.org', ?, 1, 1)");
    for (const ip of stored) insert.run(ip);
    runMigrations(db);
    const after = (db.$client.prepare("SELECT ip FROM login_attempts ORDER BY id").all() as Array<{ ip: string }>).map((row) => row.ip);
    expect(after).toEqual(["203.0.113.7", "203.0.113.8", "2001:db8:1:2::9", "::ffff:0:1.2.3.4", "unknown", "::1"]);
    // The rewritten row is the key a sign-in from that peer is now counted by.
    expect(after[0]).toBe(clientKey("::ffff:203.0.113.7"));
    db.$client.close();
  });
});
