/**
 * Which route a submission to an address runs, and whether it has an action, from a build's routes
 * (app/utils/route-methods.server.ts): the target Remix's router picks, so that the 405 decided
 * before Remix is the one Remix would have given. Every address is also posted to Remix's own
 * request handler on the same routes (through the data build the server uses for `?_data`), which
 * must run an action exactly where submissionTargets says there is one.
 */
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { dataRequestBuild, isDataRequest } from "~/utils/data-requests.server";
import { submissionTargets } from "~/utils/route-methods.server";

/** The routes whose action Remix ran, in order (each synthetic action records its route's id). */
const ran: string[] = [];
const ACTION = Symbol("action");
const loader = async () => null;
/** A page's component: a route with one (or with an ErrorBoundary) is a page, else a resource route. */
const Page = () => null;
const ErrorBoundary = () => null;

/** A build's routes as Remix's compiler lays them out (flat routes under root; some nested). */
const routes = Object.fromEntries(
  [
    { id: "root", path: "", module: { default: Page, loader } },
    { id: "routes/_index", parentId: "root", index: true, module: { default: Page, loader } },
    { id: "routes/letters._index", parentId: "root", path: "letters", index: true, module: { default: Page, loader } },
    { id: "routes/letters.new", parentId: "root", path: "letters/new", module: { default: Page, loader, action: ACTION } },
    { id: "routes/letters.$slug", parentId: "root", path: "letters/:slug", module: { default: Page, loader } },
    { id: "routes/letters.$slug_.edit", parentId: "root", path: "letters/:slug/edit", module: { default: Page, loader, action: ACTION } },
    { id: "routes/notes.$id", parentId: "root", path: "notes/:id", module: { default: Page, loader, action: ACTION } },
    { id: "routes/documents.$sha256", parentId: "root", path: "documents/:sha256", module: { loader } },
    { id: "routes/documents.$sha256.$name", parentId: "routes/documents.$sha256", path: ":name", module: { loader } },
    { id: "routes/search", parentId: "root", path: "search", module: { default: Page, loader } },
    { id: "routes/search._index", parentId: "routes/search", index: true, module: { default: Page, loader, action: ACTION } },
    // An index route without a component: a resource route, Remix's target whether or not ?index.
    { id: "routes/feeds", parentId: "root", path: "feeds", module: { default: Page, loader } },
    { id: "routes/feeds._index", parentId: "routes/feeds", index: true, module: { loader, action: ACTION } },
    // Without a component but with an ErrorBoundary: not a resource route (Remix's document request).
    { id: "routes/reports", parentId: "root", path: "reports", module: { default: Page, loader } },
    { id: "routes/reports._index", parentId: "routes/reports", index: true, module: { ErrorBoundary, loader, action: ACTION } },
    // A pathless layout without a component, with an action, above a resource route without one.
    { id: "routes/_tools", parentId: "root", module: { loader, action: ACTION } },
    { id: "routes/_tools.ping", parentId: "routes/_tools", path: "ping", module: { loader } },
    { id: "routes/export.letters[.]csv", parentId: "root", path: "export/letters.csv", module: { loader } },
    { id: "routes/$", parentId: "root", path: "*", module: { default: Page, loader } },
  ].map((route) => [
    route.id,
    {
      ...route,
      module: {
        ...route.module,
        ...(route.module.action === ACTION ? { action: async () => (ran.push(route.id), { ran: route.id }) } : {}),
      },
    },
  ]),
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
    // An empty ?_data names none: the address's target.
    ["/letters/new?_data=", true],
    ["/search?_data=&index", true],
    // ?_data is read before .data is taken off, on the path as sent: /letters/new.data is the
    // letter "new.data" to Remix then, not the new-letter form.
    ["/letters/new.data?_data=routes%2Fletters.new", false],
    ["/letters/new.data?_data=routes%2Fletters.%24slug", false],
    ["/notes/7.data?_data=routes%2Fnotes.%24id", true],
    ["/letters/a-letter/edit.data?_data=routes%2Fletters.%24slug_.edit", false],
    // A resource route that is the deepest route matched is the target, index route or not.
    ["/feeds", true],
    ["/feeds?index", true],
    ["/reports", false],
    ["/reports?index", true],
    ["/ping", false],
    // Single fetch runs a .data address as its page (document rules: no resource-route leaf).
    ["/feeds.data", false],
    ["/feeds.data?index", true],
    // A target starting "//" is a path on this host (the request's URL pastes it after the host):
    // Remix routes it to the catch-all, not to the path after a second "host".
    ["//x/letters/new", false],
    ["//x/letters/a-letter/edit", false],
    ["//letters/new", false],
  ])("%s -> %s", async (address, expected) => {
    expect(hasAction(address)).toBe(expected);
    expect(await remixRunsAnAction(address), "Remix's own handler runs an action").toBe(expected);
  });

  it("is null where no route matches", () => {
    const withoutSplat = submissionTargets({ routes: { root: routes.root!, "routes/letters.new": routes["routes/letters.new"]! } });
    expect(withoutSplat("/agencies")).toBeNull();
    expect(withoutSplat("/letters/new")).toBe(true);
  });
});

/** A build Remix's request handler can run: the routes above, single fetch on, no rendering. */
const build = {
  routes,
  mode: "production",
  publicPath: "/build/",
  assetsBuildDirectory: "public/build",
  isSpaMode: false,
  future: { v3_singleFetch: true, v3_lazyRouteDiscovery: false, v3_relativeSplatPath: true, v3_throwAbortReason: true },
  assets: { version: "test", url: "/build/manifest.js", entry: { module: "/build/entry.js", imports: [] }, routes: {} },
  entry: { module: { default: async () => new Response("page"), handleError: () => {} } },
} as unknown as ServerBuild;
const remix = createRequestHandler(build, "production");
const remixData = createRequestHandler(dataRequestBuild(build), "production");

/** Whether Remix, given a form POST to `address`, runs an action (as scripts/serve.ts hands it on). */
async function remixRunsAnAction(address: string): Promise<boolean> {
  ran.length = 0;
  const request = new Request(`http://localhost${address}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "x=1",
  });
  await (isDataRequest(address) ? remixData : remix)(request);
  expect(ran.length).toBeLessThanOrEqual(1);
  return ran.length === 1;
}
