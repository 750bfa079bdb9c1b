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

/**
 * `(address) => whether its submission target has an action`, null for an address no route
 * matches. The address is the request's target (path and query, as sent): a `.data` address is
 * its page's (single fetch), a `?_data=<route id>` one targets that route when it is one of the
 * address's, and otherwise the target is the deepest route that contributes to the path (an index
 * route only with a bare `?index`), as Remix's router picks it (getTargetMatch).
 */
export function submissionTargets(build: Pick<ServerBuild, "routes">): (address: string) => boolean | null {
  const withAction = new Set<string>();
  const byParent = new Map<string | undefined, Array<{ id: string; path?: string; index?: boolean; caseSensitive?: boolean }>>();
  for (const route of Object.values(build.routes)) {
    if (typeof route.module.action === "function") withAction.add(route.id);
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
    const pathname = url.pathname.endsWith(".data") ? url.pathname.replace(/\.data$/, "").replace(/^\/_root$/, "/") : url.pathname;
    const matches = matchRoutes(routes, pathname);
    if (!matches || matches.length === 0) return null;
    const hasAction = (match: (typeof matches)[number]) => withAction.has(match.route.id!);
    if (url.searchParams.has("_data")) {
      const named = matches.find((match) => match.route.id === url.searchParams.get("_data"));
      if (named) return hasAction(named);
    }
    const leaf = matches[matches.length - 1]!;
    if (leaf.route.index && url.searchParams.getAll("index").some((value) => value === "")) return hasAction(leaf);
    const contributing = matches.filter((match, position) => position === 0 || (match.route.path ?? "").length > 0);
    return hasAction(contributing[contributing.length - 1]!);
  };
}
