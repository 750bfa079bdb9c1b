/**
 * What each page reads: the model calls its route's loader makes, for an address, on the app's own
 * connection (getDb). test/integration/page-plans.test.ts reads their query plans and
 * scripts/page-timings.ts times them. Each entry mirrors its loader (app/routes/…): parse the
 * address the way it does, then make the same calls; keep them in step when a loader changes.
 */
import type { Db } from "../../db/client.server";
import { isCalendarDate } from "~/domain/dates";
import { effectiveAsOf, parseAsOf, parseLetterFilters, parseQuestionFilters } from "~/domain/filters";
import { parseScorecardSort } from "~/domain/scorecards";
import { parseSearchParams } from "~/domain/search";
import { getAgencyScorecard, listAgencyScorecards } from "~/models/agencies.server";
import { agencyCounts } from "~/models/api.server";
import { letterHistory } from "~/models/audit.server";
import { briefing } from "~/models/briefing.server";
import { getCommittee } from "~/models/committees.server";
import { overviewFigures } from "~/models/dashboard.server";
import { deadlineLetterPage, recentActivity } from "~/models/feeds.server";
import { resolveSelectionPicks } from "~/models/pickers.server";
import { parseCalendarWindow } from "~/domain/calendar-window";
import { getLetterDetail, listLetters } from "~/models/letters.server";
import { getMember } from "~/models/members.server";
import { profileLists, profilePage } from "~/models/profiles.server";
import { listQuestions } from "~/models/questions.server";
import { search } from "~/models/search.server";
import { withStateSnapshot } from "~/models/state-snapshot.server";

/** The things the pages are about: the busiest agency, member and committee, and one letter. */
export interface PageSubjects {
  letter: string;
  agency: string;
  member: string;
  committee: string;
  /** A word of the synthetic letters' texts, for search. */
  word: string;
}

export function busiestSubjects(db: Db): PageSubjects {
  const slug = (query: string) => (db.$client.prepare(query).get() as { slug: string }).slug;
  return {
    // A letter in a follow-up chain (the page's most complex read).
    letter: slug("SELECT slug FROM letters WHERE follows_up_id IS NOT NULL AND id IN (SELECT follows_up_id FROM letters) ORDER BY id LIMIT 1"),
    agency: slug(`SELECT a.slug FROM letter_recipients lr JOIN agencies a ON a.id = lr.agency_id
      GROUP BY a.id ORDER BY COUNT(DISTINCT lr.letter_id) DESC, a.slug LIMIT 1`),
    member: slug(`SELECT m.slug FROM letter_senders ls JOIN members m ON m.id = ls.member_id
      GROUP BY m.id ORDER BY COUNT(*) DESC, m.slug LIMIT 1`),
    committee: slug(`SELECT c.slug FROM letters l JOIN committees c ON c.id = l.committee_id
      GROUP BY c.id ORDER BY COUNT(*) DESC, c.slug LIMIT 1`),
    word: "contract",
  };
}

/** A page: its address and its loader's model calls. */
export interface PageLoad {
  address: string;
  load: () => unknown;
}

/** The model calls of the page at `address` (a path and query), as its route's loader makes them. */
export function pageLoad(address: string): PageLoad {
  const url = new URL(address, "http://tracker.test");
  const params = url.searchParams;
  const path = url.pathname;
  const slug = path.split("/").at(-1)!;
  const asOfOnly = () => effectiveAsOf({ asOf: parseAsOf(params).asOf });
  const letterFilters = () => parseLetterFilters(params).filters;
  const questionFilters = () => parseQuestionFilters(params).filters;
  const loads: Array<[RegExp, () => unknown]> = [
    // routes/_index.tsx
    [/^\/$/, () => {
      const asOf = asOfOnly();
      return withStateSnapshot({ asOf, cacheKey: "overview", run: () => overviewFigures({ asOf }) });
    }],
    // routes/letters._index.tsx
    [/^\/letters$/, () => {
      const filters = letterFilters();
      return [resolveSelectionPicks(params), listLetters({ filters, asOf: effectiveAsOf(filters) })];
    }],
    // routes/letters.$slug.tsx
    [/^\/letters\/[^/]+$/, () => {
      const detail = getLetterDetail({ slug, asOf: asOfOnly() });
      if (!detail) throw new Error(`no letter ${slug}`);
      return [detail, letterHistory({ letterId: detail.id })];
    }],
    // routes/questions._index.tsx
    [/^\/questions$/, () => {
      const filters = questionFilters();
      return [resolveSelectionPicks(params), listQuestions({ filters, asOf: effectiveAsOf(filters) })];
    }],
    // routes/agencies._index.tsx
    [/^\/agencies$/, () => listAgencyScorecards({ asOf: asOfOnly(), sort: parseScorecardSort(params).sort })],
    // routes/agencies.$slug.tsx
    [/^\/agencies\/[^/]+$/, () => {
      const filters = letterFilters();
      const asOf = effectiveAsOf(filters);
      const scorecard = getAgencyScorecard({ slug, asOf });
      if (!scorecard) throw new Error(`no agency ${slug}`);
      return [scorecard, profileLists({ asOf, scope: { agency: scorecard.agency.slug }, letterFilters: filters })];
    }],
    // routes/members.$slug.tsx
    [/^\/members\/[^/]+$/, () => {
      const member = getMember({ slug });
      if (!member) throw new Error(`no member ${slug}`);
      const filters = letterFilters();
      return profilePage({ asOf: effectiveAsOf(filters), scope: { member: member.slug }, letterFilters: filters });
    }],
    // routes/committees.$slug.tsx
    [/^\/committees\/[^/]+$/, () => {
      const committee = getCommittee({ slug });
      if (!committee) throw new Error(`no committee ${slug}`);
      const filters = letterFilters();
      return profilePage({ asOf: effectiveAsOf(filters), scope: { committee: committee.slug }, letterFilters: filters });
    }],
    // routes/search.tsx
    [/^\/search$/, () => {
      const { search: query } = parseSearchParams(params, isCalendarDate);
      return search({ q: query.q, asOf: effectiveAsOf(query), kind: query.kind, page: query.page });
    }],
    // routes/briefing.tsx
    [/^\/briefing$/, () => {
      const filters = questionFilters();
      return briefing({ filters, asOf: effectiveAsOf(filters) });
    }],
    // routes/calendar[.]ics.ts
    [/^\/calendar\.ics$/, () => {
      const filters = letterFilters();
      const asOf = effectiveAsOf(filters);
      const { window } = parseCalendarWindow(params, asOf);
      // One page of the stream (the route reads page after page, each from where the last ended).
      return deadlineLetterPage({ filters, asOf, from: window.from, to: window.to, after: null, limit: 500 });
    }],
    // routes/feed[.]xml.ts
    [/^\/feed\.xml$/, () => recentActivity({ limit: 50 })],
    // routes/api.letters.ts (50 a page by default, as every API list)
    [/^\/api\/letters$/, () => {
      const filters = letterFilters();
      return listLetters({ filters, asOf: effectiveAsOf(filters), pageSize: 50 });
    }],
    // routes/api.letters_.$slug.ts
    [/^\/api\/letters\/[^/]+$/, () => {
      const detail = getLetterDetail({ slug, asOf: asOfOnly() });
      if (!detail) throw new Error(`no letter ${slug}`);
      return detail;
    }],
    // routes/api.questions.ts
    [/^\/api\/questions$/, () => {
      const filters = questionFilters();
      return listQuestions({ filters, asOf: effectiveAsOf(filters), pageSize: 50 });
    }],
    // routes/api.agencies.ts
    [/^\/api\/agencies$/, () => {
      const filters = letterFilters();
      return agencyCounts({ filters, asOf: effectiveAsOf(filters) });
    }],
  ];
  const found = loads.find(([pattern]) => pattern.test(path));
  if (!found) throw new Error(`no page at ${address}`);
  return { address, load: found[1] };
}

/** `address` with the subjects' slugs put in for :letter, :agency, :member, :committee and :word. */
export function addressOf(template: string, subjects: PageSubjects): string {
  return template.replace(/:(letter|agency|member|committee|word)\b/g, (_match, name: keyof PageSubjects) => subjects[name]);
}

