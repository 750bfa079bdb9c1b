/** `npm run db:seed [-- FILE]`: migrates, then loads letters from FILE (default: the demo letters). */
import { env } from "~/env.server";
import { openDatabase } from "../db/client.server";
import { runMigrations } from "../db/migrate.server";
import { DEMO_SEED_FILE, SeedError, seedFromFile } from "../db/seed.server";

const file = process.argv[2] ?? DEMO_SEED_FILE;
const db = openDatabase(env.DATABASE_PATH);
try {
  runMigrations(db);
  const result = seedFromFile({ db, file });
  console.log(
    `Seeded ${result.created.length} letters into ${env.DATABASE_PATH}` +
      (result.existing.length ? ` (${result.existing.length} already there, left unchanged)` : ""),
  );
} catch (error) {
  console.error(error instanceof SeedError ? error.message : error);
  process.exitCode = 1;
} finally {
  db.$client.close();
}
