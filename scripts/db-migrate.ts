/** `npm run db:migrate`: applies pending migrations to DATABASE_PATH. */
import { env } from "~/env.server";
import { openDatabase } from "../db/client.server";
import { runMigrations } from "../db/migrate.server";

const db = openDatabase(env.DATABASE_PATH);
runMigrations(db);
db.$client.close();
console.log(`Migrations applied to ${env.DATABASE_PATH}`);
