/**
 * CSV exports of a selection: the same filters, rows and order as the page, every page of it.
 *
 * An export runs on a read-only connection of its own, opened for it and closed when it ends or the
 * download stops, inside one read transaction:
 * 1. the ids it walks (letters, or questions for a sort across letters) are put in the page's order
 *    into a temporary table: a sort of ids only, ~0.1 s at 100,000 letters;
 * 2. ONE SELECT walks that table by rank and joins the rest by index, so rows stream from the first
 *    one instead of SQLite sorting every row up front (seconds at a million questions, with the
 *    event loop stalled).
 * The file is one consistent snapshot however long the download takes, and the statement stays open
 * across event-loop turns while the app's single connection keeps serving pages (an open statement
 * would block every other query on a shared connection). Rows are read raw (arrays, a third faster
 * than objects at a million rows) and written in small chunks, a few milliseconds' worth per pull,
 * so a slow client holds the export back instead of filling memory (see exportToStream).
 *
 * A letter's lists (senders, recipients, topics) come from correlated subqueries as JSON arrays,
 * ordered by their position; question rows repeat their letter's cells, computed once per letter.
 */
import Database from "better-sqlite3";
import { sql, type SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { getDb } from "../../db/client.server";
import { csvLine, joinList, UTF8_BOM } from "~/domain/csv-cells";
import type { CalendarDate } from "~/domain/dates";
import { questionReadingOrder, type LetterFilters, type QuestionFilters } from "~/domain/filters";
import { agencyCell, recipientCell, senderCell } from "~/domain/letter-csv";
import type { LetterStatus, QuestionStatus } from "~/domain/vocabulary";
import {
  daysOutstandingSql,
  letterStatusSql,
  materializedState,
  materializeStateAsOf,
  readsStoredState,
  responseDaysSql,
  stateAsOf,
} from "./letter-state.server";
import { letterOrderBySql, letterWhereSql } from "./letters.server";
import {
  daysOpenSql,
  questionFromSql,
  questionLetterOrderSql,
  questionOrderBySql,
  questionOverdueSql,
  questionWhereSql,
} from "./questions.server";
import { and, selectionWhereSql } from "./selection.server";

const dialect = new SQLiteSyncDialect();

type Cell = string | number | null;
type Row = unknown[];

type LetterSelection = Pick<LetterFilters, "statuses" | "agency" | "committee" | "member" | "tag" | "sentFrom" | "sentTo" | "q" | "sort" | "dir">;
type QuestionSelection = Pick<QuestionFilters, "statuses" | "kinds" | "agency" | "committee" | "member" | "tag" | "sentFrom" | "sentTo" | "q" | "sort" | "dir">;

// ---------------------------------------------------------------- reading a file

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
  const state = stored ? stateAsOf(file.asOf) : materializedState;
  return [
    ...(stored ? [] : materializeStateAsOf(file.asOf)),
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
function* walkRows(file: Pick<ExportFile, "asOf" | "order" | "rows">): Generator<Row> {
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

// ---------------------------------------------------------------- a letter's lists, as JSON

/** Aggregates keep the order of an ordered subquery (SQLite does not flatten it into an aggregate). */
const sendersJsonSql = sql`(SELECT json_group_array(json_array(name, party, state)) FROM (
    SELECT m.name AS name, m.party AS party, m.state AS state
    FROM letter_senders ls JOIN members m ON m.id = ls.member_id
    WHERE ls.letter_id = l.id ORDER BY ls.position))`;

const recipientsJsonSql = sql`(SELECT json_group_array(json_array(name, title, agency)) FROM (
    SELECT o.name AS name, lr.title AS title, a.name AS agency
    FROM letter_recipients lr JOIN officials o ON o.id = lr.official_id JOIN agencies a ON a.id = lr.agency_id
    WHERE lr.letter_id = l.id ORDER BY lr.position))`;

const tagsJsonSql = sql`(SELECT json_group_array(slug) FROM (
    SELECT t.slug AS slug FROM letter_tags lt JOIN tags t ON t.id = lt.tag_id
    WHERE lt.letter_id = l.id ORDER BY t.slug))`;

type Recipient = { name: string; title: string; agency: string };

function parseRecipients(json: unknown): Recipient[] {
  return (JSON.parse(json as string) as Array<[string, string, string]>).map(([name, title, agency]) => ({ name, title, agency }));
}

// ---------------------------------------------------------------- letters

export interface ExportLetter {
  id: number;
  slug: string;
  title: string;
  sentOn: string;
  chamber: string;
  committee: string | null;
  deadline: string | null;
  effectiveDeadline: string | null;
  status: LetterStatus;
  daysOutstanding: number | null;
  firstResponseOn: string | null;
  responseDays: number | null;
  questionsTotal: number;
  questionsOpen: number;
  followsUp: string | null;
  sourceUrl: string | null;
  summary: string | null;
  notes: string | null;
  senders: Array<{ name: string; party: string; state: string }>;
  recipients: Recipient[];
  tags: string[];
}

/** A letter's columns (aliases of WALK_LETTERS), in readLetter's order; LETTER_WIDTH of them. */
function letterColumnsSql(asOf: CalendarDate): SQL {
  return sql`l.id, l.slug, l.title, l.sent_on, l.chamber, c.name, l.deadline, s.effective_deadline,
    ${letterStatusSql(asOf)}, ${daysOutstandingSql(asOf)}, s.first_response_on, ${responseDaysSql},
    s.questions_total, s.questions_open, p.slug, l.source_url, l.summary, l.notes,
    ${sendersJsonSql}, ${recipientsJsonSql}, ${tagsJsonSql}`;
}
const LETTER_WIDTH = 21;

/** The ordered letters of a letter file and their committee and followed-up letter. */
const WALK_LETTERS = sql`temp.export_order eo CROSS JOIN letters l ON l.id = eo.id
    JOIN letter_state s ON s.letter_id = l.id
    LEFT JOIN committees c ON c.id = l.committee_id
    LEFT JOIN letters p ON p.id = l.follows_up_id`;

function readLetter(row: Row): ExportLetter {
  const [id, slug, title, sentOn, chamber, committee, deadline, effectiveDeadline, status, daysOutstanding,
    firstResponseOn, responseDays, questionsTotal, questionsOpen, followsUp, sourceUrl, summary, notes,
    senders, recipients, tags] = row as [
    number, string, string, string, string, string | null, string | null, string | null, LetterStatus, number | null,
    string | null, number | null, number, number, string | null, string | null, string | null, string | null,
    string, string, string,
  ];
  return {
    id, slug, title, sentOn, chamber, committee, deadline, effectiveDeadline, status, daysOutstanding,
    firstResponseOn, responseDays, questionsTotal, questionsOpen, followsUp, sourceUrl, summary, notes,
    senders: (JSON.parse(senders) as Array<[string, string, string]>).map(([name, party, state]) => ({ name, party, state })),
    recipients: parseRecipients(recipients),
    tags: JSON.parse(tags) as string[],
  };
}

/** The ids of the letters /letters shows for these filters, in its order. */
function letterOrderSql({ filters, asOf }: { filters: LetterSelection; asOf: CalendarDate }): SQL {
  return sql`
    SELECT l.id FROM letters l JOIN letter_state s ON s.letter_id = l.id
    WHERE ${letterWhereSql({ filters, asOf })}
    ORDER BY ${letterOrderBySql({ sort: filters.sort, dir: filters.dir, asOf })}`;
}

/** Every letter /letters shows for these filters, in its order, with its people and topics. */
export function* selectedLetters({ filters, asOf }: { filters: LetterSelection; asOf: CalendarDate }): Generator<ExportLetter> {
  // letters.csv walks exactly these rows; read them as letters instead of cells.
  for (const row of walkRows(lettersExport({ filters, asOf }))) yield readLetter(row);
}

/** Keeps the cells of the current letter: a letter's rows come one after another. */
function perLetter<T>(make: (row: Row) => T): (letterId: number, row: Row) => T {
  let lastId: number | undefined;
  let last: T;
  return (letterId, row) => {
    if (letterId !== lastId) {
      lastId = letterId;
      last = make(row);
    }
    return last;
  };
}

// ---------------------------------------------------------------- questions

/** A question's columns (aliases q, qs, l, s), in questionCells' order. */
function questionColumnsSql(asOf: CalendarDate): SQL {
  return sql`q.number, q.kind, q.text, qs.status, qs.status_on, ${daysOpenSql(asOf)}, ${questionOverdueSql(asOf)}`;
}

/** A question's cells from its columns at `at`; empty cells for a letter without questions (NULLs). */
function questionCells(row: Row, at: number): Cell[] {
  const [number, kind, text, status, statusOn, daysOpen] = row.slice(at, at + 6) as [
    number | null, string | null, string | null, QuestionStatus | null, string | null, number | null,
  ];
  if (number === null) return [null, null, null, null, null, null];
  return [number, kind, text, status, status !== "open" ? statusOn : null, daysOpen];
}

function overdueCell(overdue: unknown): Cell {
  return overdue === null ? null : overdue ? "yes" : "no";
}

// ---------------------------------------------------------------- the files

export const LETTER_COLUMNS = [
  "id", "title", "sent_on", "chamber", "committee", "senders", "recipients", "agencies", "deadline",
  "effective_deadline", "status", "days_outstanding", "first_response_on", "response_days",
  "questions_total", "questions_open", "follows_up", "tags", "source_url",
] as const;

export const QUESTION_COLUMNS = [
  "letter_id", "letter_title", "sent_on", "agencies", "recipients", "question_no", "kind", "text",
  "status", "answered_on", "days_open", "effective_deadline", "overdue",
] as const;

export const RESPONSE_COLUMNS = [
  "letter_id", "received_on", "from", "completeness", "summary", "source_url", "notes",
] as const;

/**
 * The import sheet: questions.csv's columns, then the letter columns the importer needs, one row per
 * question (a letter without questions has one row with empty question cells).
 */
export const SHEET_COLUMNS = [
  ...QUESTION_COLUMNS,
  "chamber", "committee", "senders", "deadline", "follows_up", "tags", "source_url", "summary", "notes",
] as const;

export function lettersExport({ filters, asOf }: { filters: LetterSelection; asOf: CalendarDate }): ExportFile {
  return {
    header: LETTER_COLUMNS,
    asOf,
    order: letterOrderSql({ filters, asOf }),
    rows: sql`SELECT ${letterColumnsSql(asOf)} FROM ${WALK_LETTERS} ORDER BY eo.rank`,
    cellsOf: () => (row) => {
      const letter = readLetter(row);
      return [
        letter.slug, letter.title, letter.sentOn, letter.chamber, letter.committee,
        joinList(letter.senders.map(senderCell)), joinList(letter.recipients.map(recipientCell)),
        agencyCell(letter.recipients), letter.deadline, letter.effectiveDeadline, letter.status,
        letter.daysOutstanding, letter.firstResponseOn, letter.responseDays, letter.questionsTotal,
        letter.questionsOpen, letter.followsUp, joinList(letter.tags), letter.sourceUrl,
      ];
    },
  };
}

/** Every question /questions shows for these filters (all pages), in its order. */
export function questionsExport({ filters, asOf }: { filters: QuestionSelection; asOf: CalendarDate }): ExportFile {
  // Only the letter columns this file shows: a subquery per row is the costly part of the SELECT.
  const columns = sql`l.id, l.slug, l.title, l.sent_on, s.effective_deadline, ${recipientsJsonSql}, ${questionColumnsSql(asOf)}`;
  const { sort, dir } = questionReadingOrder(filters);
  const byLetter = questionLetterOrderSql({ sort, dir });
  const file = byLetter
    ? {
        // Sorted letter by letter: walk the letters in order and each one's questions by number.
        order: sql`
          SELECT l.id FROM letters l JOIN letter_state s ON s.letter_id = l.id
          WHERE ${and(selectionWhereSql(filters, asOf))}
          ORDER BY ${byLetter}`,
        rows: sql`
          SELECT ${columns}
          FROM temp.export_order eo CROSS JOIN letters l ON l.id = eo.id
          JOIN letter_state s ON s.letter_id = l.id
          JOIN questions q ON q.letter_id = l.id
          JOIN question_state qs ON qs.question_id = q.id
          WHERE ${questionWhereSql({ filters, asOf })}
          ORDER BY eo.rank, q.number`,
      }
    : {
        // Sorted across letters: the questions themselves are put in order.
        order: sql`
          SELECT q.id FROM ${questionFromSql(sort)}
          WHERE ${questionWhereSql({ filters, asOf })}
          ORDER BY ${questionOrderBySql({ sort, dir, asOf })}`,
        rows: sql`
          SELECT ${columns}
          FROM temp.export_order eo CROSS JOIN questions q ON q.id = eo.id
          JOIN question_state qs ON qs.question_id = q.id
          JOIN letters l ON l.id = q.letter_id
          JOIN letter_state s ON s.letter_id = l.id
          ORDER BY eo.rank`,
      };
  return {
    header: QUESTION_COLUMNS,
    asOf,
    ...file,
    cellsOf: () => {
      const letterCells = perLetter((row): Cell[] => {
        const recipients = parseRecipients(row[5]);
        return [row[1] as string, row[2] as string, row[3] as string, agencyCell(recipients), joinList(recipients.map(recipientCell))];
      });
      return (row) => [
        ...letterCells(row[0] as number, row),
        ...questionCells(row, 6),
        row[4] as string | null,
        overdueCell(row[12]),
      ];
    },
  };
}

/** Every question of the selected letters (and a row for a letter without any), in the import shape. */
export function sheetExport({ filters, asOf }: { filters: LetterSelection; asOf: CalendarDate }): ExportFile {
  return {
    header: SHEET_COLUMNS,
    asOf,
    order: letterOrderSql({ filters, asOf }),
    rows: sql`
      SELECT ${letterColumnsSql(asOf)}, ${questionColumnsSql(asOf)}
      FROM ${WALK_LETTERS}
      LEFT JOIN questions q ON q.letter_id = l.id
      LEFT JOIN question_state qs ON qs.question_id = q.id
      ORDER BY eo.rank, q.number`,
    cellsOf: () => {
      const letterOf = perLetter(readLetter);
      return (row) => {
        const letter = letterOf(row[0] as number, row);
        const recipients = letter.recipients;
        return [
          letter.slug, letter.title, letter.sentOn, agencyCell(recipients), joinList(recipients.map(recipientCell)),
          ...questionCells(row, LETTER_WIDTH),
          // A letter without questions has no overdue question, not a "no".
          letter.effectiveDeadline, row[LETTER_WIDTH] === null ? null : overdueCell(row[LETTER_WIDTH + 6]),
          letter.chamber, letter.committee, joinList(letter.senders.map(senderCell)), letter.deadline,
          letter.followsUp, joinList(letter.tags), letter.sourceUrl, letter.summary, letter.notes,
        ];
      };
    },
  };
}

/** The responses received by `asOf` to the selected letters, letter by letter in the page's order. */
export function responsesExport({ filters, asOf }: { filters: LetterSelection; asOf: CalendarDate }): ExportFile {
  return {
    header: RESPONSE_COLUMNS,
    asOf,
    order: letterOrderSql({ filters, asOf }),
    rows: sql`
      SELECT l.slug, r.received_on, r."from", r.completeness, r.summary, r.source_url, r.notes
      FROM temp.export_order eo CROSS JOIN letters l ON l.id = eo.id JOIN responses r ON r.letter_id = l.id
      WHERE r.received_on <= ${asOf}
      ORDER BY eo.rank, r.received_on, r.id`,
    cellsOf: () => (row) => row as Cell[],
  };
}

/**
 * Characters per chunk: kept under V8's large-object size (128 kB, even for two-byte text), so each
 * chunk is young garbage collected at once rather than piling up until a full collection.
 */
const CHUNK_CHARS = 32_000;

/** The file as CSV text: the byte-order mark and header, then chunks of about `chunkChars`. */
function* csvChunks(file: ExportFile, chunkChars: number): Generator<string> {
  yield UTF8_BOM + csvLine(file.header);
  let text = "";
  for (const cells of exportRows(file)) {
    text += csvLine(cells);
    if (text.length >= chunkChars) {
      yield text;
      text = "";
    }
  }
  if (text.length > 0) yield text;
}

/** Writes a whole export to a string (tests and the CLI; the routes stream). */
export function exportToString(file: ExportFile): string {
  return [...csvChunks(file, CHUNK_CHARS)].join("");
}

/**
 * Milliseconds of export work per turn of the event loop. A page request takes several turns, and
 * each turn carries one slice: at 20 ms pages under load slowed to a quarter of their rate, while one
 * small chunk per turn (~0.3 ms) left the export barely moving (no full export finished within 20 s
 * of 50 concurrent connections). A few milliseconds shares the server between them.
 */
const SLICE_MS = 4;

/**
 * How long a client may stop reading before its export is given up. An export holds a read snapshot
 * open, and while it does SQLite cannot recycle its write-ahead log, which grows with every write.
 */
const STALL_LIMIT_MS = 120_000;

/** Resolves when `wait` does; rejects when it has not after `limitMs`. */
function within(wait: Promise<void>, limitMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`The client read nothing for ${limitMs / 1000} s: export stopped`)), limitMs);
  });
  return Promise.race([wait, limit]).finally(() => clearTimeout(timer));
}

/**
 * The file as a byte stream. The first pull writes only the header, so the response goes out at
 * once; each later pull (made only when the reader wants more) writes chunks for `sliceMs` (at
 * least one) after yielding to other requests. The export's connection closes when the file ends,
 * when the stream is cancelled, when `signal` aborts (Remix aborts the request's signal when the
 * client goes away mid-download) and when the client stops reading for `stallLimitMs`.
 */
export function exportToStream(
  makeFile: () => ExportFile,
  {
    waitForWritable,
    signal,
    chunkChars = CHUNK_CHARS,
    sliceMs = SLICE_MS,
    stallLimitMs = STALL_LIMIT_MS,
  }: {
    waitForWritable?: () => Promise<void>;
    signal?: AbortSignal;
    chunkChars?: number;
    sliceMs?: number;
    stallLimitMs?: number;
  } = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let chunks: Generator<string> | undefined;
  let cancelled = false;
  /** Closes the export's connection (a finished generator ignores a second return). */
  const finish = () => {
    chunks?.return(undefined);
    signal?.removeEventListener("abort", abandoned);
  };
  function abandoned() {
    if (chunks) console.log("Export stopped: the client went away before the end of the file");
    finish();
  }
  signal?.addEventListener("abort", abandoned, { once: true });
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (signal?.aborted) {
            // Nobody is reading any more: end quietly.
            controller.close();
            return;
          }
          if (!chunks) {
            chunks = csvChunks(makeFile(), chunkChars);
            controller.enqueue(encoder.encode(chunks.next().value as string));
            return;
          }
          // Wait while the client is slower than the export, then let other requests run.
          if (waitForWritable) await within(waitForWritable(), stallLimitMs);
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (cancelled) return;
          if (signal?.aborted) {
            controller.close();
            return;
          }
          const until = performance.now() + sliceMs;
          do {
            const next = chunks.next();
            if (next.done) {
              finish();
              controller.close();
              return;
            }
            controller.enqueue(encoder.encode(next.value));
          } while (performance.now() < until);
        } catch (error) {
          finish();
          if (cancelled) return;
          console.log(`Export stopped: ${(error as Error).message}`);
          controller.error(error);
        }
      },
      cancel() {
        cancelled = true;
        finish();
      },
    },
    { highWaterMark: 0 },
  );
}
