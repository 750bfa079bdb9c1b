import path from "node:path";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import type { Db } from "./client.server";

/** Generated SQL migrations, committed in the repository. Paths resolve from the project root. */
export const MIGRATIONS_FOLDER = path.resolve(process.cwd(), "migrations");

/** Applies every pending migration; a no-op when the database is current. */
export function runMigrations(db: Db, migrationsFolder = MIGRATIONS_FOLDER): void {
  migrate(db, { migrationsFolder });
}
