/**
 * `npm run restore -- FILE`: replaces DATABASE_PATH with FILE after checking FILE's integrity and
 * migrations, and every document in FILE.files against its SHA-256. Stop the server first. The
 * replaced database is kept beside it.
 */
import { env } from "~/env.server";
import { BackupError, restoreDatabase } from "../db/backup.server";

const file = process.argv[2];
if (!file) {
  console.error("usage: npm run restore -- BACKUP_FILE");
  process.exit(2);
}
try {
  const { keptPrevious, migrationsApplied, documents } = restoreDatabase({ file, target: env.DATABASE_PATH, filesPath: env.FILES_PATH });
  console.log(
    `Restored ${file} to ${env.DATABASE_PATH}` +
      (migrationsApplied ? ` (applied ${migrationsApplied} newer migration(s))` : "") +
      (documents ? `, with its ${documents} document(s) checked and copied to ${env.FILES_PATH}` : "") +
      (keptPrevious ? `; the previous database is kept at ${keptPrevious}` : ""),
  );
} catch (error) {
  console.error(error instanceof BackupError ? error.message : error);
  process.exitCode = 1;
}
