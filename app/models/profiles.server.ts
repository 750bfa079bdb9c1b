/**
 * The body of the member, committee and agency pages: the letters of one selection (one member,
 * committee or agency), how they were answered, their open questions and the agencies' figures.
 */
import type { CalendarDate } from "~/domain/dates";
import { ALL_LETTERS, parseQuestionFilters, type LetterFilters } from "~/domain/filters";
import { selectionProfile, statusCounts, type Selection } from "./dashboard.server";
import { cachedForToday } from "./figure-cache.server";
import { listLetters, NO_FILTERS } from "./letters.server";
import { listQuestions } from "./questions.server";

export const PROFILE_QUESTIONS = 10;

type ProfileArgs = {
  asOf: CalendarDate;
  /** The one thing the page is about, e.g. { member: "jamie-raskin" }. */
  scope: Partial<Pick<Selection, "member" | "committee" | "agency">>;
  /** Sort, direction and page of the page's letter list (from its URL). */
  letterFilters: LetterFilters;
};

/** Letters by status, one page of letters and the first open questions of a scope. */
export function profileLists({ asOf, scope, letterFilters }: ProfileArgs) {
  const openQuestionFilters = { ...parseQuestionFilters(new URLSearchParams()).filters, ...scope };
  return cachedForToday({
    asOf,
    key: `profile-lists:${JSON.stringify([scope, letterFilters])}`,
    compute: () => ({
      counts: statusCounts({ asOf, selection: { ...ALL_LETTERS, ...scope } }),
      letters: listLetters({ asOf, filters: { ...letterFilters, ...NO_FILTERS, ...scope } }),
      openQuestions: listQuestions({ asOf, filters: openQuestionFilters, pageSize: PROFILE_QUESTIONS }),
    }),
  });
}

/**
 * profileLists plus the figures of the letters and of the agencies they went to. For a past date
 * each query computes the state of the letters it reads: the scope's own, and for the agencies'
 * figures over all their letters, those agencies' letters.
 */
export function profilePage(args: ProfileArgs) {
  return cachedForToday({
    asOf: args.asOf,
    key: `profile:${JSON.stringify(args.scope)}:${JSON.stringify(args.letterFilters)}`,
    compute: () => ({
      ...profileLists(args),
      ...selectionProfile({ asOf: args.asOf, selection: { ...ALL_LETTERS, ...args.scope } }),
    }),
  });
}
