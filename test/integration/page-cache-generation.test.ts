/**
 * GET /_generation answers anyone (nginx asks it before every cached read). With public reading it
 * moves with every write, so caches drop old pages; without it no anonymous page shows data, and it
 * must not tell an outsider how often staff write.
 */
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { createPageCache, GENERATION_HEADER } from "~/utils/page-cache.server";

const servers: http.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** GET /_generation of `cache` on a port of its own. */
async function serveGeneration(cache: ReturnType<typeof createPageCache>): Promise<number> {
  const app = express();
  app.get("/_generation", cache.generationEndpoint);
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

async function generationServer(publicRead: boolean, generationKey = "test-generation-key") {
  const current = { revision: 41, day: "2026-12-01" };
  const cache = createPageCache({ buildVersion: "b1", generationKey, state: () => current, signedIn: () => false, keepResponses: false, publicRead });
  const port = await serveGeneration(cache);
  const read = async () => {
    const response = await fetch(`http://127.0.0.1:${port}/_generation`);
    expect(response.status).toBe(204);
    return response.headers.get(GENERATION_HEADER)!;
  };
  return { current, read };
}

describe("the cache generation", () => {
  it("moves with every write when anonymous visitors read the data", async () => {
    const { current, read } = await generationServer(true);
    const before = await read();
    current.revision += 1;
    expect(await read()).not.toBe(before);
  });

  it("tells an outsider nothing of the revision or the day, yet is the same in every process with the same key", async () => {
    const { current, read } = await generationServer(true);
    const first = await read();
    // A keyed hash: before, "b1.41.2026-12-01" told anyone how many writes staff had made.
    expect(first).toMatch(/^g-[\w-]{27}$/);
    expect(first).not.toContain("41");
    expect(first).not.toContain("2026");
    const otherProcess = await generationServer(true);
    expect(await otherProcess.read()).toBe(first);
    const otherKey = await generationServer(true, "another-generation-key");
    expect(await otherKey.read()).not.toBe(first);
    current.day = "2026-12-02";
    expect(await read()).not.toBe(first);
  });

  it("shows no revision, and does not move with writes, when reading needs a sign-in", async () => {
    const { current, read } = await generationServer(false);
    const before = await read();
    expect(before).not.toContain("41");
    current.revision += 7;
    expect(await read()).toBe(before);
    current.day = "2026-12-02";
    expect(await read()).not.toBe(before);
  });

  it("answers 503 when the revision cannot be read, without throwing (it runs outside Express)", async () => {
    const cache = createPageCache({
      buildVersion: "b1", generationKey: "test-generation-key",
      state: () => {
        throw new Error("disk I/O error");
      },
      signedIn: () => false,
      keepResponses: false,
    });
    const server = http.createServer((req, res) => cache.generationEndpoint(req, res));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/_generation`);
    expect(response.status).toBe(503);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get(GENERATION_HEADER)).toBeNull();
  });
});

describe("ETags", () => {
  it("cannot be worked out from the public generation: only one handed out for the address earns a 304", async () => {
    const current = { revision: 7, day: "2026-12-01" };
    const cache = createPageCache({ buildVersion: "b1", generationKey: "test-generation-key", state: () => current, signedIn: () => false, keepResponses: false, publicRead: true });
    const app = express();
    app.use(cache.middleware);
    app.get("*", (_req, res) => res.type("text/html").send("<p>page</p>"));
    const server = http.createServer(app);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // Any page tells its generation; the address (/unsubscribe?token=… is no-store) is the target.
    const generation = (await fetch(`${base}/`)).headers.get(GENERATION_HEADER)!;
    const target = "/unsubscribe?token=secret-token";
    const host = new URL(base).host;
    const forged = `W/"${crypto.createHash("sha256").update(`${generation} http://${host}| ${target}`).digest("base64url").slice(0, 27)}"`;
    const guessed = await fetch(`${base}${target}`, { headers: { "If-None-Match": forged } });
    expect(guessed.status).toBe(200);

    const first = await fetch(`${base}${target}`);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^W\/"[\w-]{27}"$/);
    expect((await fetch(`${base}${target}`, { headers: { "If-None-Match": etag } })).status).toBe(304);
  });
});

describe("the generation of a page with a revision of its own (a letter's page, a past day's)", () => {
  it("reads that revision and today's date, not the data revision (nginx's check of a letter page is one statement)", async () => {
    let stateReads = 0;
    let ownRevision = 7;
    let day = "2026-12-04";
    const cache = createPageCache({
      buildVersion: "b1",
      generationKey: "test-generation-key",
      state: () => {
        stateReads += 1;
        return { revision: 41, day };
      },
      today: () => day,
      signedIn: () => false,
      keepResponses: false,
      pageRevision: (pathname) => (pathname.startsWith("/letters/") ? `letter-1-${ownRevision}-3` : null),
    });
    const port = await serveGeneration(cache);
    const check = async (uri: string) =>
      (await fetch(`http://127.0.0.1:${port}/_generation`, { headers: { "X-Original-URI": uri } })).headers.get(GENERATION_HEADER)!;

    const letter = await check("/letters/a-letter");
    expect(stateReads).toBe(0);
    // It still moves with the letter's own revision and with the day.
    ownRevision += 1;
    const afterSave = await check("/letters/a-letter");
    expect(afterSave).not.toBe(letter);
    day = "2026-12-05";
    expect(await check("/letters/a-letter")).not.toBe(afterSave);
    expect(stateReads).toBe(0);
    // A page without one reads the data revision.
    await check("/letters");
    expect(stateReads).toBe(1);
  });
});
