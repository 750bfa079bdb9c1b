/**
 * Who gets answered (issue 13, item 6; decision 0018): response rate, Kaplan–Meier median and
 * on-time rate by the senders' side when each letter was sent, by Congress and by administration.
 *
 * One pass over the selection's letters, in rowid order, each with its senders read by the
 * letter_senders primary key; the rows are classified (app/domain/political-sides.ts) and summed
 * as they stream past, so memory holds only the per-group sums (as agencyFigures does). Members,
 * their terms and committee titles are a few thousand rows, read once per data revision.
 * A read task (read-tasks.server.ts): runs in the read pool, cached by the figure store.
 */
import { sql } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { getDb } from "../../db/client.server";
import controlFile from "../../db/reference/political-control.json";
import type { CalendarDate } from "~/domain/dates";
import { ALL_LETTERS } from "~/domain/filters";
import {
  classifyLetter,
  comparePeriods,
  congressOn,
  enoughLetters,
  parsePoliticalControl,
  periodsOf,
  SIDE_AXES,
  SIDE_PERIOD_KINDS,
  SIDE_VALUES,
  type PoliticalControl,
  type SenderFacts,
  type SideAxis,
  type SidePeriod,
  type SidePeriodKind,
  type SideValue,
} from "~/domain/political-sides";
import { kaplanMeier, type DurationGroup } from "~/domain/statistics";
import type { RateCount } from "~/domain/scorecards";
import { cachedUntilDataChanges } from "./figure-cache.server";
import { letterWhereSql, NO_FILTERS } from "./letters.server";
import { letterStateSql } from "./state-snapshot.server";
import type { Selection } from "./dashboard.server";

let control: PoliticalControl | null = null;
/** The shipped table, checked on first use (a bad file names its entry). */
export function politicalControl(): PoliticalControl {
  return (control ??= parsePoliticalControl(controlFile));
}

/** One group's figures as a page shows them; rates and median only from enough letters. */
export interface SideFigures {
  value: string;
  /** Letters in the group. */
  n: number;
  answered: RateCount;
  /** First substantive response by the effective deadline, among answered letters with a deadline. */
  onTime: RateCount;
  /** Kaplan–Meier median days to a first substantive response; null when too few letters or not reached. */
  medianDays: number | null;
  medianRated: boolean;
}

export interface SidePeriodFigures extends SidePeriod {
  letters: number;
  axes: Record<SideAxis, SideFigures[]>;
}

export interface SenderSideFigures {
  letters: number;
  /** Every letter in the selection, whatever its period. */
  all: SidePeriodFigures;
  byCongress: SidePeriodFigures[];
  byAdministration: SidePeriodFigures[];
}

const TERM_PARTIES: Record<string, "D" | "R" | "I"> = { Democrat: "D", Republican: "R", Independent: "I" };

interface MemberFacts {
  bioguide: string | null;
  party: "D" | "R" | "I" | null;
  chamber: "House" | "Senate" | null;
  /** Terms, latest start first. */
  terms: Array<{ start: string; end: string; party: "D" | "R" | "I" | null; chamber: "House" | "Senate" }>;
  /** The roster's committee titles by committee id (of the roster's Congress only). */
  titles: Map<number, string>;
}

interface Roster {
  members: Map<number, MemberFacts>;
  /** Committee → its parent, to apply a committee title to its subcommittees' letters. */
  parents: Map<number, number>;
  /** The Congress the roster's committee titles are of (the one its latest term began in). */
  rosterCongress: number | null;
}

function readRoster(): Roster {
  return cachedUntilDataChanges("answered:roster", () => {
    const db = getDb();
    const members = new Map<number, MemberFacts>();
    for (const row of db.all<{ id: number; bioguide_id: string | null; party: string; chamber: string }>(
      sql`SELECT id, bioguide_id, party, chamber FROM members`,
    )) {
      members.set(row.id, {
        bioguide: row.bioguide_id,
        party: row.party === "D" || row.party === "R" || row.party === "I" ? row.party : null,
        chamber: row.chamber === "House" || row.chamber === "Senate" ? row.chamber : null,
        terms: [],
        titles: new Map(),
      });
    }
    let latestStart: string | null = null;
    for (const term of db.all<{ member_id: number; type: string; party: string; start_on: string; end_on: string }>(
      sql`SELECT member_id, type, party, start_on, end_on FROM member_terms ORDER BY member_id, start_on DESC`,
    )) {
      members.get(term.member_id)?.terms.push({
        start: term.start_on,
        end: term.end_on,
        party: TERM_PARTIES[term.party] ?? null,
        chamber: term.type === "sen" ? "Senate" : "House",
      });
      if (latestStart === null || term.start_on > latestStart) latestStart = term.start_on;
    }
    for (const role of db.all<{ committee_id: number; member_id: number; title: string }>(
      sql`SELECT committee_id, member_id, title FROM committee_roles WHERE title IS NOT NULL`,
    )) {
      members.get(role.member_id)?.titles.set(role.committee_id, role.title);
    }
    const parents = new Map<number, number>();
    for (const row of db.all<{ id: number; parent_id: number }>(sql`SELECT id, parent_id FROM committees WHERE parent_id IS NOT NULL`)) {
      parents.set(row.id, row.parent_id);
    }
    const rosterCongress = latestStart ? (congressOn(politicalControl(), latestStart)?.number ?? null) : null;
    return { members, parents, rosterCongress };
  });
}

/** What the roster knows of a sender on the day: the term covering it, else the member's row. */
export function senderFacts(
  roster: Roster,
  memberId: number,
  role: string | null,
  sentOn: CalendarDate,
  committeeId: number | null,
  sentInRosterCongress: boolean,
): SenderFacts {
  const member = roster.members.get(memberId);
  if (!member) return { bioguide: null, party: null, chamber: null, role, committeeTitles: [] };
  // Terms meet on 3 January: the latest one begun by the day is the one in office.
  const term = member.terms.find((candidate) => candidate.start <= sentOn && sentOn <= candidate.end);
  const titles: string[] = [];
  if (sentInRosterCongress && committeeId !== null) {
    for (let id: number | undefined = committeeId; id !== undefined; id = roster.parents.get(id)) {
      const title = member.titles.get(id);
      if (title) titles.push(title);
    }
  }
  return {
    bioguide: member.bioguide,
    party: term ? term.party : member.party,
    chamber: term ? term.chamber : member.chamber,
    role,
    committeeTitles: titles,
  };
}

interface Sums {
  letters: number;
  answered: number;
  rated: number;
  onTime: number;
  byTime: Map<number, DurationGroup>;
}

const emptySums = (): Sums => ({ letters: 0, answered: 0, rated: 0, onTime: 0, byTime: new Map() });

const dialect = new SQLiteSyncDialect();

/** The figures by sender's side of the letters in `selection` (all by default) as of `asOf`. */
export function senderSideFigures({ asOf, selection }: { asOf: CalendarDate; selection?: Selection }): SenderSideFigures {
  const db = getDb();
  const political = politicalControl();
  const roster = readRoster();
  const where = letterWhereSql({ filters: { ...NO_FILTERS, ...(selection ?? ALL_LETTERS), statuses: [] }, asOf });
  const state = letterStateSql(asOf, { of: sql`SELECT l.id FROM letters l WHERE ${where}` });
  const query = dialect.sqlToQuery(sql`${state}
    SELECT l.sent_on, l.committee_id,
      CAST(julianday(CASE
        WHEN s.first_response_on IS NOT NULL THEN s.first_response_on
        WHEN l.closed_on IS NOT NULL AND l.closed_on <= ${asOf} THEN l.closed_on
        ELSE ${asOf} END) - julianday(l.sent_on) AS INTEGER),
      s.first_response_on IS NOT NULL,
      s.first_response_on IS NOT NULL AND s.effective_deadline IS NOT NULL,
      s.first_response_on IS NOT NULL AND s.effective_deadline IS NOT NULL AND s.first_response_on <= s.effective_deadline,
      (SELECT json_group_array(json_array(ls.member_id, ls.role)) FROM letter_senders ls WHERE ls.letter_id = l.id)
    FROM letters l JOIN letter_state s ON s.letter_id = l.id
    WHERE ${where}`);
  // key: `${kind}|${period}|${axis}|${value}`; kind "all" for every letter.
  const sums = new Map<string, Sums>();
  const periodsSeen: Record<SidePeriodKind, Map<string, SidePeriod>> = { congress: new Map(), administration: new Map() };
  const periodLetters = new Map<string, number>();
  let letters = 0;
  const periodsByDay = new Map<string, ReturnType<typeof periodsOf>>();
  const add = (key: string, time: number, event: number, rated: number, onTime: number) => {
    let entry = sums.get(key);
    if (!entry) sums.set(key, (entry = emptySums()));
    entry.letters += 1;
    entry.answered += event;
    entry.rated += rated;
    entry.onTime += onTime;
    let group = entry.byTime.get(time);
    if (!group) entry.byTime.set(time, (group = { time, events: 0, censored: 0 }));
    if (event) group.events += 1;
    else group.censored += 1;
  };
  const rows = db.$client.prepare(query.sql).raw().iterate(...query.params) as IterableIterator<
    [sentOn: string, committeeId: number | null, time: number, event: number, rated: number, onTime: number, senders: string]
  >;
  for (const [sentOn, committeeId, time, event, rated, onTime, sendersJson] of rows) {
    letters += 1;
    // Letters share their days (a few thousand days for 100,000 letters): each day's periods once.
    let periods = periodsByDay.get(sentOn);
    if (!periods) periodsByDay.set(sentOn, (periods = periodsOf(political, sentOn)));
    const inRosterCongress = roster.rosterCongress !== null && periods.congress.key === String(roster.rosterCongress);
    const senders = (JSON.parse(sendersJson) as Array<[number, string | null]>).map(([memberId, role]) =>
      senderFacts(roster, memberId, role, sentOn, committeeId, inRosterCongress),
    );
    const sides = classifyLetter(political, sentOn, senders);
    for (const kind of SIDE_PERIOD_KINDS) {
      periodsSeen[kind].set(periods[kind].key, periods[kind]);
      const periodKey = `${kind}|${periods[kind].key}`;
      periodLetters.set(periodKey, (periodLetters.get(periodKey) ?? 0) + 1);
    }
    for (const axis of SIDE_AXES) {
      add(`all||${axis}|${sides[axis]}`, time, event, rated, onTime);
      for (const kind of SIDE_PERIOD_KINDS) add(`${kind}|${periods[kind].key}|${axis}|${sides[axis]}`, time, event, rated, onTime);
    }
  }
  const figuresOf = (prefix: string, period: SidePeriod, count: number): SidePeriodFigures => ({
    ...period,
    letters: count,
    axes: Object.fromEntries(
      SIDE_AXES.map((axis) => [
        axis,
        (SIDE_VALUES[axis] as readonly SideValue[])
          .map((value) => groupFigures(value, sums.get(`${prefix}|${axis}|${value}`) ?? emptySums()))
          // Every side with letters, and "unknown" always: what could not be classified is counted and shown.
          .filter((group) => group.n > 0 || group.value === "unknown"),
      ]),
    ) as Record<SideAxis, SideFigures[]>,
  });
  const byKind = (kind: SidePeriodKind) =>
    [...periodsSeen[kind].values()].sort(comparePeriods).map((period) => figuresOf(`${kind}|${period.key}`, period, periodLetters.get(`${kind}|${period.key}`) ?? 0));
  return {
    letters,
    all: figuresOf("all|", { key: "all", label: "All letters" }, letters),
    byCongress: byKind("congress"),
    byAdministration: byKind("administration"),
  };
}

function groupFigures(value: string, sums: Sums): SideFigures {
  const enough = enoughLetters(sums.letters);
  // The small-n rule: no median (nor curve) from fewer letters; the rates' own n decides theirs on the page.
  const median = enough ? kaplanMeier([...sums.byTime.values()]).median : null;
  return {
    value,
    n: sums.letters,
    answered: { count: sums.answered, n: sums.letters },
    onTime: { count: sums.onTime, n: sums.rated },
    medianDays: median,
    medianRated: enough,
  };
}
