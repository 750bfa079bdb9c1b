import { describe, expect, it } from "vitest";
import { letterSlugOfPath } from "~/domain/page-scope";

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
  ])("%s → %s", (path, slug) => {
    expect(letterSlugOfPath(path)).toBe(slug);
  });
});
