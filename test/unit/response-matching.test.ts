import { describe, expect, it } from "vitest";
import { pairResponses, sameMonthAtOtherPrecision } from "~/domain/response-matching";

const r = (received_on: string, from = "Agency") => ({ received_on, from });

describe("sameMonthAtOtherPrecision", () => {
  it.each([
    ["2025-06", "2025-06-14", true],
    ["2025-06-14", "2025-06", true],
    ["2025-06", "2025-07-01", false],
    ["2025-06", "2025-06", false],
    ["2025-06-14", "2025-06-15", false],
    ["2025-06", "2025-06-31", false],
  ] as const)("%s and %s: %s", (a, b, expected) => {
    expect(sameMonthAtOtherPrecision(a, b)).toBe(expected);
  });
});

describe("pairResponses", () => {
  it.each([
    ["the same date and sender", [r("2025-06-14")], [r("2025-06-14")], [0]],
    ["a month-only reply refined to its day", [r("2025-06")], [r("2025-06-14")], [0]],
    ["a dated reply coarsened to its month", [r("2025-06-14")], [r("2025-06")], [0]],
    ["another sender's reply of that month is new", [r("2025-06")], [r("2025-06-14", "Other Agency")], [null]],
    ["a reply of another month is new", [r("2025-06")], [r("2025-07-02")], [null]],
    ["exact matches first: a month-only and a dated reply stay two", [r("2025-06"), r("2025-06-14")], [r("2025-06-14"), r("2025-06")], [1, 0]],
    ["each stored reply is paired once", [r("2025-06")], [r("2025-06-14"), r("2025-06-20")], [0, null]],
    ["the same date and sender twice, in order", [r("2025-06-14"), r("2025-06-14")], [r("2025-06-14"), r("2025-06-14"), r("2025-06-14")], [0, 1, null]],
  ])("%s", (_name, stored, incoming, expected) => {
    expect(pairResponses(stored, incoming)).toEqual(expected);
  });
});
