/**
 * Figures over the whole tracker (the overview's charts, the agency scorecards) scan every letter;
 * they only change when the tracker's data does. This keeps computed figures until it does:
 * `data_revision` (db/schema.ts) is moved by triggers on every write to letters and what describes
 * them, from any connection or process, and reading it costs microseconds. Sign-ins, sessions and
 * audit rows leave it alone, so they do not make the next reader wait for the overview's SQL.
 */
import { sql } from "drizzle-orm";
import { getDb, type Db } from "../../db/client.server";
import { today } from "~/domain/dates";
import { env } from "~/env.server";
import { preparedSql } from "./prepared.server";

const MAX_ENTRIES = 500;
/** Entries remember their connection: a reopened or recreated database starts afresh. */
const entries = new Map<string, { db: Db; version: number; value: unknown }>();

/** The tracker's data revision (see data_revision in db/schema.ts); null if its row is missing. */
export function dataRevision(): number | null {
  // Read before every anonymous page and on every nginx generation check: prepared once, not built
  // and prepared again each time (that was most of the check's cost).
  return preparedSql(getDb(), "data-revision", () => sql`SELECT revision FROM data_revision WHERE id = 1`).get<{ revision: number }>()?.revision ?? null;
}

/**
 * What the search index holds moves search_revision (migration triggers on every searchable text,
 * name and date): a deadline extended or a letter closed leaves it alone.
 */
export function searchRevision(): number | null {
  return preparedSql(getDb(), "search-revision", () => sql`SELECT search_revision AS revision FROM data_revision WHERE id = 1`).get<{ revision: number }>()?.revision ?? null;
}

/** As cachedUntilDataChanges, for what only searchable text decides (search.server.ts: matches, counts and ranks). */
export function cachedUntilSearchChanges<T>(key: string, compute: () => T): T {
  return cachedUntilRevisionChanges(`search-revision:${key}`, compute, searchRevision);
}

export function cachedUntilDataChanges<T>(key: string, compute: () => T): T {
  return cachedUntilRevisionChanges(key, compute, dataRevision);
}

function cachedUntilRevisionChanges<T>(key: string, compute: () => T, revision: () => number | null): T {
  const version = env.FIGURE_CACHE ? revision() : null;
  // Without the revision row nothing would ever invalidate an entry: compute every time.
  if (version === null) return compute();
  const db = getDb();
  const hit = entries.get(key);
  if (hit && hit.db === db && hit.version === version) return hit.value as T;
  const value = compute();
  // A computation that itself changed the data would never hit again: do not keep it.
  if (revision() === version) {
    if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
    entries.delete(key);
    entries.set(key, { db, version, value });
  }
  return value;
}

/** As cachedUntilDataChanges for today's state of play; a past date is computed each time. */
export function cachedForToday<T>({ asOf, key, compute }: { asOf: string; key: string; compute: () => T }): T {
  return asOf >= today() ? cachedUntilDataChanges(`${key}@${asOf}`, compute) : compute();
}
