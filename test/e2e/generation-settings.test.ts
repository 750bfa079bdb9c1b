/**
 * The cache generation covers the settings pages render. Every page prints the site's address
 * (PUBLIC_URL) for paper copies; restarted with another address, the server answered 304 to the
 * ETag of a page kept from before (and nginx, keyed by the generation, would have served its copy),
 * so readers kept pages naming the old address.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../support/server";

let servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  servers = [];
});

async function started(env: Record<string, string>): Promise<RunningServer> {
  const server = await startServer(env);
  servers.push(server);
  return server;
}

describe("a restart with another PUBLIC_URL", () => {
  it("answers no page kept before it as current: no 304 to the old ETag, a new generation", { timeout: 360_000 }, async () => {
    const before = await started({ PUBLIC_URL: "https://old-address.example" });
    const first = await fetch(`${before.url}/`);
    const etag = first.headers.get("etag");
    const generation = first.headers.get("x-cache-generation");
    expect(first.status).toBe(200);
    expect(etag).toBeTruthy();
    expect(await first.text()).toContain("old-address.example");
    await before.stop();
    servers = [];

    // The same database and port (the ETag covers the address asked for).
    const port = new URL(before.url).port;
    const after = await started({ PUBLIC_URL: "https://new-address.example", DATABASE_PATH: before.databasePath, SEED_DEMO_DATA: "false", PORT: port });
    expect(after.output()).toContain(`:${port}`);
    const again = await fetch(`${before.url}/`, { headers: { "If-None-Match": etag! } });
    expect(again.status, "the page kept from before is not current").toBe(200);
    expect(again.headers.get("x-cache-generation")).not.toBe(generation);
    const body = await again.text();
    expect(body).toContain("new-address.example");
    expect(body).not.toContain("old-address.example");
  });
});
