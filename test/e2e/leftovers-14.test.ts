/**
 * Leftovers of issue 11 ("no visitor waits") that a visitor or an attacker could hit, against the
 * built server (build/server.js). Each test failed before its fix (session 14, branch leftovers14).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../support/server";

const TIMEOUT = 120_000;
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ MAIL_SENDER: "false" });
}, TIMEOUT);

afterAll(async () => {
  await server?.stop();
});

describe("?_data requests (Remix's data requests) under single fetch", () => {
  const get = (path: string) => fetch(`${server.url}${path}`, { redirect: "manual" });

  it("a real route id gets that route's loader data as JSON, first rendered and then from the page cache", async () => {
    for (const cache of ["miss", "hit"]) {
      const response = await get("/letters?_data=routes%2Fletters._index");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(response.headers.get("x-page-cache")).toBe(cache);
      const body = (await response.json()) as { result: { total: number }; filters: { sort: string } };
      expect(body.result.total).toBeGreaterThan(0);
      expect(body.filters.sort).toBe("sent");
    }
    // An empty route id is the address's own route, as Remix v2 takes it (it was an empty 200 too).
    const empty = await get("/letters?_data=");
    expect(empty.status).toBe(200);
    expect(await empty.json()).toMatchObject({ filters: { sort: "sent" } });
    const root = await get("/letters?_data=root");
    expect(root.status).toBe(200);
    expect(await root.json()).toMatchObject({ user: null });
  });

  it("a route id that is not one of the address's routes is an error status, not an empty 200", async () => {
    for (const path of ["/letters?_data=nonsense", "/?_data=routes%2Fletters._index"]) {
      const response = await get(path);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
      expect(response.headers.get("x-remix-error"), path).toBe("yes");
    }
  });

  it("a loader's redirect is Remix's data redirect (204 with X-Remix-Redirect)", async () => {
    const response = await get("/letters/new?_data=routes%2Fletters.new");
    expect(response.status).toBe(204);
    expect(response.headers.get("x-remix-redirect")).toMatch(/^\/login\?redirectTo=/);
  });

  it("a thrown not-found keeps its status", async () => {
    const response = await get("/letters/no-such-letter?_data=routes%2Fletters.%24slug");
    expect(response.status).toBe(404);
  });
});
