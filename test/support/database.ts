/**
 * A real SQLite file built by the real migrations, at the per-file path set in setup-env.ts.
 */
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
