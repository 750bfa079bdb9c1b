/**
 * What each page reads: the model calls its route's loader makes, for an address, on the app's own
 * connection (getDb). test/integration/page-plans.test.ts reads their query plans and
 * scripts/page-timings.ts times them. Each entry mirrors its loader (app/routes/…): parse the
 * address the way it does, then make the same calls; keep them in step when a loader changes.
 * What a loader hands to the read pool (`readInPool` or `figuresFor`) runs here as the pool's
 * worker runs it, `runReadTask` by the same name and arguments, on this thread's connection.
 */
import type { Db } from "../../db/client.server";
import { parseCalendarWindow } from "~/domain/calendar-window";
import { effectiveAsOf, parseAsOf, parseLetterFilters, parseQuestionFilters } from "~/domain/filters";
import { parseScorecardSort } from "~/domain/scorecards";
import { parseSearchParams } from "~/domain/search";
import { letterHistory } from "~/models/audit.server";
import { getCommittee } from "~/models/committees.server";
import type { DeadlineCursor } from "~/models/feeds.server";
import { recentActivity } from "~/models/feeds.server";
import { getLetterDetail } from "~/models/letters.server";
import { resolveSelectionPicks } from "~/models/pickers.server";
import { getMember } from "~/models/members.server";
import { runReadTask } from "~/models/read-tasks.server";

/** Letters per page of the calendar's stream (routes/calendar[.]ics.ts). */
const CALENDAR_PAGE = 500;

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
    [/^\/$/, () => runReadTask("overview", { asOf: asOfOnly() })],
    // routes/letters._index.tsx
    [/^\/letters$/, () => {
      const filters = letterFilters();
      return [resolveSelectionPicks(params), runReadTask("listLetters", { filters, asOf: effectiveAsOf(filters) })];
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
      return [resolveSelectionPicks(params), runReadTask("listQuestions", { filters, asOf: effectiveAsOf(filters) })];
    }],
    // routes/agencies._index.tsx
    [/^\/agencies$/, () => runReadTask("agencyScorecards", { asOf: asOfOnly(), sort: parseScorecardSort(params).sort })],
    // routes/answered.tsx
    [/^\/answered$/, () => runReadTask("senderSides", { asOf: asOfOnly() })],
    // routes/agencies.$slug.tsx
    [/^\/agencies\/[^/]+$/, () => {
      const filters = letterFilters();
      const page = runReadTask("agencyPage", { slug, asOf: effectiveAsOf(filters), filters });
      if (!page) throw new Error(`no agency ${slug}`);
      return page;
    }],
    // routes/members.$slug.tsx
    [/^\/members\/[^/]+$/, () => {
      const member = getMember({ slug });
      if (!member) throw new Error(`no member ${slug}`);
      const filters = letterFilters();
      return runReadTask("memberPage", { slug: member.slug, asOf: effectiveAsOf(filters), filters });
    }],
    // routes/committees.$slug.tsx
    [/^\/committees\/[^/]+$/, () => {
      const committee = getCommittee({ slug });
      if (!committee) throw new Error(`no committee ${slug}`);
      const filters = letterFilters();
      return runReadTask("committeePage", { slug: committee.slug, asOf: effectiveAsOf(filters), filters });
    }],
    // routes/search.tsx
    [/^\/search$/, () => {
      const { search: query } = parseSearchParams(params);
      return runReadTask("search", { q: query.q, asOf: effectiveAsOf(query), kind: query.kind, page: query.page });
    }],
    // routes/briefing.tsx
    [/^\/briefing$/, () => {
      const filters = questionFilters();
      return runReadTask("briefing", { filters, asOf: effectiveAsOf(filters) });
    }],
    // routes/calendar[.]ics.ts: page after page of the window's deadlines, to the last.
    [/^\/calendar\.ics$/, () => {
      const { page: _page, sort: _sort, dir: _dir, asOf: _asOf, ...filters } = letterFilters();
      const asOf = effectiveAsOf(letterFilters());
      const { window } = parseCalendarWindow(params, asOf);
      // The route's own task: each page's events written as text in the read pool.
      const chunks: Uint8Array[] = [];
      let after: DeadlineCursor | null = null;
      for (;;) {
        const chunk: { bytes: Uint8Array; after: DeadlineCursor | null } = runReadTask("deadlineCalendarChunk", { filters, asOf, from: window.from, to: window.to, after, limit: CALENDAR_PAGE, siteUrl: "https://tracker.example" });
        chunks.push(chunk.bytes);
        if (!chunk.after) return chunks;
        after = chunk.after;
      }
    }],
    // routes/feed[.]xml.ts
    [/^\/feed\.xml$/, () => recentActivity({ limit: 50 })],
    // routes/api.letters.ts (50 a page by default, as every API list)
    [/^\/api\/letters$/, () => {
      const filters = letterFilters();
      return runReadTask("listLetters", { filters, asOf: effectiveAsOf(filters), pageSize: 50 });
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
      return runReadTask("listQuestions", { filters, asOf: effectiveAsOf(filters), pageSize: 50 });
    }],
    // routes/api.agencies.ts
    [/^\/api\/agencies$/, () => {
      const filters = letterFilters();
      return runReadTask("apiAgencies", { filters, asOf: effectiveAsOf(filters) });
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

