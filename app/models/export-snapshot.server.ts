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
import type { ReadRows } from "./question-repeats.server";

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
  /**
   * A fresh row-to-cells function for one pass over the rows (it may keep its letter's cells); with
   * `batchOf`, it is given what `batchOf` read for the row's batch.
   */
  cellsOf: () => (row: Row, batch?: unknown) => Cell[];
  /**
   * What a batch of rows (EXPORT_BATCH, in order) needs besides its own columns, read on the file's
   * snapshot with one statement per batch at most (the questions' repeat links): never a query per row.
   */
  batchOf?: (rows: readonly Row[], read: ReadRows) => unknown;
}

/** Rows per batch of a file with `batchOf`. */
export const EXPORT_BATCH = 500;

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
  const { connection, rows } = openSnapshot(file);
  try {
    yield* rows();
  } finally {
    // Ends the read transaction and drops the temporary table.
    connection.close();
  }
}

/**
 * The raw rows of a file in batches of `size` (the last may be shorter), each with a reader that
 * runs a statement on the same snapshot while the rows' statement is still open. The connection is
 * read-only, so better-sqlite3's unsafe mode (which allows that) cannot let a write change the rows
 * being walked.
 */
export function* walkBatches(file: Pick<ExportFile, "asOf" | "order" | "rows">, size: number): Generator<{ rows: Row[]; read: ReadRows }> {
  const { connection, rows: walk } = openSnapshot(file);
  try {
    connection.unsafeMode(true);
    const read: ReadRows = <T>(query: SQL) => {
      const { sql: text, params } = dialect.sqlToQuery(query);
      return connection.prepare(text).all(...params) as T[];
    };
    let rows: Row[] = [];
    for (const row of walk()) {
      rows.push(row);
      if (rows.length >= size) {
        yield { rows, read };
        rows = [];
      }
    }
    if (rows.length > 0) yield { rows, read };
  } finally {
    connection.close();
  }
}

/** The file's own read-only connection, in its read transaction, and its rows' statement. */
function openSnapshot(file: Pick<ExportFile, "asOf" | "order" | "rows">): { connection: Database.Database; rows: () => IterableIterator<Row> } {
  const connection = new Database(getDb().$client.name, { readonly: true, fileMustExist: true });
  try {
    connection.pragma("busy_timeout = 5000");
    // One pass over the data: a large page cache would only hold pages that are never read again.
    connection.pragma("cache_size = -2000");
    const statements = exportStatements(file);
    const select = statements.pop()!;
    connection.exec("BEGIN");
    for (const statement of statements) connection.prepare(statement.sql).run(...statement.params);
    return { connection, rows: () => connection.prepare(select.sql).raw().iterate(...select.params) as IterableIterator<Row> };
  } catch (error) {
    connection.close();
    throw error;
  }
}

/** The file's rows of cells, read as they are iterated (see walkRows), by batches for `batchOf`. */
export function* exportRows(file: ExportFile): Generator<Cell[]> {
  const cells = file.cellsOf();
  const { batchOf } = file;
  if (!batchOf) {
    for (const row of walkRows(file)) yield cells(row);
    return;
  }
  for (const { rows, read } of walkBatches(file, EXPORT_BATCH)) {
    const batch = batchOf(rows, read);
    for (const row of rows) yield cells(row, batch);
  }
}
