/**
 * An export's own snapshot of the database: a read-only connection opened for one file and closed
 * when it ends or the download stops, inside one read transaction, so the file is one consistent
 * snapshot however long the download takes while the app's single connection keeps serving pages
 * (an open statement would block every other query on a shared connection).
 *
 * A file is read in two steps (exportStatements):
 * 1. the ids it walks (letters, or questions for a sort across letters) are put in the page's order
 *    into a temporary table: a sort of ids only, ~0.1 s at 100,000 letters;
 * 2. ONE SELECT walks that table by rank and joins the rest by index, so rows stream from the first
 *    one instead of SQLite sorting every row up front (seconds at a million questions, with the
 *    event loop stalled).
 * Rows are read raw (arrays, a third faster than objects at a million rows). What the files hold is
 * in export.server.ts; how they are written out, in export-stream.server.ts.
 */
import Database from "better-sqlite3";
import { sql, type SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { getDb } from "../../db/client.server";
import type { CalendarDate } from "~/domain/dates";
import type { Cell } from "~/domain/export-columns";
import { materializedState, materializeStateAsOf, readsStoredState, stateAsOf } from "./letter-state.server";

const dialect = new SQLiteSyncDialect();

/** A raw row of a file's SELECT. */
export type Row = unknown[];

export interface ExportFile {
  header: readonly string[];
  /** The date the file describes: its queries read `letter_state` and `question_state` as of it. */
  asOf: CalendarDate;
  /** The ids the file walks, in its order: `SELECT id … ORDER BY …` (letters or questions). */
  order: SQL;
  /** The rows: walks `temp.export_order eo` (columns rank, id) by rank, joining the rest by index. */
  rows: SQL;
  /** A fresh row-to-cells function for one pass over the rows (it may keep its letter's cells). */
  cellsOf: () => (row: Row) => Cell[];
}

const CREATE_ORDER_TABLE = "CREATE TEMP TABLE export_order (rank INTEGER PRIMARY KEY, id INTEGER NOT NULL)";

/** The statements that read a file, in order, as SQL text with parameters (the benchmark runs them through sqlite3). */
export function exportStatements(file: Pick<ExportFile, "asOf" | "order" | "rows">): Array<{ sql: string; params: unknown[] }> {
  const stored = readsStoredState(file.asOf);
  // A file of letters alone (letters.csv, responses.csv, the calendar) needs no question's state.
  const questions = [file.order, file.rows].some((statement) => dialect.sqlToQuery(statement).sql.includes("question_state"));
  const state = stored ? stateAsOf(file.asOf) : materializedState({ questions });
  return [
    ...(stored ? [] : materializeStateAsOf(file.asOf, { questions })),
    sql.raw(CREATE_ORDER_TABLE),
    // SQLite takes the ordering SELECT, CTEs included, after INSERT INTO … (id).
    sql`INSERT INTO temp.export_order (id) ${state} ${file.order}`,
    sql`${state} ${file.rows}`,
  ].map((statement) => dialect.sqlToQuery(statement));
}

/**
 * The raw rows of a file, read in one read transaction on a read-only connection of its own to the
 * app's database file. The connection closes when the rows run out or the caller stops early
 * (`return()` on the generator, which a `for…of` that breaks calls too).
 */
export function* walkRows(file: Pick<ExportFile, "asOf" | "order" | "rows">): Generator<Row> {
  const connection = new Database(getDb().$client.name, { readonly: true, fileMustExist: true });
  try {
    connection.pragma("busy_timeout = 5000");
    // One pass over the data: a large page cache would only hold pages that are never read again.
    connection.pragma("cache_size = -2000");
    const statements = exportStatements(file);
    const select = statements.pop()!;
    connection.exec("BEGIN");
    for (const statement of statements) connection.prepare(statement.sql).run(...statement.params);
    yield* connection.prepare(select.sql).raw().iterate(...select.params) as IterableIterator<Row>;
  } finally {
    // Ends the read transaction and drops the temporary table.
    connection.close();
  }
}

/** The file's rows of cells, read as they are iterated (see walkRows). */
export function* exportRows(file: ExportFile): Generator<Cell[]> {
  const cells = file.cellsOf();
  for (const row of walkRows(file)) yield cells(row);
}
