/**
 * A HEAD answers the headers its GET would (RFC 9110 9.3.2), against the built server
 * (build/server.js), without producing what only the body needs (session 16, branch mend16; each
 * test failed before its fix):
 * - a letter's card image (letters/:slug/card.png) is not drawn for a HEAD (read pool work whose
 *   result Remix threw away);
 * - a HEAD names the Content-Encoding (and Vary) its GET is sent with, and no Content-Length of
 *   another encoding: the compression middleware skipped every HEAD, so a HEAD said "identity" with
 *   the uncompressed length while the GET was gzipped.
 * Review 17 (branch mend17b; each failed before): a HEAD of a `.data` address with `?_data` is its
 * GET's answer (it was refused); the badges' HEAD computes nothing; a bulk data file's HEAD before
 * its package is built names its GET's encoding also under 1 kB.
 */
import http from "node:http";
import zlib from "node:zlib";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryOne } from "../support/journeys";
import { readsCompleted, startServer, type RunningServer } from "../support/server";

const TIMEOUT = 120_000;
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ MAIL_SENDER: "false" });
}, TIMEOUT);

afterAll(async () => {
  await server?.stop();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One request by node:http (no decoding, every header as sent), its body read whole; to `base` (default: the shared server). */
function request(method: "GET" | "HEAD", address: string, headers: Record<string, string> = {}, base = server.url): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${address}`, { method, headers: { Connection: "close", ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** The headers a HEAD must repeat from its GET. */
const ANSWER_HEADERS = ["content-type", "content-encoding", "vary", "cache-control", "etag", "location", "x-content-type-options"];

function answerHeaders(answer: Answer): Record<string, string | string[] | undefined> {
  return Object.fromEntries(ANSWER_HEADERS.map((name) => [name, answer.headers[name]]));
}

/** A HEAD's headers are its GET's; its Content-Length, when it gives one, is the GET body's. */
function expectHeadOfGet(head: Answer, get: Answer, label: string): void {
  expect(head.status, label).toBe(get.status);
  expect(answerHeaders(head), label).toEqual(answerHeaders(get));
  if (head.headers["content-length"] !== undefined) expect(head.headers["content-length"], label).toBe(String(get.body.length));
}

describe("HEAD on a letter's card image", () => {
  const letter = () => queryOne<{ id: number; slug: string }>(server.databasePath, "SELECT id, slug FROM letters ORDER BY sent_on DESC LIMIT 1")!;

  it("answers the GET's status and headers without drawing the card; the GET still draws it", async () => {
    const address = `/letters/${letter().slug}/card.png`;
    const before = await readsCompleted(server);
    const head = await request("HEAD", address);
    expect(head.status).toBe(200);
    expect(head.headers["content-type"]).toBe("image/png");
    // Before: the card was drawn in the read pool (seconds of CPU cold) for a body thrown away.
    expect(await readsCompleted(server)).toBe(before);

    const get = await request("GET", address);
    expect(get.status).toBe(200);
    expect(get.body.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    expect(await readsCompleted(server)).toBeGreaterThan(before);
    expectHeadOfGet(head, get, address);
    // Kept by the page cache now: a HEAD gives the image's length too.
    expectHeadOfGet(await request("HEAD", address), get, `${address} kept`);
  });

  it("an unknown letter's is the GET's 404, a former slug's the GET's 301, neither drawing anything", async () => {
    const { id, slug } = letter();
    const db = new Database(server.databasePath);
    try {
      db.prepare("INSERT INTO letter_former_slugs (slug, letter_id) VALUES (?, ?)").run(`${slug}-before-renaming`, id);
    } finally {
      db.close();
    }
    for (const [address, status] of [
      ["/letters/no-such-letter/card.png", 404],
      [`/letters/${slug}-before-renaming/card.png`, 301],
    ] as const) {
      const before = await readsCompleted(server);
      const head = await request("HEAD", address);
      expect(head.status, address).toBe(status);
      expect(await readsCompleted(server), address).toBe(before);
      expectHeadOfGet(head, await request("GET", address), address);
    }
  });
});

describe("HEAD on the badges", () => {
  it("an agency's badge answers the GET's status and headers without reading its figures in the pool; a letter's too", async () => {
    const agency = queryOne<{ slug: string }>(server.databasePath, "SELECT a.slug FROM agencies a JOIN letter_recipients r ON r.agency_id = a.id LIMIT 1")!;
    const letter = queryOne<{ slug: string }>(server.databasePath, "SELECT slug FROM letters ORDER BY sent_on DESC LIMIT 1")!;
    for (const [address, pool] of [
      [`/agencies/${agency.slug}/badge.svg?head=1`, true],
      ["/agencies/no-such-agency/badge.svg", true],
      [`/letters/${letter.slug}/badge.svg?head=1`, false],
      ["/letters/no-such-letter/badge.svg", false],
    ] as const) {
      for (const encoding of ["gzip", "identity"]) {
        const headers = { "Accept-Encoding": encoding };
        const label = `${address} (${encoding})`;
        const before = await readsCompleted(server);
        const head = await request("HEAD", `${address}${address.includes("?") ? "&" : "?"}e=${encoding}`, headers);
        // Before: the agency's figures were read in the pool for the HEAD, as for the GET.
        expect(await readsCompleted(server), label).toBe(before);
        const get = await request("GET", `${address}${address.includes("?") ? "&" : "?"}e=${encoding}`, headers);
        if (pool && get.status === 200) expect(await readsCompleted(server), label).toBeGreaterThan(before);
        expectHeadOfGet(head, get, label);
        expect(head.body.length, label).toBe(0);
      }
    }
  });
});

describe("HEAD and compression: the GET's Content-Encoding and Vary", () => {
  const encodings = ["gzip", "br", "gzip, deflate, br", "identity"];

  it.each([
    // A bulk data file (the compression middleware), once its package is built.
    ["/data/letters.csv", true],
    // A page (gzipped whole by the page cache), first read by a HEAD.
    ["/letters?sort=title", false],
    // JSON from a resource route.
    ["/api/letters", false],
  ])("%s", async (address, buildFirst) => {
    if (buildFirst) expect((await request("GET", address)).status).toBe(200);
    for (const encoding of encodings) {
      const label = `${address} (Accept-Encoding: ${encoding})`;
      const headers = { "Accept-Encoding": encoding };
      // An address of its own per encoding: first a HEAD of it not kept yet, then its GET, then a
      // HEAD of the copy the page cache keeps, and its GET.
      const own = `${address}${address.includes("?") ? "&" : "?"}e=${encodeURIComponent(encoding)}`;
      const head = await request("HEAD", own, headers);
      const get = await request("GET", own, headers);
      expect(get.status, label).toBe(200);
      expectHeadOfGet(head, get, label);
      // The kept copy's gzip is made after it is kept (off the event loop); until then a GET that
      // takes gzip or br gets one from the compression middleware, after it the kept gzip. Once it
      // is there (a GET that takes gzip is then that gzip, with its length), HEAD and GET agree.
      await expect
        .poll(async () => {
          const hit = await request("GET", own, { "Accept-Encoding": "gzip" });
          return hit.headers["content-encoding"] === "gzip" && hit.headers["content-length"] !== undefined;
        }, { message: label })
        .toBe(true);
      const kept = await request("HEAD", own, headers);
      expectHeadOfGet(kept, await request("GET", own, headers), `${label}, kept`);
      if (encoding === "gzip") expect(get.headers["content-encoding"], label).toBe("gzip");
      if (encoding === "identity") expect(get.headers["content-encoding"], label).toBeUndefined();
    }
  });
});

describe("HEAD of a data address with ?_data (Remix v2's data request): the GET's answer", () => {
  // Remix v2 takes `?_data` before single fetch's PATH.data (server-runtime's requestHandler): the
  // route named is looked for among the routes of the path as sent, `.data` and all, and its loader
  // runs for a GET and a HEAD alike (the router's queryRoute; the HEAD's body dropped). Only a
  // PATH.data without `?_data` runs a HEAD as an action, and only that is refused.
  it.each([
    // The root route is among every path's: its loader's JSON.
    ["/letters.data?_data=root", 200],
    // Not one of /letters.data's routes (that is /letters): Remix's 403.
    ["/letters.data?_data=routes%2Fletters._index", 403],
    // The letter's route, for a letter whose slug is "no-such-letter.data": its 404.
    ["/letters/no-such-letter.data?_data=routes%2Fletters.%24slug", 404],
  ])("%s is %s for a GET and a HEAD", async (address, status) => {
    // Before: the HEAD was refused, 405 with Allow: GET.
    const head = await request("HEAD", address);
    const get = await request("GET", address);
    expect(get.status, address).toBe(status);
    expect(get.headers["content-type"], address).toMatch(/^application\/json/);
    expect(head.headers.allow, address).toBeUndefined();
    expect(head.body.length, address).toBe(0);
    expectHeadOfGet(head, get, address);
    // And once the GET's answer is kept (an anonymous one is kept like any page).
    expectHeadOfGet(await request("HEAD", address), await request("GET", address), `${address} again`);
  });

  it("a HEAD of PATH.data without ?_data is still refused (Remix would run it as an action)", async () => {
    const head = await request("HEAD", "/letters.data");
    expect(head.status).toBe(405);
    expect(head.headers.allow).toBe("GET");
  });
});

describe("HEAD of a bulk data file whose package is not built yet", () => {
  // Without the demo letters, the letters' files are only their header lines: under the
  // compression middleware's 1 kB threshold.
  let empty: RunningServer;
  beforeAll(async () => {
    empty = await startServer({ MAIL_SENDER: "false", SEED_DEMO_DATA: "off" });
  }, TIMEOUT);
  afterAll(async () => {
    await empty?.stop();
  });

  const fetchFrom = (method: "GET" | "HEAD", address: string, headers: Record<string, string>) => request(method, address, headers, empty.url);

  it("names the encoding its GET is sent with, for a file under 1 kB as for any", async () => {
    const files = ["letters.csv", "responses.csv", "datapackage.json"];
    const encodings = ["gzip", "br", "identity"];
    const address = (file: string, encoding: string) => `/data/${file}?e=${encoding}`;
    // First every HEAD, while the package is not built (a HEAD builds nothing): no size known.
    const heads = new Map<string, Answer>();
    for (const encoding of encodings) {
      for (const file of files) {
        const head = await fetchFrom("HEAD", address(file, encoding), { "Accept-Encoding": encoding });
        expect(head.status, file).toBe(200);
        expect(head.headers["content-length"], file).toBeUndefined();
        heads.set(address(file, encoding), head);
      }
    }
    for (const encoding of encodings) {
      const headers = { "Accept-Encoding": encoding };
      for (const file of files) {
        const label = `${file} (${encoding})`;
        const get = await fetchFrom("GET", address(file, encoding), headers);
        expect(get.status, label).toBe(200);
        // Before: a file under 1 kB was sent plain (its length under the threshold) while its HEAD,
        // with no length, said gzip (or br).
        expectHeadOfGet(heads.get(address(file, encoding))!, get, label);
        // Built now: a HEAD of an address not kept knows the size, and says the same.
        const built = `${address(file, encoding)}&built=1`;
        expectHeadOfGet(await fetchFrom("HEAD", built, headers), await fetchFrom("GET", built, headers), `${label}, built`);
        // And kept by the page cache.
        expectHeadOfGet(await fetchFrom("HEAD", address(file, encoding), headers), await fetchFrom("GET", address(file, encoding), headers), `${label}, kept`);
      }
    }
    // The header line alone, under 1 kB, and sent gzipped to a client that takes gzip.
    const small = await fetchFrom("GET", address("letters.csv", "gzip"), { "Accept-Encoding": "gzip" });
    expect(small.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(small.body).length).toBeLessThan(1024);
  });
});
