/**
 * test/integration/attack-11.test.ts: a live process that takes the import's bulk-write lease under
 * its own name (PROCESS_HOLDER, as letter-file-import.server.ts does), says so, and keeps running.
 */
import { openDatabase } from "../../db/client.server";
import { acquireLease, PROCESS_HOLDER } from "~/models/leases.server";

const [databasePath] = process.argv.slice(2);
if (!databasePath) throw new Error("usage: attack-11-lease-holder DATABASE_PATH");
const db = openDatabase(databasePath);
const holder = `${PROCESS_HOLDER}:import:attack11`;
const held = acquireLease({ db, name: "bulk-write", holder, ttlMs: 60 * 60 * 1000 });
process.stdout.write(`${held ? "held" : "refused"} ${holder}\n`);
setInterval(() => {}, 60_000);
