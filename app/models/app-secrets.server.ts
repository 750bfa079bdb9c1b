/**
 * Secrets the app makes for itself on first use and keeps in the database (app_secrets), so that
 * every process and every restart signs or hashes alike: the key of follow links (`mail-token`,
 * unless MAIL_TOKEN_SECRET is set) and the key that makes cache generations opaque
 * (`cache-generation`).
 */
import { createHmac, randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { getDb, type Db } from "../../db/client.server";

export type AppSecretName = "mail-token" | "cache-generation";

const remembered = new WeakMap<object, Map<AppSecretName, string>>();

/** The secret `name`: made once by whichever process asks first (32 random bytes, base64url). */
export function appSecret(name: AppSecretName, db: Db = getDb()): string {
  let byName = remembered.get(db.$client);
  if (!byName) remembered.set(db.$client, (byName = new Map()));
  const known = byName.get(name);
  if (known) return known;
  // Read first: once made, asking takes no write lock (a process starting while another writes).
  const read = () => db.get<{ value: string }>(sql`SELECT value FROM app_secrets WHERE name = ${name}`)?.value;
  let value = read();
  if (value === undefined) {
    db.run(sql`INSERT INTO app_secrets (name, value) VALUES (${name}, ${randomBytes(32).toString("base64url")}) ON CONFLICT (name) DO NOTHING`);
    value = read()!;
  }
  byName.set(name, value);
  return value;
}

/**
 * `value` as an opaque version for anonymous readers: a keyed hash (the cache generations' key), so
 * a version that moves with the data (a data package's revision) tells no one how often staff write.
 */
export function opaqueVersion(value: string, db: Db = getDb()): string {
  return createHmac("sha256", appSecret("cache-generation", db)).update(value).digest("base64url").slice(0, 27);
}
