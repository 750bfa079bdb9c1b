/**
 * Attack on the page cache's whole-page gzip (decision 0030): behind the compression middleware as
 * scripts/serve.ts mounts it, a page is kept by its own size, whichever client asked for it first.
 */
import crypto from "node:crypto";
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

const MAX_ENTRY_BYTES = 64 * 1024;
// A page under the kept size whose gzip is most of its size too (ids, hashes, numbers compress poorly):
// the page and its gzip together are over the kept size, the page alone is not.
const PAGE = `<!DOCTYPE html><html><body>${Array.from({ length: 1000 }, (_, i) => `<p>${crypto.createHash("sha256").update(String(i)).digest("base64")}</p>`).join("")}</body></html>`;

async function server() {
  const cache = createPageCache({ buildVersion: "b1", generationKey: "test-generation-key", state: () => ({ revision: 1, day: "2026-12-01" }), signedIn: () => false, keepResponses: true, maxEntryBytes: MAX_ENTRY_BYTES });
  const app = express();
  app.set("etag", false);
  app.use(compression());
  app.use(cache.middleware);
  // As Remix's adapter sends a page: one write, then end.
  app.get("/page", (_req, res) => {
    res.status(200).setHeader("Content-Type", "text/html; charset=utf-8");
    res.write(PAGE);
    res.end();
  });
  const listening = http.createServer(app);
  servers.push(listening);
  await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
  const { port } = listening.address() as AddressInfo;
  return (path: string, acceptEncoding: string) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; raw: Buffer }>((resolve, reject) => {
      const request = http.request({ host: "127.0.0.1", port, path, headers: { "Accept-Encoding": acceptEncoding } }, (response) => {
        const parts: Buffer[] = [];
        response.on("data", (part: Buffer) => parts.push(part));
        response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, raw: Buffer.concat(parts) }));
      });
      request.on("error", reject);
      request.end();
    });
}

describe("a page under the kept size", () => {
  it("is the premise: the page fits, the page and its gzip together do not", () => {
    expect(Buffer.byteLength(PAGE)).toBeLessThan(MAX_ENTRY_BYTES);
    expect(Buffer.byteLength(PAGE) + zlib.gzipSync(PAGE).length).toBeGreaterThan(MAX_ENTRY_BYTES);
  });

  it.each(["gzip", "identity"])("is kept when the first reader asks with %s", async (first) => {
    const get = await server();
    const miss = await get("/page", first);
    expect(miss.headers["x-page-cache"]).toBe("miss");
    const again = await get("/page", "gzip");
    expect(again.headers["x-page-cache"], "the second reader is served the kept page").toBe("hit");
    expect(zlib.gunzipSync(again.raw).toString("utf8")).toBe(PAGE);
    const plain = await get("/page", "identity");
    expect(plain.headers["x-page-cache"]).toBe("hit");
    expect(plain.raw.toString("utf8")).toBe(PAGE);
  });
});
