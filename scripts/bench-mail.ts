/**
 * `npx tsx scripts/bench-mail.ts --db FILE [--subscribers N] [--events E] [--port P] [--smtp-port S]` (run by
 * `npm run bench -- --mail on|only`): issue 14's measure. On a copy of the bench database it adds
 * N confirmed daily followers (spread over the agencies of E letters) and E events on those letters
 * waiting for today's digest, starts the production server (`build/server.js`, one process) sending
 * to an SMTP server in this process, and measures:
 * - the time from the server's start until every follower's digest has been received, and the
 *   rate;
 * - a letter page and `/` requested every 100 ms meanwhile: p99 and max (the serving rules hold
 *   while the digests are written and sent);
 * - the event loop's delay in the server over the same time (from /healthz).
 * Prints one JSON line: {subscribers, events, digests, seconds, firstAfterSeconds, warmupMs,
 * perSecond, pageP99, pageMax, pageErrors, pages, loopP99, loopMax}. warmupMs: the first `/` and
 * letter page after the start (figures computed cold), asked before the pages are timed.
 */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { Worker } from "node:worker_threads";

const { values: args } = parseArgs({
  options: {
    db: { type: "string" },
    subscribers: { type: "string", default: "10000" },
    events: { type: "string", default: "300" },
    port: { type: "string" },
    /** The SMTP server's port (default: a free one). */
    "smtp-port": { type: "string" },
  },
});
if (!args.db) throw new Error("--db FILE is required");
const SUBSCRIBERS = Number(args.subscribers);
const EVENTS = Number(args.events);
const SOURCE = path.resolve(args.db);
const COPY = path.join(path.dirname(SOURCE), `mail-bench-${path.basename(SOURCE)}`);
const log = (line: string) => process.stderr.write(`${line}\n`);

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function get(url: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const request = http.get(url, { headers: { "accept-encoding": "gzip" }, timeout: 10_000 }, (response) => {
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - started }));
    });
    request.on("timeout", () => request.destroy(new Error("timeout")));
    request.on("error", () => resolve({ status: 0, ms: performance.now() - started }));
  });
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
};

/** The copy: followers and events written straight into it (what a day of follows and changes leaves). */
function prepareCopy(): { digests: number; letterPaths: string[] } {
  const source = new Database(SOURCE);
  source.pragma("wal_checkpoint(TRUNCATE)");
  source.close();
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(COPY + suffix, { force: true });
  fs.copyFileSync(SOURCE, COPY);
  const db = new Database(COPY);
  db.pragma("journal_mode = WAL");
  const now = Date.now();
  const letters = db
    .prepare(
      `SELECT l.id, l.slug, l.title FROM letters l
       WHERE EXISTS (SELECT 1 FROM letter_recipients r WHERE r.letter_id = l.id AND r.agency_id IS NOT NULL)
       ORDER BY l.sent_on DESC LIMIT ?`,
    )
    .all(EVENTS) as Array<{ id: number; slug: string; title: string }>;
  const agencies = db
    .prepare(
      `SELECT DISTINCT a.slug, a.name FROM letter_recipients r JOIN agencies a ON a.id = r.agency_id
       WHERE r.letter_id IN (${letters.map((letter) => letter.id).join(",")}) ORDER BY a.slug`,
    )
    .all() as Array<{ slug: string; name: string }>;
  db.transaction(() => {
    // Old follows, confirmed, whose last digest was yesterday's; a digest hour of 0 is due all day.
    const follow = db.prepare(
      `INSERT INTO follows (email, subject_kind, subject_key, subject_label, cadence, digest_hour, secret, created_at, confirmed_at, last_digest_at)
       VALUES (?, 'agency', ?, ?, 'daily', 0, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const agency = agencies[i % agencies.length]!;
      follow.run(`reader${i}@bench.example`, agency.slug, agency.name, crypto.randomBytes(16).toString("hex"), now - 3 * 86_400_000, now - 3 * 86_400_000, now - 86_400_000);
    }
    // Today's changes: an extension to each letter, an hour ago, not yet fanned out.
    const event = db.prepare(
      `INSERT INTO letter_events (kind, letter_id, letter_slug, letter_title, at, details) VALUES ('deadline_extended', ?, ?, ?, ?, ?)`,
    );
    for (const letter of letters) {
      event.run(letter.id, letter.slug, letter.title, now - 3_600_000, JSON.stringify({ newDeadline: "2027-01-15", grantedOn: "2026-12-01", reason: "Asked for more time" }));
    }
  })();
  db.close();
  return { digests: SUBSCRIBERS, letterPaths: letters.slice(0, 50).map((letter) => `/letters/${letter.slug}`) };
}

async function main() {
  log(`Mail: ${SUBSCRIBERS} daily followers and ${EVENTS} events on a copy of ${path.basename(SOURCE)}`);
  const { digests, letterPaths } = prepareCopy();
  let received = 0;
  let doneAt = 0;
  let firstAt = 0;
  // The SMTP server runs on a thread of its own: taking in hundreds of messages a second on this
  // thread delayed the page requests' own timing, which is what this measures.
  const smtpPort = args["smtp-port"] ? Number(args["smtp-port"]) : await freePort();
  const smtp = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
     const { SMTPServer } = require("smtp-server");
     const server = new SMTPServer({
       authOptional: true, disabledCommands: ["STARTTLS", "AUTH"], logger: false,
       onData(stream, _session, callback) {
         stream.on("data", () => {});
         stream.on("end", () => { parentPort.postMessage("received"); callback(); });
       },
     });
     server.listen(workerData.port, "127.0.0.1", () => parentPort.postMessage("listening"));
     parentPort.on("message", () => server.close(() => parentPort.postMessage("closed")));`,
    { eval: true, workerData: { port: smtpPort } },
  );
  const smtpClosed = new Promise<void>((resolve) => smtp.on("message", (what) => what === "closed" && resolve()));
  await new Promise<void>((resolve, reject) => {
    smtp.once("error", reject);
    smtp.on("message", (what) => {
      if (what === "listening") resolve();
      if (what !== "received") return;
      received += 1;
      if (received === 1) firstAt = performance.now();
      if (received >= digests && !doneAt) doneAt = performance.now();
    });
  });
  const port = args.port ? Number(args.port) : await freePort();
  const base = `http://127.0.0.1:${port}`;
  const logFile = fs.openSync(path.join(path.dirname(SOURCE), "server-mail.log"), "w");
  const started = performance.now();
  // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" (as scripts/bench.ts): profiles of the server's threads.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const server = spawn(process.execPath, [...nodeArgs, path.resolve("build/server.js"), "--workers", "1"], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_PATH: COPY,
      NODE_ENV: "production",
      SEED_DEMO_DATA: "off",
      PUBLIC_URL: base,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      MAIL_FROM: "Bench <bench@bench.example>",
      MAIL_OUTBOX_PATH: path.join(path.dirname(SOURCE), "mail-bench-outbox"),
    },
    stdio: ["ignore", logFile, logFile],
  });
  const stop = () => server.kill("SIGTERM");
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    for (;;) {
      if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}); see bench/server-mail.log`);
      if ((await get(`${base}/healthz`)).status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // The first `/` after a start computes its figures (seconds on 100,000 letters, issue 11), mail
    // or no mail: asked until it answers (a loaded machine may take more than the 10 s a request
    // waits), timed apart (warmupMs), before the pages meanwhile are timed.
    const warmupStarted = performance.now();
    for (let tries = 0; tries < 12 && (await get(`${base}/`)).status !== 200; tries++);
    await get(`${base}${letterPaths[0]!}`);
    const warmup = performance.now() - warmupStarted;
    await get(`${base}/healthz?reset=1`);
    const pages: number[] = [];
    let pageErrors = 0;
    let turn = 0;
    const deadline = performance.now() + 60 * 60_000;
    while (!doneAt && performance.now() < deadline) {
      const address = turn % 2 ? "/" : letterPaths[turn % letterPaths.length]!;
      turn += 1;
      const answer = await get(`${base}${address}`);
      pages.push(answer.ms);
      if (answer.status !== 200) pageErrors += 1;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - answer.ms)));
      if (turn % 100 === 0) log(`  ${received} of ${digests} digests received`);
    }
    const health = await new Promise<{ eventLoopDelayMs?: { p99: number; max: number } }>((resolve) => {
      http.get(`${base}/healthz`, (response) => {
        let body = "";
        response.on("data", (chunk) => (body += chunk));
        response.on("end", () => resolve(JSON.parse(body)));
      });
    });
    const seconds = ((doneAt || performance.now()) - started) / 1000;
    const result = {
      subscribers: SUBSCRIBERS,
      events: EVENTS,
      digests: received,
      seconds,
      firstAfterSeconds: firstAt ? (firstAt - started) / 1000 : null,
      warmupMs: warmup,
      perSecond: received / seconds,
      pages: pages.length,
      pageP99: percentile(pages, 99),
      pageMax: pages.length ? Math.max(...pages) : null,
      pageErrors,
      loopP99: health.eventLoopDelayMs?.p99 ?? null,
      loopMax: health.eventLoopDelayMs?.max ?? null,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    stop();
    await new Promise((resolve) => server.once("exit", resolve));
    smtp.postMessage("close");
    await smtpClosed;
    await smtp.terminate();
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(COPY + suffix, { force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
