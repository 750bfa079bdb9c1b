/** Ranking agencies on /agencies: which column, read from the URL. */
import { parsePageNumber } from "./filters";
import type { Rate } from "./statistics";

export const SCORECARD_SORTS = ["letters", "answered", "median", "ontime", "open"] as const;
export type ScorecardSort = (typeof SCORECARD_SORTS)[number];

export const SCORECARD_SORT_LABELS: Record<ScorecardSort, string> = {
  letters: "Letters received",
  answered: "Share answered",
  median: "Median days to respond",
  ontime: "On-time rate",
  open: "Open questions",
};

export function parseScorecardSort(params: URLSearchParams): { sort: ScorecardSort; problem: string | null } {
  const value = params.get("sort")?.trim();
  if (!value) return { sort: "letters", problem: null };
  if ((SCORECARD_SORTS as readonly string[]).includes(value)) return { sort: value as ScorecardSort, problem: null };
  return { sort: "letters", problem: `sort: "${value}" is not one of ${SCORECARD_SORTS.join(", ")}` };
}

interface Scorecard {
  name: string;
  letters: number;
  answered: Rate;
  onTime: Rate;
  openQuestions: number;
  medianDays: number | null;
  medianRated: boolean;
}

/**
 * Best first: most letters, highest shares, shortest median, most open questions. Agencies without
 * a figure for the column (too few letters, median not reached) go last; ties keep name order.
 */
export function sortScorecards<T extends Scorecard>(rows: readonly T[], sort: ScorecardSort): T[] {
  const key = (row: T): number | null => {
    switch (sort) {
      case "letters":
        return -row.letters;
      case "answered":
        return row.answered.rate === null ? null : -row.answered.rate;
      case "ontime":
        return row.onTime.rate === null ? null : -row.onTime.rate;
      case "median":
        return row.medianRated && row.medianDays !== null ? row.medianDays : null;
      case "open":
        return -row.openQuestions;
    }
  };
  return [...rows].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka === null && kb !== null) return 1;
    if (kb === null && ka !== null) return -1;
    if (ka !== null && kb !== null && ka !== kb) return ka - kb;
    return a.name.localeCompare(b.name);
  });
}

/** A rate as a page sends it: the rate itself follows from these two (statistics.rate). */
export type RateCount = Pick<Rate, "count" | "n">;

/**
 * An agency's row in a scorecard table (components/figures.tsx AgencyTable), with only what the
 * table shows: pages send nothing else of an agency's figures to the browser.
 */
export interface ScorecardRow {
  slug: string;
  name: string;
  letters: number;
  answered: RateCount;
  onTime: RateCount;
  medianDays: number | null;
  medianRated: boolean;
  openQuestions: number;
}

export function scorecardRow(row: ScorecardRow): ScorecardRow {
  return {
    slug: row.slug,
    name: row.name,
    letters: row.letters,
    answered: { count: row.answered.count, n: row.answered.n },
    onTime: { count: row.onTime.count, n: row.onTime.n },
    medianDays: row.medianDays,
    medianRated: row.medianRated,
    openQuestions: row.openQuestions,
  };
}

/** Rows of the /agencies ranking per page: a national tracker has hundreds of agencies. */
export const SCORECARDS_PER_PAGE = 50;

export function parseScorecardPage(params: URLSearchParams): { page: number; problem: string | null } {
  const value = params.get("page")?.trim();
  if (!value) return { page: 1, problem: null };
  return parsePageNumber(value);
}
