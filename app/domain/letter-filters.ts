/**
 * The filter model for letter lists: one definition read from the URL by pages (and later by
 * exports and the API), so every selection is a shareable link. Bad values are dropped with a
 * message naming the parameter, never a crash.
 */
import { z } from "zod";
import { isCalendarDate, today, type CalendarDate } from "./dates";
import { LETTER_STATUSES, type LetterStatus } from "./status";

export const LETTER_SORTS = ["sent", "deadline", "outstanding", "title", "status"] as const;
export type LetterSort = (typeof LETTER_SORTS)[number];
export type SortDirection = "asc" | "desc";

export const LETTER_SORT_LABELS: Record<LetterSort, string> = {
  sent: "Sent date",
  deadline: "Deadline",
  outstanding: "Days outstanding",
  title: "Title",
  status: "Status",
};

/** The direction a column sorts in when first chosen: newest, most urgent and longest first. */
export const DEFAULT_DIRECTION: Record<LetterSort, SortDirection> = {
  sent: "desc",
  deadline: "asc",
  outstanding: "desc",
  title: "asc",
  status: "asc",
};

export const PAGE_SIZE = 25;

export interface LetterFilters {
  statuses: LetterStatus[];
  agency: string | null;
  committee: string | null;
  member: string | null;
  tag: string | null;
  /** The date the state of play is shown for; null means today. */
  asOf: CalendarDate | null;
  sort: LetterSort;
  dir: SortDirection;
  page: number;
}

export interface ParsedFilters {
  filters: LetterFilters;
  /** Human-readable problems with the URL's parameters, e.g. `asOf: "2025-02-30" is not a real date`. */
  problems: string[];
}

const slugParam = z.string().regex(/^[a-z0-9-]{1,100}$/);

export function parseLetterFilters(params: URLSearchParams): ParsedFilters {
  const problems: string[] = [];
  const single = (name: string) => {
    const value = params.get(name)?.trim();
    return value ? value : null;
  };
  const slug = (name: string) => {
    const value = single(name);
    if (value === null) return null;
    if (slugParam.safeParse(value).success) return value;
    problems.push(`${name}: "${value}" is not a valid identifier`);
    return null;
  };

  const statuses: LetterStatus[] = [];
  for (const value of params.getAll("status").flatMap((v) => v.split(","))) {
    const status = value.trim();
    if (!status) continue;
    if ((LETTER_STATUSES as readonly string[]).includes(status)) {
      if (!statuses.includes(status as LetterStatus)) statuses.push(status as LetterStatus);
    } else {
      problems.push(`status: "${status}" is not one of ${LETTER_STATUSES.join(", ")}`);
    }
  }

  const { asOf, problem: asOfProblem } = parseAsOf(params);
  if (asOfProblem) problems.push(asOfProblem);

  let sort: LetterSort = "sent";
  const sortValue = single("sort");
  if (sortValue !== null) {
    if ((LETTER_SORTS as readonly string[]).includes(sortValue)) sort = sortValue as LetterSort;
    else problems.push(`sort: "${sortValue}" is not one of ${LETTER_SORTS.join(", ")}`);
  }

  let dir = DEFAULT_DIRECTION[sort];
  const dirValue = single("dir");
  if (dirValue === "asc" || dirValue === "desc") dir = dirValue;
  else if (dirValue !== null) problems.push(`dir: "${dirValue}" must be asc or desc`);

  let page = 1;
  const pageValue = single("page");
  if (pageValue !== null) {
    const parsed = z.coerce.number().int().min(1).max(1_000_000).safeParse(pageValue);
    if (parsed.success) page = parsed.data;
    else problems.push(`page: "${pageValue}" must be a whole number from 1`);
  }

  return {
    filters: {
      statuses,
      agency: slug("agency"),
      committee: slug("committee"),
      member: slug("member"),
      tag: slug("tag"),
      asOf,
      sort,
      dir,
      page,
    },
    problems,
  };
}

/** The query string for `filters` with `changes` applied; defaults are left out to keep links short. */
export function letterFiltersToSearch(
  filters: LetterFilters,
  changes: Partial<LetterFilters> = {},
): string {
  const merged = { ...filters, ...changes };
  const params = new URLSearchParams();
  for (const status of merged.statuses) params.append("status", status);
  for (const key of ["agency", "committee", "member", "tag", "asOf"] as const) {
    const value = merged[key];
    if (value) params.set(key, value);
  }
  if (merged.sort !== "sent") params.set("sort", merged.sort);
  if (merged.dir !== DEFAULT_DIRECTION[merged.sort]) params.set("dir", merged.dir);
  if (merged.page > 1) params.set("page", String(merged.page));
  const search = params.toString();
  return search ? `?${search}` : "";
}

/** The `asOf` parameter: a real date, or null (today) with a problem message when malformed. */
export function parseAsOf(params: URLSearchParams): { asOf: CalendarDate | null; problem: string | null } {
  const value = params.get("asOf")?.trim();
  if (!value) return { asOf: null, problem: null };
  if (isCalendarDate(value)) return { asOf: value, problem: null };
  return { asOf: null, problem: `asOf: "${value}" is not a real date in YYYY-MM-DD form` };
}

export function effectiveAsOf(filters: Pick<LetterFilters, "asOf">, now: Date = new Date()): CalendarDate {
  return filters.asOf ?? today(now);
}
