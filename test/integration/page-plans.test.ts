/**
 * The query plans of every statement each page runs, on a database of synthetic letters built by
 * the real migrations, read on the app's own connection (and the read-only ones the calendar
 * opens): SQLite plans differently from one build to another, so plans are read from the one the
 * app runs. The app never runs ANALYZE, so neither does this test (letter-page-plans.test.ts also
 * checks the letter page after one).
 *
 * A page that needs one letter or one page of rows reads them by key: no step of any of its plans
 * reads a whole table of letters, questions, responses, verdicts, extensions, recipients, senders,
 * topics or history, or a range of an index with no equality in it (`letters_sent_on_idx
 * (sent_on<?)` is every letter sent by a date). Two kinds of statement may, and each page lists
 * its own, with the reason:
 * - a walk: a page of a list sorted by an index walks it and stops at the page's end (`LIMIT`,
 *   nothing sorting all it reads first);
 * - a whole read: a total, or a figure over the whole tracker (or a selection of it) reads what it
 *   counts, and a list sorted by a letter's state orders every letter of its selection.
 * An allowance a page no longer needs fails the test too, so the list stays true.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";

// Cached figures would hide the statements of a second pass: compute everything every time.
vi.hoisted(() => {
  process.env.FIGURE_CACHE = "off";
});

import type { Db } from "../../db/client.server";
import { seedSyntheticLetters } from "../factories";
import { freshDatabase } from "../support/database";
import { addressOf, busiestSubjects, pageLoad, type PageSubjects } from "../support/page-loads";
import { isLimitedWalk, planText, plannedStatements, unboundedReads, type PlannedStatement, type PlanStep } from "../support/query-plans";

const LETTERS = 3000;
/** The synthetic letters end here; the server's today is later, so "today" reads the stored state. */
const END = "2026-06-30";
/** A past date: the state is computed from the facts. */
const PAST = "2026-03-01";

let db: Db;
let subjects: PageSubjects;

beforeAll(() => {
  db = freshDatabase();
  seedSyntheticLetters(db, { letters: LETTERS, seed: 11, endDate: END });
  subjects = busiestSubjects(db);
});

// ---------------------------------------------------------------- what a page may read whole

interface Allowance {
  kind: "walk" | "whole";
  /** The statement (its SQL, white space collapsed). */
  statement: RegExp;
  /** For a walk: the index it walks; for a whole read, if given, the only index it may read whole. */
  index?: RegExp;
  why: string;
}

const walk = (statement: RegExp, index: RegExp, why: string): Allowance => ({ kind: "walk", statement, index, why });
/** A whole read by a statement; with `index`, only its steps that read that index. */
const whole = (statement: RegExp, why: string, index?: RegExp): Allowance => ({ kind: "whole", statement, index, why });

// The statements, by their SQL.
const LETTER_COUNT = /^WITH .* SELECT COUNT\(\*\) AS n FROM letters l (JOIN letter_state s ON s\.letter_id = l\.id )?WHERE/;
const LETTER_PAGE = /SELECT l\.id AS id FROM letters l JOIN letter_state s ON s\.letter_id = l\.id WHERE/;
// Today's /letters by deadline, days outstanding or status: walks of an index, part by part (letterOrderWalks).
const LETTER_WALK = /SELECT l\.id AS id FROM letters l INDEXED BY \w+ JOIN letter_state s ON s\.letter_id = l\.id WHERE/;
// The open questions of a letter closed by asOf are not counted (issue 13 item 4): the CASE; nor
// those a later letter asks again (decision 0023): the subquery of the partial index, run only for a
// letter whose questions_repeated_from says one was asked again by then (decision 0024).
const QUESTION_COUNT =
  /SELECT (SUM\((s\.questions_total|CASE WHEN \(l\.closed_on IS NOT NULL AND l\.closed_on <= \?\) THEN 0 ELSE s\.questions_open - \(CASE WHEN l\.questions_repeated_from IS NULL OR l\.questions_repeated_from > \? THEN 0 ELSE \(SELECT COUNT\(\*\) FROM questions rq .* END)\)|COUNT\(\*\)) AS n FROM (letters l JOIN letter_state|questions q JOIN question_state)/;
const QUESTION_PAGE = /SELECT q\.id AS id FROM/;
const FIRST_ASK_PAGE = /SELECT q\.id AS id, l\.sent_on AS asked, .* UNION ALL SELECT q\.id, COALESCE\(q\.first_asked_on, l\.sent_on\)/;
const SNAPSHOT = /^CREATE TEMP TABLE dashboard_letter_state/;
const STATUS_COUNTS = /AS status, COUNT\(\*\) AS n FROM letters l JOIN letter_state s/;
const MONTHS = /substr\(l\.sent_on, 1, 7\) AS month/;
const AGES = /AS days, COUNT\(\*\) AS count/;
const DURATIONS = /AS time, SUM\(/;
const AGENCY_PAIRS = /SELECT lr\.letter_id, lr\.agency_id,/;
const UPCOMING = /AS daysLeft/;
const OVERDUE = /AS daysOverdue|SELECT COUNT\(\*\) AS n FROM letters l JOIN letter_state s ON s\.letter_id = l\.id WHERE .* = 'overdue'$/;
// A closed letter's open questions are counted apart (decision 0014 addendum): the CASE.
// questionOpenSql: open, not closed with its letter, not asked again by a later letter (0023); an
// open question asked again is counted apart too (0023 addendum).
const QUESTION_COUNTS = /SELECT SUM\(questions_total\) AS total, SUM\(questions_answered\) AS answered,/;
const LATEST_RESPONSES = /ORDER BY r\.received_on DESC, r\.id DESC LIMIT \?$/;
const AGENCY_COUNTS = /per_agency AS/;
const EXPORT_ORDER = /INSERT INTO temp\.export_order/;
const EXPORT_ROWS = /FROM temp\.export_order eo/;
const EXPORT_STATE = /^CREATE TEMP TABLE state_letter/;
const FEED = /SELECT 'letter' AS kind/;
const SENDER_SIDES = /SELECT l\.sent_on, l\.committee_id,/;
const CALENDAR_PAGE = /s\.effective_deadline BETWEEN \? AND \?/;

const BY_DATE = /letters_sent_on_idx/;
const BY_TITLE = /letters_title_idx/;
const BY_DEADLINE = /letters_deadline_(asc|desc)_order_idx/;
const BY_REPEATS = /questions_repeats_idx/;

const TOTAL = "the list's total counts every letter it selects (for today kept until the data changes)";
const QUESTION_TOTAL = "the list's total sums the open questions of every letter it selects (for today kept until the data changes)";
const DATE_WALK = "a page sorted by date walks the date index and stops at the page's end";
const TITLE_WALK = "a page sorted by title walks letters_title_idx and stops at the page's end";
const DEADLINE_WALK = "today's questions by deadline walk letters in deadline order (migration 0021) and stop at the page's end";
const STATE_WALK =
  "today, sorted by deadline, days outstanding or status, the letters are walked in parts, each an index in order (deadline order, or the date index for each status or for the letters without a response), stopping at the page's end";
const STATE_SORT =
  "sorted by a letter's state (deadline, days outstanding, status) or a question's (days open), every selected letter is ordered: no index holds a state as of a date";
const REPEATS_BY_FIRST_ASK =
  "open questions by days open merge in the questions that repeat an earlier one (questions_repeats_idx, a partial index of those alone) sorted by their first ask";
const OVERVIEW = "the overview's counts and charts are figures over the whole tracker";
const SCORECARDS = "the scorecards rank every agency over all its letters";
const OVERALL_AGENCIES =
  "the agencies written to are shown with their figures over all their letters; for more than a few agencies (FEW_AGENCIES in dashboard.server.ts) every letter is read in turn";
const SNAPSHOT_WHY = "a past date's state of every letter, computed once for the page's whole-tracker figures";

/** The /letters list as its loader reads it (count, page), for a sort. */
function letterList(sort: "sent" | "title" | "deadline" | "outstanding" | "status", { today = false } = {}): Allowance[] {
  return [
    whole(LETTER_COUNT, TOTAL),
    sort === "sent"
      ? walk(LETTER_PAGE, BY_DATE, DATE_WALK)
      : sort === "title"
        ? walk(LETTER_PAGE, BY_TITLE, TITLE_WALK)
        : today
          ? walk(LETTER_WALK, sort === "deadline" ? BY_DEADLINE : BY_DATE, STATE_WALK)
          : whole(LETTER_PAGE, STATE_SORT),
  ];
}

/** A scope's lists (agency, member, committee pages): its counts are read by key, its pages walk. */
const SCOPED_LISTS = [walk(LETTER_PAGE, BY_DATE, DATE_WALK), walk(QUESTION_PAGE, BY_DATE, DATE_WALK)];

interface PagePlans {
  address: string;
  allow: Allowance[];
}

const PAGES: PagePlans[] = [
  // One letter: every statement reads it by key.
  ...["/letters/:letter", `/letters/:letter?asOf=${PAST}`, "/api/letters/:letter", `/api/letters/:letter?asOf=${PAST}`].map((address) => ({
    address,
    allow: [],
  })),
  // The letter lists, every sort, today and on a past date.
  ...["", `asOf=${PAST}&`].flatMap((asOf) => [
    { address: `/letters?${asOf}sort=sent`, allow: letterList("sent") },
    { address: `/letters?${asOf}sort=sent&dir=asc&page=3`, allow: letterList("sent") },
    { address: `/letters?${asOf}sort=title`, allow: letterList("title") },
    { address: `/letters?${asOf}sort=title&dir=desc`, allow: letterList("title") },
    { address: `/letters?${asOf}sort=deadline`, allow: letterList("deadline", { today: asOf === "" }) },
    { address: `/letters?${asOf}sort=deadline&dir=asc&page=4`, allow: letterList("deadline", { today: asOf === "" }) },
    { address: `/letters?${asOf}sort=outstanding`, allow: letterList("outstanding", { today: asOf === "" }) },
    { address: `/letters?${asOf}sort=outstanding&dir=asc&page=3`, allow: letterList("outstanding", { today: asOf === "" }) },
    { address: `/letters?${asOf}sort=status`, allow: letterList("status", { today: asOf === "" }) },
    { address: `/letters?${asOf}sort=status&dir=asc&page=5`, allow: letterList("status", { today: asOf === "" }) },
    // A status filter: each walked letter's status is tested on the way.
    { address: `/letters?${asOf}status=overdue&status=partial`, allow: letterList("sent") },
    // An agency's letters: counted by key, the page walks the date index testing membership.
    { address: `/letters?${asOf}agency=:agency`, allow: [walk(LETTER_PAGE, BY_DATE, DATE_WALK)] },
    { address: `/api/letters?${asOf}sort=sent`, allow: letterList("sent") },
  ]),
  // The question lists: open questions by days open are the date walk reversed.
  ...["", `asOf=${PAST}&`].flatMap((asOf) => [
    { address: `/questions?${asOf}`, allow: [whole(QUESTION_COUNT, QUESTION_TOTAL), walk(QUESTION_PAGE, BY_DATE, DATE_WALK)] },
    { address: `/questions?${asOf}page=2000`, allow: [whole(QUESTION_COUNT, QUESTION_TOTAL), walk(QUESTION_PAGE, BY_DATE, DATE_WALK)] },
    { address: `/questions?${asOf}status=all&sort=sent`, allow: [whole(QUESTION_COUNT, QUESTION_TOTAL), walk(QUESTION_PAGE, BY_DATE, DATE_WALK)] },
    { address: `/questions?${asOf}sort=letter`, allow: [whole(QUESTION_COUNT, QUESTION_TOTAL), walk(QUESTION_PAGE, BY_TITLE, TITLE_WALK)] },
    // Today's deadline is stored on the letter: walked by index. As of a past date it is computed.
    ...["sort=deadline", "sort=deadline&dir=desc&page=3"].map((order) => ({
      address: `/questions?${asOf}${order}`,
      allow: [whole(QUESTION_COUNT, QUESTION_TOTAL), asOf ? whole(QUESTION_PAGE, STATE_SORT) : walk(QUESTION_PAGE, BY_DEADLINE, DEADLINE_WALK)],
    })),
    { address: `/questions?${asOf}status=all&sort=open`, allow: [whole(QUESTION_COUNT, QUESTION_TOTAL), whole(QUESTION_PAGE, STATE_SORT)] },
    // Open questions by days open: the date walk reversed, with the questions that repeat an
    // earlier one merged in by their first ask (decision 0023), those few read whole and sorted.
    ...["sort=open", "sort=open&dir=asc&page=3"].map((order) => ({
      address: `/questions?${asOf}${order}`,
      allow: [whole(QUESTION_COUNT, QUESTION_TOTAL), walk(FIRST_ASK_PAGE, BY_DATE, DATE_WALK), whole(FIRST_ASK_PAGE, REPEATS_BY_FIRST_ASK, BY_REPEATS)],
    })),
    { address: `/questions?${asOf}agency=:agency`, allow: [walk(QUESTION_PAGE, BY_DATE, DATE_WALK)] },
    { address: `/api/questions?${asOf}`, allow: [whole(QUESTION_COUNT, QUESTION_TOTAL), walk(QUESTION_PAGE, BY_DATE, DATE_WALK)] },
  ]),
  // One agency, member or committee: everything about its own letters is read through them (a
  // committee's letters in date order straight from letters_committee_idx). The member and
  // committee pages also show each agency written to with its figures over all its letters: a
  // busy member or committee wrote to most agencies, and those figures read every letter.
  ...["", `?asOf=${PAST}`].flatMap((asOf) => [
    { address: `/agencies/:agency${asOf}`, allow: SCOPED_LISTS },
    // As of a past date, the agencies' figures are over the page's own letters (decision 0024).
    { address: `/members/:member${asOf}`, allow: asOf ? [...SCOPED_LISTS] : [...SCOPED_LISTS, whole(AGENCY_PAIRS, OVERALL_AGENCIES)] },
    { address: `/committees/:committee${asOf}`, allow: asOf ? [] : [whole(AGENCY_PAIRS, OVERALL_AGENCIES)] },
    // Briefing on one agency: its counts by key, its questions a walk.
    { address: `/briefing${asOf}${asOf ? "&" : "?"}agency=:agency`, allow: [walk(QUESTION_PAGE, BY_DATE, DATE_WALK)] },
  ]),
  // Full-text search: the index finds the matches; counting and ranking them reads every match
  // (as many as the words find), never every letter.
  { address: "/search?q=:word", allow: [] },
  { address: `/search?q=:word&asOf=${PAST}`, allow: [] },
  { address: "/search?q=:word&kind=question&page=2", allow: [] },
  // The feed: the newest letters and responses by when they were entered.
  {
    address: "/feed.xml",
    allow: [walk(FEED, /letters_created_at_idx|responses_created_at_idx/, "the newest entries walk the created_at indexes, 50 of each")],
  },
  // Whole-tracker pages: what they show is about every letter.
  ...["", `?asOf=${PAST}`].flatMap((asOf) => [
    {
      address: `/${asOf}`,
      allow: [
        ...(asOf ? [whole(SNAPSHOT, SNAPSHOT_WHY)] : []),
        whole(MONTHS, OVERVIEW),
        whole(AGENCY_PAIRS, OVERVIEW),
        whole(DURATIONS, OVERVIEW),
        whole(OVERDUE, OVERVIEW),
        whole(AGES, OVERVIEW),
        whole(UPCOMING, OVERVIEW),
        walk(LATEST_RESPONSES, /responses_received_idx/, "the latest responses walk the received-date index, 8 of them"),
      ],
    },
    { address: `/agencies${asOf}`, allow: [...(asOf ? [whole(SNAPSHOT, SNAPSHOT_WHY)] : []), whole(AGENCY_PAIRS, SCORECARDS)] },
    {
      address: `/answered${asOf}`,
      allow: [
        ...(asOf ? [whole(SNAPSHOT, SNAPSHOT_WHY)] : []),
        whole(SENDER_SIDES, "who gets answered classifies every letter once (its senders read by key), for today kept until the data changes"),
      ],
    },
    {
      address: `/api/agencies${asOf}`,
      allow: [
        whole(AGENCY_COUNTS, "every agency's counts over the selected letters (the API's agency list)"),
        whole(AGENCY_PAIRS, "every agency's figures over the selected letters, as its pages show them (the API's agency list)"),
      ],
    },
    {
      address: `/briefing${asOf}`,
      allow: [
        ...(asOf ? [whole(SNAPSHOT, SNAPSHOT_WHY)] : []),
        whole(QUESTION_COUNT, QUESTION_TOTAL),
        walk(QUESTION_PAGE, BY_DATE, DATE_WALK),
        whole(STATUS_COUNTS, "a briefing on every letter counts every letter by status"),
        whole(OVERDUE, "a briefing on every letter lists the longest overdue of every letter"),
        whole(QUESTION_COUNTS, "a briefing on every letter counts every letter's questions by status (one row a letter, decision 0035)"),
      ],
    },
    {
      // Open letters' deadlines in the calendar's window, 500 a page (keyset paging).
      address: `/calendar.ics${asOf}`,
      allow: asOf
        ? [
            whole(
              CALENDAR_PAGE,
              "a past date's effective deadlines are computed for the letters whose own deadline, or one they were extended to by then, falls in the window (letters_deadline_idx, deadline_changes_new_deadline_idx: a range of each), then sorted",
            ),
          ]
        : [walk(CALENDAR_PAGE, /letters_effective_deadline_idx/, "today's deadlines are read from the effective-deadline index, within the window, 500 at a time")],
    },
  ]),
];

// ---------------------------------------------------------------- the check

const flat = (sql: string) => sql.replace(/\s+/g, " ").trim();

function covers(allowance: Allowance, statement: PlannedStatement, step: PlanStep): boolean {
  if (!allowance.statement.test(flat(statement.sql))) return false;
  if (allowance.kind === "whole") return !allowance.index || allowance.index.test(step.detail);
  return allowance.index!.test(step.detail) && isLimitedWalk(statement, step);
}

function describeRead(statement: PlannedStatement, step: PlanStep): string {
  return `${step.detail}\n  in: ${flat(statement.sql).slice(0, 400)}\n  plan:\n${planText(statement.plan).replace(/^/gm, "    ")}`;
}

describe("every statement of every page reads by key, or is listed with its reason", () => {
  it.each(PAGES.map((page) => [page.address, page] as const))("%s", (_address, page) => {
    const address = addressOf(page.address, subjects);
    const statements = plannedStatements(pageLoad(address).load);
    expect(statements.length).toBeGreaterThan(0);
    const used = new Set<Allowance>();
    const unexplained: string[] = [];
    for (const statement of statements) {
      for (const step of unboundedReads(statement)) {
        const allowance = page.allow.find((each) => covers(each, statement, step));
        if (allowance) used.add(allowance);
        else unexplained.push(describeRead(statement, step));
      }
    }
    expect(unexplained).toEqual([]);
    expect(page.allow.filter((allowance) => !used.has(allowance)).map((allowance) => `${allowance.statement}: ${allowance.why}`)).toEqual([]);
  });
});

// ---------------------------------------------------------------- a past date reads the history

/** The history's primary key, sought by letter (or question) and date (decision 13). */
const HISTORY_SEEK = /^SEARCH \w+ USING INDEX sqlite_autoindex_(letter|question)_state_history_1 \((letter|question)_id=\? AND valid_to>\?\)/;

describe("a past date's state is read from the stored history, one seek per letter or question", () => {
  const addresses = [
    `/agencies/:agency?asOf=${PAST}`,
    `/members/:member?asOf=${PAST}`,
    `/committees/:committee?asOf=${PAST}`,
    `/letters?asOf=${PAST}&sort=status`,
    `/letters?asOf=${PAST}&sort=deadline`,
    `/letters?asOf=${PAST}`,
    `/questions?asOf=${PAST}&status=all&sort=open`,
    `/briefing?asOf=${PAST}&agency=:agency`,
  ];
  /**
   * Sorted by days open, every question's state is read (STATE_SORT): SQLite reads the questions'
   * history rows of that date in one pass rather than seeking each question's.
   */
  const wholeQuestionHistory = (address: string, statement: PlannedStatement, step: PlanStep) =>
    address.includes("sort=open") && QUESTION_PAGE.test(flat(statement.sql)) && step.detail === "SCAN h";
  it.each(addresses)("%s", (address) => {
    const statements = plannedStatements(pageLoad(addressOf(address, subjects)).load).filter((statement) => /\b(letter|question)_state AS\b/.test(statement.sql));
    expect(statements.length).toBeGreaterThan(0);
    let seeks = 0;
    for (const statement of statements) {
      // Not computed from the facts (rowStateCtes' CTEs): each state read is a seek of the history.
      expect(flat(statement.sql), "computes the state from the facts").not.toMatch(/\b(letter|question)_facts AS\b/);
      for (const step of statement.plan.filter((each) => /^(SCAN|SEARCH) h\b|_state_history/.test(each.detail))) {
        if (wholeQuestionHistory(address, statement, step)) continue;
        expect(step.detail, describeRead(statement, step)).toMatch(HISTORY_SEEK);
        seeks += 1;
      }
    }
    expect(seeks).toBeGreaterThan(0);
  });
});
