/**
 * Every route's query parameters, path segments, methods and headers, fed random and hostile values
 * by fast-check, signed out and signed in: no answer is a 5xx. (Forms and the importer have their
 * own fuzzing in test/integration/form-fuzz.test.ts.)
 *
 * Most runs go in-process through the built Remix handler (build/index.js, the very code the
 * server runs) because that is fast; the methods and raw headers that only the HTTP server sees
 * (TRACE, odd header bytes) go to the real server (build/server.js). A 5xx fails the test with the
 * offending request in the message.
 */
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refuseRequest } from "~/domain/request-guard";
import { agencies, committees, letters, members, responses, tags } from "../../db/schema";
import { DEMO_SEED_FILE, seedFromFile } from "../../db/seed.server";
import { freshDatabase } from "../support/database";
import { signedInAs } from "../support/requests";
import { createUserWithCli, startServer, type RunningServer } from "../support/server";

let handle: (request: Request) => Promise<Response>;
const cookies: Record<string, string> = {};
const slugs: Record<"letter" | "agency" | "member" | "committee" | "tag", string[]> = { letter: [], agency: [], member: [], committee: [], tag: [] };
let responseIds: string[] = [];

beforeAll(async () => {
  const db = freshDatabase();
  seedFromFile({ db, file: DEMO_SEED_FILE });
  slugs.letter = db.select({ slug: letters.slug }).from(letters).all().map((row) => row.slug);
  slugs.agency = db.select({ slug: agencies.slug }).from(agencies).all().map((row) => row.slug);
  slugs.member = db.select({ slug: members.slug }).from(members).all().map((row) => row.slug);
  slugs.committee = db.select({ slug: committees.slug }).from(committees).all().map((row) => row.slug);
  slugs.tag = db.select({ slug: tags.slug }).from(tags).all().map((row) => row.slug);
  responseIds = db.select({ id: responses.id }).from(responses).all().map((row) => String(row.id));
  for (const role of ["viewer", "editor", "admin"] as const) cookies[role] = (await signedInAs(role)).cookie;
  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  const handler = createRequestHandler(build, "production");
  handle = (request) => handler(request, { clientAddress: "127.0.0.1", cspNonce: "fuzz" });
});

/** Strings that have broken web apps before, mixed with anything at all. */
const hostile = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "", " ", "-1", "0", "1", "2", "999999999999999999999", "1e309", "NaN", "Infinity", "0x10", "1.5", "+1",
      "2025-02-30", "2025-13-01", "9999-99-99", "0000-01-01", "2025-1-1", "2025-01-01T00:00", "10000-01-01", "-2025-01-01",
      "open", "overdue", "answered", "all", "asc", "desc", "sent", "deadline", "outstanding", "title", "status", "open",
      "__proto__", "constructor", "toString", "hasOwnProperty", "<script>alert(1)</script>", "'; DROP TABLE letters; --",
      "\u0000", "\uD800", "\uFEFF", "\u202E", "／", "\uFF0Fx", "/\uFF0Fx", "//evil.example", "/\\evil", "javascript:alert(1)",
      "%", "%zz", "%E0%A4%A", "%00", "a".repeat(5000), "😀".repeat(40), "*", "\"", "NEAR(", "a OR b", "a*", "^",
      "routes/letters._index", "root", "routes/login",
    ),
  },
);

const PARAMS = [
  "status", "agency", "committee", "member", "tag", "sentFrom", "sentTo", "q", "sort", "dir", "page", "per_page", "asOf",
  "kind", "redirectTo", "followUp", "delete", "index", "from", "to", "chamber", "letter", "format", "limit", "offset",
] as const;

const query = fc.array(fc.tuple(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...PARAMS) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) }), hostile), { maxLength: 6 });

/** A path segment: a real one most of the time, else hostile, percent-encoded or raw. */
const segment = (kind: keyof typeof slugs | "responseId") =>
  fc.oneof(
    // Read when drawn: the lists are filled in beforeAll.
    { weight: 3, arbitrary: fc.nat().map((i) => { const list = kind === "responseId" ? responseIds : slugs[kind]; return list[i % list.length] ?? "x"; }) },
    { weight: 2, arbitrary: hostile.map((value) => encodeURIComponent(value.replace(/[\uD800-\uDFFF]/g, "\uFFFD"))) },
    { weight: 1, arbitrary: fc.constantFrom("%", "%zz", "%2F", "%00", "..", ".", "%2e%2e", "a%2Fb", "%C0%AF", "%FF") },
  );

const routePath = fc.oneof(
  fc.constantFrom(
    "/", "/letters", "/questions", "/agencies", "/search", "/briefing", "/login", "/account/password", "/admin/users",
    "/import", "/letters/new", "/export/letters.csv", "/export/questions.csv", "/export/responses.csv",
    "/export/letters-questions.csv", "/api/letters", "/api/questions", "/api/agencies", "/feed.xml", "/calendar.ics",
    "/logout", "/no/such/page", "/answered", "/data", "/data/datapackage.json", "/data/oversight-letters.zip",
  ),
  fc.string({ maxLength: 12 }).map((name) => `/data/${encodeURIComponent(name)}`),
  segment("letter").map((slug) => `/letters/${slug}`),
  segment("letter").map((slug) => `/letters/${slug}/edit`),
  segment("letter").map((slug) => `/letters/${slug}/deadline`),
  segment("letter").map((slug) => `/letters/${slug}/close`),
  segment("letter").map((slug) => `/letters/${slug}/responses/new`),
  fc.tuple(segment("letter"), segment("responseId")).map(([slug, id]) => `/letters/${slug}/responses/${id}`),
  segment("letter").map((slug) => `/api/letters/${slug}`),
  segment("agency").map((slug) => `/agencies/${slug}`),
  segment("member").map((slug) => `/members/${slug}`),
  segment("committee").map((slug) => `/committees/${slug}`),
  fc.array(segment("tag"), { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join("/")}`),
);

const ROUTE_IDS = [
  "root", "routes/_index", "routes/letters._index", "routes/letters.$slug", "routes/letters.new", "routes/letters.$slug_.edit",
  "routes/questions._index", "routes/agencies._index", "routes/agencies.$slug", "routes/members.$slug", "routes/search",
  "routes/briefing", "routes/answered", "routes/data._index", "routes/login", "routes/account.password", "routes/admin.users", "routes/import", "routes/$",
];

const headerValue = fc.oneof(hostile.map((value) => value.replace(/[^\x20-\x7e\t]/g, "")), fc.constantFrom("*/*", "text/html", "application/json", "gzip", "bytes=0-10", "bytes=99999-", "en-US,en;q=0.9", "Googlebot/2.1", "Mozilla/5.0"));

const who = fc.constantFrom("anonymous", "viewer", "editor", "admin", "forged");

const fuzzRequest = fc.record({
  path: routePath,
  query,
  // Remix's own data requests (single fetch: PATH.data?_routes=ID) run loaders without rendering:
  // cheap, and every loader is reachable.
  data: fc.option(fc.oneof(fc.constant(""), fc.constantFrom(...ROUTE_IDS), hostile), { freq: 8 }),
  method: fc.constantFrom("GET", "GET", "GET", "HEAD", "POST"),
  who,
  headers: fc.dictionary(
    fc.constantFrom("Accept", "Accept-Language", "User-Agent", "Content-Type", "Origin", "Range", "If-None-Match", "X-Forwarded-For", "X-Forwarded-Host", "Referer"),
    fc.oneof(headerValue, fc.constantFrom("http://localhost", "null", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain", "application/json")),
    { maxKeys: 4 },
  ),
  body: fc.option(fc.string({ maxLength: 60 }), { freq: 2 }),
});

type FuzzRequest = Omit<typeof fuzzRequest extends fc.Arbitrary<infer T> ? T : never, "who"> & { who: string };

function toRequest(input: FuzzRequest, base: string): { url: string; init: RequestInit } {
  const search = new URLSearchParams(input.query);
  let target = input.path;
  if (input.data !== null) {
    target = target === "/" ? "/_root.data" : `${target.replace(/\/+$/, "")}.data`;
    if (input.data) search.set("_routes", input.data);
  }
  const url = `${base}${target}${search.size ? `?${search}` : ""}`;
  const headers: Record<string, string> = { ...input.headers };
  // What Node's HTTP server gives the app: a Host header.
  if (base) headers.Host = new URL(base).host;
  if (input.who === "forged") headers.Cookie = "tracker_session=eyJ4IjoxfQ%3D%3D";
  else if (input.who !== "anonymous") headers.Cookie = cookies[input.who]!;
  const init: RequestInit = { method: input.method, headers };
  if (input.method === "POST") init.body = input.body ?? "";
  return { url, init };
}

async function inProcess(input: FuzzRequest): Promise<void> {
  const { url, init } = toRequest(input, "http://localhost");
  let request: Request;
  try {
    request = new Request(url, init);
  } catch {
    return; // Not a request a client could send (the HTTP server would have refused it).
  }
  // What the HTTP server refuses before the app (scripts/serve.ts) never reaches it.
  const refusal = refuseRequest({
    method: request.method,
    path: new URL(request.url).pathname,
    contentType: request.headers.get("content-type"),
    origin: request.headers.get("origin"),
    host: "localhost",
    forwardedHost: request.headers.get("x-forwarded-host"),
  });
  if (refusal) return;
  const response = await handle(request);
  await response.arrayBuffer().catch(() => undefined);
  expect(response.status, `${init.method} ${url} ${JSON.stringify(init.headers)} ${init.body ?? ""}`).toBeLessThan(500);
}

describe("every route's query, path, method and headers, in-process through the built app", () => {
  // 5,000 + 4,000 runs (with the 1,000 against the real server below: 10,000); each is a loader
  // run (7 in 8) or a page render, no network.
  it.each([
    ["signed out and forged sessions", 5_000],
    ["signed in as each role", 4_000],
  ])("never answers 5xx: %s", async (mode, runs) => {
    const requests = fuzzRequest.map((request) =>
      mode.startsWith("signed out") ? { ...request, who: request.who === "forged" ? "forged" : "anonymous" } : { ...request, who: request.who === "anonymous" || request.who === "forged" ? "editor" : request.who },
    );
    await fc.assert(fc.asyncProperty(requests, inProcess), { numRuns: Number(process.env.FUZZ_RUNS ?? runs) });
  }, 240_000);
});

describe("methods and raw headers, against the real server", () => {
  let server: RunningServer;
  let cookie: string;
  const admin = { email: "fuzz-admin@example.org", name: "Fuzz Admin", role: "admin" as const, password: "a long fuzzing passphrase" };

  beforeAll(async () => {
    server = await startServer();
    await createUserWithCli(server.databasePath, admin);
    const login = await fetch(`${server.url}/login`, { method: "POST", body: new URLSearchParams({ email: admin.email, password: admin.password }), redirect: "manual" });
    cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
    expect(cookie).toMatch(/^tracker_session=/);
  });

  afterAll(async () => {
    await server?.stop();
  });

  const METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "MKCOL", "PURGE", "LOCK", "SEARCH", "REPORT", "M-SEARCH", "NOTIFY", "SUBSCRIBE", "LINK", "QUERY"];

  function raw(method: string, target: string, headers: Record<string, string>): Promise<number> {
    return new Promise((resolve, reject) => {
      const url = new URL(server.url);
      const request = http.request({ host: url.hostname, port: url.port, method, path: target, headers }, (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      });
      request.on("error", reject);
      request.end();
    });
  }

  it("never answers 5xx, whatever the method and headers", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ method: fc.constantFrom(...METHODS), input: fuzzRequest, signedIn: fc.boolean() }),
        async ({ method, input, signedIn }) => {
          const { url, init } = toRequest({ ...input, who: "anonymous" }, "");
          const headers = { ...(init.headers as Record<string, string>) };
          if (signedIn) headers.Cookie = cookie;
          // Node's client refuses some characters in a path; send them percent-encoded.
          const target = url.replace(/[^\x21-\x7e]/g, (char) => encodeURIComponent(char));
          let status: number;
          try {
            status = await raw(method, target, headers);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === "ERR_INVALID_CHAR" || (error as Error).name === "TypeError") return;
            throw error;
          }
          expect(status, `${method} ${target} ${JSON.stringify(headers)}`).toBeLessThan(500);
        },
      ),
      { numRuns: Number(process.env.FUZZ_RAW_RUNS ?? 1_000) },
    );
  }, 120_000);
});
