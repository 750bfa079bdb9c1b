/**
 * The process's single database connection.
 *
 * Pragmas, and why:
 * - journal_mode=WAL: readers never block the writer and vice versa (a long export does not stall
 *   page loads).
 * - synchronous=NORMAL: in WAL mode a commit is durable against a process crash (SIGKILL) and keeps
 *   the database consistent on power loss; only the last transactions before a power cut can be
 *   lost. FULL would fsync on every commit for little gain here.
 * - foreign_keys=ON: SQLite leaves them off by default.
 * - busy_timeout: wait for another process's write lock (CLI scripts, backups) instead of failing.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { env } from "~/env.server";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** A transaction handle; drizzle's transaction type is structurally compatible for our use. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export function openDatabase(filename: string, { readOnly = false }: { readOnly?: boolean } = {}): Db {
  if (readOnly) {
    // The read pool's connections (app/workers/read-worker.ts): SQLite refuses any write on them,
    // so every write stays on the one writer. Temp tables (past-date snapshots) still work.
    const sqlite = new Database(filename, { readonly: true, fileMustExist: true });
    sqlite.pragma("busy_timeout = 5000");
    return drizzle(sqlite, { schema }) as Db;
  }
  if (filename !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(filename)), { recursive: true });
  const sqlite = new Database(filename);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  return drizzle(sqlite, { schema }) as Db;
}

/**
 * The connection lives on globalThis: the server (scripts/serve.ts) and the Remix build each load
 * their own copy of this module, and both must see the same connection, so that graceful shutdown
 * closes the one the pages use (and a dev rebuild does not open another).
 */
const holder = globalThis as typeof globalThis & { __oversightTrackerDb?: Db };

/** The shared connection, opened on first use at env.DATABASE_PATH. */
export function getDb(): Db {
  holder.__oversightTrackerDb ??= openDatabase(env.DATABASE_PATH);
  return holder.__oversightTrackerDb;
}

/** Makes this thread's connection a read-only one (a read-pool worker calls it before any query). */
export function useReadOnlyDb(filename: string = env.DATABASE_PATH): Db {
  holder.__oversightTrackerDb?.$client.close();
  holder.__oversightTrackerDb = openDatabase(filename, { readOnly: true });
  return holder.__oversightTrackerDb;
}

/** Closes the shared connection (the last connection's close checkpoints and removes the WAL). */
export function closeDb(): void {
  holder.__oversightTrackerDb?.$client.close();
  holder.__oversightTrackerDb = undefined;
}
