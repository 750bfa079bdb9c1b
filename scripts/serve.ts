/**
 * The production (and dev) server: checks the environment, migrates, seeds the demo letters into
 * an empty database, then serves the Remix build. Before Remix, every request gets a log line with
 * its timing, security headers with a fresh CSP nonce, cross-site writes are refused and bodies
 * are held to their size limits (413); GET
 * /healthz reports on the database. SIGTERM finishes open requests and closes the database.
 */
import { installBuildVersion } from "~/utils/build-version.server";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import type { GetLoadContextFunction } from "@remix-run/express";
import { dataRequestBuild, isDataRequest } from "~/utils/data-requests.server";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import express from "express";
import { compressionAsForGet } from "~/utils/compression.server";
import { clientOf } from "~/utils/connection.server";
import { isCrossSiteWrite, securityHeaders } from "~/utils/http-security";
import { addressedHost, allowedMethods, refuseHosts, refuseRequest, refuseSubmission, requestTargetOf, type Refusal } from "~/domain/request-guard";
import { submissionTargets } from "~/utils/route-methods.server";
// Remix's Express adapter with the request's URL built right (an IPv6 Host kept its port).
import { createRequestHandler } from "~/utils/remix-handler.server";
import { enforceBodyLimits } from "~/utils/body-limit.server";
import { env } from "~/env.server";
import { writableWaiter } from "~/utils/http.server";
import { answerUnreadableRequest } from "~/utils/unreadable-request.server";
import { ensureInitialAdmin } from "~/models/users.server";
import { dataRevision } from "~/models/figure-cache.server";
import { figureVersion } from "~/models/figure-store.server";
import { today } from "~/domain/dates";
import { createPageCache, generationBuild } from "~/utils/page-cache.server";
import { pageRevisionOf } from "~/models/page-generations.server";
import { appSecret } from "~/models/app-secrets.server";
import { createReadPool, installReadPool, type ReadPool } from "~/utils/read-pool.server";
import { createThreadRenderer } from "~/utils/page-render.server";
import { renderLaneOf } from "~/domain/render-lane";
import { closeExportWorkers, installExportWorkers } from "~/utils/export-workers.server";
import { runWithWriteGate, waitForWriteGate, WRITE_GATE_RETRY_AFTER_SECONDS } from "~/utils/write-gate.server";
import { backfillStateHistoryInWorker } from "~/utils/write-worker.server";
import { stateHistoryComplete } from "~/models/letter-state.server";
import { closeDb, openDatabase } from "../db/client.server";
import { createHealthCheck } from "../db/health.server";
import { runMigrations } from "../db/migrate.server";
import { seedDemoDataIfEmpty } from "../db/seed.server";
import { startDocumentJobs, stopDocumentJobs } from "~/models/document-jobs.server";
import { startMailSender, stopMailSender } from "~/utils/mail-sender.server";
import { sweepOrphanDocuments } from "~/models/documents.server";
import { closeDocumentExtraction } from "~/utils/document-extract.server";
import { createRequestAdmission } from "~/utils/request-admission.server";
import { listen, startProcesses } from "./cluster";
import { createShutdown } from "./graceful-shutdown";

/** Whether the request carries a session cookie (valid or not: either way, store nothing). */
function hasSessionCookie(cookieHeader: string | undefined): boolean {
  // Deliberately wider than any cookie parser: a name with spaces around it ("tracker_session =
  // x") is a session to Remix's parser, so anything that mentions the name counts as signed in.
  return /tracker_session/i.test(cookieHeader ?? "");
}

async function bootstrapDatabase(databasePath: string, seed: boolean): Promise<void> {
  // A short-lived connection: the app opens its own single connection on first request.
  const db = openDatabase(databasePath);
  try {
    runMigrations(db);
    if (seed && seedDemoDataIfEmpty({ db })) {
      console.log(`Seeded the demo letters into ${databasePath}`);
    }
    // Documents no letter or response refers to (uploads abandoned a day ago, files left by a crash).
    const swept = sweepOrphanDocuments({ db });
    if (swept.rows + swept.files > 0) console.log(`Removed ${swept.rows} unattached document(s) and ${swept.files} stray file(s) from ${env.FILES_PATH}`);
    const admin = await ensureInitialAdmin({ db, email: env.ADMIN_EMAIL });
    if (admin) {
      // The console only, never a page: whoever starts the server is trusted with it.
      console.log(
        `Created the first admin account: ${admin.email}\n` +
          `One-time password (shown once; you will choose a new one at sign-in): ${admin.password}`,
      );
    }
  } finally {
    db.$client.close();
  }
}

/**
 * A database that had letters before the state history existed (decision 13) is backfilled on a
 * writer thread, batch by batch, while the server serves; past-date pages compute the state from
 * the facts until it is complete. Once per start, in the process that bootstrapped the database.
 */
function startStateHistoryBackfill(databasePath: string): void {
  const db = openDatabase(databasePath);
  let complete: boolean;
  try {
    complete = stateHistoryComplete(db);
  } finally {
    db.$client.close();
  }
  if (complete) return;
  console.log("Writing the state history of every letter (past dates are computed from the facts until it is done)");
  backfillStateHistoryInWorker().then(
    () => console.log("The state history of every letter is written"),
    (error: Error) => console.error(`The state history's backfill stopped: ${error.message} (it resumes at the next start)`),
  );
}

async function main() {
  // One process, or a primary that bootstraps once and supervises workers (scripts/cluster.ts).
  const role = await startProcesses({
    argv: process.argv.slice(2),
    bootstrap: async () => {
      await bootstrapDatabase(env.DATABASE_PATH, env.SEED_DEMO_DATA);
      startStateHistoryBackfill(env.DATABASE_PATH);
    },
  });
  if (role === "primary") return;

  const buildPath = path.resolve("build/index.js");
  const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
  installBuildVersion(build.assets.version);
  const health = createHealthCheck(env.DATABASE_PATH);
  const production = env.NODE_ENV === "production";
  const readPool = startReadPool(buildPath, env.NODE_ENV === "production");
  // Uploaded documents' text extraction: jobs waiting, or left running by a process that died.
  startDocumentJobs();
  // Follow messages: one process at a time sends them, by a lease (decision 0016).
  startMailSender();
  startExportWorkers();
  const requestAdmission = createRequestAdmission({ perClient: env.APP_REQUESTS_PER_CLIENT, total: env.APP_REQUESTS_QUEUE });
  const pageCache = createPageCache({
    buildVersion: generationBuild(build.assets.version, { PUBLIC_URL: env.PUBLIC_URL, DEFAULT_RESPONSE_DAYS: env.DEFAULT_RESPONSE_DAYS }),
    state: () => {
      const revision = dataRevision();
      return revision === null ? null : { revision, day: today() };
    },
    today,
    publicRead: env.PUBLIC_READ,
    generationKey: appSecret("cache-generation"),
    signedIn: (req) => hasSessionCookie(req.headers.cookie),
    keepResponses: env.PAGE_CACHE,
    figureVersion,
    // A letter's page (and card, badge) is kept under the letter's own revisions (decision 0029),
    // any other page of a past date under that day's history revision (decision 0031).
    pageRevision: (pathname, search) => pageRevisionOf(pathname, search, today()),
  });
  // How long callbacks wait for the event loop: what every visitor waits on top of their own work.
  const eventLoopDelay = monitorEventLoopDelay({ resolution: 10 });
  eventLoopDelay.enable();

  const app = express();
  app.disable("x-powered-by");
  // The client's address for sign-in throttling: X-Forwarded-For only from trusted proxies.
  app.set("trust proxy", env.TRUST_PROXY);
  /** Whether a peer at `address` is a proxy the app trusts (TRUST_PROXY), as Express decides it. */
  const trustsProxy = (address: string | undefined): boolean =>
    env.TRUST_PROXY !== false && (app.get("trust proxy fn") as (address: string | undefined, hop: number) => boolean)(address, 0);
  // The server and its shutdown exist before any middleware that asks whether it is shutting down.
  // nginx asks for the cache generation before every page it serves (deploy/nginx.conf): that
  // answer is the floor of every cached page's rate through nginx, so it is given here, before
  // Express, its request log and every middleware (no body, no page, nothing to guard or gate).
  const server = http.createServer((req, res) => {
    const refuse = (refusal: Refusal) => {
      res.writeHead(refusal.status, { ...refusal.headers, "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" });
      res.end(refusal.message);
    };
    // An absolute-form request line ("GET http://host/letters HTTP/1.1") is served as its path on
    // its host; a target that is neither that nor a path is refused (app/domain/request-guard.ts).
    if (!req.url?.startsWith("/")) {
      const target = requestTargetOf(req.url ?? "", req.method ?? "");
      if ("status" in target) return refuse(target);
      req.url = target.path;
      if (target.host !== null) req.headers.host = target.host;
    }
    // The generation check reads only X-Original-URI: answered before the host checks, which would
    // refuse a Host or X-Forwarded-Proto of nginx's client (passed on to the check as sent) with a
    // 400 that nginx's auth_request turns into its own 500, for a page the app serves (nginx sets
    // the page's X-Forwarded-Proto) or refuses itself with a message naming the header.
    if (req.method === "GET" && req.url === "/_generation") return pageCache.generationEndpoint(req, res);
    // X-Forwarded-Host from a client the app does not trust as a proxy (TRUST_PROXY) is dropped, as
    // Express ignores it for req.hostname: kept, the origin check below (and Remix's own) compared
    // a form's Origin with it instead of Host, and a stray one refused a same-site write with 403.
    if ((req.headers["x-forwarded-host"] !== undefined || req.headers["x-forwarded-proto"] !== undefined) && !trustsProxy(req.socket.remoteAddress)) {
      // X-Forwarded-Proto likewise: Express reads it only from a trusted proxy.
      delete req.headers["x-forwarded-host"];
      delete req.headers["x-forwarded-proto"];
    }
    // A Host or X-Forwarded-Host that is not a host (or, from a trusted proxy, a forwarded scheme
    // that is not http or https): 400, before anything builds a URL from it. Those headers from any
    // other client were dropped above: ignored, not refused.
    const badHost = refuseHosts({
      host: req.headers.host,
      forwardedHost: req.headers["x-forwarded-host"],
      forwardedProto: req.headers["x-forwarded-proto"],
    });
    if (badHost) return refuse(badHost);
    // Host names are case-insensitive, but Remix's own origin check compares them as sent with a
    // form's Origin (which browsers send in lower case): lower-cased here, so `Host: LOCALHOST` does
    // not fail a same-site form there (the guards below take addressedHost's, lower-cased already).
    if (req.headers.host) req.headers.host = req.headers.host.toLowerCase();
    if (typeof req.headers["x-forwarded-host"] === "string") req.headers["x-forwarded-host"] = req.headers["x-forwarded-host"].toLowerCase();
    app(req, res);
  });
  // A request Node cannot read is answered with a message saying what was wrong, after the
  // responses to the requests before it on its connection (app/utils/unreadable-request.server.ts).
  server.on("clientError", answerUnreadableRequest);
  const shutdownState = createShutdown({
    server,
    // Reads waiting in the pool would hold the shutdown up for their whole queue: they are answered
    // 503 with Retry-After at once (another process, or this one restarted, serves the retry).
    beginShutdown: () => readPool?.drain(),
    closeResources: async () => {
      // Jobs this process runs go back to the queue: the next process takes them up at once.
      stopDocumentJobs();
      await stopMailSender().catch(() => {});
      await closeDocumentExtraction().catch(() => {});
      health.close();
      // The pool's and export threads' connections close first: the last connection to close
      // checkpoints the write-ahead log and removes it.
      await Promise.all([readPool?.close(), closeExportWorkers()]);
      closeDb();
    },
  });
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      console.log(`${req.method} ${req.originalUrl} ${res.statusCode} ${ms.toFixed(1)}ms`);
    });
    next();
  });
  // HEAD /_generation and GET /_generation?anything (the fast path above takes the exact GET).
  app.get("/_generation", pageCache.generationEndpoint);
  // Whether the route a submission to an address would run has an action (from the build's routes):
  // the Allow of every 405, and a POST to a route without one refused below, once for all routes.
  const hasAction = submissionTargets(build);
  app.use((req, res, next) => {
    // Methods other than GET, HEAD and POST (TRACE, PROPFIND, ...), and posts that are not forms,
    // are refused here, before they can reach the app (app/domain/request-guard.ts).
    // `?_data` (Remix v2's data request) is answered before single fetch's PATH.data: a HEAD runs the
    // loader there, as its GET does.
    const dataRequest = isDataRequest(req.originalUrl);
    res.locals.dataRequest = dataRequest;
    const readOnly = req.method === "GET" || (req.method === "HEAD" && (dataRequest || !req.path.endsWith(".data")));
    const writable = readOnly ? undefined : (hasAction(req.originalUrl) ?? undefined);
    res.locals.writable = writable;
    const refusal = refuseRequest({
      method: req.method,
      path: req.path,
      contentType: req.get("content-type"),
      origin: req.get("origin"),
      host: req.get("host"),
      forwardedHost: req.get("x-forwarded-host"),
      writable,
      dataRequest,
    });
    if (refusal) {
      res.status(refusal.status).set(refusal.headers ?? {}).type("text/plain").send(refusal.message);
      return;
    }
    next();
  });
  // Every body has a limit (app/domain/body-limits.ts), enforced while it is read: 413 as soon as
  // a request is over it, before anything buffers it.
  app.use(enforceBodyLimits);
  app.use((req, res, next) => {
    const nonce = crypto.randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    res.set(securityHeaders({ nonce, production, path: req.path }));
    if (shutdownState.isShuttingDown()) res.set("Connection", "close");
    if (
      isCrossSiteWrite({
        method: req.method,
        // The host the form was addressed as: a trusted proxy's (an untrusted one was dropped above).
        host: addressedHost({ host: req.headers.host, forwardedHost: req.get("x-forwarded-host") }) ?? undefined,
        origin: req.get("origin"),
        secFetchSite: req.get("sec-fetch-site"),
      })
    ) {
      res.status(403).type("text/plain").send("Cross-site requests that change data are refused.");
      return;
    }
    // A POST to a route without an action: 405 with its Allow (a `?_data` request's in Remix's JSON
    // form); a single-fetch address's 405 is Remix's own (its client reads it), with the Allow added here.
    const writable = res.locals.writable as boolean | undefined;
    const dataRequest = res.locals.dataRequest === true;
    const refusal = refuseSubmission({ method: req.method, path: req.path, writable, dataRequest });
    if (refusal) {
      res.status(refusal.status).type("text/plain").set(refusal.headers ?? {}).send(refusal.message);
      return;
    }
    if (req.method === "POST" && writable === false) res.set("Allow", allowedMethods(false, req.path, dataRequest));
    next();
  });
  // A HEAD is told the encoding its GET is sent with (app/utils/compression.server.ts). A bulk data
  // file's HEAD builds no package, so it may not know the file's length: those files are compressed
  // whatever their size, so that the length (under 1 kB, plain) decides nothing the HEAD cannot.
  app.use(compressionAsForGet({ anySize: (req) => /^\/data\//i.test(req.path) }));
  // The bulk-write gate (app/utils/write-gate.server.ts): while an import is being written, a
  // request that may write waits here, off the event loop, for at most WRITE_GATE_WAIT_MS; then it
  // goes on, and a write it tries is refused: 503 with Retry-After, a letter form coming back with
  // what was typed. (GETs write nothing but shared figures, which are skipped meanwhile.)
  app.use((req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD") return next();
    const gone = new AbortController();
    res.on("close", () => gone.abort());
    void waitForWriteGate({ maxWaitMs: env.WRITE_GATE_WAIT_MS, signal: gone.signal }).then(
      () => {
        if (gone.signal.aborted) return;
        let refused = false;
        const writeHead = res.writeHead;
        res.writeHead = function (this: typeof res, ...args: Parameters<typeof res.writeHead>) {
          if (refused) args[0] = 503;
          return writeHead.apply(this, args);
        } as typeof res.writeHead;
        const onRefused = () => {
          refused = true;
          res.locals.doNotCache = true;
          if (!res.headersSent) res.set({ "Retry-After": String(WRITE_GATE_RETRY_AFTER_SECONDS), "Cache-Control": "no-store" });
        };
        runWithWriteGate({ onRefused }, () => next());
      },
      (error: unknown) => next(error),
    );
  });
  app.get("/healthz", (req, res) => {
    const result = health.check();
    const ms = (nanoseconds: number) => Math.round(nanoseconds / 1e4) / 100;
    const load = {
      // Since the start, or since the last ?reset=1 from this machine (the benchmark's phases).
      eventLoopDelayMs: {
        p50: ms(eventLoopDelay.percentile(50)),
        p99: ms(eventLoopDelay.percentile(99)),
        max: ms(eventLoopDelay.max),
      },
      readPool: readPool?.stats() ?? null,
      pageCache: pageCache.stats(),
      requestsInFlight: requestAdmission.inFlight(),
    };
    if (req.query.reset === "1" && isLoopback(req.socket.remoteAddress)) eventLoopDelay.reset();
    res.status(result.ok ? 200 : 503).set("Cache-Control", "no-store").json({ ...result, ...load });
  });
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  // The few files at public's top level (the favicon), each by its own path: a static handler on
  // every request would look each page's address up on disk first.
  const publicFiles = express.static("public", { maxAge: "1h" });
  for (const name of fs.readdirSync("public")) {
    if (name !== "build" && fs.statSync(path.join("public", name)).isFile()) app.get(`/${name}`, publicFiles);
  }
  // Behind a proxy on this machine (nginx) with TRUST_PROXY off, every visitor is the proxy's
  // address, and shares one address's sign-in throttle, APP_REQUESTS_PER_CLIENT and
  // READ_POOL_PER_CLIENT (attack 27: 80 readers through nginx, 27 refused): said once in the log.
  let warnedOfUntrustedProxy = false;
  app.use((req, _res, next) => {
    if (!warnedOfUntrustedProxy && env.TRUST_PROXY === false && req.headers["x-forwarded-for"] !== undefined && isLoopback(req.socket.remoteAddress)) {
      warnedOfUntrustedProxy = true;
      console.warn(
        "Requests come through a proxy on this machine (X-Forwarded-For from a loopback address) but TRUST_PROXY is off: every visitor counts as that one address for sign-in throttling and the per-client limits (APP_REQUESTS_PER_CLIENT, READ_POOL_PER_CLIENT). Behind the bundled nginx, set TRUST_PROXY=loopback.",
      );
    }
    next();
  });
  app.use((_req, res, next) => {
    // Pages differ by sign-in: shared caches keep them apart by cookie.
    res.vary("Cookie");
    next();
  });
  // ETag, 304 and Cache-Control for anonymous reads, rendered pages kept until the data or the
  // day changes, private/no-store for signed-in ones (app/utils/page-cache.server.ts).
  app.use(pageCache.middleware);
  const getLoadContext: GetLoadContextFunction = (req, res) => ({
    // The socket's address, or X-Forwarded-For's as far as TRUST_PROXY trusts it, IPv6 by its /64:
    // sign-in throttling and the other per-client limits count by it.
    clientAddress: clientOf(req),
    // Streamed exports wait on this between chunks (app/utils/http.server.ts).
    waitForWritable: writableWaiter(res),
    // Aborts when the reader leaves before the answer is sent (app/utils/remix-handler.server.ts).
    readerLeft: res.locals.readerLeft as AbortSignal | undefined,
    // The Content-Security-Policy nonce of this response (app/utils/http-security.ts).
    cspNonce: res.locals.cspNonce as string,
    setResponseHeader: (name: string, value: string) => {
      if (!res.headersSent) res.setHeader(name, value);
    },
    doNotCache: () => {
      res.locals.doNotCache = true;
    },
    usesStaleFigures: (key: string, version: number) => {
      ((res.locals.staleFigures ??= []) as Array<[string, number]>).push([key, version]);
    },
  });
  const remix = createRequestHandler({ build, mode: env.NODE_ENV, getLoadContext });
  // Anonymous lists, searches and past days' pages are rendered whole on the pool's render threads,
  // or its heavy threads when their read is heavy (decision 0037, app/domain/render-lane.ts): on
  // the event loop their renders held every cheap page requested meanwhile. After the page cache:
  // a kept page costs a lookup wherever it was made.
  const renderOnThread = readPool?.renders ? createThreadRenderer({ pool: readPool, exposeThread: env.EXPOSE_WORKER_ID }) : null;
  if (renderOnThread) {
    app.use((req, res, next) => {
      const lane = renderLaneOf({
        method: req.method,
        pathname: req.path,
        search: req.originalUrl.includes("?") ? req.originalUrl.slice(req.originalUrl.indexOf("?")) : "",
        today: today(),
        signedIn: hasSessionCookie(req.headers.cookie),
        dataRequest: isDataRequest(req.originalUrl),
      });
      if (!lane) return next();
      void renderOnThread(req, res, next, lane);
    });
  }
  // What is left for the event loop is work: at most APP_REQUESTS_PER_CLIENT of one address's reads
  // at once, then 503 with Retry-After (attack 26: 800 letter pages made unique by `?w=N` held the
  // event loop 5 s). After the page cache (kept pages and 304s never count) and after the render
  // lane, which admits its pages itself and shares one render among a crowd at one slow page (60
  // readers behind one address at a past day's page were 16 served, 44 refused here: attack 27).
  app.use(requestAdmission.middleware);
  // `?_data=<route id>` (Remix's data requests without single fetch) get their route's data as JSON,
  // not single fetch's empty 200 (app/utils/data-requests.server.ts). After the page cache: an
  // anonymous one is kept like any page, under its own address.
  const remixData = createRequestHandler({ build: dataRequestBuild(build), mode: env.NODE_ENV, getLoadContext });
  app.all("*", (req, res, next) => (isDataRequest(req.originalUrl) ? remixData(req, res, next) : remix(req, res, next)));

  // Not before the read threads can take work: a process (re)started under load would otherwise
  // accept visitors while its threads still load their bundles, and queue them all.
  // A thread whose bundle fails to load fails every read it would take: stop, with a message
  // rather than an unhandled rejection's stack (scripts/cluster.ts stops a worker that never listened).
  const threadsReady = await Promise.resolve(readPool ? readPool.ready({ timeoutMs: READ_POOL_READY_TIMEOUT_MS }) : true).catch((error: unknown) => {
    console.error(`The read pool's threads could not load build/read-worker.js (run \`npm run build\`): ${error instanceof Error ? error.message : String(error)}. Not starting.`);
    process.exit(1);
  });
  if (!threadsReady) {
    console.warn(`The read pool's threads were not all ready after ${READ_POOL_READY_TIMEOUT_MS / 1000} s; listening anyway.`);
  }
  listen(server, env.PORT, role, () => {
    if (env.NODE_ENV === "development") void broadcastDevReady(build);
  });
  process.on("SIGTERM", () => shutdownState.shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdownState.shutdown("SIGINT"));
}

/**
 * The read pool's worker threads (app/utils/read-pool.server.ts), from the worker bundle `npm run
 * build` makes; without it (READ_POOL_THREADS=0, or a dev run without a build) reads run inline.
 */
const READ_POOL_READY_TIMEOUT_MS = 60_000;

function startReadPool(buildPath: string, production: boolean): ReadPool | null {
  const filename = path.resolve("build/read-worker.js");
  if (env.READ_POOL_THREADS === 0) return null;
  if (!fs.existsSync(filename)) {
    console.warn(`No ${filename}: expensive reads run on the event loop (run \`npm run build\`).`);
    return null;
  }
  const pool = createReadPool({
    filename,
    threads: env.READ_POOL_THREADS,
    perClient: env.READ_POOL_PER_CLIENT,
    maxInFlight: env.READ_POOL_QUEUE,
    heavyThreads: env.READ_POOL_HEAVY_THREADS,
    heavyMaxInFlight: env.READ_POOL_HEAVY_QUEUE,
    heavyMaxWaitMs: env.READ_POOL_HEAVY_MAX_WAIT_MS === 0 ? undefined : env.READ_POOL_HEAVY_MAX_WAIT_MS,
    backgroundThreads: env.READ_POOL_BACKGROUND_THREADS,
    // Not in development: the threads would keep the build they loaded through every rebuild.
    renderThreads: production ? env.READ_POOL_RENDER_THREADS : 0,
    renderMaxWaitMs: env.READ_POOL_RENDER_MAX_WAIT_MS === 0 ? undefined : env.READ_POOL_RENDER_MAX_WAIT_MS,
    renderBuild: buildPath,
    renderNice: env.READ_POOL_RENDER_NICE,
    heavyNice: env.READ_POOL_HEAVY_NICE,
  });
  installReadPool(pool);
  return pool;
}

/** Exports in threads of their own (app/utils/export-workers.server.ts), from the worker bundle. */
function startExportWorkers(): void {
  const filename = path.resolve("build/export-worker.js");
  if (env.EXPORT_WORKERS === 0 || !fs.existsSync(filename)) return;
  installExportWorkers({ filename, maxConcurrent: env.EXPORT_WORKERS, perClient: 2 });
}

function isLoopback(address: string | undefined): boolean {
  return address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";
}

void main();
