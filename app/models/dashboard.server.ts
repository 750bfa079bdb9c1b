/**
 * Figures for the overview, the scorecards, member and committee pages and the briefing. Counts
 * are aggregated in SQL (GROUP BY over the derived letter state); the pure statistics module
 * (app/domain/statistics.ts) turns the few grouped rows into curves, medians and rates. One
 * exception, agencyFigures, sums its (letter, agency) rows as they stream past, holding only the
 * per-agency sums: a GROUP BY there made SQLite's sorter hold every pair at once.
 *
 * Every query reads the letter state through letterStateSql: within withStateSnapshot (the
 * overview, the scorecards, a briefing on every letter) a page's figures about a past date share
 * one computed snapshot of every letter's state, and today's are kept until the data changes
 * (state-snapshot.server.ts); otherwise a figure about a past date computes the state of its own
 * selection's letters only, as it reads them (agencyFigures and questionCounts: once per letter,
 * `of` in stateAsOf), so a member's figures never compute every letter's.
 */
import { sql, type SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { getDb } from "../../db/client.server";
import type { CalendarDate } from "~/domain/dates";
import { ALL_LETTERS, type SelectionFilters } from "~/domain/filters";
import {
  AGE_BUCKETS,
  countByBucket,
  groupedMedian,
  isRated,
  kaplanMeier,
  rate,
  RESPONSE_DAY_BUCKETS,
  summarizeCurve,
  type DurationGroup,
  type Rate,
  type SurvivalCurve,
} from "~/domain/statistics";
import { LETTER_STATUSES, type DatePrecision, type DeadlineSource, type LetterStatus, type QuestionStatus } from "~/domain/vocabulary";
import { daysOutstandingSql, letterClosedSql, letterStatusSql, openLetterStatusesSql, openQuestionsSql, readsStoredState, repeatedOpenSql } from "./letter-state.server";
import { agenciesOfLetters, letterWhereSql, NO_FILTERS, type AgencyRef } from "./letters.server";
import { letterStateSql } from "./state-snapshot.server";

/** Which letters a figure covers: the shared filter model without asOf (passed separately). */
export type Selection = Omit<SelectionFilters, "asOf">;

function whereSql(selection: Selection | undefined, asOf: CalendarDate): SQL {
  return letterWhereSql({ filters: { ...NO_FILTERS, ...(selection ?? ALL_LETTERS), statuses: [] }, asOf });
}

/**
 * The letter state for a figure that reads many state columns of every letter of `selection`:
 * from the page's snapshot if there is one, else (for a past date) computed once for each letter
 * of the selection. A figure that reads one or two columns (a count by status) does better reading
 * them per row (letterStateSql), which looks up only what it reads.
 */
function selectionStateSql(selection: Selection | undefined, asOf: CalendarDate): SQL {
  return letterStateSql(asOf, { of: sql`SELECT l.id FROM letters l WHERE ${whereSql(selection, asOf)}` });
}

const dialect = new SQLiteSyncDialect();

const FROM_LETTERS = sql`FROM letters l JOIN letter_state s ON s.letter_id = l.id`;

/** Letters in a selection by status (as countLettersByStatus, but snapshot-aware). */
export function statusCounts({ asOf, selection }: { asOf: CalendarDate; selection?: Selection }): Record<LetterStatus, number> {
  const rows = getDb().all<{ status: LetterStatus; n: number }>(sql`${letterStateSql(asOf)}
    SELECT ${letterStatusSql(asOf)} AS status, COUNT(*) AS n
    ${FROM_LETTERS} WHERE ${whereSql(selection, asOf)}
    GROUP BY 1`);
  const counts = Object.fromEntries(LETTER_STATUSES.map((status) => [status, 0])) as Record<LetterStatus, number>;
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/** Letters with no substantive response that are not closed: what "open" means on the dashboard. */
function openLetterSql(asOf: CalendarDate): SQL {
  return sql`${letterStatusSql(asOf)} IN (${openLetterStatusesSql})`;
}

/**
 * Days each letter was observed: to its first substantive response (an event), else to its
 * closing (a closed letter will not be answered), else to asOf (still waiting: censored).
 */
function durationSql(asOf: CalendarDate): SQL {
  return sql`CAST(julianday(CASE
      WHEN s.first_response_on IS NOT NULL THEN s.first_response_on
      WHEN l.closed_on IS NOT NULL AND l.closed_on <= ${asOf} THEN l.closed_on
      ELSE ${asOf} END) - julianday(l.sent_on) AS INTEGER)`;
}
const eventSql = sql`(s.first_response_on IS NOT NULL)`;

export interface MonthCount {
  month: string;
  counts: Record<LetterStatus, number>;
  total: number;
}

/** Letters sent per month, split by their status as of `asOf`; months without letters included. */
export function lettersPerMonth({ asOf, selection }: { asOf: CalendarDate; selection?: Selection }): MonthCount[] {
  const rows = getDb().all<{ month: string; status: LetterStatus; n: number }>(sql`${letterStateSql(asOf)}
    SELECT substr(l.sent_on, 1, 7) AS month, ${letterStatusSql(asOf)} AS status, COUNT(*) AS n
    ${FROM_LETTERS} WHERE ${whereSql(selection, asOf)}
    GROUP BY 1, 2 ORDER BY 1`);
  if (rows.length === 0) return [];
  const byMonth = new Map<string, MonthCount>();
  const empty = () => Object.fromEntries(LETTER_STATUSES.map((status) => [status, 0])) as Record<LetterStatus, number>;
  // Every month from the first to the last, so the time axis is even.
  let [year, month] = rows[0]!.month.split("-").map(Number) as [number, number];
  const last = rows.at(-1)!.month;
  for (;;) {
    const key = `${year}-${String(month).padStart(2, "0")}`;
    byMonth.set(key, { month: key, counts: empty(), total: 0 });
    if (key >= last) break;
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
  for (const row of rows) {
    const entry = byMonth.get(row.month)!;
    entry.counts[row.status] += row.n;
    entry.total += row.n;
  }
  return [...byMonth.values()];
}

/**
 * Answered letters grouped by days to their first substantive response, read off the letters'
 * duration groups: for an answered letter the days observed are exactly those days.
 */
export function responseDayCounts(durations: readonly DurationGroup[]) {
  const rows = durations.filter((group) => group.events > 0).map((group) => ({ days: group.time, count: group.events }));
  return {
    buckets: countByBucket(rows, RESPONSE_DAY_BUCKETS),
    answered: rows.reduce((sum, row) => sum + row.count, 0),
    medianDays: groupedMedian(rows),
  };
}

/** Open letters (no substantive response, not closed) by how long they have waited. */
export function openLetterAges({ asOf, selection }: { asOf: CalendarDate; selection?: Selection }) {
  const rows = getDb().all<{ days: number; count: number }>(sql`${letterStateSql(asOf)}
    SELECT CAST(julianday(${asOf}) - julianday(l.sent_on) AS INTEGER) AS days, COUNT(*) AS count
    ${FROM_LETTERS} WHERE ${whereSql(selection, asOf)} AND ${openLetterSql(asOf)}
    GROUP BY 1`);
  return { buckets: countByBucket(rows, AGE_BUCKETS), open: rows.reduce((sum, row) => sum + row.count, 0) };
}

/** Kaplan–Meier input for a selection: letters grouped by (days observed, answered or not). */
export function durationGroups({ asOf, selection }: { asOf: CalendarDate; selection?: Selection }): DurationGroup[] {
  return getDb().all<DurationGroup>(sql`${letterStateSql(asOf)}
    SELECT ${durationSql(asOf)} AS time, SUM(${eventSql}) AS events, SUM(NOT ${eventSql}) AS censored
    ${FROM_LETTERS} WHERE ${whereSql(selection, asOf)}
    GROUP BY 1 ORDER BY 1`);
}

/** Up to this many agencies, agencyFigures finds their letters by agency. */
const FEW_AGENCIES = 20;

export interface AgencyFigures extends AgencyRef {
  id: number;
  /** Letters received in the selection. */
  letters: number;
  /** Letters with a substantive response (full, partial or refusal) among all letters received. */
  answered: Rate;
  /** First substantive response on or before the effective deadline, among letters with both. */
  onTime: Rate;
  overdue: number;
  openQuestions: number;
  /** Kaplan–Meier median days to a first substantive response; null when not reached. */
  medianDays: number | null;
  /** The median is only shown from enough letters. */
  medianRated: boolean;
  curve: SurvivalCurve;
}

/** (letter, agency) pairs are keyed letterId × span + agencyId: exact while agency ids stay below it. */
const AGENCY_KEY_SPAN = 2 ** 21;

/**
 * Figures per agency for the letters in `selection` (all letters by default), letters received
 * first. `agencySlugs` narrows the agencies listed without changing whose letters count.
 */
export function agencyFigures({
  asOf,
  selection,
  agencySlugs,
}: {
  asOf: CalendarDate;
  selection?: Selection;
  agencySlugs?: readonly string[];
}): AgencyFigures[] {
  const db = getDb();
  const where = whereSql(selection, asOf);
  // A few agencies' letters are found by agency (letter_recipients_agency_idx); for many, most
  // letters went to one of them, and reading every letter in turn beats looking each one up.
  const agencyId = agencySlugs !== undefined && agencySlugs.length > FEW_AGENCIES ? sql`+lr.agency_id` : sql`lr.agency_id`;
  const onlyAgencies =
    agencySlugs === undefined
      ? sql``
      : agencySlugs.length === 0
        ? sql`AND 0`
        : sql`AND ${agencyId} IN (SELECT id FROM agencies WHERE slug IN (${sql.join(
            agencySlugs.map((slug) => sql`${slug}`),
            sql`, `,
          )}))`;
  // One pass over (letter, agency) pairs, summed here rather than by GROUP BY: SQLite's sorter
  // would hold all 120k pairs in memory at once (about 12 MB that the process keeps), while
  // streaming keeps only the per-agency sums. Each agency's days observed are its Kaplan–Meier input.
  // A letter to two officials of one agency counts once, as its pair with the first of them. The
  // pairs are read from the selection's letters (or, for a few agencies, from their letters) by
  // index: a member's figures read the member's letters, not every recipient of every letter.
  // Repeated pairs are skipped here: a correlated subquery for the first official cost a third of
  // the statement (0.4 s of 0.8 s over every letter at 100,000 letters).
  const state =
    agencySlugs === undefined
      ? selectionStateSql(selection, asOf)
      : // The letters of those agencies (some sent after asOf: the WHERE below leaves them out).
        letterStateSql(asOf, { of: sql`SELECT lr.letter_id FROM letter_recipients lr WHERE 1 ${onlyAgencies}` });
  const pairs = dialect.sqlToQuery(sql`${state}
    SELECT lr.letter_id, lr.agency_id, ${durationSql(asOf)}, ${eventSql},
      s.first_response_on IS NOT NULL AND s.effective_deadline IS NOT NULL,
      s.first_response_on IS NOT NULL AND s.effective_deadline IS NOT NULL
        AND s.first_response_on <= s.effective_deadline,
      ${letterStatusSql(asOf)} = 'overdue',
      -- Per-letter counts: summing 100k letters, not counting 1M questions. A closed letter's
      -- questions are no longer open (issue 13 item 4).
      ${openQuestionsSql(asOf)}
    FROM letters l JOIN letter_state s ON s.letter_id = l.id
    JOIN letter_recipients lr ON lr.letter_id = l.id
    WHERE ${where} ${onlyAgencies}`);
  const byAgency = new Map<
    number,
    { byTime: Map<number, DurationGroup>; letters: number; answered: number; rated: number; onTime: number; overdue: number; openQuestions: number }
  >();
  const rows = db.$client.prepare(pairs.sql).raw().iterate(...pairs.params) as IterableIterator<
    [letterId: number, agencyId: number, time: number, event: number, rated: number, onTime: number, overdue: number, openQuestions: number]
  >;
  const seen = new Set<number | string>();
  for (const [letterId, agencyId, time, event, rated, onTime, overdue, openQuestions] of rows) {
    // One (letter, agency) pair per letter and agency, whichever official's row comes first.
    // An agency id past the span (a directory of millions) falls back to a text key, never a clash.
    const pair = agencyId < AGENCY_KEY_SPAN ? letterId * AGENCY_KEY_SPAN + agencyId : `${letterId}:${agencyId}`;
    if (seen.has(pair)) continue;
    seen.add(pair);
    let totals = byAgency.get(agencyId);
    if (!totals) {
      totals = { byTime: new Map(), letters: 0, answered: 0, rated: 0, onTime: 0, overdue: 0, openQuestions: 0 };
      byAgency.set(agencyId, totals);
    }
    let group = totals.byTime.get(time);
    if (!group) {
      group = { time, events: 0, censored: 0 };
      totals.byTime.set(time, group);
    }
    if (event) group.events += 1;
    else group.censored += 1;
    totals.letters += 1;
    totals.answered += event;
    totals.rated += rated;
    totals.onTime += onTime;
    totals.overdue += overdue;
    totals.openQuestions += openQuestions;
  }
  if (byAgency.size === 0) return [];
  // Agencies are a few hundred rows: reading them all beats a parameter per id.
  const agencies = db.all<AgencyRef & { id: number }>(sql`SELECT id, slug, name, acronym FROM agencies`);
  return agencies
    .filter((agency) => byAgency.has(agency.id))
    .map((agency) => {
      const totals = byAgency.get(agency.id)!;
      const curve = kaplanMeier([...totals.byTime.values()]);
      return {
        ...agency,
        letters: totals.letters,
        answered: rate(totals.answered, totals.letters),
        onTime: rate(totals.onTime, totals.rated),
        overdue: totals.overdue,
        openQuestions: totals.openQuestions,
        // The small-n rule: no median from fewer than MIN_LETTERS_TO_RATE letters.
        medianDays: isRated(totals.letters) ? curve.median : null,
        medianRated: isRated(totals.letters),
        curve,
      };
    })
    // Most letters first, then by name in SQLite's binary order (as ORDER BY name would).
    .sort((a, b) => b.letters - a.letters || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export interface UpcomingDeadline {
  slug: string;
  title: string;
  effectiveDeadline: string;
  deadlineSource: DeadlineSource | null;
  daysLeft: number;
  agencies: AgencyRef[];
}

/** Letters still awaiting a reply whose effective deadline falls in the next `days` days. */
export function upcomingDeadlines({
  asOf,
  days = 14,
  limit = 20,
  selection,
}: {
  asOf: CalendarDate;
  days?: number;
  limit?: number;
  selection?: Selection;
}): UpcomingDeadline[] {
  const rows = getDb().all<Omit<UpcomingDeadline, "agencies"> & { id: number }>(sql`${letterStateSql(asOf)}
    SELECT l.id AS id, l.slug AS slug, l.title AS title, s.effective_deadline AS effectiveDeadline,
      s.deadline_source AS deadlineSource,
      CAST(julianday(s.effective_deadline) - julianday(${asOf}) AS INTEGER) AS daysLeft
    ${FROM_LETTERS}
    WHERE ${whereSql(selection, asOf)} AND ${letterStatusSql(asOf)} = 'awaiting'
      AND s.effective_deadline >= ${asOf} AND s.effective_deadline <= date(${asOf}, ${`+${days} days`})
    ORDER BY s.effective_deadline ASC, l.slug ASC
    LIMIT ${limit}`);
  const agencies = agenciesOfLetters(rows.map((row) => row.id));
  return rows.map(({ id, ...row }) => ({ ...row, agencies: agencies.get(id) ?? [] }));
}

export interface LatestResponse {
  id: number;
  receivedOn: string;
  receivedPrecision: DatePrecision;
  from: string;
  completeness: string;
  letterSlug: string;
  letterTitle: string;
}

/** The most recent responses received on or before `asOf` (uses the received_on index). */
export function latestResponses({ asOf, limit = 8 }: { asOf: CalendarDate; limit?: number }): LatestResponse[] {
  return getDb().all<LatestResponse>(sql`
    SELECT r.id AS id, r.received_on AS receivedOn, r.received_precision AS receivedPrecision, r."from" AS "from", r.completeness AS completeness,
      l.slug AS letterSlug, l.title AS letterTitle
    FROM responses r JOIN letters l ON l.id = r.letter_id
    WHERE r.received_on <= ${asOf} AND l.sent_on <= ${asOf}
    ORDER BY r.received_on DESC, r.id DESC
    LIMIT ${limit}`);
}

export interface OverdueInSelection {
  slug: string;
  title: string;
  sentOn: string;
  effectiveDeadline: string;
  deadlineSource: DeadlineSource | null;
  daysOverdue: number;
  agencies: AgencyRef[];
}

/** Overdue letters in a selection, longest overdue first. */
export function overdueLetters({
  asOf,
  selection,
  limit = 50,
}: {
  asOf: CalendarDate;
  selection?: Selection;
  limit?: number;
}): { letters: OverdueInSelection[]; total: number } {
  const db = getDb();
  const where = sql`${whereSql(selection, asOf)} AND ${letterStatusSql(asOf)} = 'overdue'`;
  const total = db.get<{ n: number }>(sql`${letterStateSql(asOf)} SELECT COUNT(*) AS n ${FROM_LETTERS} WHERE ${where}`)?.n ?? 0;
  const rows = db.all<Omit<OverdueInSelection, "agencies"> & { id: number }>(sql`${letterStateSql(asOf)}
    SELECT l.id AS id, l.slug AS slug, l.title AS title, l.sent_on AS sentOn,
      s.effective_deadline AS effectiveDeadline, s.deadline_source AS deadlineSource,
      CAST(julianday(${asOf}) - julianday(s.effective_deadline) AS INTEGER) AS daysOverdue
    ${FROM_LETTERS} WHERE ${where}
    ORDER BY s.effective_deadline ASC, l.slug ASC
    LIMIT ${limit}`);
  const agencies = agenciesOfLetters(rows.map((row) => row.id));
  return { letters: rows.map(({ id, ...row }) => ({ ...row, agencies: agencies.get(id) ?? [] })), total };
}

export interface UnansweredLetter {
  slug: string;
  title: string;
  sentOn: string;
  status: LetterStatus;
  effectiveDeadline: string | null;
  deadlineSource: DeadlineSource | null;
  daysOutstanding: number;
  /** Days past the effective deadline, for an overdue letter; else null. */
  daysOverdue: number | null;
  agencies: AgencyRef[];
}

/**
 * Letters without a substantive reply (awaiting or overdue: not answered, refused or closed), the
 * oldest first, with their days outstanding and where their deadline comes from. The letters by
 * date, from the oldest, tested on the way (letters_sent_on_idx), to the page's end.
 */
export function unansweredLetters({
  asOf,
  selection,
  limit = 10,
}: {
  asOf: CalendarDate;
  selection?: Selection;
  limit?: number;
}): UnansweredLetter[] {
  const rows = getDb().all<Omit<UnansweredLetter, "agencies"> & { id: number }>(sql`${letterStateSql(asOf)}
    SELECT l.id AS id, l.slug AS slug, l.title AS title, l.sent_on AS sentOn, ${letterStatusSql(asOf)} AS status,
      s.effective_deadline AS effectiveDeadline, s.deadline_source AS deadlineSource,
      ${daysOutstandingSql(asOf)} AS daysOutstanding,
      CASE WHEN s.effective_deadline < ${asOf} THEN CAST(julianday(${asOf}) - julianday(s.effective_deadline) AS INTEGER) END AS daysOverdue
    ${FROM_LETTERS}
    WHERE ${whereSql(selection, asOf)} AND ${letterStatusSql(asOf)} IN (${openLetterStatusesSql})
    ORDER BY l.sent_on ASC, l.id ASC
    LIMIT ${limit}`);
  const agencies = agenciesOfLetters(rows.map((row) => row.id));
  return rows.map(({ id, ...row }) => ({ ...row, agencies: agencies.get(id) ?? [] }));
}

/**
 * Questions in a selection by status, as the /questions list counts them with each status filter
 * (one rule, decision 0023 addendum). `open` counts the questions still open as /questions does
 * (questionOpenSql). An open question a later letter sent by `asOf` asks again is `askedAgain`:
 * its openness moved to that latest ask, where it is counted open. The unanswered questions of
 * letters closed by `asOf` are `closedUnanswered` (decision 0014 addendum). An answered, partly
 * answered or refused question keeps its status whether or not it was asked again, as in the list;
 * so the statuses and those two add up to `total`, every question (the list's "all").
 *
 * Summed from each letter's stored counts by status (decision 0035): one row a letter, not one a
 * question (an agency's figures as of a past date read about seven times fewer rows). Only the
 * questions asked again are looked at one by one (repeatedOpenSql, for the few letters that have any).
 * The state is the selection's (selectionStateSql): five of its columns are read, and before the
 * history's backfill has finished a past date's counts are computed once a letter, not once for
 * each column built from them.
 *
 * The per-letter rows are a co-routine (the subquery's `LIMIT -1`, which limits nothing: SQLite
 * does not flatten a subquery with a LIMIT into an aggregate), so each letter's repeated questions
 * are counted once. Flattened, SQLite copied `asked_again` into the three sums that read it, and a
 * letter whose questions were asked again had them probed three times.
 */
export function questionCounts({ asOf, selection }: { asOf: CalendarDate; selection?: Selection }) {
  const row = getDb().get<Record<"total" | "answered" | "partial" | "refused" | "open" | "closedUnanswered" | "askedAgain", number | null>>(sql`${selectionStateSql(selection, asOf)}
    SELECT SUM(questions_total) AS total, SUM(questions_answered) AS answered, SUM(questions_partial) AS partial,
      SUM(questions_refused) AS refused, SUM(asked_again) AS askedAgain,
      SUM(CASE WHEN closed THEN 0 ELSE questions_open - asked_again END) AS open,
      SUM(CASE WHEN closed THEN questions_open - asked_again ELSE 0 END) AS closedUnanswered
    FROM (
      SELECT s.questions_total, s.questions_answered, s.questions_partial, s.questions_refused, s.questions_open,
        ${letterClosedSql(asOf)} AS closed, ${repeatedOpenSql(asOf)} AS asked_again
      ${FROM_LETTERS}
      WHERE ${whereSql(selection, asOf)}
      LIMIT -1
    )`);
  const count = (value: number | null | undefined) => value ?? 0;
  const counts: Record<QuestionStatus, number> = {
    open: count(row?.open),
    partial: count(row?.partial),
    refused: count(row?.refused),
    answered: count(row?.answered),
  };
  return {
    ...counts,
    closedUnanswered: count(row?.closedUnanswered),
    askedAgain: count(row?.askedAgain),
    total: count(row?.total),
  };
}

/** An agency's figures without its curve and id: what pages send to the browser. */
export function agencyRow({ curve: _curve, id: _id, ...row }: AgencyFigures) {
  return row;
}

/** Everything the overview shows, as of `asOf`. */
export function overviewFigures({ asOf }: { asOf: CalendarDate }) {
  // Each figure over every letter is a scan of 100k rows: derive what can be derived instead.
  const months = lettersPerMonth({ asOf });
  const counts = Object.fromEntries(
    LETTER_STATUSES.map((status) => [status, months.reduce((sum, month) => sum + month.counts[status], 0)]),
  ) as Record<LetterStatus, number>;
  const agencies = agencyFigures({ asOf });
  const durations = durationGroups({ asOf });
  const overall = kaplanMeier(durations);
  const top = agencies.slice(0, 5);
  return {
    counts,
    total: Object.values(counts).reduce((sum, n) => sum + n, 0),
    overdue: overdueLetters({ asOf, limit: 10 }),
    unanswered: unansweredLetters({ asOf, limit: 10 }),
    months,
    responseDays: responseDayCounts(durations),
    ages: openLetterAges({ asOf }),
    survival: [
      summarizeCurve("All agencies", overall),
      ...top.map((agency) => summarizeCurve(agency.acronym ?? agency.name, agency.curve)),
    ],
    agencies: agencies.map(agencyRow),
    upcoming: upcomingDeadlines({ asOf }),
    latest: latestResponses({ asOf }),
  };
}

/**
 * What a member's or committee's page shows about its letters: how they were answered, their
 * questions, and the agencies written to. As of today each agency's figures are over all letters
 * it received (kept until the data changes), with how many came from this selection. As of a past
 * date they are over this selection's letters only (`agencyFiguresOver`): an agency's figures over
 * all its letters as of a date read the state of most letters in the tracker (0.6–0.9 s at 100,000
 * letters for a member who wrote to a hundred agencies), for every distinct date asked, while the
 * selection's own are read with its letters. The agency's page as of that date has its own figures
 * (decision 0024).
 */
export function selectionProfile({ asOf, selection }: { asOf: CalendarDate; selection: Selection }) {
  const own = agencyFigures({ asOf, selection });
  const base = {
    questions: questionCounts({ asOf, selection }),
    curve: summarizeCurve("These letters", kaplanMeier(durationGroups({ asOf, selection }))),
  };
  if (!readsStoredState(asOf)) {
    return {
      ...base,
      agencyFiguresOver: "selection" as const,
      agencies: own.map((agency) => ({ ...agencyRow(agency), lettersFromSelection: agency.letters })),
    };
  }
  const slugs = own.map((agency) => agency.slug);
  const overall = new Map(agencyFigures({ asOf, agencySlugs: slugs }).map((agency) => [agency.slug, agency]));
  return {
    ...base,
    agencyFiguresOver: "all letters" as const,
    agencies: own.map((agency) => ({
      ...agencyRow(overall.get(agency.slug) ?? agency),
      lettersFromSelection: agency.letters,
    })),
  };
}
