/**
 * Which anonymous pages show less than everything, and so are kept (page cache, ETags, nginx) under
 * a narrower revision than every write's:
 * - one letter's page and its share card and badge, under the letter's own revisions (decision 0029);
 * - any other page of a past date (`asOf` before today, as the pages read it), under that day's
 *   history revision (decision 0031): a save to a letter sent later leaves it alone.
 * Everything else changes with any write.
 */
import { parseAsOf } from "./filters";
import { RESERVED_LETTER_SLUGS } from "./slug";

/**
 * Remix matches a route's fixed segments whatever their case (`/Letters/x` is `/letters/x`'s page),
 * so these patterns do too; a slug is matched as written (slugs are lower case: `/letters/X` is a
 * letter that does not exist). Matched by case, `/Letters/x` fell back to the data revision (kept
 * less long), and `/Search?asOf=` to a past day's revision without the search index's.
 */
const LETTER_PAGE = /^\/letters\/([^/]+)(?:\/card\.png|\/badge\.svg)?$/i;

/**
 * The page whose data a single-fetch request asks for (`/letters/x.data` → `/letters/x`,
 * `/_root.data` → `/`: Remix's client fetches a page's loader data there when it navigates), else
 * the path itself. Such data is the page's own loaders' (the document's), so it is kept under the
 * page's revision: otherwise every in-app navigation to a letter or a past date was rendered anew
 * after any write. No page of its own ends in `.data` (a slug has no dot).
 */
function pagePathOf(pathname: string): string {
  if (!pathname.endsWith(".data")) return pathname;
  const page = pathname.slice(0, -".data".length);
  return page === "/_root" ? "/" : page;
}

/** The slug of the one letter a path shows (`/letters/:slug`, its card or badge, their data), else null. */
export function letterSlugOfPath(pathname: string): string | null {
  const match = LETTER_PAGE.exec(pagePathOf(pathname));
  if (!match) return null;
  let slug: string;
  try {
    slug = decodeURIComponent(match[1] as string);
  } catch {
    return null;
  }
  // Second segments under /letters/ that are routes of their own (the one list, held to app/routes).
  return RESERVED_LETTER_SLUGS.has(slug.toLowerCase()) || slug.includes("/") ? null : slug;
}

/**
 * Pages that show a past day's state when asked (`asOf`), from letters sent by that day only: the
 * integration test history-revisions checks each against real writes. Every other address keeps the
 * data revision whatever its query says (a route that ignores `asOf` shows today's data).
 */
const PAST_DATE_PAGE = /^\/(?:|letters|questions|agencies|answered|briefing|search|(?:agencies|committees|members)\/[^/]+)$/i;

/**
 * Pages of a past date that rank what they find by the whole search index (bm25 reads every row's
 * words, whatever its letter's date): a later letter's searchable text reorders what they show as of
 * any day, so they are kept under the day's history revision and the search revision together.
 */
export function pastDayPageRanksWholeIndex(pathname: string): boolean {
  // Its data too (`/search.data`, an in-app navigation): kept without the search revision, a past
  // day's results came back in their old order after a later letter's text changed it.
  return pagePathOf(pathname).toLowerCase() === "/search";
}

/**
 * The past day the page at `pathname` (or its data) shows (`asOf`, read as every page reads it: the
 * first value, trimmed, a real date), when it is before `today` and the page is one of
 * PAST_DATE_PAGE; else null.
 */
export function pastDayOfPage(pathname: string, search: string, today: string): string | null {
  if (!search.includes("asOf") || !PAST_DATE_PAGE.test(pagePathOf(pathname))) return null;
  const { asOf } = parseAsOf(new URLSearchParams(search));
  return asOf !== null && asOf < today ? asOf : null;
}
