/**
 * Which route a submission to an address runs, and whether it has an action, from a build's routes
 * (app/utils/route-methods.server.ts): the target Remix's router picks, so that the 405 decided
 * before Remix is the one Remix would have given.
 */
import type { ServerBuild } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { submissionTargets } from "~/utils/route-methods.server";

const action = async () => null;
const loader = async () => null;

/** A build's routes as Remix's compiler lays them out (flat routes under root; one nested). */
const routes = Object.fromEntries(
  [
    { id: "root", path: "", module: { loader } },
    { id: "routes/_index", parentId: "root", index: true, module: { loader } },
    { id: "routes/letters._index", parentId: "root", path: "letters", index: true, module: { loader } },
    { id: "routes/letters.new", parentId: "root", path: "letters/new", module: { loader, action } },
    { id: "routes/letters.$slug", parentId: "root", path: "letters/:slug", module: { loader } },
    { id: "routes/letters.$slug_.edit", parentId: "root", path: "letters/:slug/edit", module: { loader, action } },
    { id: "routes/documents.$sha256", parentId: "root", path: "documents/:sha256", module: { loader } },
    { id: "routes/documents.$sha256.$name", parentId: "routes/documents.$sha256", path: ":name", module: { loader } },
    { id: "routes/search", parentId: "root", path: "search", module: { loader } },
    { id: "routes/search._index", parentId: "routes/search", index: true, module: { loader, action } },
    { id: "routes/export.letters[.]csv", parentId: "root", path: "export/letters.csv", module: { loader } },
    { id: "routes/$", parentId: "root", path: "*", module: { loader } },
  ].map((route) => [route.id, route]),
) as unknown as ServerBuild["routes"];

const hasAction = submissionTargets({ routes });

describe("submissionTargets", () => {
  it.each([
    ["/letters", false],
    ["/letters/", false],
    ["/letters/new", true],
    ["/LETTERS/NEW", true],
    ["/letters/a-letter", false],
    ["/letters/a-letter/edit", true],
    ["/letters/a-letter/edit?x=1", true],
    ["/export/letters.csv", false],
    ["/documents/abc/file.pdf", false],
    ["/", false],
    ["/no/such/page", false],
    // Single fetch: the page's own route.
    ["/letters/new.data", true],
    ["/letters.data", false],
    ["/_root.data", false],
    // An index route is the target only with a bare ?index; otherwise its parent (here without an action).
    ["/search", false],
    ["/search?index", true],
    ["/search?index=x", false],
    // Remix v2's ?_data names the route; one not among the address's routes: the address's target.
    ["/letters/new?_data=routes%2Fletters.new", true],
    ["/letters/new?_data=root", false],
    ["/letters?_data=routes%2Fletters.new", false],
    // A target starting "//" is a path on this host (the request's URL pastes it after the host):
    // Remix routes it to the catch-all, not to the path after a second "host".
    ["//x/letters/new", false],
    ["//x/letters/a-letter/edit", false],
    ["//letters/new", false],
  ])("%s -> %s", (address, expected) => {
    expect(hasAction(address)).toBe(expected);
  });

  it("is null where no route matches", () => {
    const withoutSplat = submissionTargets({ routes: { root: routes.root!, "routes/letters.new": routes["routes/letters.new"]! } });
    expect(withoutSplat("/agencies")).toBeNull();
    expect(withoutSplat("/letters/new")).toBe(true);
  });
});
