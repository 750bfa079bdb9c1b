/**
 * A page rendered for an anonymous reader who accepts gzip is compressed by the page cache in one
 * call (zlib's threads) and that gzip is what is kept, instead of the compression middleware's
 * stream per response: behind the same middleware as scripts/serve.ts, the answer must still be
 * exactly the page, once encoded, for every kind of client and size.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import compression from "compression";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { createPageCache } from "~/utils/page-cache.server";

const servers: http.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

const PAGE = `<!DOCTYPE html><html><body>${"<p>An oversight letter, its questions and answers.</p>".repeat(400)}</body></html>`;
const BIG = `<!DOCTYPE html><html><body>${"<p>x</p>".repeat(40_000)}</body></html>`;

async function server() {
  const cache = createPageCache({ buildVersion: "b1", generationKey: "test-generation-key", state: () => ({ revision: 1, day: "2026-12-01" }), signedIn: () => false, keepResponses: true, maxEntryBytes: 64 * 1024 });
  const app = express();
  app.set("etag", false);
  app.use(compression());
  app.use(cache.middleware);
  app.get("/page", (_req, res) => res.type("html").send(PAGE));
  // As Remix's adapter sends a page: one write, then end.
  app.get("/written", (_req, res) => {
    res.status(200).setHeader("Content-Type", "text/html; charset=utf-8");
    res.write(PAGE);
    res.end();
  });
  app.get("/big", (_req, res) => {
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    for (let i = 0; i < BIG.length; i += 16_384) res.write(BIG.slice(i, i + 16_384));
    res.end();
  });
  app.get("/data.csv", (_req, res) => res.type("text/csv").send("a,b\n".repeat(2000)));
  const listening = http.createServer(app);
  servers.push(listening);
  await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
  const { port } = listening.address() as AddressInfo;
  return (path: string, acceptEncoding: string, method = "GET") =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; raw: Buffer }>((resolve, reject) => {
      const request = http.request({ host: "127.0.0.1", port, path, method, headers: { "Accept-Encoding": acceptEncoding } }, (response) => {
        const parts: Buffer[] = [];
        response.on("data", (part: Buffer) => parts.push(part));
        response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, raw: Buffer.concat(parts) }));
      });
      request.on("error", reject);
      request.end();
    });
}

const decoded = (answer: { headers: http.IncomingHttpHeaders; raw: Buffer }) =>
  (answer.headers["content-encoding"] === "gzip" ? zlib.gunzipSync(answer.raw) : answer.raw).toString("utf8");

describe("a page compressed whole", () => {
  it.each(["/page", "/written"])("%s: gzipped once on the miss, the same on the hit, plain for a client without gzip", async (path) => {
    const get = await server();
    const miss = await get(path, "gzip, deflate, br");
    expect(miss.headers["x-page-cache"]).toBe("miss");
    expect(miss.headers["content-encoding"]).toBe("gzip");
    expect(Number(miss.headers["content-length"])).toBe(miss.raw.length);
    expect(decoded(miss)).toBe(PAGE);
    const hit = await get(path, "gzip");
    expect(hit.headers["x-page-cache"]).toBe("hit");
    expect(hit.raw.equals(miss.raw), "the kept gzip is the one sent").toBe(true);
    const plain = await get(path, "identity");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.raw.toString("utf8")).toBe(PAGE);
    const head = await get(path, "gzip", "HEAD");
    expect(head.status).toBe(200);
    expect(head.raw.length).toBe(0);
  });

  it("streams a page too big to keep, compressed once by the middleware", async () => {
    const get = await server();
    const answer = await get("/big", "gzip");
    expect(answer.headers["content-encoding"]).toBe("gzip");
    expect(decoded(answer)).toBe(BIG);
    expect((await get("/big", "gzip")).headers["x-page-cache"]).toBe("miss");
  });

  it("leaves what is not a page to the middleware", async () => {
    const get = await server();
    const csv = await get("/data.csv", "gzip");
    expect(csv.headers["content-encoding"]).toBe("gzip");
    expect(decoded(csv)).toBe("a,b\n".repeat(2000));
  });

  it("sends a client that takes no gzip the plain page on the miss", async () => {
    const get = await server();
    const plain = await get("/page", "identity");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.raw.toString("utf8")).toBe(PAGE);
    expect(decoded(await get("/page", "gzip"))).toBe(PAGE);
  });
});
