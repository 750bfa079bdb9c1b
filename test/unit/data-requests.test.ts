/**
 * `?_data` requests answered as Remix v2 answers them (app/utils/data-requests.server.ts, decision
 * 0032), on a small build of two routes: what a loader returns or throws with `data()` (single
 * fetch's way to set a status and headers) keeps its status, headers and body; a data request of
 * any of an address's routes gets the headers a document request of the address would get.
 */
import { createRequestHandler, data, type ServerBuild } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { dataRequestBuild, isDataRequest } from "~/utils/data-requests.server";

function buildOf(loader: () => unknown, thingModule: Record<string, unknown> = {}): ServerBuild {
  const route = (id: string, path: string | undefined, parentId: string | undefined, module: Record<string, unknown>) => ({
    id,
    path,
    parentId,
    index: undefined,
    caseSensitive: undefined,
    module: { default: () => null, ...module },
  });
  return {
    mode: "production",
    entry: { module: { default: () => new Response("document") } },
    routes: {
      root: route("root", "", undefined, { loader: () => ({ root: true }) }),
      "routes/thing": route("routes/thing", "thing", "root", { loader, ...thingModule }),
      "routes/other": route("routes/other", "other", "root", { loader: () => ({ other: true }) }),
    },
    assets: { entry: { module: "/entry.js", imports: [] }, routes: {}, url: "/manifest.js", version: "test" },
    publicPath: "/build/",
    assetsBuildDirectory: "public/build",
    future: { v3_singleFetch: true },
    isSpaMode: false,
    basename: undefined,
  } as unknown as ServerBuild;
}

const ask = (loader: () => unknown) =>
  createRequestHandler(dataRequestBuild(buildOf(loader)), "production")(new Request("http://tracker.test/thing?_data=routes%2Fthing"));

describe("?_data requests", () => {
  it("are told apart by the query's _data", () => {
    expect(isDataRequest("/thing?_data=routes%2Fthing")).toBe(true);
    expect(isDataRequest("/thing?_data=")).toBe(true);
    expect(isDataRequest("/thing?x=_data")).toBe(false);
    expect(isDataRequest("/thing")).toBe(false);
  });

  it("answer plain data and returned data() as JSON, with data()'s status and headers", async () => {
    const plain = await ask(() => ({ n: 1 }));
    expect(plain.status).toBe(200);
    expect(await plain.json()).toEqual({ n: 1 });
    const returned = await ask(() => data({ n: 2 }, { status: 201, headers: { "X-Thing": "yes" } }));
    expect(returned.status).toBe(201);
    expect(returned.headers.get("x-thing")).toBe("yes");
    expect(await returned.json()).toEqual({ n: 2 });
  });

  it("answer a thrown data() with its status, headers and message, as a thrown json() was in Remix v2", async () => {
    const notFound = await ask(() => {
      throw data('There is no letter "x".', { status: 404 });
    });
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get("x-remix-catch")).toBe("yes");
    expect(await notFound.json()).toBe('There is no letter "x".');
    // The read pool's refusal (app/utils/read-pool.server.ts): a client must learn when to ask again.
    const busy = await ask(() => {
      throw data("Busy.", { status: 503, headers: { "Retry-After": "5" } });
    });
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("5");
  });

  it("of a parent route get the headers the address's own page would get: a page said no-store is not kept through its parent's data", async () => {
    const handler = createRequestHandler(
      dataRequestBuild(buildOf(() => ({ secretish: true }), { headers: () => ({ "Cache-Control": "no-store" }) })),
      "production",
    );
    // The follow links' pages (/unsubscribe?token=…): the root's data at the address must not be
    // public, or a cache keeps it under an address that holds the token.
    for (const route of ["root", "routes%2Fthing"]) {
      const answer = await handler(new Request(`http://tracker.test/thing?token=abc&_data=${route}`));
      expect(answer.status, route).toBe(200);
      expect(answer.headers.get("cache-control"), route).toBe("no-store");
    }
    // Another address under the same root keeps the root's data as it was (no headers of its own).
    const elsewhere = await handler(new Request("http://tracker.test/other?_data=root"));
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.headers.get("cache-control")).toBeNull();
    expect(await elsewhere.json()).toEqual({ root: true });
  });
});
