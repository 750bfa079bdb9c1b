/**
 * Remix's data requests, `?_data=<route id>` (how Remix v2 fetched a route's data before single
 * fetch): the app runs with single fetch (remix.config.js `v3_singleFetch`; its client asks for
 * `<path>.data`), and Remix then answers a `?_data` request with an empty 200 (its loader's data,
 * no longer a Response, is dropped) and logs a warning. They are answered as Remix means them
 * instead, by the same build with single fetch off for these requests only: the route's loader (or
 * action) data as JSON, a redirect as 204 with X-Remix-Redirect, a thrown `data()` as its status,
 * headers and JSON body with X-Remix-Catch, any other error as its status with X-Remix-Error, and
 * 403 for a route id that is not one of the address's routes. The routes' `headers` exports (the
 * follow links' pages: `no-store`) are applied to the data of any of the address's routes as to its
 * document: Remix v2 sends a data request's loader response alone, and a follower's confirmation or
 * manage data was public, kept by the page cache and nginx, and served again after the follower had
 * changed their follows.
 */
import { json, type ServerBuild } from "@remix-run/node";
import { matchRoutes, type AgnosticRouteObject } from "@remix-run/router";

/** Whether the request's query names `_data` (as Remix tests it: `url.searchParams.has`). */
export function isDataRequest(url: string): boolean {
  const query = url.indexOf("?");
  return query !== -1 && new URLSearchParams(url.slice(query + 1)).has("_data");
}

type Handler = NonNullable<ServerBuild["routes"][string]["module"]["loader"]>;

/** `data(value, init)`: single fetch's way to set a status or headers. */
function isDataWithInit(value: unknown): value is { data: unknown; init?: ResponseInit | null } {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "DataWithResponseInit";
}

/**
 * `data(value, init)` is a Response's worth in Remix v2's terms: made one, returned or thrown.
 * Returned as it is, it would be sent as JSON of the wrapper; thrown as it is, Remix v2 answers its
 * status with "Unexpected Server Error" and without its headers (a not-found's message, the read
 * pool's Retry-After), where v2's own `throw json(...)` was sent as it stands.
 */
function plainResponses(handler: Handler | undefined): Handler | undefined {
  if (!handler) return undefined;
  return async (args) => {
    let result: unknown;
    try {
      result = await handler(args);
    } catch (error) {
      if (isDataWithInit(error)) throw json(error.data, error.init ?? undefined);
      throw error;
    }
    return isDataWithInit(result) ? json(result.data, result.init ?? undefined) : result;
  };
}

type RouteTree = AgnosticRouteObject[];

/** The build's routes as a tree, as Remix's server runtime matches them (`createRoutes`). */
function routeTree(routes: ServerBuild["routes"], parentId?: string): RouteTree {
  return Object.values(routes)
    .filter((route) => route.parentId === parentId)
    .map((route) => ({
      id: route.id,
      path: route.path,
      index: route.index,
      caseSensitive: route.caseSensitive,
      children: routeTree(routes, route.id),
    })) as RouteTree;
}

/**
 * The headers a document request of the address would get from the routes' `headers` exports
 * (Remix's `getDocumentHeaders`: a route without one passes its parent's on), with `loaderHeaders`
 * the answering route's own. A data request of a parent route (`/unsubscribe?token=…&_data=root`)
 * so gets its page's `no-store` too: applying the answering route's own export alone left the
 * root's data public, kept by caches under an address holding the token.
 */
function documentHeadersOf(build: ServerBuild, tree: RouteTree, url: string, routeId: string, own: Headers): Headers {
  const matches = matchRoutes(tree, new URL(url).pathname, build.basename) ?? [];
  return matches.reduce((parentHeaders, match) => {
    const headers = build.routes[match.route.id!]?.module.headers;
    if (!headers) return parentHeaders;
    const loaderHeaders = match.route.id === routeId ? own : new Headers();
    return new Headers(
      typeof headers === "function"
        ? headers({ loaderHeaders, parentHeaders, actionHeaders: new Headers(), errorHeaders: undefined })
        : headers,
    );
  }, new Headers());
}

/** The headers of the address's page (see documentHeadersOf) on the data's response of one of its routes. */
function withRouteHeaders(handler: Handler | undefined, build: ServerBuild, tree: RouteTree, routeId: string): Handler | undefined {
  if (!handler) return handler;
  return async (args) => {
    const apply = (response: Response): Response => {
      for (const [name, value] of documentHeadersOf(build, tree, args.request.url, routeId, response.headers)) response.headers.set(name, value);
      return response;
    };
    let result: unknown;
    try {
      result = await handler(args);
    } catch (error) {
      if (error instanceof Response) throw apply(error);
      throw error;
    }
    // Undefined is left to Remix (it names the loader that returned nothing).
    if (result === undefined) return result;
    return apply(result instanceof Response ? result : json(result));
  };
}

/** The build as Remix v2 without single fetch runs it, for `?_data` requests only. */
export function dataRequestBuild(build: ServerBuild): ServerBuild {
  const tree = routeTree(build.routes);
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => [
      id,
      {
        ...route,
        module: {
          ...route.module,
          loader: withRouteHeaders(plainResponses(route.module.loader), build, tree, id),
          action: withRouteHeaders(plainResponses(route.module.action), build, tree, id),
        },
      },
    ]),
  );
  return { ...build, routes, future: { ...build.future, v3_singleFetch: false } };
}
