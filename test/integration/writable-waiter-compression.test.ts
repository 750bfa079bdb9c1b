/**
 * The backpressure wait of streamed exports (writableWaiter, app/utils/http.server.ts) behind the
 * real compression middleware, as scripts/serve.ts runs it: `compression` hands a response's
 * 'drain' listeners to its gzip stream but does not take them off again (its `res.on` is wrapped,
 * `res.off` is not). A download that waited thousands of times left thousands of listeners on the
 * gzip stream, each run again at every later drain (Node's MaxListenersExceededWarning in the
 * bench's server log).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import type zlibModule from "node:zlib";
import { randomBytes } from "node:crypto";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compressionAsForGet } from "~/utils/compression.server";
import { writableWaiter } from "~/utils/http.server";

const CHUNKS = 200;
const CHUNK_BYTES = 64 * 1024;
let server: http.Server;
let url: string;
const served = { waits: 0, drainListenersAtEnd: -1 };

beforeAll(async () => {
  const app = express();
  app.use(compressionAsForGet());
  app.get("/download", async (_req, res) => {
    res.setHeader("Content-Type", "text/plain");
    const waitForWritable = writableWaiter(res);
    for (let chunk = 0; chunk < CHUNKS; chunk++) {
      // Random hex compresses to about half: every write fills the gzip stream's buffer.
      if (!res.write(randomBytes(CHUNK_BYTES / 2).toString("hex"))) served.waits += 1;
      await waitForWritable();
    }
    // The gzip stream is what the response's 'drain' listeners were given to.
    served.drainListenersAtEnd = res.listenerCount("drain") + lastGzipStream().listenerCount("drain");
    res.end();
  });
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/download`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** The gzip streams the middleware makes (it calls zlib.createGzip per response). */
// The CommonJS module object, the one compression requires (an ES import's is read-only).
const zlib = createRequire(import.meta.url)("node:zlib") as typeof zlibModule;
const gzipStreams: zlibModule.Gzip[] = [];
function lastGzipStream(): zlibModule.Gzip {
  const stream = gzipStreams.at(-1);
  if (!stream) throw new Error("The response was not gzipped");
  return stream;
}
const createGzip = zlib.createGzip;
beforeAll(() => {
  // Node defines it read-only but configurable.
  Object.defineProperty(zlib, "createGzip", {
    configurable: true,
    value: (options?: zlibModule.ZlibOptions) => {
      const stream = createGzip(options);
      gzipStreams.push(stream);
      return stream;
    },
  });
});
afterAll(() => {
  Object.defineProperty(zlib, "createGzip", { configurable: true, value: createGzip });
});

describe("an export's backpressure wait behind gzip", () => {
  it("waits at each refused write and leaves no drain listener behind, however many times it waited", async () => {
    const body = await new Promise<Buffer>((resolve, reject) => {
      http.get(url, { headers: { "Accept-Encoding": "gzip" } }, (response) => {
        expect(response.headers["content-encoding"]).toBe("gzip");
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve(zlib.gunzipSync(Buffer.concat(chunks))));
        response.on("error", reject);
      });
    });
    expect(body.length).toBe(CHUNKS * CHUNK_BYTES);
    expect(served.waits).toBeGreaterThan(CHUNKS / 2);
    // The middleware's own on the response, and the waiter's one on the stream.
    expect(served.drainListenersAtEnd).toBeLessThanOrEqual(2);
  });
});
