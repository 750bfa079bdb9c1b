/**
 * renderLaneOf (app/domain/render-lane.ts, decision 0037): which requests are rendered whole on a
 * thread of the read pool, and which lane's, for anonymous GETs and HEADs of the document: lists
 * and searches whose read is light on the render lane; pages whose read is heavy (past days, deep
 * pages) on the heavy lane, under its admission. Everything else stays on the event loop: a
 * letter's page (cheaper there), `/`, today's profiles, data requests, anything signed in or not
 * a read.
 */
import { describe, expect, it, vi } from "vitest";
import { renderLaneOf } from "~/domain/render-lane";
import { parseLetterFilters, parseQuestionFilters } from "~/domain/filters";
import { parseSearchParams } from "~/domain/search";
import { defaultReadLane } from "~/utils/read-pool.server";

const TODAY = "2026-12-03";

type Row = [label: string, request: { method?: string; url: string; signedIn?: boolean; dataRequest?: boolean }, lane: "render" | "heavy" | null];

const rows: Row[] = [
  ["the letters list", { url: "/letters" }, "render"],
  ["the letters list with a trailing slash", { url: "/letters/" }, "render"],
  ["a sorted, deep page of the letters list", { url: "/letters?sort=status&dir=desc&page=7" }, "render"],
  ["the questions list", { url: "/questions?sort=age&page=2" }, "render"],
  ["a search", { url: "/search?q=grants" }, "render"],
  ["a HEAD of a list", { method: "HEAD", url: "/letters?page=2" }, "render"],
  ["a past day's list of letters by date (a light read: the stored history)", { url: "/letters?asOf=2024-05-01" }, "render"],
  ["a past day's list of letters by title", { url: "/letters?asOf=2024-05-01&sort=title&page=3" }, "render"],
  ["page 99 of a list (not yet a deep page)", { url: "/questions?page=99" }, "render"],
  ["a search's page 99", { url: "/search?q=grants&page=99" }, "render"],
  ["a search form with a past day and no words (no read)", { url: "/search?asOf=2024-05-01" }, "render"],
  ["a search as of a later day (today's is shown)", { url: "/search?q=grants&asOf=2027-01-01" }, "render"],
  // A page whose read the pool runs in its heavy lane would hold a render thread for seconds, and
  // every list and search would wait behind it: rendered on the heavy lane's threads, under its admission.
  ["a past day's agency page", { url: "/agencies/department-of-state?asOf=2024-05-01" }, "heavy"],
  ["a past day's committee page", { url: "/committees/oversight?asOf=2023-01-31" }, "heavy"],
  ["a past day's member page", { url: "/members/m-1?asOf=2020-02-29" }, "heavy"],
  ["a past day's overview", { url: "/?asOf=2025-01-01" }, "heavy"],
  ["a past day's agency page, trailing slash", { url: "/agencies/department-of-state/?asOf=2024-05-01" }, "heavy"],
  ["a past day's briefing", { url: "/briefing?asOf=2024-05-01" }, "heavy"],
  ["a past day's search", { url: "/search?q=grants&asOf=2024-05-01" }, "heavy"],
  ["a past day's search, trailing slash", { url: "/search/?q=grants&asOf=2024-05-01" }, "heavy"],
  ["a past day's questions", { url: "/questions?asOf=2024-05-01" }, "heavy"],
  ["a past day's letters by status", { url: "/letters?asOf=2024-05-01&sort=status" }, "heavy"],
  ["a past day's letters of one status", { url: "/letters?asOf=2024-05-01&status=overdue" }, "heavy"],
  ["a deep page of the letters list", { url: "/letters?page=100" }, "heavy"],
  ["a deep page of the questions list", { url: "/questions?sort=status&page=7000" }, "heavy"],
  ["a deep page of a search", { url: "/search?q=grants&page=100" }, "heavy"],
  // Remix matches paths whatever their case (attack 26: `/Letters` rendered on the event loop).
  ["the letters list in capitals", { url: "/Letters?x=1" }, "render"],
  ["a search in capitals", { url: "/SEARCH?q=grants" }, "render"],
  ["the questions list, mixed case, trailing slash", { url: "/QuEsTiOnS/?page=2" }, "render"],
  ["a past day's agency page in capitals", { url: "/Agencies/department-of-state?asOf=2024-05-01" }, "heavy"],
  ["a deep page of the letters list in capitals", { url: "/LETTERS?page=100" }, "heavy"],
  ["today's agency page", { url: "/agencies/department-of-state" }, null],
  ["an agency page as of today", { url: `/agencies/department-of-state?asOf=${TODAY}` }, null],
  ["an agency page as of a later day", { url: "/agencies/department-of-state?asOf=2027-01-01" }, null],
  ["an agency page with a date that is no date", { url: "/agencies/department-of-state?asOf=2024-02-30" }, null],
  ["a letter page", { url: "/letters/meeks-castro-rubio-cecot" }, null],
  ["a letter page with a trailing slash", { url: "/letters/meeks-castro-rubio-cecot/" }, null],
  ["a HEAD of a letter page", { method: "HEAD", url: "/letters/meeks-castro-rubio-cecot" }, null],
  ["a letter page with a query (not a past-date page)", { url: "/letters/x?asOf=2024-01-01" }, null],
  ["a signed-in staffer's letter page", { url: "/letters/x", signedIn: true }, null],
  ["a letter's single-fetch data", { url: "/letters/x.data" }, null],
  ["a letter's share card", { url: "/letters/x/card.png" }, null],
  ["a letter's badge", { url: "/letters/x/badge.svg" }, null],
  ["a letter's edit form", { url: "/letters/x/edit" }, null],
  ["the new-letter form (a reserved slug)", { url: "/letters/new" }, null],
  ["the overview", { url: "/" }, null],
  ["a list's single-fetch data", { url: "/letters.data?page=2" }, null],
  ["a list's Remix data request", { url: "/letters?page=2&_data=routes/letters._index", dataRequest: true }, null],
  ["a signed-in staffer's list", { url: "/letters", signedIn: true }, null],
  ["a signed-in staffer's past day", { url: "/agencies/a?asOf=2024-01-01", signedIn: true }, null],
  ["a POST to a list", { method: "POST", url: "/letters" }, null],
  ["a list's export", { url: "/export/letters.csv" }, null],
  ["the calendar of a past window", { url: "/calendar.ics?from=2024-01-01" }, null],
];

describe("renderLaneOf", () => {
  it.each(rows)("%s", (_label, { method = "GET", url, signedIn = false, dataRequest = false }, lane) => {
    const query = url.indexOf("?");
    const pathname = query < 0 ? url : url.slice(0, query);
    const search = query < 0 ? "" : url.slice(query);
    expect(renderLaneOf({ method, pathname, search, today: TODAY, signedIn, dataRequest })).toBe(lane);
  });
});

describe("renderLaneOf and the read pool's lanes", () => {
  // The read a list's or search's loader asks the pool for, and the lane the pool gives it: a page
  // is rendered on the render lane only when that read is light (a heavy one would hold a render
  // thread for seconds, and every list and search would wait behind it).
  const loaderRead = (pathname: string, params: URLSearchParams): [string, unknown] => {
    if (pathname === "/letters") {
      const { filters } = parseLetterFilters(params);
      return ["listLetters", { filters, asOf: filters.asOf ?? TODAY }];
    }
    if (pathname === "/questions") {
      const { filters } = parseQuestionFilters(params);
      return ["listQuestions", { filters, asOf: filters.asOf ?? TODAY }];
    }
    const { search } = parseSearchParams(params);
    return ["search", { q: search.q, asOf: search.asOf ?? TODAY, kind: search.kind, page: search.page, names: search.names }];
  };
  const addresses = rows.map(([, { url }]) => url).filter((url) => /^\/(?:letters|questions|search)\/?(?:\?|$)/.test(url) && /[?&]q=./.test(url) === url.startsWith("/search"));

  it.each(addresses)("%s", (url) => {
    const query = url.indexOf("?");
    const pathname = (query < 0 ? url : url.slice(0, query)).replace(/\/$/, "");
    const search = query < 0 ? "" : url.slice(query);
    vi.useFakeTimers({ now: new Date(`${TODAY}T12:00:00`), toFake: ["Date"] });
    try {
      const [name, args] = loaderRead(pathname, new URLSearchParams(search));
      const light = defaultReadLane(name, args) === "light";
      expect(renderLaneOf({ method: "GET", pathname: query < 0 ? url : url.slice(0, query), search, today: TODAY, signedIn: false, dataRequest: false })).toBe(light ? "render" : "heavy");
    } finally {
      vi.useRealTimers();
    }
  });
});
