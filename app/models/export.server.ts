/**
 * CSV exports of a selection: the same filters, rows and order as the page, every page of it.
 *
 * Each file is ONE SELECT (the page's WHERE and ORDER BY, without LIMIT) run on a read-only
 * connection of its own, opened for the export and closed when it ends or the download stops:
 * - the file is one consistent snapshot of the data, however long the download takes;
 * - the statement stays open across event-loop turns while the app's single connection keeps
 *   serving pages (an open statement would block every other query on a shared connection).
 * Rows are read raw (arrays, a third faster than objects at a million rows) and written in small
 * chunks, one per pull, so a slow client holds the export back instead of filling memory.
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
import type { LetterFilters, QuestionFilters } from "~/domain/filters";
import { agencyCell, recipientCell, senderCell } from "~/domain/letter-csv";
import type { LetterStatus, QuestionStatus } from "~/domain/status";
import { daysOutstandingSql, letterStatusSql, responseDaysSql, stateAsOf } from "./letter-state.server";
import { letterOrderBySql, letterWhereSql } from "./letters.server";
import { daysOpenSql, questionFromSql, questionOrderBySql, questionOverdueSql, questionWhereSql } from "./questions.server";

const dialect = new SQLiteSyncDialect();

type Cell = string | number | null;
type Row = unknown[];

type LetterSelection = Pick<LetterFilters, "statuses" | "agency" | "committee" | "member" | "tag" | "sentFrom" | "sentTo" | "q" | "sort" | "dir">;
type QuestionSelection = Pick<QuestionFilters, "statuses" | "kinds" | "agency" | "committee" | "member" | "tag" | "sentFrom" | "sentTo" | "q" | "sort" | "dir">;

/**
 * The raw rows of one SELECT, from a read-only connection of its own to the app's database file.
 * The connection closes when the rows run out or the caller stops early (`return()` on the
 * generator, which a `for…of` that breaks calls too).
 */
export function* snapshotRows(query: SQL): Generator<Row> {
  const connection = new Database(getDb().$client.name, { readonly: true, fileMustExist: true });
  try {
    connection.pragma("busy_timeout = 5000");
    // One pass over the data: a large page cache would only hold pages that are never read again.
    connection.pragma("cache_size = -2000");
    const { sql: text, params } = dialect.sqlToQuery(query);
    yield* connection.prepare(text).raw().iterate(...params) as IterableIterator<Row>;
  } finally {
    connection.close();
  }
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

/** A letter's columns, in readLetter's order (aliases of LETTER_TABLES); LETTER_WIDTH of them. */
function letterColumnsSql(asOf: CalendarDate): SQL {
  return sql`l.id, l.slug, l.title, l.sent_on, l.chamber, c.name, l.deadline, s.effective_deadline,
    ${letterStatusSql(asOf)}, ${daysOutstandingSql(asOf)}, s.first_response_on, ${responseDaysSql},
    s.questions_total, s.questions_open, p.slug, l.source_url, l.summary, l.notes,
    ${sendersJsonSql}, ${recipientsJsonSql}, ${tagsJsonSql}`;
}
const LETTER_WIDTH = 21;

const LETTER_TABLES = sql`letters l JOIN letter_state s ON s.letter_id = l.id
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

/** The SELECT of the letters /letters shows for these filters, in its order, letter columns first. */
function letterSelectionSql({ filters, asOf, join = sql``, extraColumns = sql``, thenBy = sql`` }: {
  filters: LetterSelection;
  asOf: CalendarDate;
  join?: SQL;
  extraColumns?: SQL;
  thenBy?: SQL;
}): SQL {
  return sql`${stateAsOf(asOf)}
    SELECT ${letterColumnsSql(asOf)}${extraColumns}
    FROM ${LETTER_TABLES} ${join}
    WHERE ${letterWhereSql({ filters, asOf })}
    ORDER BY ${letterOrderBySql({ sort: filters.sort, dir: filters.dir, asOf })}${thenBy}`;
}

/** Every letter /letters shows for these filters, in its order, with its people and topics. */
export function* selectedLetters({ filters, asOf }: { filters: LetterSelection; asOf: CalendarDate }): Generator<ExportLetter> {
  for (const row of snapshotRows(letterSelectionSql({ filters, asOf }))) yield readLetter(row);
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

/** A question's columns (aliases q, qs, l, s), in questionCells' order; QUESTION_WIDTH of them. */
function questionColumnsSql(asOf: CalendarDate): SQL {
  return sql`q.number, q.kind, q.text, qs.status, qs.status_on, ${daysOpenSql(asOf)}, ${questionOverdueSql(asOf)}`;
}

/** A question's cells from its columns at `at`; empty cells for a letter without questions (NULLs). */
function questionCells(row: Row, at: number): Cell[] {
  const [number, kind, text, status, statusOn, daysOpen, overdue] = row.slice(at, at + 7) as [
    number | null, string | null, string | null, QuestionStatus | null, string | null, number | null, number | null,
  ];
  if (number === null) return [null, null, null, null, null, null];
  return [number, kind, text, status, status !== "open" ? statusOn : null, daysOpen];
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

export interface ExportFile {
  header: readonly string[];
  /** The one SELECT the file is read from (the benchmark runs it through sqlite3 as the floor). */
  query: SQL;
  /** A fresh row-to-cells function for one pass over the rows (it may keep its letter's cells). */
  cellsOf: () => (row: Row) => Cell[];
}

/** The file's rows of cells, read from a snapshot connection of their own as they are iterated. */
export function* exportRows(file: ExportFile): Generator<Cell[]> {
  const cells = file.cellsOf();
  for (const row of snapshotRows(file.query)) yield cells(row);
}

function overdueCell(overdue: unknown): Cell {
  return overdue === null ? null : overdue ? "yes" : "no";
}

export function lettersExport({ filters, asOf }: { filters: LetterSelection; asOf: CalendarDate }): ExportFile {
  return {
    header: LETTER_COLUMNS,
    query: letterSelectionSql({ filters, asOf }),
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
  const query = sql`${stateAsOf(asOf)}
    SELECT l.id, l.slug, l.title, l.sent_on, s.effective_deadline, ${recipientsJsonSql},
      ${questionColumnsSql(asOf)}
    FROM ${questionFromSql(filters.sort)}
    WHERE ${questionWhereSql({ filters, asOf })}
    ORDER BY ${questionOrderBySql({ sort: filters.sort, dir: filters.dir, asOf })}`;
  return {
    header: QUESTION_COLUMNS,
    query,
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
  const query = letterSelectionSql({
    filters,
    asOf,
    join: sql`LEFT JOIN questions q ON q.letter_id = l.id LEFT JOIN question_state qs ON qs.question_id = q.id`,
    extraColumns: sql`, ${questionColumnsSql(asOf)}`,
    thenBy: sql`, q.number`,
  });
  return {
    header: SHEET_COLUMNS,
    query,
    cellsOf: () => {
      const letterOf = perLetter(readLetter);
      return (row) => {
        const letter = letterOf(row[0] as number, row);
        const recipients = letter.recipients;
        return [
          letter.slug, letter.title, letter.sentOn, agencyCell(recipients), joinList(recipients.map(recipientCell)),
          ...questionCells(row, LETTER_WIDTH),
          letter.effectiveDeadline, overdueCell(row[LETTER_WIDTH + 6]),
          letter.chamber, letter.committee, joinList(letter.senders.map(senderCell)), letter.deadline,
          letter.followsUp, joinList(letter.tags), letter.sourceUrl, letter.summary, letter.notes,
        ];
      };
    },
  };
}

/** The responses received by `asOf` to the selected letters, letter by letter in the page's order. */
export function responsesExport({ filters, asOf }: { filters: LetterSelection; asOf: CalendarDate }): ExportFile {
  const query = sql`${stateAsOf(asOf)}
    SELECT l.slug, r.received_on, r."from", r.completeness, r.summary, r.source_url, r.notes
    FROM letters l JOIN letter_state s ON s.letter_id = l.id JOIN responses r ON r.letter_id = l.id
    WHERE ${letterWhereSql({ filters, asOf })} AND r.received_on <= ${asOf}
    ORDER BY ${letterOrderBySql({ sort: filters.sort, dir: filters.dir, asOf })}, r.received_on, r.id`;
  return { header: RESPONSE_COLUMNS, query, cellsOf: () => (row) => row as Cell[] };
}

/**
 * Characters per chunk of a streamed file: ~100 rows, a fraction of a millisecond of work between
 * event-loop turns. Kept under V8's large-object size (128 kB, even for two-byte text), so each
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
 * The file as a byte stream. Nothing is read before the first pull, so the response headers go out
 * at once; each pull (made only when the reader wants more) writes one chunk after yielding to other
 * requests. Cancelling the stream (the client went away) closes the export's connection.
 */
export function exportToStream(
  makeFile: () => ExportFile,
  { waitForWritable, chunkChars = CHUNK_CHARS }: { waitForWritable?: () => Promise<void>; chunkChars?: number } = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let chunks: Generator<string> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (chunks) {
            // Wait while the client is slower than the export, then let other requests run.
            await waitForWritable?.();
            await new Promise<void>((resolve) => setImmediate(resolve));
          }
          chunks ??= csvChunks(makeFile(), chunkChars);
          const next = chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        } catch (error) {
          chunks?.return(undefined);
          controller.error(error);
        }
      },
      cancel() {
        chunks?.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}
