/**
 * Figures over the whole tracker (the overview's charts, the agency scorecards) scan every letter;
 * they only change when the data does. This keeps computed figures until the database changes:
 * `PRAGMA data_version` moves when another connection or process commits, `total_changes()` when
 * this connection writes. Reading both costs microseconds.
 */
import { getDb } from "../../db/client.server";
import { today } from "~/domain/dates";
import { env } from "~/env.server";

const MAX_ENTRIES = 500;
const entries = new Map<string, { version: string; value: unknown }>();

function dataVersion(): string {
  const client = getDb().$client;
  const external = client.pragma("data_version", { simple: true }) as number;
  const own = (client.prepare("SELECT total_changes() AS n").get() as { n: number }).n;
  return `${external}:${own}`;
}

export function cachedUntilDataChanges<T>(key: string, compute: () => T): T {
  if (!env.FIGURE_CACHE) return compute();
  const version = dataVersion();
  const hit = entries.get(key);
  if (hit && hit.version === version) return hit.value as T;
  const value = compute();
  // A computation that itself wrote (temp tables) would never hit again: do not keep it.
  if (dataVersion() === version) {
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
