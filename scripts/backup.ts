/** `npm run backup -- OUT`: a consistent copy of DATABASE_PATH, safe while the app runs, and its documents in OUT.files. */
import { env } from "~/env.server";
import { backupDatabase, BackupError } from "../db/backup.server";

const destination = process.argv[2];
if (!destination) {
  console.error("usage: npm run backup -- OUT_FILE");
  process.exit(2);
}
try {
  const started = performance.now();
  const { bytes, documents } = backupDatabase({ source: env.DATABASE_PATH, destination, filesPath: env.FILES_PATH });
  console.log(
    `Backed up ${env.DATABASE_PATH} to ${destination} (${(bytes / 1e6).toFixed(1)} MB, ${((performance.now() - started) / 1000).toFixed(1)} s)` +
      (documents ? `; its ${documents} document(s) to ${destination}.files` : ""),
  );
} catch (error) {
  console.error(error instanceof BackupError ? error.message : error);
  process.exitCode = 1;
}
