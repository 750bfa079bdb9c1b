/**
 * Which anonymous page requests are rendered whole (loader and React) on a render thread of the
 * read pool rather than on the event loop (decision 0037): the pages whose render alone holds the
 * loop 10–20 ms at 100,000 letters (a list of 50 rows, a search's findings, a past day's profile)
 * while a letter page's or `/`'s holds it 1–8. On the loop, every cheap page requested meanwhile
 * waited behind those renders; on a thread at a lower CPU priority they take what the loop leaves.
 *
 * Only what any visitor would see is rendered there (no session, a GET or HEAD of the document):
 * the page is the same wherever it is rendered, so a wrong answer here costs time, never content.
 */
import { pastDayOfPage } from "./page-scope";

/** Lists and search: heavy whatever their date. */
const LIST_PAGE = /^\/(?:letters|questions|search)\/?$/;

/**
 * Whether a request is rendered on the render lane. A letter's page is not: rendered on a thread it
 * cost 14.7 ms of CPU against 10 on the event loop (the request and page cross threads, the thread
 * collects its own garbage), and the letter pages of the mixed load, on two light threads, waited
 * seconds behind each other (docs/performance.md, session 18).
 */
export function rendersOnThread({
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
}): boolean {
  if (signedIn || dataRequest || (method !== "GET" && method !== "HEAD")) return false;
  if (pathname.endsWith(".data")) return false;
  if (LIST_PAGE.test(pathname)) return true;
  // Any other page of a past day: its state is computed from the history (page-scope.ts).
  return pastDayOfPage(pathname.length > 1 ? pathname.replace(/\/$/, "") : pathname, search, today) !== null;
}
