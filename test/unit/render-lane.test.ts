/**
 * renderLaneOf (app/domain/render-lane.ts, decision 0037): which requests are rendered whole on
 * the read pool's threads, and on which lane. For anonymous GETs and HEADs of the document: a
 * letter's page on the light lane; lists, search and past days' pages on the render lane;
 * everything else (`/`, today's profiles, data requests, anything signed in or not a read) stays
 * on the event loop.
 */
import { describe, expect, it } from "vitest";
import { renderLaneOf } from "~/domain/render-lane";

const TODAY = "2026-12-03";

type Row = [label: string, request: { method?: string; url: string; signedIn?: boolean; dataRequest?: boolean }, lane: "light" | "render" | null];

const rows: Row[] = [
  ["the letters list", { url: "/letters" }, "render"],
  ["the letters list with a trailing slash", { url: "/letters/" }, "render"],
  ["a sorted, deep page of the letters list", { url: "/letters?sort=status&dir=desc&page=7" }, "render"],
  ["the questions list", { url: "/questions?sort=age&page=2" }, "render"],
  ["a search", { url: "/search?q=grants" }, "render"],
  ["a HEAD of a list", { method: "HEAD", url: "/letters?page=2" }, "render"],
  ["a past day's agency page", { url: "/agencies/department-of-state?asOf=2024-05-01" }, "render"],
  ["a past day's committee page", { url: "/committees/oversight?asOf=2023-01-31" }, "render"],
  ["a past day's member page", { url: "/members/m-1?asOf=2020-02-29" }, "render"],
  ["a past day's overview", { url: "/?asOf=2025-01-01" }, "render"],
  ["a past day's agency page, trailing slash", { url: "/agencies/department-of-state/?asOf=2024-05-01" }, "render"],
  ["today's agency page", { url: "/agencies/department-of-state" }, null],
  ["an agency page as of today", { url: `/agencies/department-of-state?asOf=${TODAY}` }, null],
  ["an agency page as of a later day", { url: "/agencies/department-of-state?asOf=2027-01-01" }, null],
  ["an agency page with a date that is no date", { url: "/agencies/department-of-state?asOf=2024-02-30" }, null],
  ["a letter page", { url: "/letters/meeks-castro-rubio-cecot" }, "light"],
  ["a letter page with a trailing slash", { url: "/letters/meeks-castro-rubio-cecot/" }, "light"],
  ["a HEAD of a letter page", { method: "HEAD", url: "/letters/meeks-castro-rubio-cecot" }, "light"],
  ["a letter page with a query (not a past-date page)", { url: "/letters/x?asOf=2024-01-01" }, "light"],
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
