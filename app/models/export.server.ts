/**
 * CSV exports of a selection: the same filters, rows and order as the page, every page of it.
 *
 * Each file is the ids it walks in the page's order, one SELECT of named columns that walks them,
 * and a table of column names and cell builders (app/domain/export-columns.ts) that makes each row
 * from what that SELECT read, by name. Files are read on a snapshot of their own
 * (export-snapshot.server.ts) and streamed out in chunks (export-stream.server.ts).
 *
 * A letter's lists (senders, recipients, topics) come from correlated subqueries as JSON arrays,
 * ordered by their position; question rows repeat their letter's cells, computed once per letter.
 */
import { sql, type SQL } from "drizzle-orm";
import type { CalendarDate } from "~/domain/dates";
import {
  cellsOf,
  LETTER_COLUMNS,
  LETTER_FILE,
  QUESTION_COLUMNS,
  QUESTION_FILE,
  questionRowMaker,
  RESPONSE_COLUMNS,
  RESPONSE_FILE,
  SHEET_COLUMNS,
  SHEET_FILE,
  type ExportLetter,
  type ExportQuestion,
  type ExportRecipient,
  type ExportResponse,
  type QuestionRef,
  type QuestionRowLetter,
} from "~/domain/export-columns";
import { questionReadingOrder, type LetterFilters, type QuestionFilters } from "~/domain/filters";
import { type ExportFile, type Row, walkRows } from "./export-snapshot.server";
import { daysOutstandingSql, letterStatusSql, openQuestionsSql, responseDaysSql } from "./letter-state.server";
import { letterOrderBySql, letterWhereSql } from "./letters.server";
import {
  daysOpenSql,
  firstAskOrderSql,
  questionFromSql,
  questionLetterOrderSql,
  questionOrderBySql,
  questionOverdueSql,
  questionWhereSql,
} from "./questions.server";
import { repeatLinksOf, type RepeatLink, type RepeatLinks } from "./question-repeats.server";
import { and, selectionWhereSql } from "./selection.server";

type LetterSelection = Pick<LetterFilters, "statuses" | "agency" | "committee" | "member" | "tag" | "sentFrom" | "sentTo" | "q" | "sort" | "dir">;
type QuestionSelection = Pick<QuestionFilters, "statuses" | "kinds" | "agency" | "committee" | "member" | "tag" | "sentFrom" | "sentTo" | "q" | "sort" | "dir">;

// ---------------------------------------------------------------- named columns of a SELECT

/**
 * The columns of a SELECT by name: their SQL list, in one order, and a reader that takes them back
 * from a raw row by the same names, so the list and the reader cannot drift apart.
 */
interface Fields<T> {
  sql: SQL;
  width: number;
  /** The position of a field in the list. */
  at(name: keyof T): number;
  /** The fields from a raw row, starting at `offset`. */
  read(row: Row, offset?: number): T;
}

function fields<T>(columns: { [K in keyof T]: SQL }): Fields<T> {
  const names = Object.keys(columns) as Array<keyof T & string>;
  if (!names.every((name) => /^[A-Za-z]\w*$/.test(name))) throw new Error(`Field names must be identifiers: ${names.join(", ")}`);
  // One object literal of a fixed shape per row. Filling an object by a loop of keyed stores
  // doubled the time spent making cells (measured on 146,000 question rows, about a tenth of the
  // whole export). The names are this file's own identifiers, never data.
  const read = new Function("row", "offset", `return { ${names.map((name, index) => `${name}: row[offset + ${index}]`).join(", ")} };`) as (
    row: Row,
    offset: number,
  ) => T;
  return {
    sql: sql.join(
      names.map((name) => columns[name]),
      sql`, `,
    ),
    width: names.length,
    at: (name) => names.indexOf(name as keyof T & string),
    read: (row, offset = 0) => read(row, offset),
  };
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

function parseRecipients(json: string): ExportRecipient[] {
  return (JSON.parse(json) as Array<[string, string, string]>).map(([name, title, agency]) => ({ name, title, agency }));
}

// ---------------------------------------------------------------- letters

/** A letter as its SELECT reads it: the lists still JSON. */
type LetterFields = Omit<ExportLetter, "senders" | "recipients" | "tags"> & { senders: string; recipients: string; tags: string };

/** A letter's columns (aliases of WALK_LETTERS). */
function letterFields(asOf: CalendarDate): Fields<LetterFields> {
  return fields<LetterFields>({
    id: sql`l.id`,
    slug: sql`l.slug`,
    title: sql`l.title`,
    sentOn: sql`l.sent_on`,
    chamber: sql`l.chamber`,
    committee: sql`c.name`,
    deadline: sql`l.deadline`,
    effectiveDeadline: sql`s.effective_deadline`,
    deadlineSource: sql`s.deadline_source`,
    status: letterStatusSql(asOf),
    daysOutstanding: daysOutstandingSql(asOf),
    firstResponseOn: sql`s.first_response_on`,
    responseDays: responseDaysSql,
    questionsTotal: sql`s.questions_total`,
    questionsOpen: openQuestionsSql(asOf),
    followsUp: sql`p.slug`,
    sourceUrl: sql`l.source_url`,
    summary: sql`l.summary`,
    notes: sql`l.notes`,
    senders: sendersJsonSql,
    recipients: recipientsJsonSql,
    tags: tagsJsonSql,
  });
}

/** The ordered letters of a letter file and their committee and followed-up letter. */
const WALK_LETTERS = sql`temp.export_order eo CROSS JOIN letters l ON l.id = eo.id
    JOIN letter_state s ON s.letter_id = l.id
    LEFT JOIN committees c ON c.id = l.committee_id
    LEFT JOIN letters p ON p.id = l.follows_up_id`;

function readLetter(columns: Fields<LetterFields>, row: Row): ExportLetter {
  const letter = columns.read(row);
  return {
    ...letter,
    senders: (JSON.parse(letter.senders) as Array<[string, string, string]>).map(([name, party, state]) => ({ name, party, state })),
    recipients: parseRecipients(letter.recipients),
    tags: JSON.parse(letter.tags) as string[],
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
  const columns = letterFields(asOf);
  for (const row of walkRows(lettersExport({ filters, asOf }))) yield readLetter(columns, row);
}

/** Keeps the current letter: a letter's rows come one after another. */
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

/** A question's columns (aliases q, qs, l, s). A letter without questions reads NULLs (LEFT JOIN). */
function questionFields(asOf: CalendarDate): Fields<ExportQuestion> {
  return fields<ExportQuestion>({
    number: sql`q.number`,
    kind: sql`q.kind`,
    text: sql`q.text`,
    status: sql`qs.status`,
    statusOn: sql`qs.status_on`,
    daysOpen: daysOpenSql(asOf),
    overdue: questionOverdueSql(asOf),
  });
}

/** The question at `offset`, or null on a letter's row without one. */
function readQuestion(columns: Fields<ExportQuestion>, row: Row, offset: number): ExportQuestion | null {
  return row[offset + columns.at("number")] === null ? null : columns.read(row, offset);
}

// ---------------------------------------------------------------- the files

export function lettersExport({ filters, asOf }: { filters: LetterSelection; asOf: CalendarDate }): ExportFile {
  const letter = letterFields(asOf);
  return {
    header: LETTER_COLUMNS,
    asOf,
    order: letterOrderSql({ filters, asOf }),
    rows: sql`SELECT ${letter.sql} FROM ${WALK_LETTERS} ORDER BY eo.rank`,
    cellsOf: () => (row) => cellsOf(LETTER_FILE, readLetter(letter, row)),
  };
}

/** Every question /questions shows for these filters (all pages), in its order. */
export function questionsExport({ filters, asOf }: { filters: QuestionSelection; asOf: CalendarDate }): ExportFile {
  // Only the letter columns this file shows: a subquery per row is the costly part of the SELECT.
  const letter = fields<Omit<QuestionRowLetter, "recipients"> & { recipients: string }>({
    id: sql`l.id`,
    slug: sql`l.slug`,
    title: sql`l.title`,
    sentOn: sql`l.sent_on`,
    effectiveDeadline: sql`s.effective_deadline`,
    deadlineSource: sql`s.deadline_source`,
    recipients: recipientsJsonSql,
  });
  const question = questionFields(asOf);
  // What tells which rows have repeat links to read (batchOf): most have none.
  const linkKeys = fields<{ id: number; repeatsId: number | null; repeatedOn: CalendarDate | null }>({
    id: sql`q.id`,
    repeatsId: sql`q.repeats_question_id`,
    repeatedOn: sql`q.repeated_on`,
  });
  const keysAt = letter.width + question.width;
  const columns = sql`${letter.sql}, ${question.sql}, ${linkKeys.sql}`;
  const { sort, dir, byFirstAsk } = questionReadingOrder(filters);
  const byLetter = byFirstAsk ? null : questionLetterOrderSql({ sort, dir });
  // Open questions by days open: the list's own order (firstAskOrderSql), a walk of the letters by
  // date with the repeats merged in by their first ask, as question ids (the outer SELECT keeps the
  // merged order: SQLite reads the ordered UNION ALL as a co-routine).
  const order = byFirstAsk
    ? sql`SELECT id FROM (${firstAskOrderSql({ filters, asOf, dir })})`
    : sql`
          SELECT q.id FROM ${questionFromSql(sort)}
          WHERE ${questionWhereSql({ filters, asOf })}
          ORDER BY ${questionOrderBySql({ sort, dir, asOf })}`;
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
        order,
        rows: sql`
          SELECT ${columns}
          FROM temp.export_order eo CROSS JOIN questions q ON q.id = eo.id
          JOIN question_state qs ON qs.question_id = q.id
          JOIN letters l ON l.id = q.letter_id
          JOIN letter_state s ON s.letter_id = l.id
          ORDER BY eo.rank`,
      };
  const letterId = letter.at("id");
  return {
    header: QUESTION_COLUMNS,
    asOf,
    ...file,
    // The repeat links of a batch's questions that have any as of asOf (a repeat, or a question a
    // letter sent by then asks again): one statement, the letter page's (repeatLinksOf).
    batchOf: (rows, read) => {
      const linked = rows.flatMap((row) => {
        const keys = linkKeys.read(row, keysAt);
        return keys.repeatsId !== null || (keys.repeatedOn !== null && keys.repeatedOn <= asOf) ? [keys.id] : [];
      });
      return repeatLinksOf(read, linked, asOf);
    },
    cellsOf: () => {
      const letterOf = perLetter((row): QuestionRowLetter => {
        const read = letter.read(row);
        return { ...read, recipients: parseRecipients(read.recipients) };
      });
      const cells = questionRowMaker(QUESTION_FILE);
      return (row, batch) => {
        const own = readQuestion(question, row, letter.width);
        const links = (batch as Map<number, RepeatLinks> | undefined)?.get(row[keysAt + linkKeys.at("id")] as number);
        const ref = (link: RepeatLink): QuestionRef => ({ letterSlug: link.letterSlug, number: link.number });
        return cells(
          letterOf(row[letterId] as number, row),
          own && { ...own, repeats: links?.repeats ? ref(links.repeats) : null, askedAgainIn: links?.askedAgainIn.map(ref) ?? [] },
        );
      };
    },
  };
}

/** Every question of the selected letters (and a row for a letter without any), in the import shape. */
export function sheetExport({ filters, asOf }: { filters: LetterSelection; asOf: CalendarDate }): ExportFile {
  const letter = letterFields(asOf);
  const question = questionFields(asOf);
  const letterId = letter.at("id");
  return {
    header: SHEET_COLUMNS,
    asOf,
    order: letterOrderSql({ filters, asOf }),
    rows: sql`
      SELECT ${letter.sql}, ${question.sql}
      FROM ${WALK_LETTERS}
      LEFT JOIN questions q ON q.letter_id = l.id
      LEFT JOIN question_state qs ON qs.question_id = q.id
      ORDER BY eo.rank, q.number`,
    cellsOf: () => {
      const letterOf = perLetter((row) => readLetter(letter, row));
      const cells = questionRowMaker(SHEET_FILE);
      return (row) => cells(letterOf(row[letterId] as number, row), readQuestion(question, row, letter.width));
    },
  };
}

/** The responses received by `asOf` to the selected letters, letter by letter in the page's order. */
export function responsesExport({ filters, asOf }: { filters: LetterSelection; asOf: CalendarDate }): ExportFile {
  const response = fields<ExportResponse>({
    letterSlug: sql`l.slug`,
    receivedOn: sql`r.received_on`,
    receivedPrecision: sql`r.received_precision`,
    from: sql`r."from"`,
    completeness: sql`r.completeness`,
    summary: sql`r.summary`,
    sourceUrl: sql`r.source_url`,
    notes: sql`r.notes`,
  });
  return {
    header: RESPONSE_COLUMNS,
    asOf,
    order: letterOrderSql({ filters, asOf }),
    rows: sql`
      SELECT ${response.sql}
      FROM temp.export_order eo CROSS JOIN letters l ON l.id = eo.id JOIN responses r ON r.letter_id = l.id
      WHERE r.received_on <= ${asOf}
      ORDER BY eo.rank, r.received_on, r.id`,
    cellsOf: () => (row) => cellsOf(RESPONSE_FILE, response.read(row)),
  };
}

// ---------------------------------------------------------------- by name

/** An export named in plain data: what an export worker thread is told to write. */
export type ExportSpec =
  | { kind: "letters" | "letters-questions" | "responses"; filters: LetterSelection; asOf: CalendarDate }
  | { kind: "questions"; filters: QuestionSelection; asOf: CalendarDate };

/**
 * How an export is written out: CSV (with a byte-order mark only when asked: `excel=1`, decision
 * 0015) or an `.xlsx` workbook whose letter links start at `publicUrl`.
 */
export type ExportOutput = { format: "csv"; bom: boolean } | { format: "xlsx"; publicUrl: string };

/** The sheet's title in a workbook: what the export holds. */
export const EXPORT_TITLES: Record<ExportSpec["kind"], string> = {
  letters: "Letters",
  "letters-questions": "Letters and questions",
  responses: "Responses",
  questions: "Questions",
};

export function exportFileOf(spec: ExportSpec): ExportFile {
  switch (spec.kind) {
    case "letters":
      return lettersExport(spec);
    case "letters-questions":
      return sheetExport(spec);
    case "responses":
      return responsesExport(spec);
    case "questions":
      return questionsExport(spec);
  }
}
