/**
 * Which anonymous page requests are rendered whole (loader and React) on a render thread of the
 * read pool rather than on the event loop (decision 0037): the pages whose render alone holds the
 * loop 10–20 ms at 100,000 letters (a list of 50 rows, a search's findings) while a letter page's
 * or `/`'s holds it 1–8. On the loop, every cheap page requested meanwhile waited behind those
 * renders; on a thread at a lower CPU priority they take what the loop leaves.
 *
 * Only what any visitor would see is rendered there (no session, a GET or HEAD of the document):
 * the page is the same wherever it is rendered, so a wrong answer here costs time, never content.
 *
 * Only pages whose reads the read pool runs in its light lane (app/domain/admission.ts `readLane`):
 * a render thread runs its page's reads itself, so a page whose read is heavy (a past day's state,
 * computed; a deep page; a briefing) held a render thread for as long as its read, seconds at
 * 100,000 letters (a past day's search of a common word: 6–15 s). Two such pages from one visitor
 * held both render threads, and every anonymous list and search waited behind them, 7 s at the
 * median (on the event loop, their reads ran in the heavy lane and lists waited 28 ms): the heavy
 * lane exists so that no search waits behind someone's past-date page. Those pages are rendered
 * on the heavy lane's threads instead, with its admission (half a client's share, its wait bound).
 */
import { readLane, type ReadLane } from "./admission";
import { PAGE_SIZE, parseLetterFilters, parseQuestionFilters } from "./filters";
import { pastDayOfPage } from "./page-scope";
import { parseSearchParams } from "./search";

/** Lists and search: their render is 10–20 ms whatever their date. */
const LIST_PAGE = /^\/(?:letters|questions|search)\/?$/;

/**
 * The lane of the read pool the read of a page would take (read-pool.server.ts `defaultReadLane`,
 * from the task and the arguments its loader gives it): lists and search by their date, page,
 * order and statuses; any other page of a past day is a past day's figures, computed: heavy.
 */
export function pageReadLane(page: string, search: string, today: string): ReadLane {
  const params = new URLSearchParams(search);
  if (page === "/letters") {
    const { filters } = parseLetterFilters(params);
    return readLane("listLetters", filters.asOf ?? today, today, (filters.page - 1) * PAGE_SIZE, {
      sort: filters.sort,
      byStatus: filters.statuses.length > 0,
    });
  }
  if (page === "/questions") {
    const { filters } = parseQuestionFilters(params);
    return readLane("listQuestions", filters.asOf ?? today, today, (filters.page - 1) * PAGE_SIZE, {
      sort: filters.sort,
      byStatus: filters.statuses.length > 0,
    });
  }
  if (page === "/search") {
    const { search: asked } = parseSearchParams(params);
    // No words: no read.
    return asked.q ? readLane("search", asked.asOf ?? today, today, (asked.page - 1) * PAGE_SIZE) : "light";
  }
  return pastDayOfPage(page, search, today) === null ? "light" : "heavy";
}

/**
 * The pool lane that renders a request whole, or null for the event loop:
 * - "render": lists and searches whose read is light (the render lane's threads, nice 12);
 * - "heavy": pages whose read is heavy (a past day's lists, profiles, overview, briefing and
 *   search; deep pages), on the heavy lane's threads (nice 13), under the heavy lane's admission
 *   (half a client's share, its wait bound): the read is most of such a page's work, and the
 *   thread that would run it renders the page too, so its 11–20 ms of React leave the event loop
 *   without a heavy page ever holding a render thread.
 *
 * A letter's page is on neither: rendered on a thread it cost 14.7 ms of CPU against 10 on the
 * event loop (the request and page cross threads, the thread collects its own garbage), and the
 * mixed load's letter pages, on two light threads, waited seconds behind each other
 * (docs/performance.md, session 18).
 */
export type RenderLane = "render" | "heavy";

export function renderLaneOf({
  method,
  pathname,
  search,
  today,
  signedIn,
  dataRequest,
}: {
  method: string;
  pathname: string;
  search: string;
  today: string;
  signedIn: boolean;
  /** Remix's `?_data=` or single fetch's `.data`: small JSON, no React render. */
  dataRequest: boolean;
}): RenderLane | null {
  if (signedIn || dataRequest || (method !== "GET" && method !== "HEAD")) return null;
  if (pathname.endsWith(".data")) return null;
  // Remix matches paths whatever their case: `/Letters` is the list too, and rendered on the event
  // loop it slipped past the render lane and its per-client share (attack 26).
  const page = (pathname.length > 1 ? pathname.replace(/\/$/, "") : pathname).toLowerCase();
  if (LIST_PAGE.test(page)) return pageReadLane(page, search, today) === "light" ? "render" : "heavy";
  // Any other page of a past day (page-scope.ts's rule): that day's figures, computed.
  return pastDayOfPage(page, search, today) !== null ? "heavy" : null;
}
