/**
 * A real SQLite file built by the real migrations, at the per-file path set in setup-env.ts.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { closeDb, getDb, type Db } from "../../db/client.server";
import { runMigrations } from "../../db/migrate.server";
import { env } from "~/env.server";

export function freshDatabase(): Db {
  closeDb();
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(env.DATABASE_PATH + suffix, { force: true });
  const db = getDb();
  runMigrations(db);
  return db;
}

/** Row counts of every table, to show that a failed write changed nothing. */
export function tableCounts(db: Db): Record<string, number> {
  const tables = db.$client
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name",
    )
    .all() as Array<{ name: string }>;
  return Object.fromEntries(
    tables.map(({ name }) => [
      name,
      (db.$client.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as { n: number }).n,
    ]),
  );
}

/**
 * Row count and SHA-256 of every table's rows (FTS shadow tables included), rows ordered by all
 * their columns so the checksum does not depend on physical order or implicit rowids. `where`
 * optionally limits a table (by name) to some rows.
 */
export function tableChecksums(
  sqlite: import("better-sqlite3").Database,
  where: Record<string, string> = {},
): Record<string, { rows: number; sha256: string }> {
  const tables = sqlite
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as Array<{ name: string; sql: string }>;
  const result: Record<string, { rows: number; sha256: string }> = {};
  for (const { name, sql } of tables) {
    const virtual = /^CREATE VIRTUAL TABLE/i.test(sql);
    const columns = (sqlite.prepare(`SELECT * FROM "${name}" LIMIT 0`).columns() as Array<{ name: string }>).length;
    const select = virtual ? `SELECT rowid, * FROM "${name}"` : `SELECT * FROM "${name}"`;
    const order = Array.from({ length: columns + (virtual ? 1 : 0) }, (_, i) => i + 1).join(", ");
    const hash = crypto.createHash("sha256");
    let rows = 0;
    for (const row of sqlite.prepare(`${select} ${where[name] ? `WHERE ${where[name]}` : ""} ORDER BY ${order}`).raw().iterate()) {
      hash.update(JSON.stringify(row, (_key, value: unknown) => (Buffer.isBuffer(value) ? value.toString("base64") : value)));
      hash.update("\n");
      rows += 1;
    }
    result[name] = { rows, sha256: hash.digest("hex") };
  }
  return result;
}
