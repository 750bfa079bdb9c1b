/**
 * HTTP caching of anonymous reads, in terms any standard cache understands, plus a cache of
 * rendered responses inside the process.
 *
 * A page's content is fixed by the build, the data revision (data_revision, moved by triggers on
 * every write to the tracker's data), the day (the state of play depends on today's date) and the
 * URL: the cache generation is a keyed hash of `<build>.<revision>.<day>` (decision 0036), and
 * the ETag hashes it with the URL.
 * - An anonymous 200 GET is sent with that ETag, `X-Cache-Generation`, `Cache-Control: public,
 *   max-age=0, s-maxage` (browsers revalidate, shared caches may keep it) and `CDN-Cache-Control:
 *   public, max-age, stale-while-revalidate` (RFC 9213: a shared cache that reads it may serve its
 *   copy while it fetches a new one; browsers ignore it). `stale-while-revalidate` is not in
 *   Cache-Control: a browser's cache obeys it too, and Chromium showed a reader the page's data as
 *   it kept it (an in-app navigation's `.data`) for minutes after a write, revalidating only behind
 *   the reader's back (attack 20). nginx serves stale while updating by its own
 *   `proxy_cache_use_stale updating`, within one generation.
 * - `If-None-Match` naming the current ETag is answered 304 before anything renders: the ETag
 *   (keyed with `generationKey`) could only have been handed out for this URL in this generation,
 *   by any process.
 * - The rendered response (up to MAX_ENTRY_BYTES, gzipped once) is kept in memory until the
 *   generation moves, so a repeated page costs a lookup; concurrent misses of one URL render once.
 * - Requests with the session cookie, and anything the app marks (`doNotCache`: stale figures, a
 *   refusal) or answers with its own Cache-Control or a cookie, are never stored; signed-in
 *   responses are `private, no-store`.
 * `GET /_generation` answers 204 with the current generation: deploy/nginx.conf puts it in its
 * cache key, so a write makes the next anonymous read through nginx fresh.
 * A page that shows one letter only has a generation of its own (`pageRevision`: the letter's own
 * changes and those that can alter any letter's page, decision 0029) in place of the data revision,
 * for the kept copy, the ETag and nginx alike (which names the page in `X-Original-URI`): a save
 * leaves every other letter's page kept. So has a page of a past date (its day's history revision,
 * decision 0031): a save to a letter sent after that day leaves it kept.
 */
import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import zlib from "node:zlib";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { readerHasLeft } from "~/utils/connection.server";

export interface PageCacheOptions {
  /** Identifies the build (fingerprinted assets and markup change with it). */
  buildVersion: string;
  /** The data revision and today's date, or null when they cannot be read (then nothing is cached). */
  state: () => { revision: number; day: string } | null;
  /**
   * Today's date alone, for a page with a revision of its own (pageRevision), whose generation
   * needs no data revision: nginx's check of a letter page is then one lookup, not two (each
   * statement is a read transaction: a third of the check's CPU). Default: state()'s day.
   */
  today?: () => string | null;
  /** Whether the request is signed in (carries the session cookie). */
  signedIn: (req: Request) => boolean;
  /** Keep rendered responses in memory (PAGE_CACHE); headers and 304s are sent either way. */
  keepResponses: boolean;
  /** PUBLIC_READ: whether anonymous pages show data (else the generation omits the revision). */
  publicRead?: boolean;
  maxBytes?: number;
  maxEntryBytes?: number;
  sMaxAgeSeconds?: number;
  /** How long a shared cache may serve its copy while it fetches a new one (CDN-Cache-Control). */
  staleWhileRevalidateSeconds?: number;
  /**
   * The current version of a figure key (app/models/figure-store.server.ts `figureVersion`), or
   * null. A page rendered from stale figures (`res.locals.staleFigures`: the keys and versions it
   * read) is `no-store` for every other cache, but kept here, under the generation it was rendered
   * in, while each of those versions holds: after a write, an overview recomputed every few seconds
   * is otherwise rendered anew for every reader until then. Without it such pages are not kept.
   */
  figureVersion?: (key: string) => number | null;
  /**
   * The revision of what the page at `pathname` (with its query string, `search`) shows when it is
   * narrower than the data revision (one letter's page, a past date's: app/models/page-generations
   * .server.ts), else null. Such pages are kept apart from the others, each until its own generation
   * moves.
   */
  pageRevision?: (pathname: string, search: string) => string | null;
  /** Memory for pages kept under their own generation (besides maxBytes). */
  maxScopedBytes?: number;
  /**
   * The key that makes generations opaque (X-Cache-Generation, the ETag's input): the same in every
   * process (app_secrets), unknown outside. Unhashed, a generation would show the data revision, a
   * letter's own revision or a day's history revision: how many writes staff made.
   */
  generationKey: string;
}

interface Entry {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
  gzip: Buffer | null;
  bytes: number;
  /** A page of stale figures, kept only while these figure keys keep these versions. */
  staleFigures?: Array<[string, number]>;
  /** A page kept under its own generation (pageRevision): valid while that generation holds. */
  generation?: string;
  /**
   * Whether its fresh answer's length was known when its headers went out (a Content-Length, or the
   * whole body in one end()): only then does the compression middleware hold it to its threshold.
   */
  sized?: boolean;
}

export interface PageCacheStats {
  hits: number;
  misses: number;
  notModified: number;
  stored: number;
  entries: number;
  bytes: number;
}

/** Headers that belong to one transmission, not to the response kept. */
const MAX_URL_LENGTH = 2048;
const MAX_ENTRIES = 10_000;
/** What an entry costs beyond its body and headers: the map's slot, the key, the objects. */
const ENTRY_OVERHEAD_BYTES = 1024;
/** How long a reader waits for another's rendering of the same page before rendering it too. */
const WAIT_FOR_RENDERING_MS = 1000;

/** Where pages of stale figures are kept in the map, beside the generation's pages. */
const STALE_PREFIX = "~";

const TRANSMISSION_HEADERS = new Set(["content-length", "content-encoding", "transfer-encoding", "connection", "date", "keep-alive"]);
/** Said of one response, not of the page: never replayed from a kept copy. */
const RESPONSE_ONLY_HEADERS = new Set(["x-page-cache", "x-render-thread"]);

export const GENERATION_HEADER = "X-Cache-Generation";

/** Pages up to this size are gzipped at once on the event loop (gzipPage); larger ones on zlib's threads. */
const SYNC_GZIP_MAX_BYTES = 256 * 1024;

/**
 * Gzips a page once, to be kept and sent. A page of up to 256 kB is compressed at once, at level 4:
 * 0.1–0.15 ms for a 23 kB letter page or a 40 kB list, and 2–5% larger than level 6. zlib's
 * asynchronous gzip cost more of the event loop than that (stream set-up, flush and teardown: 0.35 ms
 * a page alone, 0.77 ms in a profile of the server serving letter pages) plus 0.25 ms on a pool
 * thread, on two cores that the mixed load keeps busy. A larger body goes to zlib's threads, at
 * level 4 too.
 */
function gzipPage(body: Buffer, done: (error: Error | null, gzip: Buffer) => void): void {
  if (body.length > SYNC_GZIP_MAX_BYTES) {
    zlib.gzip(body, { level: 4 }, done);
    return;
  }
  let gzip: Buffer;
  try {
    gzip = zlib.gzipSync(body, { level: 4 });
  } catch (error) {
    done(error as Error, Buffer.alloc(0));
    return;
  }
  done(null, gzip);
}

/**
 * The build part of every cache generation: the assets' fingerprint and the settings pages render
 * (the PUBLIC_URL printed on every page, the default response days shown with implied deadlines).
 * A restart with another value must not answer 304 to, nor let nginx serve, pages kept from before.
 */
export function generationBuild(assetsVersion: string, rendered: Record<string, string | number | boolean | null | undefined>): string {
  const settings = JSON.stringify(Object.entries(rendered).sort(([a], [b]) => (a < b ? -1 : 1)));
  return `${assetsVersion}_${crypto.createHash("sha256").update(settings).digest("hex").slice(0, 10)}`;
}

export function createPageCache(options: PageCacheOptions): {
  middleware: RequestHandler;
  generationEndpoint: (req: IncomingMessage, res: ServerResponse) => void;
  stats: () => PageCacheStats;
} {
  const {
    buildVersion,
    state,
    signedIn,
    keepResponses,
    publicRead = true,
    maxBytes = 64 * 1024 * 1024,
    maxEntryBytes = 1024 * 1024,
    sMaxAgeSeconds = 60,
    staleWhileRevalidateSeconds = 300,
    figureVersion,
    pageRevision,
    maxScopedBytes = 32 * 1024 * 1024,
    generationKey,
  } = options;
  const todayOf = options.today ?? (() => state()?.day ?? null);
  const publicCacheControl = `public, max-age=0, s-maxage=${sMaxAgeSeconds}`;
  /** For shared caches alone (RFC 9213), which may serve a kept copy while they fetch a new one. */
  const sharedCacheControl = `public, max-age=${sMaxAgeSeconds}, stale-while-revalidate=${staleWhileRevalidateSeconds}`;
  let entriesGeneration = "";
  const entries = new Map<string, Entry>();
  /** Pages with a generation of their own, by origin and URL: they outlive the data revision. */
  const scopedEntries = new Map<string, Entry>();
  /** Pages being rendered to be kept, by key: each settles true when its reader left before it was kept. */
  const rendering = new Map<string, Promise<boolean>>();
  let bytes = 0;
  let scopedBytes = 0;
  const counts = { hits: 0, misses: 0, notModified: 0, stored: 0 };

  /** The generation of the page at `address`, and whether it is the page's own (pageRevision). */
  const generationOf = (address: PageAddress): { generation: string; scoped: boolean } | null => {
    // Without public reading no anonymous page shows data, so the generation leaves out the data
    // revision: /_generation answers anyone, and the revision counts every write.
    if (!publicRead) {
      const day = todayOf();
      return day === null ? null : { generation: opaque(`${buildVersion}.private.${day}`), scoped: false };
    }
    // A page with a revision of its own does not read the data revision (see `today`).
    const own = pageRevision?.(address.pathname, address.search) ?? null;
    if (own !== null) {
      const day = todayOf();
      return day === null ? null : { generation: opaque(`${buildVersion}.${own}.${day}`), scoped: true };
    }
    const current = state();
    return current === null ? null : { generation: opaque(`${buildVersion}.${current.revision}.${current.day}`), scoped: false };
  };
  /** What is said of a generation outside the process: its keyed hash, remembered (nginx asks for every page). */
  const opaqueGenerations = new Map<string, string>();
  const opaque = (generation: string): string => {
    let said = opaqueGenerations.get(generation);
    if (said === undefined) {
      if (opaqueGenerations.size >= MAX_ENTRIES) opaqueGenerations.clear();
      said = `g-${crypto.createHmac("sha256", generationKey).update(generation).digest("base64url").slice(0, 27)}`;
      opaqueGenerations.set(generation, said);
    }
    return said;
  };
  // Keyed: the generation is public (X-Cache-Generation), so a plain hash of it and the address let
  // anyone work out any address's ETag and get a 304 with public caching headers where the page is
  // no-store (/unsubscribe?token=…; attack 21). Now only an ETag handed out for the address matches.
  const etagOf = (key: string) => `W/"${crypto.createHmac("sha256", generationKey).update(key).digest("base64url").slice(0, 27)}"`;

  /**
   * A page read moves to the end of its map's order, so a full map gives up the page read least
   * recently: a flood of addresses read once (`?x=1`, `?x=2`, ...) no longer pushes out the pages
   * everyone reads, as it did when the oldest page stored went first.
   */
  function touch(map: Map<string, Entry>, key: string, entry: Entry): Entry {
    map.delete(key);
    map.set(key, entry);
    return entry;
  }

  /** A page of stale figures kept for `key`, while every figure it read is at the version it read. */
  function staleHit(key: string): Entry | null {
    const entry = entries.get(STALE_PREFIX + key);
    if (!entry) return null;
    if (figureVersion && entry.staleFigures?.every(([figure, version]) => figureVersion(figure) === version)) return touch(entries, STALE_PREFIX + key, entry);
    entries.delete(STALE_PREFIX + key);
    bytes -= entry.bytes;
    return null;
  }

  function forgetOtherGenerations(current: string): void {
    if (entriesGeneration === current) return;
    entries.clear();
    bytes = 0;
    entriesGeneration = current;
  }

  /**
   * The page kept for `urlKey` under its own generation, if that generation still holds. One kept
   * under another is forgotten only when `current` is the generation now (`forgetOther`): a reader
   * who waited asks in the generation it came in, and a write since may have made the kept page
   * the newer one.
   */
  function scopedHit(urlKey: string, current: string, forgetOther = true): Entry | null {
    const entry = scopedEntries.get(urlKey);
    if (!entry) return null;
    if (entry.generation === current) return touch(scopedEntries, urlKey, entry);
    if (!forgetOther) return null;
    scopedEntries.delete(urlKey);
    scopedBytes -= entry.bytes;
    return null;
  }

  function keep(key: string, entry: Entry, scoped = false): void {
    // The page's own size, as `collect` counts it: its gzip (kept beside it when the page cache
    // compressed it on the way out) is counted in the memory used, not against the page.
    if (entry.body.length > maxEntryBytes) return;
    const map = scoped ? scopedEntries : entries;
    const budget = scoped ? maxScopedBytes : maxBytes;
    const adjust = (delta: number) => (scoped ? (scopedBytes += delta) : (bytes += delta));
    const used = () => (scoped ? scopedBytes : bytes);
    entry.bytes += key.length * 2 + ENTRY_OVERHEAD_BYTES + JSON.stringify(entry.headers).length * 2;
    const previous = map.get(key);
    if (previous) {
      adjust(-previous.bytes);
      map.delete(key);
    }
    while ((used() + entry.bytes > budget || map.size >= MAX_ENTRIES) && map.size > 0) {
      // The first in the map's order: the page read least recently (touch).
      const [oldestKey, oldest] = map.entries().next().value as [string, Entry];
      map.delete(oldestKey);
      adjust(-oldest.bytes);
    }
    map.set(key, entry);
    adjust(entry.bytes);
    counts.stored += 1;
    if (entry.gzip || !worthGzip(entry)) return;
    // Compressed once; until then hits are compressed as sent.
    gzipPage(entry.body, (error, gzip) => {
      if (error || map.get(key) !== entry) return;
      entry.gzip = gzip;
      entry.bytes += gzip.length;
      adjust(gzip.length);
    });
  }

  function sendEntry(req: Request, res: Response, entry: Entry): void {
    res.status(entry.status);
    for (const [name, value] of Object.entries(entry.headers)) res.setHeader(name, value);
    res.setHeader("X-Page-Cache", "hit");
    const body = entry.gzip && req.acceptsEncodings("gzip", "identity") === "gzip" ? entry.gzip : entry.body;
    if (body === entry.gzip) res.setHeader("Content-Encoding", "gzip");
    res.setHeader("Content-Length", body.length);
    res.end(req.method === "HEAD" ? undefined : body);
  }

  function notModified(res: Response, etag: string, current: string): void {
    counts.notModified += 1;
    // A 304's headers replace the stored response's (RFC 9111 4.3.4): a fresh CSP nonce here would
    // no longer match the nonce in the page the browser keeps, and its scripts would be blocked.
    res.removeHeader("Content-Security-Policy");
    res.status(304);
    res.setHeader("ETag", etag);
    res.setHeader("Cache-Control", publicCacheControl);
    res.setHeader("CDN-Cache-Control", sharedCacheControl);
    res.setHeader(GENERATION_HEADER, current);
    res.end();
  }

  const middleware: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    if (signedIn(req)) {
      // Nothing answered to a signed-in request (internal notes, one-time passwords, ...) may be
      // stored anywhere, whatever the route itself said.
      onHeaders(res, () => res.setHeader("Cache-Control", "private, no-store"));
      return next();
    }
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    // Too long to be worth keeping (and a cheap way to fill memory).
    if (req.originalUrl.length > MAX_URL_LENGTH) return next();
    // The address as Remix routes it (URL-normalized), and as nginx's generation check names it.
    const address = addressOfOriginalUri(req.originalUrl);
    const page = generationOf(address);
    if (page === null) return next();
    const { generation: current, scoped } = page;
    // Links in feeds and calendars are built from the request's host (as Remix sees it: Host and
    // X-Forwarded-Host): a forged host gets its own copy, never the one everyone else is served.
    const origin = `${req.protocol}://${req.get("host") ?? ""}|${req.get("x-forwarded-host") ?? ""}`;
    const urlKey = `${origin} ${req.originalUrl}`;
    const key = `${current} ${urlKey}`;
    // Pages rendered on a thread (app/utils/page-render.server.ts) are shared by readers of the same
    // address in the same generation while they render: this names them.
    res.locals.pageGenerationKey = key;
    const etag = etagOf(key);
    if (ifNoneMatch(req.get("if-none-match"), etag)) return notModified(res, etag, current);

    /** The page kept; `now`: asked in the generation now (not after waiting, a write may have moved it since). */
    const lookup = (now = true) => {
      if (scoped) return scopedHit(urlKey, current, now);
      const entry = entries.get(key);
      return entry ? touch(entries, key, entry) : staleHit(key);
    };
    if (keepResponses) {
      if (!scoped) forgetOtherGenerations(current);
      const hit = lookup();
      if (hit) {
        counts.hits += 1;
        return sendEntry(req, res, hit);
      }
      if (rendering.has(key) && req.method === "GET") return waitForRendering(Date.now() + WAIT_FOR_RENDERING_MS);
    }
    serve();

    /**
     * The same page is being rendered for another reader: wait for it rather than render twice (but
     * not for long: a slow reader of a big page must not hold everyone else). When that reader
     * leaves before its page is kept, the first waiter renders it and the others wait for that one:
     * each of them rendered it, on the event loop at once (a crowd at a letter page just changed).
     * A page its reader stayed for but that was not kept (a 404, too big, a write moved the
     * generation meanwhile, ...) is rendered by each waiter at once, as before: were they to take
     * turns, each would wait for the one before it, up to the deadline, for a page that would not
     * be kept either (and lists rendered on a thread would no longer share one render).
     */
    function waitForRendering(deadline: number): void {
      const inProgress = rendering.get(key);
      const remaining = deadline - Date.now();
      if (!inProgress || remaining <= 0) return serve();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waited = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), remaining).unref()));
      void Promise.race([inProgress, waited]).then((left) => {
        clearTimeout(timer);
        if (res.headersSent) return;
        // Gone meanwhile (a request pipelined behind another gets no 'close' of its own): nothing to render.
        if (readerHasLeft(req, res)) return;
        const done = lookup(false);
        if (done) {
          counts.hits += 1;
          sendEntry(req, res, done);
        } else if (left === true && rendering.has(key) && rendering.get(key) !== inProgress) waitForRendering(deadline);
        else serve();
      });
    }

    function serve(): void {
      counts.misses += 1;
      // Not a request pipelined behind a response not done yet (it has no socket until then): its
      // page cannot go out before that one (a download its client does not read, held open), and
      // every other reader of the page would wait the whole second for it, the page never kept.
      // Nor one whose connection already closed: nobody to keep it for.
      const capture = keepResponses && req.method === "GET" && !rendering.has(key) && !req.socket.destroyed && res.socket !== null;
      let finished: (left: boolean) => void = () => {};
      const rendered = new Promise<boolean>((resolve) => (finished = resolve));
      if (capture) rendering.set(key, rendered);
      const settle = (left = false) => {
        if (rendering.get(key) === rendered) rendering.delete(key);
        finished(left);
      };
      let cacheable = false;
      let staleFigures: Array<[string, number]> | null = null;
      let kept: Record<string, string | string[]> = {};
      /** A write() before end(): the body streamed (Remix's adapter), its length unknown to the middleware. */
      let streamed = false;
      let lengthKnown = false;
      onHeaders(res, () => {
        lengthKnown = res.getHeader("Content-Length") !== undefined;
        const ownCacheControl = res.getHeader("Cache-Control");
        const read = res.locals.staleFigures as Array<[string, number]> | undefined;
        const stale = Array.isArray(read) && read.length > 0;
        const storable =
          res.statusCode === 200 && ownCacheControl === undefined && res.getHeader("Set-Cookie") === undefined && res.locals.doNotCache !== true;
        cacheable = storable && !stale;
        if ((res.locals.doNotCache === true || stale) && ownCacheControl === undefined) res.setHeader("Cache-Control", "no-store");
        // Stale figures: no shared cache may keep the page (no ETag either), this process may.
        if (storable && stale && figureVersion) staleFigures = read.map(([figure, version]) => [figure, version]);
        if (!cacheable && !staleFigures) {
          // Nothing to wait for: readers of the same page render their own.
          if (capture) settle();
          return;
        }
        if (cacheable) {
          res.setHeader("Cache-Control", publicCacheControl);
          res.setHeader("CDN-Cache-Control", sharedCacheControl);
          res.setHeader("ETag", etag);
          res.setHeader(GENERATION_HEADER, current!);
        }
        res.setHeader("X-Page-Cache", "miss");
        kept = Object.fromEntries(
          Object.entries(res.getHeaders())
            .filter(([name]) => !TRANSMISSION_HEADERS.has(name.toLowerCase()) && !RESPONSE_ONLY_HEADERS.has(name.toLowerCase()))
            .map(([name, value]) => [name, Array.isArray(value) ? value : String(value)]),
        );
      });
      if (!capture) {
        // A HEAD of a page its GET would keep: the GET is sent gzipped whole (below), so the HEAD
        // says so, with no length (its gzip is not made), before the compression middleware, which
        // then sees it encoded (app/utils/compression.server.ts).
        if (req.method === "HEAD" && keepResponses) {
          onHeaders(res, () => {
            if (gzipsWhole(req, res)) {
              res.setHeader("Content-Encoding", "gzip");
              res.removeHeader("Content-Length");
            }
          });
        }
        return next();
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let overflow = false;
      const write = res.write.bind(res) as (...args: unknown[]) => boolean;
      const end = res.end.bind(res) as (...args: unknown[]) => Response;
      const collect = (chunk: unknown, encoding?: unknown) => {
        if (overflow || chunk === undefined || chunk === null || typeof chunk === "function") return;
        const buffer = bufferOf(chunk, encoding);
        size += buffer.length;
        if (size > maxEntryBytes) {
          overflow = true;
          chunks.length = 0;
          settle();
        } else chunks.push(buffer);
      };
      // A page comes whole (entry.server.tsx renders it before sending): it is gzipped here in one
      // call (gzipPage), and that gzip is kept with the page. The compression middleware's
      // stream per response cost about 1 ms of the event loop each, and the kept copy was
      // compressed a second time.
      let whole: Buffer[] | null = null;
      let wholeBytes = 0;
      let decided = false;
      let gzipped: Buffer | null = null;
      const decide = () => {
        if (decided) return;
        decided = true;
        if (!res.headersSent && gzipsWhole(req, res)) whole = [];
      };
      const hold = (chunk: unknown, encoding: unknown) => {
        if (chunk === undefined || chunk === null || typeof chunk === "function" || !whole) return;
        const buffer = bufferOf(chunk, encoding);
        whole.push(buffer);
        wholeBytes += buffer.length;
      };
      res.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
        streamed = true;
        collect(chunk, encoding);
        decide();
        if (!whole) return write(chunk, encoding, callback);
        hold(chunk, encoding);
        const done = typeof encoding === "function" ? encoding : callback;
        if (typeof done === "function") process.nextTick(done as () => void);
        if (wholeBytes > maxEntryBytes) {
          // Too big to hold: what came so far goes out, and the rest streams (compressed by the middleware).
          const held = Buffer.concat(whole);
          whole = null;
          return write(held);
        }
        return true;
      }) as typeof res.write;
      /**
       * Whether its reader had left when the app ended it: the body may be cut short (an export's
       * stream ends quietly when its reader goes, and Remix's adapter ends the response), so it is
       * not kept. Such a response never finished, and was never kept before pages were kept at end().
       */
      let leftBeforeEnd = false;
      res.end = ((chunk?: unknown, encoding?: unknown, callback?: unknown) => {
        if (readerHasLeft(req, res)) leftBeforeEnd = true;
        collect(chunk, encoding);
        decide();
        if (!whole) {
          const ended = end(chunk, encoding, callback);
          keepRendered();
          return ended;
        }
        hold(chunk, encoding);
        const done = [chunk, encoding, callback].find((arg) => typeof arg === "function");
        const body = Buffer.concat(whole);
        whole = null;
        gzipPage(body, (error, result) => {
          if (error || res.headersSent) {
            end(body, done);
          } else {
            gzipped = result;
            res.setHeader("Content-Encoding", "gzip");
            res.setHeader("Content-Length", result.length);
            end(result, done);
          }
          keepRendered();
        });
        return res;
      }) as typeof res.end;
      // Kept once the app has ended the page (its headers are out and its body whole), not when the
      // response finishes: a reader who reads slowly, or nothing, would hold the page from everyone
      // else until its socket drained (the others waited the whole second, then rendered it again).
      let keptOrNot = false;
      function keepRendered(): void {
        if (keptOrNot) return;
        keptOrNot = true;
        if ((cacheable || staleFigures) && !overflow && !leftBeforeEnd && generationOf(address)?.generation === current) {
          const entry: Entry = {
            status: 200,
            headers: kept,
            body: Buffer.concat(chunks),
            gzip: gzipped,
            bytes: size + (gzipped?.length ?? 0),
            sized: lengthKnown || !streamed,
          };
          if (scoped) {
            if (cacheable) keep(urlKey, { ...entry, generation: current }, true);
          } else {
            forgetOtherGenerations(current);
            if (staleFigures) keep(STALE_PREFIX + key, { ...entry, staleFigures });
            else keep(key, entry);
          }
        }
        settle();
      }
      res.once("finish", keepRendered);
      // Closed before it finished: its reader left (waiters take its render over).
      // (A response queued behind another on its connection, pipelined, would get neither 'finish'
      // nor 'close' if that connection closed: such a request is not captured, above.)
      res.once("close", () => settle(!res.writableFinished));
      next();
    }
  };

  // Plain node:http, so the server can answer it before Express (scripts/serve.ts).
  const generationEndpoint = (req: IncomingMessage, res: ServerResponse) => {
    // Answered outside Express, so nothing would turn a failed read into a 500: the process would
    // die, and nginx asks before every page. A read that fails is a 503 (nginx then serves nothing
    // from its cache, as for a missing generation).
    let current: string | null;
    try {
      current = generationOf(addressOfOriginalUri(req.headers["x-original-uri"]))?.generation ?? null;
    } catch {
      current = null;
    }
    res.statusCode = current === null ? 503 : 204;
    res.setHeader("Cache-Control", "no-store");
    if (current !== null) res.setHeader(GENERATION_HEADER, current);
    res.end();
  };

  return {
    middleware,
    generationEndpoint,
    stats: () => ({ ...counts, entries: entries.size + scopedEntries.size, bytes: bytes + scopedBytes }),
  };
}

interface PageAddress {
  pathname: string;
  search: string;
}

const NO_ADDRESS: PageAddress = { pathname: "", search: "" };

/**
 * The path and query of the page nginx asks the generation of (`X-Original-URI: $request_uri`,
 * decisions 0029 and 0031), or none (the data revision's generation) without one.
 */
function addressOfOriginalUri(header: string | string[] | undefined): PageAddress {
  if (typeof header !== "string" || header.length === 0 || header.length > MAX_URL_LENGTH) return NO_ADDRESS;
  try {
    const url = new URL(header, "http://page.invalid");
    return { pathname: url.pathname, search: url.search };
  } catch {
    return NO_ADDRESS;
  }
}

function bufferOf(chunk: unknown, encoding: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === "string") return Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
  return Buffer.from(chunk as Uint8Array);
}

/** The compression middleware's threshold: a smaller answer is sent as it is. */
const GZIP_MIN_BYTES = 1024;
/** Types gzip makes smaller (text, JSON, XML, SVG, calendars): not PNG, xlsx or other packed formats. */
const COMPRESSIBLE_TYPE = /^(text\/|image\/svg\+xml|application\/(json|javascript|xml|atom\+xml|rss\+xml|[\w.-]+\+(json|xml)))/i;

/**
 * Whether a kept response is gzipped for its hits: as the compression middleware would encode it
 * fresh (a compressible type; at least its threshold when the length was known, since a streamed
 * answer, as Remix's adapter sends one, is compressed whatever its size). Before, a kept PNG card or
 * xlsx export was gzipped (work for nothing, and sent with an encoding its fresh copy did not have).
 * A page (HTML) is gzipped whole whatever its size, fresh or kept.
 */
function worthGzip(entry: Entry): boolean {
  const type = entry.headers["content-type"];
  if (typeof type !== "string") return false;
  // A page is gzipped whole whatever its size (gzipsWhole), fresh or kept.
  if (/^text\/html/i.test(type)) return true;
  return COMPRESSIBLE_TYPE.test(type) && (entry.sized === false || entry.body.length >= GZIP_MIN_BYTES);
}

/** Whether a page rendered to be kept is sent gzipped whole: a 200 of HTML, not encoded yet, to a client taking gzip. */
function gzipsWhole(req: Request, res: Response): boolean {
  const html = String(res.getHeader("Content-Type") ?? "").startsWith("text/html");
  return res.statusCode === 200 && html && res.getHeader("Content-Encoding") === undefined && req.acceptsEncodings("gzip", "identity") === "gzip";
}

/** Whether an If-None-Match header names `etag` (weak comparison, RFC 9110 13.1.2). */
export function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  // "*" would match only if a current representation exists, which only rendering can tell.
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => opaque(tag) === opaque(etag));
}

/** Runs `listener` just before the response's headers are written (as the on-headers package does). */
function onHeaders(res: Response, listener: () => void): void {
  const writeHead = res.writeHead;
  let done = false;
  res.writeHead = function (this: Response, ...args: Parameters<Response["writeHead"]>) {
    if (!done) {
      done = true;
      // writeHead(status, ...) sets the status before headers are decided.
      if (typeof args[0] === "number") this.statusCode = args[0];
      listener();
    }
    return writeHead.apply(this, args);
  } as Response["writeHead"];
}
