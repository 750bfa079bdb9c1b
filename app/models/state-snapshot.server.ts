/**
 * The letter state a page of figures reads, computed once per request: for a past date, a temp-table
 * snapshot shared by the page's queries; for today, the stored state, and the page's figures kept
 * until the data changes (figure-cache.server.ts). The figures themselves are in dashboard.server.ts,
 * agencies, profiles and briefing.server.ts.
 */
import { sql, type SQL } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import { today, type CalendarDate } from "~/domain/dates";
import { cachedUntilDataChanges } from "./figure-cache.server";
import { everyLetterStateSql, stateAsOf } from "./letter-state.server";

/** The asOf whose letter state is snapshotted in a temp table for the current call, if any. */
let snapshotAsOf: CalendarDate | null = null;

/**
 * The `letter_state` CTE (see stateAsOf) for queries that need only letter state: from the
 * snapshot while withStateSnapshot runs for this asOf, else as stateAsOf gives it (`of`: the
 * letters the query reads, whose state it then computes once each).
 */
export function letterStateSql(asOf: CalendarDate, { of }: { of?: SQL } = {}): SQL {
  return snapshotAsOf === asOf
    ? sql`WITH letter_state AS (SELECT * FROM temp.dashboard_letter_state)`
    : stateAsOf(asOf, { of });
}

/**
 * Runs `run` with the letter state as of a past `asOf` computed once into a temp table, instead of
 * once per query: a page of figures over the whole tracker about a past date makes about ten
 * queries over every letter, and computing the state from the facts is the expensive part (about
 * a second at 100k letters and 700k questions). Pages about one agency, member or committee do
 * without: their queries compute the state of their own letters only.
 * Today's state is stored on the rows already, so then it just runs. Loaders are synchronous on the
 * one connection, so no other request can see or disturb the table.
 */
export function withStateSnapshot<T>({
  asOf,
  run,
  cacheKey,
}: {
  asOf: CalendarDate;
  run: () => T;
  /** Names the figures so that, for today, they are kept until the data changes. */
  cacheKey?: string;
}): T {
  if (asOf >= today()) return cacheKey ? cachedUntilDataChanges(`${cacheKey}@${asOf}`, run) : run();
  if (snapshotAsOf !== null) return run();
  const db = getDb();
  db.run(sql`DROP TABLE IF EXISTS temp.dashboard_letter_state`);
  db.run(sql`CREATE TEMP TABLE dashboard_letter_state AS ${everyLetterStateSql(asOf)}`);
  db.run(sql`CREATE UNIQUE INDEX temp.dashboard_letter_state_id ON dashboard_letter_state (letter_id)`);
  snapshotAsOf = asOf;
  try {
    return run();
  } finally {
    snapshotAsOf = null;
    db.run(sql`DROP TABLE IF EXISTS temp.dashboard_letter_state`);
  }
}
