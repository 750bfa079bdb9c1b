/**
 * The filter model: one definition, read from the URL, serves every list of letters and questions,
 * their exports, the API and the briefing, so any selection is a shareable link. Bad values are
 * dropped with a message naming the parameter, never a crash.
 */
import { z } from "zod";
import { isCalendarDate, today, type CalendarDate } from "./dates";
import {
  LETTER_STATUSES,
  QUESTION_KINDS,
  QUESTION_STATUSES,
  type LetterStatus,
  type QuestionKind,
  type QuestionStatus,
} from "./vocabulary";

export const LETTER_SORTS = ["sent", "deadline", "outstanding", "title", "status"] as const;
export type LetterSort = (typeof LETTER_SORTS)[number];
export const QUESTION_SORTS = ["sent", "deadline", "open", "letter"] as const;
export type QuestionSort = (typeof QUESTION_SORTS)[number];
export type SortDirection = "asc" | "desc";

export const LETTER_SORT_LABELS: Record<LetterSort, string> = {
  sent: "Sent date",
  deadline: "Deadline",
  outstanding: "Days outstanding",
  title: "Title",
  status: "Status",
};

export const QUESTION_SORT_LABELS: Record<QuestionSort, string> = {
  sent: "Sent date",
  deadline: "Deadline",
  open: "Days open",
  letter: "Letter",
};

/** The direction a column sorts in when first chosen: newest, most urgent and longest first. */
export const DEFAULT_DIRECTION: Record<LetterSort | QuestionSort, SortDirection> = {
  sent: "desc",
  deadline: "asc",
  outstanding: "desc",
  open: "desc",
  title: "asc",
  letter: "asc",
  status: "asc",
};

export const PAGE_SIZE = 25;
/** The highest page number a list or search takes (a bound on the offset a query can ask for). */
export const MAX_PAGE = 1_000_000;

/** A page number from the URL (a value given: callers treat none as page 1), or page 1 and the problem named. */
export function parsePageNumber(value: string): { page: number; problem: string | null } {
  const parsed = z.coerce.number().int().min(1).max(MAX_PAGE).safeParse(value);
  if (parsed.success) return { page: parsed.data, problem: null };
  return { page: 1, problem: `page: "${value}" must be a whole number from 1 to ${MAX_PAGE}` };
}

/** What selects letters (and, through their letters, questions). */
export interface SelectionFilters {
  agency: string | null;
  committee: string | null;
  member: string | null;
  tag: string | null;
  /** Sent on or after / on or before. */
  sentFrom: CalendarDate | null;
  sentTo: CalendarDate | null;
  /** Free text, matched with full-text search. */
  q: string | null;
  /** The date the state of play is shown for; null means today. */
  asOf: CalendarDate | null;
}

/** A selection of every letter: no agency, committee, member, topic, dates or text. */
export const ALL_LETTERS: Omit<SelectionFilters, "asOf"> = {
  agency: null,
  committee: null,
  member: null,
  tag: null,
  sentFrom: null,
  sentTo: null,
  q: null,
};

export interface LetterFilters extends SelectionFilters {
  statuses: LetterStatus[];
  sort: LetterSort;
  dir: SortDirection;
  page: number;
}

export interface QuestionFilters extends SelectionFilters {
  /** Empty means every status; the page's default is open questions. */
  statuses: QuestionStatus[];
  kinds: QuestionKind[];
  sort: QuestionSort;
  dir: SortDirection;
  page: number;
}

/**
 * The order a question list is read in. An open question's days open are asOf minus the day it was
 * first asked: its letter's sent date, or for a question that asks an earlier one again (decision
 * 0023) its chain's first ask (`first_asked_on`). So when only open questions are listed, "most days
 * open first" is "first asked earliest first", with ties broken the same way: by letter, then
 * question number. Read as `sort: "sent"` with `byFirstAsk`, SQL walks the letters' date index for
 * the first asks and merges in the (few) repeats, ordered by their first ask, stopping at the
 * page's end instead of sorting every open question (0.2–0.45 s a page at a million questions).
 */
export function questionReadingOrder({
  sort,
  dir,
  statuses,
}: Pick<QuestionFilters, "sort" | "dir" | "statuses">): { sort: QuestionSort; dir: SortDirection; byFirstAsk: boolean } {
  const onlyOpen = statuses.length > 0 && statuses.every((status) => status === "open");
  if (sort === "open" && onlyOpen) return { sort: "sent", dir: dir === "desc" ? "asc" : "desc", byFirstAsk: true };
  return { sort, dir, byFirstAsk: false };
}

export interface Parsed<F> {
  filters: F;
  /** Human-readable problems with the URL's parameters, e.g. `asOf: "2025-02-30" is not a real date`. */
  problems: string[];
}

const slugParam = z.string().regex(/^[a-z0-9-]{1,100}$/);

/** Reads parameters, collecting a message for each bad value. */
class ParamReader {
  problems: string[] = [];
  constructor(
    private params: URLSearchParams,
    private now: Date = new Date(),
  ) {}

  single(name: string): string | null {
    const value = this.params.get(name)?.trim();
    return value ? value : null;
  }

  slug(name: string): string | null {
    const value = this.single(name);
    if (value === null) return null;
    if (slugParam.safeParse(value).success) return value;
    this.problems.push(`${name}: "${value}" is not a valid identifier`);
    return null;
  }

  date(name: string): CalendarDate | null {
    const value = this.single(name);
    if (value === null || isCalendarDate(value)) return value;
    this.problems.push(`${name}: "${value}" is not a real date in YYYY-MM-DD form`);
    return null;
  }

  /** Repeated or comma-separated values from a fixed list; `all` selects none (every value). */
  list<T extends string>(name: string, allowed: readonly T[]): T[] | null {
    if (!this.params.has(name)) return null;
    const result: T[] = [];
    for (const raw of this.params.getAll(name).flatMap((value) => value.split(","))) {
      const value = raw.trim();
      if (!value || value === "all") continue;
      if ((allowed as readonly string[]).includes(value)) {
        if (!result.includes(value as T)) result.push(value as T);
      } else {
        this.problems.push(`${name}: "${value}" is not one of ${allowed.join(", ")}`);
      }
    }
    return result;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.single(name);
    if (value === null) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name}: "${value}" is not one of ${allowed.join(", ")}`);
    return fallback;
  }

  page(): number {
    const value = this.single("page");
    if (value === null) return 1;
    const { page, problem } = parsePageNumber(value);
    if (problem) this.problems.push(problem);
    return page;
  }

  selection(): SelectionFilters {
    const q = this.single("q");
    let sentFrom = this.date("sentFrom");
    let sentTo = this.date("sentTo");
    if (sentFrom && sentTo && sentFrom > sentTo) {
      this.problems.push(`sentTo: ${sentTo} is before sentFrom ${sentFrom}; the two were swapped`);
      [sentFrom, sentTo] = [sentTo, sentFrom];
    }
    return {
      agency: this.slug("agency"),
      committee: this.slug("committee"),
      member: this.slug("member"),
      tag: this.slug("tag"),
      sentFrom,
      sentTo,
      q: q ? q.slice(0, 200) : null,
      asOf: this.asOf(),
    };
  }

  /** `asOf`: a real date up to today; a later one is left out with a problem (today is shown). */
  asOf(): CalendarDate | null {
    const value = this.date("asOf");
    const problem = value === null ? null : futureAsOfProblem(value, this.now);
    if (problem) this.problems.push(problem);
    return problem ? null : value;
  }
}

/**
 * An `asOf` after today names a state of play nobody knows yet ("Day 2,912,709 without an answer"):
 * pages leave it out with this problem and show today's; the API refuses it (apiParameterProblems).
 */
export function futureAsOfProblem(asOf: CalendarDate, now: Date = new Date()): string | null {
  const todayIs = today(now);
  return asOf > todayIs ? `asOf: "${asOf}" is after today (${todayIs}): the state of play is known up to today, so today's is shown` : null;
}

export function parseLetterFilters(params: URLSearchParams): Parsed<LetterFilters> {
  const reader = new ParamReader(params);
  const selection = reader.selection();
  const statuses = reader.list("status", LETTER_STATUSES) ?? [];
  const sort = reader.oneOf("sort", LETTER_SORTS, "sent");
  const dir = reader.oneOf("dir", ["asc", "desc"] as const, DEFAULT_DIRECTION[sort]);
  const page = reader.page();
  return { filters: { ...selection, statuses, sort, dir, page }, problems: reader.problems };
}

export function parseQuestionFilters(params: URLSearchParams): Parsed<QuestionFilters> {
  const reader = new ParamReader(params);
  const selection = reader.selection();
  // With no status parameter the list shows what advocates come for: open questions.
  const statuses = reader.list("status", QUESTION_STATUSES) ?? ["open"];
  const kinds = reader.list("kind", QUESTION_KINDS) ?? [];
  const sort = reader.oneOf("sort", QUESTION_SORTS, "sent");
  const dir = reader.oneOf("dir", ["asc", "desc"] as const, DEFAULT_DIRECTION[sort]);
  const page = reader.page();
  return { filters: { ...selection, statuses, kinds, sort, dir, page }, problems: reader.problems };
}

function selectionToParams(filters: SelectionFilters, params: URLSearchParams): void {
  for (const key of ["agency", "committee", "member", "tag", "sentFrom", "sentTo", "q", "asOf"] as const) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
}

function finish(params: URLSearchParams, sort: string, defaultSort: string, dir: SortDirection, page: number): string {
  if (sort !== defaultSort) params.set("sort", sort);
  if (dir !== DEFAULT_DIRECTION[sort as LetterSort | QuestionSort]) params.set("dir", dir);
  if (page > 1) params.set("page", String(page));
  const search = params.toString();
  return search ? `?${search}` : "";
}

/** The query string for `filters` with `changes` applied; defaults are left out to keep links short. */
export function letterFiltersToSearch(filters: LetterFilters, changes: Partial<LetterFilters> = {}): string {
  const merged = { ...filters, ...changes };
  const params = new URLSearchParams();
  for (const status of merged.statuses) params.append("status", status);
  selectionToParams(merged, params);
  return finish(params, merged.sort, "sent", merged.dir, merged.page);
}

export function questionFiltersToSearch(filters: QuestionFilters, changes: Partial<QuestionFilters> = {}): string {
  const merged = { ...filters, ...changes };
  const params = new URLSearchParams();
  const isDefault = merged.statuses.length === 1 && merged.statuses[0] === "open";
  if (merged.statuses.length === 0) params.set("status", "all");
  else if (!isDefault) for (const status of merged.statuses) params.append("status", status);
  for (const kind of merged.kinds) params.append("kind", kind);
  selectionToParams(merged, params);
  return finish(params, merged.sort, "sent", merged.dir, merged.page);
}

/** The `asOf` parameter: a real date up to today, or null (today) with a problem message when malformed or later. */
export function parseAsOf(params: URLSearchParams, now: Date = new Date()): { asOf: CalendarDate | null; problem: string | null } {
  const value = params.get("asOf")?.trim();
  if (!value) return { asOf: null, problem: null };
  if (!isCalendarDate(value)) return { asOf: null, problem: `asOf: "${value}" is not a real date in YYYY-MM-DD form` };
  const future = futureAsOfProblem(value, now);
  return future ? { asOf: null, problem: future } : { asOf: value, problem: null };
}

export function effectiveAsOf(filters: Pick<SelectionFilters, "asOf">, now: Date = new Date()): CalendarDate {
  return filters.asOf ?? today(now);
}

/**
 * How many choices narrow a selection (for the folded filter form's button on phones: "Filters ·
 * 2 on"). Statuses count once however many are picked; question lists count a status only when it
 * is not their default (open questions); sorting and paging narrow nothing.
 */
export function activeFilterCount(
  filters: SelectionFilters & { statuses: readonly string[]; kinds?: readonly string[] },
  defaultStatuses: readonly string[] = [],
): number {
  const selection: (keyof SelectionFilters)[] = ["agency", "committee", "member", "tag", "sentFrom", "sentTo", "q", "asOf"];
  const statusesAreDefault =
    filters.statuses.length === defaultStatuses.length && filters.statuses.every((status) => defaultStatuses.includes(status));
  return (
    selection.filter((key) => filters[key] !== null && filters[key] !== "").length +
    (statusesAreDefault ? 0 : 1) +
    (filters.kinds && filters.kinds.length > 0 ? 1 : 0)
  );
}
