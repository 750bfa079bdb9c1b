/**
 * CSV (and JSON) exports of a selection: the same filters and order as the page, every page of it.
 *
 * The app has one SQLite connection per process, and an open statement iterator would block every
 * other query on it. So an export first reads the ordered ids of its whole selection (one integer
 * each), then fetches and writes rows a batch at a time by id, yielding to the event loop between
 * batches so that other requests are served while a large export runs. Memory stays flat: one batch
 * of rows plus the id list.
 */
import { sql, type SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { getDb } from "../../db/client.server";
import { csvLines, joinList, UTF8_BOM } from "~/domain/csv-cells";
import type { CalendarDate } from "~/domain/dates";
import type { LetterFilters, QuestionFilters } from "~/domain/filters";
import { agencyCell, recipientCell, senderCell } from "~/domain/letter-csv";
import type { LetterStatus, QuestionStatus } from "~/domain/status";
import {
  daysOutstandingSql,
  letterStatusSql,
  responseDaysSql,
  stateAsOf,
  stateAsOfForLetters,
} from "./letter-state.server";
import { letterOrderBySql, letterWhereSql } from "./letters.server";
import { and, selectionWhereSql } from "./selection.server";
import { daysOpenSql, questionOrderBySql, questionOverdueSql, questionWhereSql } from "./questions.server";

const dialect = new SQLiteSyncDialect();

/** The first column of every row, as a plain array (no row objects: a million ids is ~8 MB). */
function pluckIds(query: SQL): number[] {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return getDb().$client.prepare(text).pluck().all(...params) as number[];
}

/** `x IN (ids)` with one bound parameter, however many ids. */
function inIds(column: string, ids: readonly number[]): SQL {
  return sql`${sql.raw(column)} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;
}

function byOrder<T>(ids: readonly number[], rows: T[], idOf: (row: T) => number): T[] {
  const found = new Map(rows.map((row) => [idOf(row), row]));
  return ids.flatMap((id) => {
    const row = found.get(id);
    return row ? [row] : [];
  });
}

function groupBy<T extends { letterId: number }>(rows: T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const list = groups.get(row.letterId) ?? [];
    list.push(row);
    groups.set(row.letterId, list);
  }
  return groups;
}

// ---------------------------------------------------------------- selections (ordered ids)

type LetterSelection = Pick<LetterFilters, "statuses" | "agency" | "committee" | "member" | "tag" | "sentFrom" | "sentTo" | "q" | "sort" | "dir">;
type QuestionSelection = Pick<QuestionFilters, "statuses" | "kinds" | "agency" | "committee" | "member" | "tag" | "sentFrom" | "sentTo" | "q" | "sort" | "dir">;

/** The ids of every letter the letters page shows for these filters, in its order. */
export function selectedLetterIds({ filters, asOf }: { filters: LetterSelection; asOf: CalendarDate }): number[] {
  return pluckIds(sql`${stateAsOf(asOf)}
    SELECT l.id FROM letters l JOIN letter_state s ON s.letter_id = l.id
    WHERE ${letterWhereSql({ filters, asOf })}
    ORDER BY ${letterOrderBySql({ sort: filters.sort, dir: filters.dir, asOf })}`);
}

/** The ids of every question the questions page shows for these filters, in its order. */
export function selectedQuestionIds({ filters, asOf }: { filters: QuestionSelection; asOf: CalendarDate }): number[] {
  return pluckIds(sql`${stateAsOf(asOf)}
    SELECT q.id FROM questions q
    JOIN question_state qs ON qs.question_id = q.id
    JOIN letters l ON l.id = q.letter_id
    JOIN letter_state s ON s.letter_id = l.id
    WHERE ${questionWhereSql({ filters, asOf })}
    ORDER BY ${questionOrderBySql({ sort: filters.sort, dir: filters.dir, asOf })}`);
}

// ---------------------------------------------------------------- rows of a batch

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
  recipients: Array<{ name: string; title: string; agency: string }>;
  tags: string[];
}

/** Letters with their people and tags, as of `asOf`, in the order of `ids`. */
export function exportLetterBatch({ ids, asOf }: { ids: readonly number[]; asOf: CalendarDate }): ExportLetter[] {
  if (ids.length === 0) return [];
  const db = getDb();
  const rows = db.all<Omit<ExportLetter, "senders" | "recipients" | "tags">>(sql`${stateAsOfForLetters(asOf, ids)}
    SELECT l.id AS id, l.slug AS slug, l.title AS title, l.sent_on AS sentOn, l.chamber AS chamber,
      c.name AS committee, l.deadline AS deadline, s.effective_deadline AS effectiveDeadline,
      ${letterStatusSql(asOf)} AS status, ${daysOutstandingSql(asOf)} AS daysOutstanding,
      s.first_response_on AS firstResponseOn, ${responseDaysSql} AS responseDays,
      s.questions_total AS questionsTotal, s.questions_open AS questionsOpen,
      p.slug AS followsUp, l.source_url AS sourceUrl, l.summary AS summary, l.notes AS notes
    FROM letters l JOIN letter_state s ON s.letter_id = l.id
    LEFT JOIN committees c ON c.id = l.committee_id
    LEFT JOIN letters p ON p.id = l.follows_up_id
    WHERE ${inIds("l.id", ids)}`);
  const senders = groupBy(
    db.all<{ letterId: number; name: string; party: string; state: string }>(sql`
      SELECT ls.letter_id AS letterId, m.name AS name, m.party AS party, m.state AS state
      FROM letter_senders ls JOIN members m ON m.id = ls.member_id
      WHERE ${inIds("ls.letter_id", ids)} ORDER BY ls.letter_id, ls.position`),
  );
  const recipients = groupBy(
    db.all<{ letterId: number; name: string; title: string; agency: string }>(sql`
      SELECT lr.letter_id AS letterId, o.name AS name, lr.title AS title, a.name AS agency
      FROM letter_recipients lr JOIN officials o ON o.id = lr.official_id JOIN agencies a ON a.id = lr.agency_id
      WHERE ${inIds("lr.letter_id", ids)} ORDER BY lr.letter_id, lr.position`),
  );
  const tags = groupBy(
    db.all<{ letterId: number; slug: string }>(sql`
      SELECT lt.letter_id AS letterId, t.slug AS slug FROM letter_tags lt JOIN tags t ON t.id = lt.tag_id
      WHERE ${inIds("lt.letter_id", ids)} ORDER BY lt.letter_id, t.slug`),
  );
  return byOrder(ids, rows, (row) => row.id).map((row) => ({
    ...row,
    senders: (senders.get(row.id) ?? []).map(({ name, party, state }) => ({ name, party, state })),
    recipients: (recipients.get(row.id) ?? []).map(({ name, title, agency }) => ({ name, title, agency })),
    tags: (tags.get(row.id) ?? []).map((tag) => tag.slug),
  }));
}

export interface ExportQuestion {
  id: number;
  letterId: number;
  number: number;
  kind: string;
  text: string;
  status: QuestionStatus;
  statusOn: string | null;
  daysOpen: number;
  overdue: number;
}

/** Questions with their status as of `asOf`, in the order of `ids`; `letterIds` are their letters. */
function exportQuestionRows({ where, letterIds, asOf, order }: { where: SQL; letterIds: readonly number[]; asOf: CalendarDate; order: SQL }): ExportQuestion[] {
  return getDb().all<ExportQuestion>(sql`${stateAsOfForLetters(asOf, letterIds)}
    SELECT q.id AS id, q.letter_id AS letterId, q.number AS number, q.kind AS kind, q.text AS text,
      qs.status AS status, qs.status_on AS statusOn, ${daysOpenSql(asOf)} AS daysOpen,
      ${questionOverdueSql(asOf)} AS overdue
    FROM questions q
    JOIN question_state qs ON qs.question_id = q.id
    JOIN letters l ON l.id = q.letter_id
    JOIN letter_state s ON s.letter_id = l.id
    WHERE ${where}
    ORDER BY ${order}`);
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

type Cell = string | number | null;

function letterCells(letter: ExportLetter): Cell[] {
  return [
    letter.slug, letter.title, letter.sentOn, letter.chamber, letter.committee,
    joinList(letter.senders.map(senderCell)), joinList(letter.recipients.map(recipientCell)),
    agencyCell(letter.recipients), letter.deadline, letter.effectiveDeadline, letter.status,
    letter.daysOutstanding, letter.firstResponseOn, letter.responseDays, letter.questionsTotal,
    letter.questionsOpen, letter.followsUp, joinList(letter.tags), letter.sourceUrl,
  ];
}

function questionCells(letter: ExportLetter, question: ExportQuestion | null): Cell[] {
  return [
    letter.slug, letter.title, letter.sentOn, agencyCell(letter.recipients),
    joinList(letter.recipients.map(recipientCell)),
    question?.number ?? null, question?.kind ?? null, question?.text ?? null, question?.status ?? null,
    question && question.status !== "open" ? question.statusOn : null,
    question?.daysOpen ?? null, letter.effectiveDeadline,
    question ? (question.overdue ? "yes" : "no") : null,
  ];
}

function sheetCells(letter: ExportLetter, question: ExportQuestion | null): Cell[] {
  return [
    ...questionCells(letter, question),
    letter.chamber, letter.committee, joinList(letter.senders.map(senderCell)), letter.deadline,
    letter.followsUp, joinList(letter.tags), letter.sourceUrl, letter.summary, letter.notes,
  ];
}

export interface ExportFile {
  /** The ordered ids of what the file is batched by: letters, or questions for questions sorted by days open. */
  ids: number[];
  /** Rows of cells for a slice of ids. */
  rowsFor: (ids: number[]) => Cell[][];
  header: readonly string[];
  batchSize: number;
}

export function lettersExport({ filters, asOf }: { filters: LetterSelection; asOf: CalendarDate }): ExportFile {
  return {
    ids: selectedLetterIds({ filters, asOf }),
    header: LETTER_COLUMNS,
    batchSize: 500,
    rowsFor: (ids) => exportLetterBatch({ ids, asOf }).map(letterCells),
  };
}

/**
 * Question sorts that order by letter first and then by question number, with the letter part of
 * questionOrderBySql (app/models/questions.server.ts) that they share; the integration tests hold the
 * export to the page's order for every sort.
 */
function letterMajorOrder(sort: QuestionSelection["sort"], dir: "asc" | "desc"): SQL | null {
  const direction = sql.raw(dir === "asc" ? "ASC" : "DESC");
  switch (sort) {
    case "sent":
      return sql`l.sent_on ${direction}, l.slug ASC`;
    case "deadline":
      return sql`s.effective_deadline IS NULL, s.effective_deadline ${direction}, l.slug ASC`;
    case "letter":
      return sql`l.title COLLATE NOCASE ${direction}, l.slug ASC`;
    default:
      return null;
  }
}

export function questionsExport({ filters, asOf }: { filters: QuestionSelection; asOf: CalendarDate }): ExportFile {
  const letterOrder = letterMajorOrder(filters.sort, filters.dir);
  if (letterOrder) {
    // Sorting a million questions up front would stall every other request for seconds; for these
    // sorts the letters (ten times fewer) are ordered once and their questions fetched per batch.
    return {
      ids: pluckIds(sql`${stateAsOf(asOf)}
        SELECT l.id FROM letters l JOIN letter_state s ON s.letter_id = l.id
        WHERE ${and(selectionWhereSql(filters, asOf))}
        ORDER BY ${letterOrder}`),
      header: QUESTION_COLUMNS,
      batchSize: 100,
      rowsFor: (letterIds) => {
        const questions = groupBy(
          exportQuestionRows({
            where: sql`${inIds("q.letter_id", letterIds)} AND ${questionWhereSql({ filters, asOf })}`,
            letterIds,
            asOf,
            order: sql`q.letter_id, q.number`,
          }),
        );
        const withQuestions = letterIds.filter((id) => questions.has(id));
        const letters = new Map(exportLetterBatch({ ids: withQuestions, asOf }).map((letter) => [letter.id, letter]));
        return withQuestions.flatMap((id) => questions.get(id)!.map((question) => questionCells(letters.get(id)!, question)));
      },
    };
  }
  return {
    ids: selectedQuestionIds({ filters, asOf }),
    header: QUESTION_COLUMNS,
    batchSize: 1000,
    rowsFor: (ids) => {
      const letterIds = pluckIds(sql`SELECT DISTINCT letter_id FROM questions WHERE ${inIds("id", ids)}`);
      const letters = new Map(exportLetterBatch({ ids: letterIds, asOf }).map((letter) => [letter.id, letter]));
      const questions = exportQuestionRows({ where: inIds("q.id", ids), letterIds, asOf, order: sql`q.id` });
      return byOrder(ids, questions, (question) => question.id).map((question) =>
        questionCells(letters.get(question.letterId)!, question),
      );
    },
  };
}

/** Every question of the selected letters (and a row for a letter without any), in the import shape. */
export function sheetExport({ filters, asOf }: { filters: LetterSelection; asOf: CalendarDate }): ExportFile {
  return {
    ids: selectedLetterIds({ filters, asOf }),
    header: SHEET_COLUMNS,
    batchSize: 200,
    rowsFor: (ids) => {
      const questions = groupBy(
        exportQuestionRows({ where: inIds("q.letter_id", ids), letterIds: ids, asOf, order: sql`q.letter_id, q.number` }),
      );
      return exportLetterBatch({ ids, asOf }).flatMap((letter) => {
        const own = questions.get(letter.id) ?? [];
        return own.length === 0 ? [sheetCells(letter, null)] : own.map((question) => sheetCells(letter, question));
      });
    },
  };
}

/** The responses received by `asOf` to the selected letters, letter by letter in the page's order. */
export function responsesExport({ filters, asOf }: { filters: LetterSelection; asOf: CalendarDate }): ExportFile {
  return {
    ids: selectedLetterIds({ filters, asOf }),
    header: RESPONSE_COLUMNS,
    batchSize: 500,
    rowsFor: (ids) => {
      const rows = getDb().all<{ letterId: number; slug: string; receivedOn: string; from: string; completeness: string; summary: string | null; sourceUrl: string | null; notes: string | null }>(sql`
        SELECT r.letter_id AS letterId, l.slug AS slug, r.received_on AS receivedOn, r."from" AS "from",
          r.completeness AS completeness, r.summary AS summary, r.source_url AS sourceUrl, r.notes AS notes
        FROM responses r JOIN letters l ON l.id = r.letter_id
        WHERE ${inIds("r.letter_id", ids)} AND r.received_on <= ${asOf}
        ORDER BY r.received_on, r.id`);
      const byLetter = groupBy(rows);
      return ids.flatMap((id) =>
        (byLetter.get(id) ?? []).map((r) => [r.slug, r.receivedOn, r.from, r.completeness, r.summary, r.sourceUrl, r.notes]),
      );
    },
  };
}

/** Writes a whole export to a string (tests and the CLI; the routes stream). */
export function exportToString(file: ExportFile): string {
  let text = UTF8_BOM + csvLines([file.header]);
  for (let start = 0; start < file.ids.length; start += file.batchSize) {
    text += csvLines(file.rowsFor(file.ids.slice(start, start + file.batchSize)));
  }
  return text;
}

/**
 * The file as a byte stream. The selection is read on the first pull, so the response headers go out
 * at once; each later pull (made only when the reader wants more) writes one batch after yielding.
 */
export function exportToStream(
  makeFile: () => ExportFile,
  { waitForWritable }: { waitForWritable?: () => Promise<void> } = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let file: ExportFile | undefined;
  let next = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (!file) {
            file = makeFile();
            controller.enqueue(encoder.encode(UTF8_BOM + csvLines([file.header])));
            return;
          }
          if (next >= file.ids.length) {
            controller.close();
            return;
          }
          // Wait while the client is slower than the export, then let other requests run.
          await waitForWritable?.();
          await new Promise<void>((resolve) => setImmediate(resolve));
          const ids = file.ids.slice(next, next + file.batchSize);
          next += file.batchSize;
          controller.enqueue(encoder.encode(csvLines(file.rowsFor(ids))));
        } catch (error) {
          controller.error(error);
        }
      },
    },
    { highWaterMark: 0 },
  );
}
