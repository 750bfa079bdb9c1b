/**
 * Whether the route Remix would run a submission on has an action, read from the build's routes
 * before Remix runs (scripts/serve.ts), so that the request guard can answer a method an address
 * does not take with 405 and its `Allow` (app/domain/request-guard.ts) in one place for every
 * route. Remix itself answered a POST to a route without an action with 405, no Allow, and
 * "Unexpected Server Error" (resource routes) or an error page, after running the page's loaders.
 */
import { matchRoutes } from "@remix-run/react";
import type { ServerBuild } from "@remix-run/node";

type RouteObject = Parameters<typeof matchRoutes>[0][number];
type RouteMatch = NonNullable<ReturnType<typeof matchRoutes>>[number];

/**
 * `(address) => whether its submission target has an action`, null for an address no route
 * matches. The address is the request's target (path and query, as sent). The target is the one
 * Remix v2 (@remix-run/server-runtime's requestHandler, @remix-run/router's queryRoute and
 * getTargetMatch) runs, tried in its order:
 * - `?_data=<route id>` (checked first, even on a `.data` path): the routes of the path as sent,
 *   `.data` and all; the named one when it is among them (Remix answers 403 when it is not: then the
 *   path's target below stands for the address), an empty `?_data=` the path's target;
 * - a `.data` path (single fetch): the target of its page's path (`/_root.data` is `/`);
 * - a resource route (no default export, no ErrorBoundary) that is the deepest route matched: that
 *   route, index route or not;
 * - otherwise the deepest route that contributes to the path (an index route only with a bare
 *   `?index`).
 */
export function submissionTargets(build: Pick<ServerBuild, "routes">): (address: string) => boolean | null {
  const withAction = new Set<string>();
  const resourceRoutes = new Set<string>();
  const byParent = new Map<string | undefined, Array<{ id: string; path?: string; index?: boolean; caseSensitive?: boolean }>>();
  for (const route of Object.values(build.routes)) {
    if (typeof route.module.action === "function") withAction.add(route.id);
    if (route.module.default == null && route.module.ErrorBoundary == null) resourceRoutes.add(route.id);
    const siblings = byParent.get(route.parentId) ?? [];
    siblings.push({ id: route.id, path: route.path, index: route.index, caseSensitive: route.caseSensitive });
    byParent.set(route.parentId, siblings);
  }
  const tree = (parentId: string | undefined): RouteObject[] =>
    (byParent.get(parentId) ?? []).map((route) => {
      const children = byParent.has(route.id) ? tree(route.id) : undefined;
      return (children ? { ...route, children } : route) as RouteObject;
    });
  // Made once: the patched router keeps its ranked branches per routes array (decision 0026).
  const routes = tree(undefined);
  const hasAction = (match: RouteMatch) => withAction.has(match.route.id!);

  return (address) => {
    let url: URL;
    try {
      // Pasted after a host, as the request's URL is (requestUrl): resolved against a base, a
      // target "//x/letters/new" would be the path /letters/new on host x, while Remix routes the
      // path "//x/letters/new" (to the catch-all).
      url = new URL(`http://target.invalid${address}`);
    } catch {
      return null;
    }
    const dataRoute = url.searchParams.get("_data");
    if (dataRoute !== null) {
      const matches = matchRoutes(routes, url.pathname);
      if (!matches || matches.length === 0) return null;
      const named = dataRoute === "" ? undefined : matches.find((match) => match.route.id === dataRoute);
      return hasAction(named ?? targetMatch(matches, url));
    }
    if (url.pathname.endsWith(".data")) {
      const matches = matchRoutes(routes, url.pathname.replace(/\.data$/, "").replace(/^\/_root$/, "/"));
      if (!matches || matches.length === 0) return null;
      return hasAction(targetMatch(matches, url));
    }
    const matches = matchRoutes(routes, url.pathname);
    if (!matches || matches.length === 0) return null;
    const leaf = matches[matches.length - 1]!;
    if (resourceRoutes.has(leaf.route.id!)) return hasAction(leaf);
    return hasAction(targetMatch(matches, url));
  };
}

/**
 * @remix-run/router's getTargetMatch: the leaf index route with a bare `?index`, else the deepest
 * route that contributes to the path (the first match, or one with a path).
 */
function targetMatch(matches: RouteMatch[], url: URL): RouteMatch {
  const leaf = matches[matches.length - 1]!;
  if (leaf.route.index && url.searchParams.getAll("index").some((value) => value === "")) return leaf;
  const contributing = matches.filter((match, position) => position === 0 || (match.route.path ?? "").length > 0);
  return contributing[contributing.length - 1]!;
}
