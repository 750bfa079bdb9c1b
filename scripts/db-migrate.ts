/** `npm run db:migrate`: applies pending migrations to DATABASE_PATH. */
import { env } from "~/env.server";
import { openDatabase } from "../db/client.server";
import { runMigrations } from "../db/migrate.server";
import { backfillStateHistory } from "~/models/letter-state.server";

const db = openDatabase(env.DATABASE_PATH);
runMigrations(db);
// A database that had letters before the state history existed (decision 13): written here, at
// once, rather than by the server in the background.
backfillStateHistory(db, { batch: 500, onStep: (through) => process.stdout.write(`\rState history written through letter ${through}`) });
db.$client.close();
console.log(`\nMigrations applied to ${env.DATABASE_PATH}`);
