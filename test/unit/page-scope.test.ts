import { describe, expect, it } from "vitest";
import { letterSlugOfPath, pastDayOfPage, pastDayPageRanksWholeIndex } from "~/domain/page-scope";

describe("letterSlugOfPath", () => {
  it.each([
    ["/letters/meeks-castro-rubio-2025-04-17", "meeks-castro-rubio-2025-04-17"],
    ["/letters/meeks-castro-rubio-2025-04-17/card.png", "meeks-castro-rubio-2025-04-17"],
    ["/letters/meeks-castro-rubio-2025-04-17/badge.svg", "meeks-castro-rubio-2025-04-17"],
    ["/letters/caf%C3%A9", "café"],
    // Pages of other things, or of every letter.
    ["/letters", null],
    ["/letters/", null],
    ["/letters/new", null],
    ["/letters/a/edit", null],
    ["/letters/a/responses/new", null],
    ["/letters/a/card.png/x", null],
    ["/agencies/a", null],
    ["/", null],
    // A slug that decodes to a path, or does not decode.
    ["/letters/a%2Fb", null],
    ["/letters/%E0%A4%A", null],
    // The page's data, as Remix's client asks for it when it navigates (single fetch).
    ["/letters/meeks-castro-rubio-2025-04-17.data", "meeks-castro-rubio-2025-04-17"],
    ["/letters/new.data", null],
    ["/letters.data", null],
    // Remix routes fixed segments whatever their case; a slug is as written.
    ["/Letters/meeks-castro-rubio-2025-04-17", "meeks-castro-rubio-2025-04-17"],
    ["/LETTERS/meeks-castro-rubio-2025-04-17/Card.PNG", "meeks-castro-rubio-2025-04-17"],
    ["/letters/Meeks-Castro", "Meeks-Castro"],
    ["/Letters/NEW", null],
    ["/letters/New.data", null],
  ])("%s → %s", (path, slug) => {
    expect(letterSlugOfPath(path)).toBe(slug);
  });
});

describe("pastDayOfPage", () => {
  const TODAY = "2026-12-03";
  it.each([
    // Pages of a past day: kept under that day's history revision.
    ["/", "?asOf=2025-04-17", "2025-04-17"],
    ["/letters", "?asOf=2025-04-17&sort=status&page=3", "2025-04-17"],
    ["/questions", "?status=all&asOf=2025-04-17", "2025-04-17"],
    ["/agencies", "?asOf=2025-04-17", "2025-04-17"],
    ["/agencies/u-s-department-of-state", "?asOf=2025-04-17", "2025-04-17"],
    ["/committees/house-foreign-affairs", "?asOf=2025-04-17", "2025-04-17"],
    ["/members/gregory-meeks", "?asOf=2025-04-17", "2025-04-17"],
    ["/search", "?q=cecot&asOf=2025-04-17", "2025-04-17"],
    ["/briefing", "?asOf=2025-04-17", "2025-04-17"],
    ["/answered", "?asOf=2025-04-17", "2025-04-17"],
    // Their data, as Remix's client asks for it when it navigates (single fetch).
    ["/_root.data", "?asOf=2025-04-17", "2025-04-17"],
    ["/letters.data", "?asOf=2025-04-17&_routes=routes%2Fletters._index", "2025-04-17"],
    ["/agencies/u-s-department-of-state.data", "?asOf=2025-04-17", "2025-04-17"],
    // As the pages read it: the first value, trimmed.
    ["/letters", "?asOf=%202025-04-17%20&asOf=2020-01-01", "2025-04-17"],
    ["/letters", "?asOf=2026-12-02", "2026-12-02"],
    // Today's state: today, a later day, no day, not a real date.
    ["/letters", "?asOf=2026-12-03", null],
    ["/letters", "?asOf=2027-01-01", null],
    ["/letters", "", null],
    ["/letters", "?asOf=", null],
    ["/letters", "?asOf=2025-02-30", null],
    ["/letters", "?asOf=yesterday", null],
    ["/letters", "?asof=2025-04-17", null],
    // Pages that are not kept by day, whatever their query: they show today's data or more.
    ["/letters/meeks-castro-rubio-2025-04-17", "?asOf=2025-04-17", null],
    ["/export/letters.csv", "?asOf=2025-04-17", null],
    ["/api/letters", "?asOf=2025-04-17", null],
    ["/calendar.ics", "?asOf=2025-04-17", null],
    ["/feeds/letters.atom", "?asOf=2025-04-17", null],
    ["/agencies/a/badge.svg", "?asOf=2025-04-17", null],
    ["/letters/", "?asOf=2025-04-17", null],
    ["/members", "?asOf=2025-04-17", null],
    // Whatever the case of the path, as Remix routes it.
    ["/Agencies/u-s-department-of-state", "?asOf=2025-04-17", "2025-04-17"],
    ["/SEARCH", "?q=cecot&asOf=2025-04-17", "2025-04-17"],
    ["/Members", "?asOf=2025-04-17", null],
  ])("%s%s → %s", (pathname, search, day) => {
    expect(pastDayOfPage(pathname, search, TODAY)).toBe(day);
  });
});

describe("pastDayPageRanksWholeIndex", () => {
  it.each([
    ["/search", true],
    ["/search.data", true],
    ["/Search", true],
    ["/SEARCH.data", true],
    ["/letters", false],
    ["/searches", false],
    ["/_root.data", false],
  ])("%s → %s", (pathname, ranks) => {
    expect(pastDayPageRanksWholeIndex(pathname)).toBe(ranks);
  });
});
