/**
 * Route matching with the server's patched @remix-run/router (scripts/patches: ranked branches kept
 * per routes array, each pattern compiled once): every address still finds its route and params,
 * on the first call and on every later one, and a pattern compiled for one route never answers for
 * another.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

// The CommonJS build is the one the server's Remix runtime loads (and the one patched).
const { matchRoutes } = createRequire(import.meta.url)("@remix-run/router") as typeof import("@remix-run/router");

const routes = [
  {
    id: "root",
    path: "",
    children: [
      { id: "index", index: true },
      { id: "letters", path: "letters" },
      { id: "letter", path: "letters/:slug" },
      { id: "letter-edit", path: "letters/:slug/edit" },
      { id: "response", path: "letters/:slug/responses/:responseId" },
      { id: "member", path: "members/:slug" },
      { id: "calendar", path: "calendar.ics" },
      { id: "document", path: "documents/:sha256/:name" },
      { id: "catch-all", path: "*" },
    ],
  },
];

const CASES: Array<[address: string, route: string, params: Record<string, string>]> = [
  ["/", "index", {}],
  ["/letters", "letters", {}],
  ["/letters/", "letters", {}],
  ["/letters/meeks-castro-rubio-2025-04-17", "letter", { slug: "meeks-castro-rubio-2025-04-17" }],
  ["/letters/a-b/edit", "letter-edit", { slug: "a-b" }],
  ["/letters/x/responses/42", "response", { slug: "x", responseId: "42" }],
  ["/LETTERS/Case-Kept", "letter", { slug: "Case-Kept" }],
  ["/members/jamie-raskin", "member", { slug: "jamie-raskin" }],
  ["/calendar.ics", "calendar", {}],
  ["/calendarXics", "catch-all", { "*": "calendarXics" }],
  ["/documents/abc/report%2Fpart.pdf", "document", { sha256: "abc", name: "report/part.pdf" }],
  ["/nowhere/at/all", "catch-all", { "*": "nowhere/at/all" }],
];

describe("route matching (patched @remix-run/router)", () => {
  it.each([1, 2, 3])("finds each address's route and params, pass %i over the same routes", () => {
    for (const [address, route, params] of CASES) {
      const matches = matchRoutes(routes, address);
      expect(matches?.at(-1)?.route.id, address).toBe(route);
      expect({ ...matches?.at(-1)?.params }, address).toMatchObject(params);
    }
  });

  it("keeps routes arrays apart: another tree with the same paths answers with its own routes", () => {
    const other = [{ id: "other-root", path: "", children: [{ id: "other-letter", path: "letters/:slug" }] }];
    expect(matchRoutes(routes, "/letters/a")?.at(-1)?.route.id).toBe("letter");
    expect(matchRoutes(other, "/letters/a")?.at(-1)?.route.id).toBe("other-letter");
    expect(matchRoutes(other, "/members/a")).toBeNull();
  });
});
