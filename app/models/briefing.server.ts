/**
 * The briefing: one printable page about a selection of questions (the /questions filters).
 */
import { sql } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import type { CalendarDate } from "~/domain/dates";
import { ALL_LETTERS, type QuestionFilters } from "~/domain/filters";
import {
  overdueLetters,
  questionCounts,
  statusCounts,
  type Selection,
} from "./dashboard.server";
import { listQuestions, type QuestionListItem } from "./questions.server";
import { narrowsSelection } from "./selection.server";
import { withStateSnapshot } from "./state-snapshot.server";

/** A briefing lists at most this many questions; more means the selection is too broad for one page. */
export const BRIEFING_QUESTIONS = 200;

/** Names of what the selection's slugs point at, to say in words what the briefing covers. */
export function selectionNames({ selection }: { selection: Selection }) {
  const db = getDb();
  const name = (table: "agencies" | "committees" | "members" | "tags", slug: string | null) =>
    slug === null
      ? null
      : (db.get<{ name: string }>(sql`SELECT name FROM ${sql.raw(table)} WHERE slug = ${slug}`)?.name ?? slug);
  return {
    agency: name("agencies", selection.agency),
    committee: name("committees", selection.committee),
    member: name("members", selection.member),
    tag: name("tags", selection.tag),
  };
}

/** "A", "A and B", "A, B and C". */
function joinNames(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

export interface BriefingGroup {
  /** The agencies the questions' letters went to, e.g. "U.S. Department of State". */
  agencies: string;
  questions: QuestionListItem[];
}

export function briefing({ filters, asOf }: { filters: QuestionFilters; asOf: CalendarDate }) {
  const selection: Selection = {
    ...ALL_LETTERS,
    agency: filters.agency,
    committee: filters.committee,
    member: filters.member,
    tag: filters.tag,
    sentFrom: filters.sentFrom,
    sentTo: filters.sentTo,
    q: filters.q,
  };
  const list = listQuestions({
    filters: { ...filters, sort: "sent", dir: "desc", page: 1 },
    asOf,
    pageSize: BRIEFING_QUESTIONS,
  });
  const letterFigures = () => ({
    letterCounts: statusCounts({ asOf, selection }),
    overdue: overdueLetters({ asOf, selection, limit: 25 }),
  });
  const groups = new Map<string, BriefingGroup>();
  for (const question of list.questions) {
    const key = joinNames(question.agencies.map((agency) => agency.name).sort()) || "No agency recorded";
    const group = groups.get(key) ?? { agencies: key, questions: [] };
    group.questions.push(question);
    groups.set(key, group);
  }
  return {
    names: selectionNames({ selection }),
    // Over every letter, one snapshot of a past date's state serves both figures; a narrower
    // selection's figures compute the state of its own letters only.
    ...(narrowsSelection(selection) ? letterFigures() : withStateSnapshot({ asOf, run: letterFigures })),
    questionCounts: questionCounts({ asOf, selection }),
    questionTotal: list.total,
    groups: [...groups.values()].sort(
      (a, b) => b.questions.length - a.questions.length || a.agencies.localeCompare(b.agencies),
    ),
  };
}
