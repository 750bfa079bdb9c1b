/**
 * Reading letters: lists with filters, counts by status, and one letter with everything on it.
 * Lists and counts run in SQL over the derived state (letter-state.server.ts); one letter's page
 * applies the pure status rules to that letter's facts.
 */
import { and as allOf, eq, sql, type SQL } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import {
  committees,
  deadlineChanges,
  letters,
  questionAssessments,
  questions,
  responses,
} from "../../db/schema";
import { daysBetween, type CalendarDate } from "~/domain/dates";
import { ALL_LETTERS, PAGE_SIZE, type LetterFilters, type LetterSort } from "~/domain/filters";
import {
  daysOutstanding,
  deadlineInForce,
  letterQuestionCounts,
  letterStatus,
  questionStatus,
  responseDays,
  type LetterFacts,
} from "~/domain/status";
import { LETTER_STATUSES, type DeadlineSource, type LetterStatus } from "~/domain/vocabulary";
import { cachedForToday } from "./figure-cache.server";
import { letterDocumentsOf, responseDocumentsOf } from "./documents.server";
import { letterRecipientsOf, letterSendersOf, letterTagsOf } from "./letter-parts.server";
import { prepared, preparedSql, statementReader } from "./prepared.server";
import { repeatLinksOf } from "./question-repeats.server";
import { and, letterTextMatchSql, readingForSort, selectionWhereSql, type SelectionReading } from "./selection.server";
import {
  daysOutstandingSql,
  defaultResponseDays,
  letterStatusSql,
  openQuestionsSql,
  readsStoredState,
  responseDaysSql,
  stateAsOf,
} from "./letter-state.server";

/** The letter a prepared statement of one letter's page reads (prepared.server.ts). */
const LETTER_ID = sql.placeholder("letterId");

type Filters = Omit<LetterFilters, "asOf" | "sort" | "dir" | "page">;

export const NO_FILTERS: Filters = { ...ALL_LETTERS, statuses: [] };

/** WHERE conditions for a letter selection as of `asOf`; expects aliases `l` and `s`. */
export function letterWhereSql({
  filters,
  asOf,
  reading,
}: {
  filters: Filters;
  asOf: CalendarDate;
  reading?: SelectionReading;
}): SQL {
  const statuses =
    filters.statuses.length > 0
      ? sql`${letterStatusSql(asOf)} IN (${sql.join(
          filters.statuses.map((status) => sql`${status}`),
          sql`, `,
        )})`
      : null;
  return and([...selectionWhereSql(filters, asOf, reading), statuses, letterTextMatchSql(filters.q)]);
}

function orderBySql(sort: LetterSort, dir: "asc" | "desc", asOf: CalendarDate): SQL {
  const direction = sql.raw(dir === "asc" ? "ASC" : "DESC");
  const statusRank = sql`(CASE ${letterStatusSql(asOf)} ${sql.join(
    LETTER_STATUSES.map((status, index) => sql`WHEN ${status} THEN ${index}`),
    sql` `,
  )} END)`;
  // Letters without a value sort last in either direction; the slug breaks ties stably.
  switch (sort) {
    case "sent":
      return sql`l.sent_on ${direction}, l.slug ASC`;
    case "deadline":
      return sql`s.effective_deadline IS NULL, s.effective_deadline ${direction}, l.sent_on DESC, l.slug ASC`;
    case "outstanding":
      return sql`${daysOutstandingSql(asOf)} IS NULL, ${daysOutstandingSql(asOf)} ${direction}, l.slug ASC`;
    case "title":
      return sql`l.title COLLATE NOCASE ${direction}, l.slug ASC`;
    case "status":
      return sql`${statusRank} ${direction}, l.sent_on DESC, l.slug ASC`;
  }
}

export interface AgencyRef {
  slug: string;
  name: string;
  acronym: string | null;
}

export interface LetterListItem {
  id: number;
  slug: string;
  title: string;
  sentOn: string;
  chamber: string;
  committee: string | null;
  status: LetterStatus;
  deadline: string | null;
  effectiveDeadline: string | null;
  deadlineSource: DeadlineSource | null;
  daysOutstanding: number | null;
  responseDays: number | null;
  questionsTotal: number;
  questionsOpen: number;
  agencies: AgencyRef[];
}

export interface LetterPage {
  letters: LetterListItem[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
}

export function listLetters({
  filters,
  asOf,
  pageSize = PAGE_SIZE,
  total: given,
}: {
  filters: LetterFilters;
  asOf: CalendarDate;
  pageSize?: number;
  /** The selection's total, when the caller has it (list-totals.server.ts: shared by the read threads). */
  total?: number;
}): LetterPage {
  const db = getDb();
  const { page: _page, sort: _sort, dir: _dir, ...selection } = filters;
  // Counting reads the whole selection; for today it is kept until the data changes.
  const total =
    given ??
    cachedForToday({
      asOf,
      key: `letters-count:${JSON.stringify(selection)}`,
      compute: () => countLetters({ filters, asOf }),
    });
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(filters.page, pageCount);
  // The page's letters first, by id: sorted by date or title a walk of that index that stops at
  // the page's end, reading the letters' state only if the filters or the order need it; then
  // their columns, with the state of those letters alone (for a past date, computed per letter).
  const offset = (page - 1) * pageSize;
  const walks = letterOrderWalks({ filters, asOf });
  const ids = walks
    ? idsOfWalks(walks, { filters, asOf, offset, limit: pageSize })
    : db
        .all<{ id: number }>(sql`${stateAsOf(asOf)}
      SELECT l.id AS id FROM letters l JOIN letter_state s ON s.letter_id = l.id
      WHERE ${letterWhereSql({ filters, asOf, reading: readingForSort(filters.sort) })}
      ORDER BY ${orderBySql(filters.sort, filters.dir, asOf)}
      LIMIT ${pageSize} OFFSET ${offset}`)
        .map((row) => row.id);
  const rows = lettersInOrder(ids, asOf);
  const agenciesByLetter = agenciesOfLetters(ids);
  return {
    letters: rows.map((row) => ({ ...row, agencies: agenciesByLetter.get(row.id) ?? [] })),
    total,
    page,
    pageCount,
    pageSize,
  };
}

/**
 * One part of a letter order that an index walks in order: the letters of the part (`where`, on
 * the stored state: aliases l and s), read from `from` in `orderBy`'s order.
 */
interface OrderWalk {
  from: SQL;
  where: SQL | null;
  orderBy: SQL;
  /**
   * A small part found by an index of its own (awaiting and closed letters: a few percent, and spread
   * over every date when they have no deadline): counted, then read by that index and sorted, since
   * a walk of the date index would read to its end to find the last of them.
   */
  small?: boolean;
}

/**
 * `/letters` sorted by deadline, days outstanding or status as of today, with nothing narrowing the
 * letters (but statuses, sorted by status): the order as parts, each a walk of an index that stops at the page's end,
 * instead of ordering every letter after each write (70–110 ms a page at 100,000 letters; the
 * bench's editor saves every second). Each part's order is `orderBySql`'s within it:
 * - deadline: one walk of letters_deadline_{asc,desc}_order_idx (a missing deadline coalesced to the
 *   far end, so last either way), ties by date then slug (SQLite sorts only those ties);
 * - days outstanding: today minus the sent date for letters without a response, so those letters by
 *   date (each date is its own number of days), then the rest (no days: last) by slug;
 * - status: one walk of the date index per status, in the statuses' order (the small ones, awaiting
 *   and closed, read by their own index and sorted).
 * Null otherwise (past dates, whose state is per letter; agency, member, committee, topic, date or
 * text filters, where finding the selection first and sorting it is cheaper).
 */
function letterOrderWalks({ filters, asOf }: { filters: LetterFilters; asOf: CalendarDate }): OrderWalk[] | null {
  const narrowed = filters.agency || filters.committee || filters.member || filters.tag || filters.sentFrom || filters.sentTo || filters.q;
  if (narrowed || !readsStoredState(asOf)) return null;
  // A status filter narrows a deadline or days-outstanding walk to a few of the letters it reads
  // (closed letters by days outstanding: the whole date index read to find none without a
  // response, 200 ms against 84 for the sort); by status, it only drops the other statuses' parts.
  if (filters.statuses.length > 0 && filters.sort !== "status") return null;
  const direction = sql.raw(filters.dir === "asc" ? "ASC" : "DESC");
  const byDate = sql`letters l INDEXED BY letters_sent_on_idx JOIN letter_state s ON s.letter_id = l.id`;
  switch (filters.sort) {
    case "deadline": {
      const [index, missing] = filters.dir === "asc" ? ["letters_deadline_asc_order_idx", "9999-12-31"] : ["letters_deadline_desc_order_idx", "0000-00-00"];
      return [
        {
          from: sql`letters l INDEXED BY ${sql.raw(index)} JOIN letter_state s ON s.letter_id = l.id`,
          where: null,
          orderBy: sql`coalesce(l.effective_deadline, ${sql.raw(`'${missing}'`)}) ${direction}, l.sent_on DESC, l.slug ASC`,
        },
      ];
    }
    case "outstanding":
      // More days outstanding is an earlier date: "desc" walks the dates ascending.
      return [
        { from: byDate, where: sql`s.first_response_on IS NULL`, orderBy: sql`l.sent_on ${sql.raw(filters.dir === "asc" ? "DESC" : "ASC")}, l.slug ASC` },
        {
          from: sql`letters l INDEXED BY letters_slug_unique JOIN letter_state s ON s.letter_id = l.id`,
          where: sql`s.first_response_on IS NOT NULL`,
          orderBy: sql`l.slug ASC`,
        },
      ];
    case "status": {
      const statuses = filters.dir === "asc" ? [...LETTER_STATUSES] : [...LETTER_STATUSES].reverse();
      return statuses
        .filter((status) => filters.statuses.length === 0 || filters.statuses.includes(status))
        .map((status) => {
          const small = status === "awaiting" || status === "closed";
          return {
            from: small ? sql`letters l JOIN letter_state s ON s.letter_id = l.id` : byDate,
            where: storedStatusSql(status, asOf),
            orderBy: sql`l.sent_on DESC, l.slug ASC`,
            small,
          };
        });
    }
    default:
      return null;
  }
}

/**
 * A stored status (today's, on `letters`) as conditions an index can answer: letterStatusSql's
 * COALESCE, written out per status (a letter closed by the date is closed whatever its answers).
 */
function storedStatusSql(status: LetterStatus, asOf: CalendarDate): SQL {
  const open = sql`(l.closed_on IS NULL OR l.closed_on > ${asOf})`;
  switch (status) {
    case "closed":
      return sql`l.closed_on IS NOT NULL AND l.closed_on <= ${asOf}`;
    case "overdue":
      return sql`s.answer_status IS NULL AND s.effective_deadline < ${asOf} AND ${open}`;
    case "awaiting":
      return sql`s.answer_status IS NULL AND (s.effective_deadline IS NULL OR s.effective_deadline >= ${asOf}) AND ${open}`;
    default:
      return sql`s.answer_status = ${status} AND ${open}`;
  }
}

/**
 * The ids of rows `offset` to `offset + limit` of the walks read one after the other. Each walk
 * reads from where the page starts in it and stops at the page's end; one the page starts beyond
 * is then counted (a walk that finds nothing has read its whole index). A small part is counted
 * first (`small`).
 */
function idsOfWalks(walks: OrderWalk[], { filters, asOf, offset, limit }: { filters: LetterFilters; asOf: CalendarDate; offset: number; limit: number }): number[] {
  // Each statement text prepared once per connection: preparing anew was about 1 ms of a list's page.
  const read = statementReader(getDb());
  const ids: number[] = [];
  let skip = offset;
  const count = (walk: OrderWalk) =>
    read<{ n: number }>(sql`${stateAsOf(asOf)}
      SELECT COUNT(*) AS n FROM letters l JOIN letter_state s ON s.letter_id = l.id WHERE ${and([letterWhereSql({ filters, asOf }), walk.where])}`)[0]?.n ?? 0;
  for (const walk of walks) {
    let take = limit - ids.length;
    if (take <= 0) break;
    if (walk.small) {
      const within = count(walk);
      if (skip >= within) {
        skip -= within;
        continue;
      }
      take = Math.min(take, within - skip);
    }
    // The unary plus on l.id and the dates (reading "title") keeps SQLite on the walk's index.
    const where = and([letterWhereSql({ filters, asOf, reading: walk.small ? {} : { inIndexOrder: "title" } }), walk.where]);
    const rows = read<{ id: number }>(sql`${stateAsOf(asOf)}
      SELECT l.id AS id FROM ${walk.from} WHERE ${where} ORDER BY ${walk.orderBy} LIMIT ${take} OFFSET ${skip}`);
    if (rows.length > 0) {
      for (const row of rows) ids.push(row.id);
      skip = 0;
    } else if (skip > 0 && !walk.small) skip = Math.max(0, skip - count(walk));
  }
  return ids;
}

/** How many letters a selection holds; its letters' state is read only for a status filter. */
export function countLetters({ filters, asOf }: { filters: Filters; asOf: CalendarDate }): number {
  const state = filters.statuses.length > 0 ? sql`JOIN letter_state s ON s.letter_id = l.id` : sql``;
  return (
    getDb().get<{ n: number }>(sql`${stateAsOf(asOf)}
      SELECT COUNT(*) AS n FROM letters l ${state} WHERE ${letterWhereSql({ filters, asOf })}`)?.n ?? 0
  );
}

/** The list columns of the letters `ids`, in that order. */
function lettersInOrder(ids: readonly number[], asOf: CalendarDate): Array<Omit<LetterListItem, "agencies">> {
  if (ids.length === 0) return [];
  const rows = statementReader(getDb())<Omit<LetterListItem, "agencies">>(sql`${stateAsOf(asOf)}
    SELECT l.id AS id, l.slug AS slug, l.title AS title, l.sent_on AS sentOn, l.chamber AS chamber,
      c.name AS committee, ${letterStatusSql(asOf)} AS status, l.deadline AS deadline,
      s.effective_deadline AS effectiveDeadline, s.deadline_source AS deadlineSource, ${daysOutstandingSql(asOf)} AS daysOutstanding,
      ${responseDaysSql} AS responseDays, s.questions_total AS questionsTotal,
      ${openQuestionsSql(asOf)} AS questionsOpen
    FROM letters l JOIN letter_state s ON s.letter_id = l.id
    LEFT JOIN committees c ON c.id = l.committee_id
    WHERE l.id IN (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )})`);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id)!);
}

/** The distinct recipient agencies of each letter, in the order the letter addresses them. */
export function agenciesOfLetters(letterIds: number[]): Map<number, AgencyRef[]> {
  const result = new Map<number, AgencyRef[]>();
  if (letterIds.length === 0) return result;
  // A list's page asks this with its 25 letters: one statement text, prepared once per connection.
  const rows = statementReader(getDb())<{ letterId: number } & AgencyRef>(sql`
    SELECT lr.letter_id AS letterId, a.slug AS slug, a.name AS name, a.acronym AS acronym
    FROM letter_recipients lr JOIN agencies a ON a.id = lr.agency_id
    WHERE lr.letter_id IN (${sql.join(
      letterIds.map((id) => sql`${id}`),
      sql`, `,
    )})
    ORDER BY lr.letter_id, lr.position`);
  for (const { letterId, ...agency } of rows) {
    const list = result.get(letterId) ?? [];
    if (!list.some((known) => known.slug === agency.slug)) list.push(agency);
    result.set(letterId, list);
  }
  return result;
}

export function countLettersByStatus({
  asOf,
  filters,
}: {
  asOf: CalendarDate;
  filters?: Filters;
}): Record<LetterStatus, number> {
  const where = letterWhereSql({
    filters: filters ?? NO_FILTERS,
    asOf,
  });
  const rows = getDb().all<{ status: LetterStatus; n: number }>(sql`${stateAsOf(asOf)}
    SELECT ${letterStatusSql(asOf)} AS status, COUNT(*) AS n
    FROM letters l JOIN letter_state s ON s.letter_id = l.id
    WHERE ${where}
    GROUP BY 1`);
  const counts = Object.fromEntries(LETTER_STATUSES.map((status) => [status, 0])) as Record<
    LetterStatus,
    number
  >;
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

export interface OverdueLetter {
  slug: string;
  title: string;
  sentOn: string;
  effectiveDeadline: string;
  deadlineSource: DeadlineSource | null;
  daysOverdue: number;
  agencies: AgencyRef[];
}

/** Overdue letters, longest overdue first. */
export function listOverdueLetters({
  asOf,
  limit = 10,
}: {
  asOf: CalendarDate;
  limit?: number;
}): { letters: OverdueLetter[]; total: number } {
  const db = getDb();
  const overdue = sql`l.sent_on <= ${asOf} AND ${letterStatusSql(asOf)} = 'overdue'`;
  const from = sql`FROM letters l JOIN letter_state s ON s.letter_id = l.id`;
  const state = stateAsOf(asOf);
  const total = db.get<{ n: number }>(sql`${state} SELECT COUNT(*) AS n ${from} WHERE ${overdue}`)?.n ?? 0;
  const rows = db.all<Omit<OverdueLetter, "agencies"> & { id: number }>(sql`${state}
    SELECT l.id AS id, l.slug AS slug, l.title AS title, l.sent_on AS sentOn,
      s.effective_deadline AS effectiveDeadline, s.deadline_source AS deadlineSource,
      CAST(julianday(${asOf}) - julianday(s.effective_deadline) AS INTEGER) AS daysOverdue
    ${from}
    WHERE ${overdue}
    ORDER BY s.effective_deadline ASC, l.slug ASC
    LIMIT ${limit}`);
  const agenciesByLetter = agenciesOfLetters(rows.map((row) => row.id));
  return {
    letters: rows.map(({ id, ...row }) => ({ ...row, agencies: agenciesByLetter.get(id) ?? [] })),
    total,
  };
}

export interface ChainLetter {
  slug: string;
  title: string;
  sentOn: string;
  followsUpSlug: string | null;
}

/**
 * The whole follow-up chain a letter belongs to: from its first letter down every branch.
 * Walks up by primary key and down by letters_follows_up_idx, at most 1000 steps each way; the
 * CROSS JOINs fix the join order so that no step reads all letters (a plain JOIN let SQLite scan
 * every letter for the final join, 20 ms a page at 100,000 letters).
 */
export function followUpChain(letterId: number): ChainLetter[] {
  return preparedSql(getDb(), "detail.chain", () => sql`
    WITH RECURSIVE ancestors(id, follows_up_id, depth) AS (
      SELECT id, follows_up_id, 0 FROM letters WHERE id = ${LETTER_ID}
      UNION ALL
      SELECT l.id, l.follows_up_id, a.depth + 1 FROM ancestors a CROSS JOIN letters l ON l.id = a.follows_up_id
      WHERE a.depth < 1000
    ),
    root AS (SELECT id FROM ancestors ORDER BY depth DESC LIMIT 1),
    chain(id, depth) AS (
      SELECT id, 0 FROM root
      UNION
      SELECT l.id, c.depth + 1 FROM chain c CROSS JOIN letters l ON l.follows_up_id = c.id WHERE c.depth < 1000
    )
    SELECT l.slug AS slug, l.title AS title, l.sent_on AS sentOn, parent.slug AS followsUpSlug
    FROM chain CROSS JOIN letters l ON l.id = chain.id
    LEFT JOIN letters parent ON parent.id = l.follows_up_id
    GROUP BY l.id
    ORDER BY l.sent_on, l.id`).all<ChainLetter>({ letterId });
}

export type LetterDetail = NonNullable<ReturnType<typeof getLetterDetail>>;

/** Responses with their documents (one query for all of them). */
function withDocuments<T extends { id: number }>(rows: T[], db: ReturnType<typeof getDb>) {
  const documents = responseDocumentsOf(rows.map((row) => row.id), db);
  return rows.map((row) => ({ ...row, documents: documents.get(row.id) ?? [] }));
}

/** One letter with everything its page shows, its statuses computed as of `asOf`. */
export function getLetterDetail({ slug, asOf }: { slug: string; asOf: CalendarDate }) {
  const db = getDb();
  // Each statement is built and prepared once per connection (prepared.server.ts): building and
  // preparing them anew was about four fifths of a letter page's 6 ms, SQLite's reading under one.
  const letter = prepared(db, "detail.letter", (on) => on
    .select({
      id: letters.id,
      slug: letters.slug,
      title: letters.title,
      sentOn: letters.sentOn,
      chamber: letters.chamber,
      deadline: letters.deadline,
      summary: letters.summary,
      notes: letters.notes,
      internalNotes: letters.internalNotes,
      sourceUrl: letters.sourceUrl,
      closedOn: letters.closedOn,
      closedReason: letters.closedReason,
      createdAt: letters.createdAt,
      updatedAt: letters.updatedAt,
      committee: { slug: committees.slug, name: committees.name },
    })
    .from(letters)
    .leftJoin(committees, eq(committees.id, letters.committeeId))
    .where(eq(letters.slug, sql.placeholder("slug")))
    .prepare()).get({ slug });
  if (!letter) return null;

  const senders = letterSendersOf({ db, letterId: letter.id });
  const recipients = letterRecipientsOf({ db, letterId: letter.id }).map(({ officialId: _id, ...recipient }) => recipient);
  const letterTagRows = letterTagsOf({ db, letterId: letter.id });
  const byLetter = { letterId: letter.id };
  const questionRows = prepared(db, "detail.questions", (on) => on
    .select({ id: questions.id, number: questions.number, text: questions.text, kind: questions.kind })
    .from(questions)
    .where(eq(questions.letterId, LETTER_ID))
    .orderBy(questions.number)
    .prepare()).all(byLetter);
  // The questions these repeat, and the later questions that repeat these (decision 0023): the
  // same links questions.csv gives (repeatLinksOf).
  const links = repeatLinksOf(statementReader(db), questionRows.map((question) => question.id), asOf);
  const responseRows = prepared(db, "detail.responses", (on) => on
    .select({
      id: responses.id,
      receivedOn: responses.receivedOn,
      receivedPrecision: responses.receivedPrecision,
      from: responses.from,
      completeness: responses.completeness,
      summary: responses.summary,
      sourceUrl: responses.sourceUrl,
      notes: responses.notes,
    })
    .from(responses)
    .where(eq(responses.letterId, LETTER_ID))
    .orderBy(responses.receivedOn, responses.id)
    .prepare()).all(byLetter);
  const assessmentRows = prepared(db, "detail.assessments", (on) => on
    .select({
      questionId: questionAssessments.questionId,
      responseId: questionAssessments.responseId,
      verdict: questionAssessments.verdict,
    })
    .from(questionAssessments)
    .innerJoin(responses, eq(responses.id, questionAssessments.responseId))
    .where(eq(responses.letterId, LETTER_ID))
    .prepare()).all(byLetter);
  const extensionRows = prepared(db, "detail.extensions", (on) => on
    .select({
      id: deadlineChanges.id,
      newDeadline: deadlineChanges.newDeadline,
      grantedOn: deadlineChanges.grantedOn,
      reason: deadlineChanges.reason,
    })
    .from(deadlineChanges)
    .where(eq(deadlineChanges.letterId, LETTER_ID))
    .orderBy(deadlineChanges.grantedOn, deadlineChanges.id)
    .prepare()).all(byLetter);

  const facts: LetterFacts = {
    sentOn: letter.sentOn,
    deadline: letter.deadline,
    closedOn: letter.closedOn,
    questionIds: questionRows.map((question) => question.id),
    responses: responseRows,
    assessments: assessmentRows,
    deadlineChanges: extensionRows,
  };
  const days = defaultResponseDays();
  const deadline = deadlineInForce(facts, asOf, days);
  const deadlineNow = deadline?.date ?? null;
  const status = letterStatus(facts, asOf, days);
  // Letters sent after asOf had not been written yet.
  const chain = followUpChain(letter.id).filter(
    (entry) => entry.sentOn <= asOf || entry.slug === letter.slug,
  );
  const ownLink = chain.find((entry) => entry.slug === letter.slug);
  const questionList = questionRows.map((question) => {
    const link = links.get(question.id);
    return {
      ...question,
      status: questionStatus(question.id, facts, asOf),
      repeats: link?.repeats ?? null,
      // The later ask, once its letter was sent (as of asOf): the chain is counted there.
      repeatedBy: link?.askedAgainIn[0] ?? null,
    };
  });

  return {
    ...letter,
    // A closing dated after asOf had not happened yet.
    closedOn: status === "closed" ? letter.closedOn : null,
    closedReason: status === "closed" ? letter.closedReason : null,
    asOf,
    sentAfterAsOf: letter.sentOn > asOf,
    status,
    effectiveDeadline: deadlineNow,
    deadlineSource: deadline?.source ?? null,
    /** DEFAULT_RESPONSE_DAYS, for the label of an implied deadline. */
    defaultResponseDays: days,
    daysOutstanding: daysOutstanding(facts, asOf),
    responseDays: responseDays(facts, asOf),
    daysOverdue: status === "overdue" && deadlineNow ? daysBetween(deadlineNow, asOf) : null,
    senders,
    recipients,
    tags: letterTagRows,
    questions: questionList,
    /**
     * The questions counted as every count does (letterQuestionCounts, the rule of questionCounts
     * and /questions): open here leaves out those a later letter sent by asOf asks again, and a
     * letter closed by asOf has none open.
     */
    questionCounts: letterQuestionCounts(
      questionList.map((question) => ({ status: question.status, askedAgain: question.repeatedBy !== null })),
      status === "closed",
    ),
    documents: letterDocumentsOf(letter.id, db),
    // Facts dated after asOf are not part of the state of play on that date.
    responses: withDocuments(responseRows.filter((response) => response.receivedOn <= asOf), db),
    laterResponseCount: responseRows.filter((response) => response.receivedOn > asOf).length,
    deadlineChanges: extensionRows.filter((change) => change.grantedOn <= asOf),
    followsUp: chain.find((entry) => entry.slug === ownLink?.followsUpSlug) ?? null,
    followUps: chain.filter((entry) => entry.followsUpSlug === letter.slug),
    chain,
  };
}

/** The ORDER BY of listLetters (aliases `l`, `s`), so exports give the same rows in the same order. */
export function letterOrderBySql({ sort, dir, asOf }: { sort: LetterSort; dir: "asc" | "desc"; asOf: CalendarDate }): SQL {
  return orderBySql(sort, dir, asOf);
}
