/**
 * Figures over the whole tracker (the overview's charts, the agency scorecards) scan every letter;
 * they only change when the tracker's data does. This keeps computed figures until it does:
 * `data_revision` (db/schema.ts) is moved by triggers on every write to letters and what describes
 * them, from any connection or process, and reading it costs microseconds. Sign-ins, sessions and
 * audit rows leave it alone, so they do not make the next reader wait for the overview's SQL.
 */
import { sql } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import { today } from "~/domain/dates";
import { env } from "~/env.server";

const MAX_ENTRIES = 500;
const entries = new Map<string, { version: number; value: unknown }>();

/** The tracker's data revision (see data_revision in db/schema.ts). */
export function dataRevision(): number {
  return getDb().get<{ revision: number }>(sql`SELECT revision FROM data_revision WHERE id = 1`)?.revision ?? 0;
}

export function cachedUntilDataChanges<T>(key: string, compute: () => T): T {
  if (!env.FIGURE_CACHE) return compute();
  const version = dataRevision();
  const hit = entries.get(key);
  if (hit && hit.version === version) return hit.value as T;
  const value = compute();
  // A computation that itself changed the data would never hit again: do not keep it.
  if (dataRevision() === version) {
    if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
    entries.delete(key);
    entries.set(key, { version, value });
  }
  return value;
}

/** As cachedUntilDataChanges for today's state of play; a past date is computed each time. */
export function cachedForToday<T>({ asOf, key, compute }: { asOf: string; key: string; compute: () => T }): T {
  return asOf >= today() ? cachedUntilDataChanges(`${key}@${asOf}`, compute) : compute();
}
