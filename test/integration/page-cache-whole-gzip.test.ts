/**
 * A page rendered for an anonymous reader who accepts gzip is compressed by the page cache in one
 * call (zlib's threads) and that gzip is what is kept, instead of the compression middleware's
 * stream per response: behind the same middleware as scripts/serve.ts, the answer must still be
 * exactly the page, once encoded, for every kind of client and size.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { compressionAsForGet } from "~/utils/compression.server";
import { createPageCache } from "~/utils/page-cache.server";

const servers: http.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

const SMALL = "<!DOCTYPE html><p>A short page.</p>";
const PAGE = `<!DOCTYPE html><html><body>${"<p>An oversight letter, its questions and answers.</p>".repeat(400)}</body></html>`;
const PNG = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.alloc(8192, 7)]);
const BIG = `<!DOCTYPE html><html><body>${"<p>x</p>".repeat(40_000)}</body></html>`;

async function server() {
  const cache = createPageCache({ buildVersion: "b1", generationKey: "test-generation-key", state: () => ({ revision: 1, day: "2026-12-01" }), signedIn: () => false, keepResponses: true, maxEntryBytes: 64 * 1024 });
  const app = express();
  app.set("etag", false);
  app.use(compressionAsForGet());
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
  app.get("/small", (_req, res) => res.type("html").send(SMALL));
  // Already compressed: a card image, an xlsx export.
  app.get("/card.png", (_req, res) => res.type("png").send(PNG));
  app.get("/data.csv", (_req, res) => res.type("text/csv").send("a,b\n".repeat(2000)));
  app.get("/tiny.csv", (_req, res) => res.type("text/csv").send("a,b\n"));
  // Streamed without a length, as Remix's adapter sends a body (remix-handler.server.ts), and for a
  // HEAD, whose Response has no body, headers and an empty end().
  app.get("/streamed.json", (req, res) => {
    res.setHeader("Content-Type", "application/json");
    if (req.method === "HEAD") return void res.end();
    res.write("[");
    res.end(`${"1,".repeat(1000)}1]`);
  });
  // Small and streamed, as Remix's adapter sends a badge or a short API answer: write, then end.
  app.get("/small-streamed.json", (_req, res) => {
    res.setHeader("Content-Type", "application/json");
    res.write('{"letters":');
    res.end("[1,2,3]}");
  });
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

const keptGzipOf = (answer: { headers: http.IncomingHttpHeaders }) =>
  answer.headers["x-page-cache"] === "hit" && answer.headers["content-encoding"] === "gzip" && answer.headers["content-length"] !== undefined;

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

describe("what a kept copy is gzipped for", () => {
  it("a small answer streamed without a length (as Remix sends one) is gzipped fresh by the middleware, and so are its hits", async () => {
    const get = await server();
    const fresh = await get("/small-streamed.json", "gzip");
    expect(fresh.headers["content-encoding"]).toBe("gzip");
    // Before (review 16): kept, it was held to the 1 kB threshold and its hits went out plain.
    await expect.poll(async () => keptGzipOf(await get("/small-streamed.json", "gzip"))).toBe(true);
    expect(decoded(await get("/small-streamed.json", "gzip"))).toBe('{"letters":[1,2,3]}');
  });

  it("a page under the middleware's threshold is gzipped whole, fresh and kept, even when first rendered for a client without gzip", async () => {
    const get = await server();
    expect((await get("/small", "identity")).headers["content-encoding"]).toBeUndefined();
    await expect.poll(async () => keptGzipOf(await get("/small", "gzip"))).toBe(true);
    expect(zlib.gunzipSync((await get("/small", "gzip")).raw).toString("utf8")).toBe(SMALL);
  });

  it.each([
    ["/card.png", "a PNG (already compressed)"],
    ["/tiny.csv", "a CSV under it"],
  ])("%s, %s: its hits are sent as it is, as a fresh copy is", async (path) => {
    const get = await server();
    const fresh = await get(path, "gzip");
    expect(fresh.headers["content-encoding"]).toBeUndefined();
    // Before: the page cache gzipped every kept copy, so once its gzip was made a hit was gzipped.
    for (let i = 0; i < 5; i++) {
      const hit = await get(path, "gzip");
      expect(hit.headers["x-page-cache"]).toBe("hit");
      expect(hit.headers["content-encoding"]).toBeUndefined();
      expect(hit.raw.equals(fresh.raw)).toBe(true);
      await new Promise((resolve) => setImmediate(resolve));
    }
  });
});

describe("a HEAD is told what its GET is sent with (RFC 9110 9.3.2)", () => {
  // Before: the middleware skipped every HEAD (no Content-Encoding, the plain length) while the GET
  // was encoded; and a page's HEAD was not told of the page cache's gzip.
  const encodings = ["gzip", "br", "gzip, deflate, br", "deflate", "br;q=1, gzip;q=0.5", "identity", ""];
  const sameAnswer = (head: { status: number; headers: http.IncomingHttpHeaders; raw: Buffer }, get: { status: number; headers: http.IncomingHttpHeaders; raw: Buffer }, label: string) => {
    expect(head.status, label).toBe(get.status);
    expect(head.raw.length, label).toBe(0);
    const of = (headers: http.IncomingHttpHeaders) => ({ type: headers["content-type"], encoding: headers["content-encoding"], vary: headers["vary"] });
    expect(of(head.headers), label).toEqual(of(get.headers));
    if (head.headers["content-length"] !== undefined) expect(Number(head.headers["content-length"]), label).toBe(get.raw.length);
  };

  const smallOrPacked = new Set(["/tiny.csv", "/card.png"]);
  const keptGzip = (answer: { headers: http.IncomingHttpHeaders }) =>
    answer.headers["content-encoding"] === "gzip" && answer.headers["content-length"] !== undefined;

  it.each([
    ["/page", encodings],
    ["/written", encodings],
    ["/small", encodings],
    ["/data.csv", encodings],
    ["/tiny.csv", encodings],
    ["/card.png", encodings],
    ["/small-streamed.json", encodings],
    ["/streamed.json", encodings],
    // Too big to keep, streamed by the middleware after the page cache held its start: its HEAD is
    // told the page cache's gzip, which is what the GET gets where gzip is the middleware's choice too.
    ["/big", ["gzip", "identity", ""]],
  ])("%s, before and after it is kept", async (path, accepted) => {
    const get = await server();
    for (const encoding of accepted) {
      const own = `${path}?e=${encodeURIComponent(encoding)}`;
      const label = `${path} (Accept-Encoding: ${encoding})`;
      const head = await get(own, encoding, "HEAD");
      sameAnswer(head, await get(own, encoding), label);
      // A kept copy's gzip is made after it is kept (off the event loop): once there, a hit that
      // takes gzip is that gzip, with its length; until then the middleware encodes a hit (or not,
      // under its threshold), for HEAD and GET alike.
      if (path !== "/big" && !smallOrPacked.has(path)) await expect.poll(async () => keptGzip(await get(own, "gzip")), { message: label }).toBe(true);
      // Under the middleware's threshold or of a packed type: a kept copy is sent as it is, as fresh.
      if (smallOrPacked.has(path)) await expect.poll(async () => (await get(own, "gzip")).headers["x-page-cache"], { message: label }).toBe("hit");
      sameAnswer(await get(own, encoding, "HEAD"), await get(own, encoding), `${label}, kept`);
    }
  });
});
