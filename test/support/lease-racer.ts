/**
 * A process racing others for leases (test/integration/leases.test.ts): opens its own connection
 * with the app's settings, says "ready", waits for "go" on standard input, then tries to take each
 * of `count` leases once, as fast as it can, and reports the names it won, one per line.
 */
import { openDatabase } from "../../db/client.server";
import { acquireLease } from "~/models/leases.server";

const [databasePath, holder, countText] = process.argv.slice(2);
if (!databasePath || !holder || !countText) throw new Error("usage: lease-racer DATABASE_PATH HOLDER COUNT");
const count = Number(countText);

const db = openDatabase(databasePath);
process.stdout.write("ready\n");
process.stdin.once("data", () => {
  const won: string[] = [];
  for (let n = 0; n < count; n++) {
    const name = `race-${n}`;
    if (acquireLease({ db, name, holder, ttlMs: 60 * 60 * 1000 })) won.push(name);
  }
  db.$client.close();
  process.stdout.write(`${won.map((name) => `won ${name}\n`).join("")}done\n`, () => process.exit(0));
});
