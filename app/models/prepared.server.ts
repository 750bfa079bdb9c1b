/**
 * Statements built and prepared once per connection, then run many times with new values.
 *
 * Drizzle builds a query's SQL text on every call and better-sqlite3 then prepares it anew: for the
 * letter writer's short statements that was most of a write's time (a CPU profile of an import:
 * about a third preparing, a third building, under a fifth running; docs/performance.md,
 * "Imports"). The writer's statements (and the few reads it makes for its history and checks) are
 * therefore built once with `sql.placeholder(...)` for their values and kept per connection, keyed
 * by a name: the SQL they run is the same as before, only not rebuilt.
 *
 * A statement prepared on a connection runs in whatever transaction that connection has open, so
 * one built from a transaction handle serves every later transaction of the same connection.
 */
import type Database from "better-sqlite3";
import { fillPlaceholders, type SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import type { DbOrTx } from "../../db/client.server";

const dialect = new SQLiteSyncDialect();
const byConnection = new WeakMap<Database.Database, Map<string, unknown>>();

/** The better-sqlite3 connection under a drizzle database or transaction handle. */
export function connectionOf(db: DbOrTx): Database.Database {
  // Drizzle keeps it on the session, shared by the database and its transactions.
  const client = (db as unknown as { session?: { client?: Database.Database } }).session?.client;
  if (!client || typeof client.prepare !== "function") throw new Error("Not a better-sqlite3 drizzle handle");
  return client;
}

function statementsOf(db: DbOrTx): Map<string, unknown> {
  const connection = connectionOf(db);
  let statements = byConnection.get(connection);
  if (!statements) byConnection.set(connection, (statements = new Map()));
  return statements;
}

/** Forgets the statements kept for `db`'s connection (tests that read the plan of every statement a page prepares). */
export function forgetPreparedStatements(db: DbOrTx): void {
  byConnection.delete(connectionOf(db));
}

/**
 * The drizzle prepared query named `key` on `db`'s connection, built by `build` the first time
 * (`db.select(...).where(eq(column, sql.placeholder("name"))).prepare()`); run it with
 * `.get({ name })`, `.all(...)`, `.run(...)`. One key, one query: the key names the statement.
 */
export function prepared<T>(db: DbOrTx, key: string, build: (db: DbOrTx) => T): T {
  const statements = statementsOf(db);
  let found = statements.get(key) as T | undefined;
  if (found === undefined) {
    found = build(db);
    statements.set(key, found);
  }
  return found;
}

export interface PreparedSql {
  run(values?: Record<string, unknown>): Database.RunResult;
  get<T>(values?: Record<string, unknown>): T | undefined;
  all<T>(values?: Record<string, unknown>): T[];
}

/**
 * A hand-written statement (an `sql` template, values as `sql.placeholder(...)`) built and prepared
 * once per connection under `key`. Rows come back as objects, as `db.get`/`db.all` give them.
 */
export function preparedSql(db: DbOrTx, key: string, build: () => SQL): PreparedSql {
  return prepared(db, `sql:${key}`, () => {
    const query = dialect.sqlToQuery(build());
    const statement = connectionOf(db).prepare(query.sql);
    const params = (values: Record<string, unknown> = {}) => fillPlaceholders(query.params, values) as unknown[];
    return {
      run: (values) => statement.run(...params(values)),
      get: <T>(values?: Record<string, unknown>) => statement.get(...params(values)) as T | undefined,
      all: <T>(values?: Record<string, unknown>) => statement.all(...params(values)) as T[],
    } satisfies PreparedSql;
  });
}

/** Distinct statement texts kept per connection by `statementReader`, the least recently run forgotten first. */
export const READER_STATEMENTS = 64;

/**
 * Runs a built SELECT on `db`'s connection, preparing each distinct SQL text once per connection
 * (the values are bound, so a query built the same way has the same text): for helpers that take
 * a `(query) => rows` reader, such as repeatLinksOf, on pages read many times a second. Still
 * builds the text each call; skips SQLite's parsing and planning.
 */
export function statementReader(db: DbOrTx): <T>(query: SQL) => T[] {
  const connection = connectionOf(db);
  const statements = prepared(db, "reader:statements", () => new Map<string, Database.Statement>());
  return <T>(query: SQL): T[] => {
    const built = dialect.sqlToQuery(query);
    let statement = statements.get(built.sql);
    if (statement) {
      // To the end of the Map's order: the first key is then the least recently run. Oldest-first,
      // a page's statements run on every request were forgotten behind a run of one-off texts.
      statements.delete(built.sql);
    } else {
      if (statements.size >= READER_STATEMENTS) statements.delete(statements.keys().next().value as string);
      statement = connection.prepare(built.sql);
    }
    statements.set(built.sql, statement);
    return statement.all(...(built.params as unknown[])) as T[];
  };
}
