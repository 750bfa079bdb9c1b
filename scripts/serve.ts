/**
 * The production (and dev) server: checks the environment, migrates, seeds the demo letters into
 * an empty database, then serves the Remix build. Before Remix, every request gets a log line with
 * its timing, security headers with a fresh CSP nonce, and cross-site writes are refused; GET
 * /healthz reports on the database. SIGTERM finishes open requests and closes the database.
 */
import crypto from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { isCrossSiteWrite, securityHeaders } from "~/utils/http-security";
import { env } from "~/env.server";
import { writableWaiter } from "~/utils/http.server";
import { ensureInitialAdmin } from "~/models/users.server";
import { closeDb, openDatabase } from "../db/client.server";
import { createHealthCheck } from "../db/health.server";
import { runMigrations } from "../db/migrate.server";
import { seedDemoDataIfEmpty } from "../db/seed.server";
import { createShutdown } from "./graceful-shutdown";

async function bootstrapDatabase(databasePath: string, seed: boolean): Promise<void> {
  // A short-lived connection: the app opens its own single connection on first request.
  const db = openDatabase(databasePath);
  try {
    runMigrations(db);
    if (seed && seedDemoDataIfEmpty({ db })) {
      console.log(`Seeded the demo letters into ${databasePath}`);
    }
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

async function main() {
  await bootstrapDatabase(env.DATABASE_PATH, env.SEED_DEMO_DATA);

  const buildPath = path.resolve("build/index.js");
  const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
  const health = createHealthCheck(env.DATABASE_PATH);
  const production = env.NODE_ENV === "production";

  const app = express();
  app.disable("x-powered-by");
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      console.log(`${req.method} ${req.originalUrl} ${res.statusCode} ${ms.toFixed(1)}ms`);
    });
    next();
  });
  app.use((req, res, next) => {
    const nonce = crypto.randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    res.set(securityHeaders({ nonce, production }));
    if (shutdownState.isShuttingDown()) res.set("Connection", "close");
    if (
      isCrossSiteWrite({
        method: req.method,
        host: req.headers.host,
        origin: req.get("origin"),
        secFetchSite: req.get("sec-fetch-site"),
      })
    ) {
      res.status(403).type("text/plain").send("Cross-site requests that change data are refused.");
      return;
    }
    next();
  });
  app.use(compression());
  app.get("/healthz", (_req, res) => {
    const result = health.check();
    res.status(result.ok ? 200 : 503).set("Cache-Control", "no-store").json(result);
  });
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: env.NODE_ENV,
      getLoadContext: (req, res) => ({
        // The socket's address (no proxy is trusted): sign-in throttling counts per address.
        clientAddress: req.socket.remoteAddress ?? "unknown",
        // Streamed exports wait on this between chunks (app/models/http.server.ts).
        waitForWritable: writableWaiter(res),
        // The Content-Security-Policy nonce of this response (app/domain/http-security.ts).
        cspNonce: res.locals.cspNonce as string,
      }),
    }),
  );

  const server = app.listen(env.PORT, () => {
    console.log(`Oversight Letter Tracker listening on http://localhost:${env.PORT}`);
    if (env.NODE_ENV === "development") void broadcastDevReady(build);
  });

  const shutdownState = createShutdown({
    server,
    closeResources: () => {
      health.close();
      closeDb();
    },
  });
  process.on("SIGTERM", () => shutdownState.shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdownState.shutdown("SIGINT"));
}

void main();
