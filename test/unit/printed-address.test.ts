import { describe, expect, it } from "vitest";
import { printedAddress } from "~/domain/printed-address";

describe("the live address printed on a page", () => {
  it.each([
    { case: "a page with no query", path: "/letters/a-letter", search: "", expected: "https://tracker.example/letters/a-letter" },
    { case: "filters are kept: they are what the page shows", path: "/letters", search: "?status=overdue&agency=dhs", expected: "https://tracker.example/letters?status=overdue&agency=dhs" },
    { case: "a manage link's signed token is left off", path: "/follows/manage", search: "?token=abc.def.ghi", expected: "https://tracker.example/follows/manage" },
    { case: "only the token is left off", path: "/reminders/stop", search: "?token=abc&from=mail", expected: "https://tracker.example/reminders/stop?from=mail" },
  ])("$case", ({ path, search, expected }) => {
    expect(printedAddress("https://tracker.example", path, search)).toBe(expected);
  });
});
