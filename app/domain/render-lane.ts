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
import { RESERVED_LETTER_SLUGS } from "./slug";

/** Lists and search: heavy whatever their date. */
const LIST_PAGE = /^\/(?:letters|questions|search)\/?$/;

/** One letter's page (not its card, badge or data): the cheap page most visitors ask for. */
const LETTER_PAGE = /^\/letters\/[^/.]+\/?$/;

/**
 * The pool lane that renders a request, or null for the event loop:
 * - "light": a letter's page (the threads of the light lane, at the priority of its reads; about
 *   8 ms of rendering when not kept, which on the event loop held every kept page asked meanwhile);
 * - "render": lists, search and past days' pages (10–20 ms of rendering, on threads below it).
 */
export type RenderLane = "light" | "render";

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
  if (LIST_PAGE.test(pathname)) return "render";
  // Any other page of a past day: its state is computed from the history (page-scope.ts).
  if (pastDayOfPage(pathname.length > 1 ? pathname.replace(/\/$/, "") : pathname, search, today) !== null) return "render";
  return LETTER_PAGE.test(pathname) && !RESERVED_LETTER_SLUGS.has(pathname.split("/")[2] ?? "") ? "light" : null;
}
