/**
 * `npm run bench [-- --letters N] [--seed S] [--duration SEC] [--samples K] [--connections C]
 *   [--workers W] [--nginx on|off] [--single on|off] [--documents on|off|only] [--port P] [--phases LIST] [--warmup S]`
 *
 * `--phases` (default: all) runs a subset, comma-separated: pages (each page against its SQL floor,
 * and its weight), export, load (autocannon idle and during exports), costs (the CPU each kind of
 * the mixed load's requests costs, one at a time, computed and kept), throughput (issue 11's `/`
 * and letter page against /healthz or static), mixed, heavy, body; e.g. `--phases mixed --workers 1
 * --nginx off --documents off` to iterate on the mixed load alone.
 *
 * Builds (or reuses) bench/synthetic-N-seed-S.db, starts the production server on it and measures,
 * side by side in one run (docs/performance.md says how and what the targets are):
 * - p50/p95 of each page against the same SQL run directly through better-sqlite3 (the model
 *   functions the page's loader calls, on a separate connection): the floor;
 * - throughput and peak server memory of the full questions export against `sqlite3 -csv` writing
 *   the same columns: the floor;
 * - requests/s and p99 of `/` and `/letters` under autocannon (a second process, 50 connections),
 *   idle and again while full exports run back to back;
 * - issue 11, "no visitor waits", with one process and with `--workers W` (default 2), each direct
 *   and through nginx: a mixed anonymous load with an editor saving every second and a full export
 *   running (errors, p99, p99 of cheap pages, the CPU each request cost and the least mean latency
 *   the machine's cores allow at that cost: scripts/bench-cpu.ts); `/` and a letter page against /healthz (direct) and
 *   against nginx serving the same bytes as a static file; a letter page every 100 ms while twelve
 *   heavy requests run; a 50 MB body refused with 413 and the server's memory growth; the event
 *   loop's delay under each load (from /healthz); each page's weight;
 * - issue 12, documents (scripts/bench-documents.ts; `--documents only` runs just this phase): a
 *   5-page text PDF to a proposal, a 2-page scan through OCR, letter pages' p99 during an OCR;
 * - issue 14, mail (scripts/bench-mail.ts, on a copy of the database; `--mail only` runs just this
 *   phase): a day's digest to `--subscribers` followers sent through SMTP, and a letter page and
 *   `/` every 100 ms meanwhile.
 * Prints a table and writes bench/results.json: {"letters": N, "results": [{name, value, unit,
 * baseline, ratio}]}. Routes that do not exist yet are reported as "missing (404)"; a phase this
 * checkout cannot run (no `--workers` in the server, no nginx) is reported as "not available".
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { LoadMixEntry, LoadPlan, LoadResult } from "./bench-load";
import { NGINX_BINARY, startNginx, type RunningNginx } from "./bench-nginx";
import { measureDocuments } from "./bench-documents";
import { TICKS_PER_SECOND, capacityBound, cpuSnapshot, cpuUseBetween, sampleThreadsByNice, treeTicks, type CpuUse } from "./bench-cpu";
import { EXPORT_THREAD_NICE, HEAVY_THREAD_NICE, WORKER_THREAD_NICE } from "../app/utils/thread-priority.server";

const { values: args } = parseArgs({
  options: {
    letters: { type: "string", default: "100000" },
    seed: { type: "string", default: "1" },
    duration: { type: "string", default: "20" },
    connections: { type: "string", default: "50" },
    samples: { type: "string", default: "30" },
    /** The app processes of the second round (`node build/server.js --workers W`); 1 skips it. */
    workers: { type: "string", default: "2" },
    nginx: { type: "string", default: "on" },
    /** `off` skips the one-process modes (the server still starts, for the addresses and the costs). */
    single: { type: "string", default: "on" },
    /** Issue 12's documents phase: `on`, `off`, or `only` (skips every other phase). */
    documents: { type: "string", default: "on" },
    /** Issue 14's mail phase (scripts/bench-mail.ts): `on`, `off`, or `only`. */
    mail: { type: "string", default: "on" },
    /** Daily followers in the mail phase. */
    subscribers: { type: "string", default: "10000" },
    /** A subset of the phases, comma-separated (see above); default every one. */
    phases: { type: "string", default: "pages,export,load,costs,throughput,mixed,heavy,body" },
    /** The one-process server's port (default: a free one). */
    port: { type: "string" },
    /**
     * Seconds of the mixed load before its measured duration: what 50 connections starting at the
     * same instant meet is reported apart (`mixed load warm-up ...`), not in the steady state's figures.
     */
    warmup: { type: "string", default: "5" },
  },
});
const LETTERS = Number(args.letters);
const SEED = Number(args.seed);
const DURATION = Number(args.duration);
const WARMUP = Number(args.warmup);
const CONNECTIONS = Number(args.connections);
const SAMPLES = Number(args.samples);
const WORKERS = Number(args.workers);
const WITH_NGINX = args.nginx !== "off";
const SINGLE = args.single !== "off";
const PHASES = new Set(args.phases.split(",").map((name) => name.trim()));
for (const name of PHASES) {
  if (!["pages", "export", "load", "costs", "throughput", "mixed", "heavy", "body"].includes(name)) throw new Error(`--phases: "${name}" is not a phase`);
}
const DOCUMENTS = args.documents as "on" | "off" | "only";
const MAIL = args.mail as "on" | "off" | "only";
if (!["on", "off", "only"].includes(MAIL)) throw new Error(`--mail: "${args.mail}" is not one of on, off, only`);
if (!["on", "off", "only"].includes(DOCUMENTS)) throw new Error(`--documents: "${args.documents}" is not one of on, off, only`);
const BENCH_DIR = path.resolve("bench");
const DB_FILE = path.join(BENCH_DIR, `synthetic-${LETTERS}-seed-${SEED}.db`);
/** Issue 11's targets. */
const TARGET = {
  mixedP99Ms: 250,
  cheapP99Ms: 100,
  pageVsHealthz: 0.5,
  pageVsStatic: 0.5,
  probeMaxMs: 100,
  bodyGrowthMb: 16,
  pageWeightKb: 60,
};
/** Twelve heavy requests in flight at once; a letter page every 100 ms meanwhile. */
const HEAVY_SLOTS = 12;
const PROBE_INTERVAL_MS = 100;
const BIG_BODY_BYTES = 50 * 1024 * 1024;

// The model functions read env.DATABASE_PATH when first imported: point it at the bench database
// before importing anything from the app.
process.env.DATABASE_PATH = DB_FILE;
process.env.NODE_ENV = "production";
process.env.SEED_DEMO_DATA = "off";
// The floor is the SQL itself, so this process recomputes every time; the server keeps its cache.
process.env.FIGURE_CACHE = "off";

interface Result {
  name: string;
  value: number | null;
  unit: string;
  baseline: number | null;
  ratio: number | null;
}
interface Row extends Result {
  target: string;
  pass: boolean | null;
}

const rows: Row[] = [];

/** Every process the bench starts, so that an interrupted bench (Ctrl-C, SIGTERM) stops them too. */
const children = new Set<ChildProcess>();
function started(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    for (const child of children) child.kill("SIGTERM");
    // After the signal's other listeners (bench-nginx.ts stops nginx in its own).
    process.nextTick(() => process.exit(130));
  });
}
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function record(
  name: string,
  value: number | null,
  unit: string,
  baseline: number | null,
  target = "",
  pass: boolean | null = null,
  ratio: number | null = value !== null && baseline ? value / baseline : null,
): void {
  rows.push({
    name,
    value: value === null ? null : round(value),
    unit,
    baseline: baseline === null ? null : round(baseline),
    ratio: ratio === null ? null : round(ratio, 2),
    target,
    pass,
  });
  savePartial();
}

/** Every figure so far, in bench/results.partial.json: a run stopped half-way keeps what it measured. */
function savePartial(): void {
  fs.writeFileSync(path.join(BENCH_DIR, "results.partial.json"), `${JSON.stringify({ at: new Date().toISOString(), rows }, null, 1)}\n`);
}

function recordMissing(name: string, status: number | string): void {
  rows.push({ name, value: null, unit: typeof status === "number" ? `missing (${status})` : status, baseline: null, ratio: null, target: "", pass: null });
  savePartial();
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resident memory of a process in MB, from /proc (Linux). */
function rssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0; // gone
  }
}

/** A process's child processes (every thread's), from /proc. */
function childPids(pid: number): number[] {
  try {
    return fs.readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      fs
        .readFileSync(`/proc/${pid}/task/${task}/children`, "utf8")
        .split(/\s+/)
        .filter(Boolean)
        .map(Number),
    );
  } catch {
    return [];
  }
}

/** The server's memory: the process and, with --workers, every worker process under it. */
function serverRssMb(pid: number): number {
  return rssMb(pid) + childPids(pid).reduce((sum, child) => sum + serverRssMb(child), 0);
}

interface Server {
  child: ChildProcess;
  pid: number;
  port: number;
  base: string;
  /** App processes serving: 1, or the workers under a primary. */
  processes: number;
  logName: string;
  stop: () => Promise<void>;
}

/**
 * Stops the bench with a clear message when the server is gone (it exited, or something outside
 * the bench stopped it): figures measured against no server would mislead.
 */
function assertAlive(server: Server, during: string): void {
  const { exitCode, signalCode } = server.child;
  if (exitCode === null && signalCode === null) return;
  throw new Error(
    `the server exited during ${during} (${signalCode ?? `code ${exitCode}`}); see bench/${server.logName}. ` +
      "If its log says SIGTERM and the bench did not stop, something else on this machine stopped it: run again.",
  );
}

/**
 * `node build/server.js --workers W` (what `npm run serve -- --workers W` runs; 1: one process), with
 * TRUST_PROXY=loopback (the bench's clients and nginx send from loopback addresses) and
 * EXPOSE_WORKER_ID=on (each answer names its process, so /healthz can be read from each).
 */
/** BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof": Node options for the server, e.g. profiles of its threads. */
function serverNodeArgs(): string[] {
  return (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
}

async function startServer(port: number, { workers, logName }: { workers: number; logName: string }): Promise<Server> {
  const logFile = fs.openSync(path.join(BENCH_DIR, logName), "w");
  // build/server.js under a name of its own (a symbolic link: node runs the real file, and modules
  // resolve from it): twice a bench's server was stopped by SIGTERM from outside, by something on a
  // shared machine stopping `node build/server.js` processes (test servers) by name.
  const linkDir = fs.mkdtempSync(path.join(os.tmpdir(), "tracker-bench-"));
  const entry = path.join(linkDir, "tracker-bench-app.js");
  fs.symlinkSync(path.resolve("build/server.js"), entry);
  // Always say how many: without --workers the server starts one process per core.
  const child = started(spawn(process.execPath, [...serverNodeArgs(), entry, "--workers", String(workers)], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_PATH: DB_FILE,
      NODE_ENV: "production",
      SEED_DEMO_DATA: "off",
      FIGURE_CACHE: "on",
      TRUST_PROXY: "loopback",
      EXPOSE_WORKER_ID: "on",
    },
    stdio: ["ignore", logFile, logFile],
  }));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(linkDir, { recursive: true, force: true });
  };
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}); see bench/${logName}`);
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not start in 180 s; see bench/${logName}`);
    }
    await sleep(200);
  }
  let processes = 1;
  if (workers > 1) {
    // A server that takes --workers forks them; one that does not serves alone.
    const until = Date.now() + 30_000;
    while (childPids(child.pid as number).length < workers && Date.now() < until) await sleep(200);
    processes = Math.max(1, childPids(child.pid as number).length);
    if (processes > 1) {
      // Every worker listening: each has answered /healthz.
      const seen = new Set<string>();
      while (seen.size < processes && Date.now() < until + 30_000) {
        for (const answer of await healthzAll(base, processes, false)) seen.add(answer.worker);
      }
    }
  }
  return { child, pid: child.pid as number, port, base, processes, logName, stop };
}

/**
 * A GET on a fresh connection (no keep-alive): timing the SQL floor blocks this process for
 * seconds, long enough for the server to close an idle pooled socket under a later request. A new
 * connection also goes to the next worker process in turn.
 */
function freshGet(url: string, headers: Record<string, string> = { "accept-encoding": "identity" }): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false, headers }, resolve).on("error", reject);
  });
}

async function timedGet(url: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await freshGet(url);
  for await (const _chunk of response) {
    // read the whole body: the page is served when its last byte is
  }
  return { status: response.statusCode ?? 0, ms: performance.now() - started };
}

async function getBody(url: string, headers?: Record<string, string>): Promise<{ status: number; body: Buffer; headers: http.IncomingHttpHeaders }> {
  const response = await freshGet(url, headers);
  const chunks: Buffer[] = [];
  for await (const chunk of response as AsyncIterable<Buffer>) chunks.push(chunk);
  return { status: response.statusCode ?? 0, body: Buffer.concat(chunks), headers: response.headers };
}

/** Requests `url` until its answer may be kept by caches (not no-store), at most two minutes; the wait in ms. */
async function untilCacheable(url: string): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < 120_000) {
    const { headers } = await getBody(url);
    if (!String(headers["cache-control"] ?? "").includes("no-store")) break;
    await sleep(250);
  }
  return performance.now() - started;
}

interface Healthz {
  worker: string;
  eventLoopDelayMs: { p50: number; p99: number; max: number } | null;
  readPool: { completed: number; refused: number } | null;
}

/**
 * /healthz from every app process (each fresh connection goes to the next worker; X-Worker names
 * it), with `?reset=1` to start their event-loop delay histograms afresh.
 */
async function healthzAll(base: string, processes: number, reset: boolean): Promise<Healthz[]> {
  const answers = new Map<string, Healthz>();
  for (let attempt = 0; attempt < processes * 8 && answers.size < processes; attempt++) {
    try {
      const { status, body, headers } = await getBody(`${base}/healthz${reset ? "?reset=1" : ""}`);
      if (status !== 200) continue;
      const parsed = JSON.parse(body.toString("utf8")) as Omit<Healthz, "worker">;
      const worker = String(headers["x-worker"] ?? `answer ${attempt}`);
      if (!answers.has(worker)) answers.set(worker, { worker, eventLoopDelayMs: parsed.eventLoopDelayMs ?? null, readPool: parsed.readPool ?? null });
    } catch {
      /* a worker restarting: ask again */
    }
  }
  return [...answers.values()];
}

/**
 * Runs a load with the event-loop delay reset before it, and records its p99 (the worst process);
 * through nginx, also says how nginx's cache answered.
 */
async function underLoad<T>(server: Server, label: string, run: () => Promise<T>, nginx: RunningNginx | null = null): Promise<T> {
  await healthzAll(server.base, server.processes, true);
  nginx?.cacheStatuses();
  const result = await run();
  if (nginx) log(`  nginx cache under ${label}: ${JSON.stringify(nginx.cacheStatuses())}`);
  const health = await healthzAll(server.base, server.processes, false);
  const delays = health.map((answer) => answer.eventLoopDelayMs).filter((delay) => delay !== null);
  if (delays.length === 0) {
    recordMissing(`event loop delay p99 under ${label}`, "not reported by /healthz");
    return result;
  }
  const p99 = Math.max(...delays.map((delay) => delay.p99));
  const max = Math.max(...delays.map((delay) => delay.max));
  const refused = health.reduce((sum, answer) => sum + (answer.readPool?.refused ?? 0), 0);
  log(
    `  event loop delay under ${label}: p99 ${p99} ms, max ${max} ms (${delays.length} process${delays.length > 1 ? "es" : ""}); ` +
      `read pool refusals since the start: ${refused}`,
  );
  record(`event loop delay p99 under ${label}`, p99, "ms", null);
  return result;
}

function timeSync(run: () => unknown, samples: number): number[] {
  for (let i = 0; i < 3; i++) run();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return times;
}

interface AutocannonResult {
  requests: { average: number };
  latency: { p99: number; average: number };
  errors: number;
  timeouts: number;
  resets?: number;
  mismatches?: number;
  non2xx: number;
  statusCodeStats?: Record<string, { count: number }>;
}

/** Failed requests: autocannon's `errors` already include timeouts; add non-2xx answers. */
function failures(result: AutocannonResult): number {
  return result.errors + result.non2xx;
}

/**
 * What the failures were, said in the log: a connection error (reset, refused, closed early), a
 * timeout, or an answer of another status (one letter page in 130,000 through nginx failed, twice,
 * with nothing in nginx's error log: which kind could not be told).
 */
function failureKinds(result: AutocannonResult): string {
  const statuses = Object.entries(result.statusCodeStats ?? {})
    .filter(([status]) => !status.startsWith("2"))
    .map(([status, { count }]) => `status ${status}: ${count}`);
  return [
    `${result.errors - result.timeouts} connection errors`,
    `${result.timeouts} timeouts`,
    ...(result.resets ? [`${result.resets} resets`] : []),
    `${result.non2xx} answers not 2xx${statuses.length ? ` (${statuses.join(", ")})` : ""}`,
  ].join(", ");
}

function autocannon(url: string, { connections = CONNECTIONS, duration = DURATION } = {}): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.resolve("node_modules/.bin/autocannon"),
      ["-c", String(connections), "-d", String(duration), "-j", "-H", "accept-encoding=gzip", url],
      { stdio: ["ignore", "pipe", "ignore"] },
    );
    started(child);
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => {
      try {
        resolve(JSON.parse(output) as AutocannonResult);
      } catch {
        reject(new Error(`autocannon failed (${code}): ${output.slice(0, 500)}`));
      }
    });
  });
}

/** scripts/bench-load.ts in a process of its own: the plan on its standard input, results on its output. */
function runLoad(plan: LoadPlan): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve("scripts/bench-load.ts")], { stdio: ["pipe", "pipe", "inherit"] });
    started(child);
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => {
      try {
        resolve(JSON.parse(output) as LoadResult);
      } catch {
        reject(new Error(`the load generator failed (${code}): ${output.slice(0, 500)}`));
      }
    });
    child.stdin.end(JSON.stringify(plan));
  });
}

/** Downloads a URL in full, counting bytes and lines, sampling the server's memory meanwhile. */
async function download(url: string, serverPid: number): Promise<{ status: number; bytes: number; lines: number; ms: number; peakMb: number }> {
  let peakMb = serverRssMb(serverPid);
  const sampler = setInterval(() => (peakMb = Math.max(peakMb, serverRssMb(serverPid))), 25);
  const started = performance.now();
  try {
    const response = await freshGet(url);
    let bytes = 0;
    let lines = 0;
    for await (const chunk of response as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines += 1;
    }
    return { status: response.statusCode ?? 0, bytes, lines, ms: performance.now() - started, peakMb: Math.max(peakMb, serverRssMb(serverPid)) };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * Posts a form of `size` bytes to `url` (a Content-Length, or chunked), stopping once the answer
 * comes; the server's memory (every process) is sampled every 25 ms meanwhile.
 */
async function postLargeBody(
  url: string,
  size: number,
  { chunked, serverPid }: { chunked: boolean; serverPid: number },
): Promise<{ status: number; sentMb: number; ms: number; growthMb: number; error: string | null }> {
  const before = serverRssMb(serverPid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, serverRssMb(serverPid))), 25);
  const started = performance.now();
  let sent = 0;
  const answer = await new Promise<{ status: number; error: string | null }>((resolve) => {
    let answered = false;
    const target = new URL(url);
    const request = http.request(target, {
      method: "POST",
      agent: false,
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...(chunked ? {} : { "Content-Length": String(size) }) },
    });
    const timer = setTimeout(() => request.destroy(new Error("no answer in 60 s")), 60_000);
    request.on("response", (response) => {
      answered = true;
      response.resume();
      const done = () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, error: null });
      };
      response.on("end", done);
      response.on("error", done);
    });
    request.on("error", (error) => {
      if (!answered) {
        clearTimeout(timer);
        resolve({ status: 0, error: error.message });
      }
    });
    const chunk = Buffer.alloc(64 * 1024, "a");
    const head = Buffer.from("email=someone%40example.org&password=x&padding=");
    const write = () => {
      while (!answered && !request.destroyed && sent < size) {
        const piece = sent === 0 ? head : chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += piece.length;
        if (!request.write(piece)) {
          request.once("drain", write);
          return;
        }
      }
      if (!answered && !request.destroyed) request.end();
    };
    write();
  });
  const ms = performance.now() - started;
  // What the refusal left behind: a little longer for memory freed or still growing.
  for (let i = 0; i < 10; i++) {
    await sleep(25);
    peak = Math.max(peak, serverRssMb(serverPid));
  }
  clearInterval(sampler);
  return { ...answer, sentMb: sent / 1024 / 1024, ms, growthMb: peak - before };
}

function ensureSqliteCli(): boolean {
  if (spawnSync("sqlite3", ["-version"]).status === 0) return true;
  log("sqlite3 (the Debian package) is not installed; installing it for the export floor: apt-get install -y sqlite3");
  const install = spawnSync("sh", ["-c", "apt-get install -y -qq sqlite3 || (apt-get update -qq && apt-get install -y -qq sqlite3)"], {
    stdio: "inherit",
  });
  return install.status === 0 && spawnSync("sqlite3", ["-version"]).status === 0;
}

type ModelFunctions = Record<string, ((args: Record<string, unknown>) => unknown) | undefined>;

/**
 * A model module that may not exist on this branch (pages from other issues): its functions, or
 * null. Loaded by path so this script type-checks without it.
 */
async function optionalModels(file: string): Promise<ModelFunctions | null> {
  const full = path.resolve(file);
  if (!fs.existsSync(full)) return null;
  return (await import(pathToFileURL(full).href)) as ModelFunctions;
}

/** The latest modification time of the files under these paths (those that exist). */
function newestMtime(paths: string[]): number {
  let newest = 0;
  for (const entry of paths) {
    if (!fs.existsSync(entry)) continue;
    const stat = fs.statSync(entry);
    if (!stat.isDirectory()) newest = Math.max(newest, stat.mtimeMs);
    else for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime([path.join(entry, child)]));
  }
  return newest;
}

/** A small deterministic generator: the same seed, the same addresses in every run. */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The addresses each load draws from (issue 11's mix), built once from the bench database. */
interface Addresses {
  /** The server's today: the editor's extensions are granted today, to a deadline a month on. */
  today: string;
  inAMonth: string;
  /** The letter page of measures 2 and 6. */
  letterPath: string;
  /**
   * One mix and one list of heavy addresses per mode, in the order the modes run: a mode served by
   * the same processes as the one before it (1 process, direct then through nginx) must not be
   * answered from what the earlier mode left in the page cache. With one list for all, the nginx
   * mode's "heavy" requests were the direct mode's, kept: answered in milliseconds, back to back.
   */
  mixes: LoadMixEntry[][];
  /** The costs phase's own draw of the mix (its misses must not warm the modes' pages). */
  costMix: LoadMixEntry[];
  heavies: string[][];
  probe: string[];
  editorSlugs: string[];
}

/** Creates an editor with scripts/user-create.ts (a fresh one per run, random password) and signs in. */
async function createEditor(): Promise<{ email: string; password: string }> {
  const email = `bench-editor-${Date.now()}@example.org`;
  const password = crypto.randomBytes(18).toString("base64url");
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/user-create.ts", "--email", email, "--name", "Bench editor", "--role", "editor"], {
      env: { ...process.env, DATABASE_PATH: DB_FILE },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`user:create failed (${code}): ${output}`))));
    child.stdin.end(`${password}\n`);
  });
  return { email, password };
}

async function signIn(base: string, user: { email: string; password: string }): Promise<string> {
  const response = await fetch(`${base}/login`, {
    method: "POST",
    body: new URLSearchParams({ email: user.email, password: user.password, redirectTo: "/" }),
    redirect: "manual",
  });
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith("tracker_session="));
  if (!cookie) throw new Error(`signing in the bench editor failed: ${response.status}`);
  return cookie.split(";")[0] as string;
}

interface Mode {
  /** `1 process, direct`, `2 workers, nginx`, ... */
  label: string;
  /** Where the load goes: the app, or nginx in front of it. */
  base: string;
  server: Server;
  nginx: RunningNginx | null;
}

/** The modes measured so far: each takes the next of the addresses' mixes and heavy lists. */
let modesMeasured = 0;
/** 1 process and W workers, each direct and through nginx. */
const MODES = 4;

/** Issue 11's measures in one mode (one process or several, direct or through nginx). */
async function measureMode(mode: Mode, addresses: Addresses, editor: { email: string; password: string }): Promise<void> {
  const { label, base, server, nginx } = mode;
  const round = modesMeasured++ % MODES;
  const direct = nginx === null;
  const tag = (name: string) => `${name} [${label}]`;
  log(`\n== ${label} (load average ${os.loadavg()[0]?.toFixed(1)}) ==`);

  // 2. `/` and a letter page at 50 connections, against /healthz (direct) or the same bytes served
  //    by nginx as a static file: in the steady state, once each may be kept by caches (after a
  //    write, `/` shows its previous figures, labelled and not cacheable, until they are recomputed).
  for (const target of ["/", addresses.letterPath]) {
    const waited = await untilCacheable(`${base}${target}`);
    if (waited > 1000) log(`  ${target} became cacheable after ${(waited / 1000).toFixed(1)} s (figures recomputed after the last write)`);
  }
  if (!PHASES.has("throughput")) {
    // skipped (--phases)
  } else if (direct) {
    log(`autocannon /healthz, /, a letter page: ${CONNECTIONS} connections, ${DURATION} s each`);
    const healthz = await underLoad(server, tag("/healthz load"), () => autocannon(`${base}/healthz`));
    record(tag("/healthz req/s"), healthz.requests.average, "req/s", null);
    for (const [name, target] of [
      ["/", "/"],
      ["letter page", addresses.letterPath],
    ] as const) {
      const result = await underLoad(server, tag(`${name} load`), () => autocannon(`${base}${target}`));
      const errors = failures(result);
      record(
        tag(`${name} req/s`),
        result.requests.average,
        "req/s",
        healthz.requests.average,
        `≥ ${TARGET.pageVsHealthz}× /healthz`,
        result.requests.average >= TARGET.pageVsHealthz * healthz.requests.average,
      );
      record(tag(`${name} p99 at ${CONNECTIONS} connections`), result.latency.p99, "ms", null);
      record(tag(`${name} errors at ${CONNECTIONS} connections`), errors, "errors", null, "0", errors === 0);
      if (errors > 0) log(`  ${name} failures [${label}]: ${failureKinds(result)}`);
    }
  } else {
    log(`autocannon /, a letter page, and the same bytes as static files: ${CONNECTIONS} connections, ${DURATION} s each`);
    for (const [name, target, file] of [
      ["/", "/", "home.html"],
      ["letter page", addresses.letterPath, "letter.html"],
    ] as const) {
      const page = await getBody(`${server.base}${target}`);
      fs.writeFileSync(path.join(nginx.staticDir, file), page.body);
      fs.writeFileSync(path.join(nginx.staticDir, `${file}.gz`), zlib.gzipSync(page.body, { level: 9 }));
      await timedGet(`${nginx.staticUrl}/${file}`);
      const floor = await autocannon(`${nginx.staticUrl}/${file}`);
      record(tag(`${name} as a static file req/s`), floor.requests.average, "req/s", null);
      const result = await underLoad(server, tag(`${name} load`), () => autocannon(`${base}${target}`), nginx);
      const errors = failures(result);
      record(
        tag(`${name} req/s`),
        result.requests.average,
        "req/s",
        floor.requests.average,
        `≥ ${TARGET.pageVsStatic}× static`,
        result.requests.average >= TARGET.pageVsStatic * floor.requests.average,
      );
      record(tag(`${name} p99 at ${CONNECTIONS} connections`), result.latency.p99, "ms", null);
      record(tag(`${name} errors at ${CONNECTIONS} connections`), errors, "errors", null, "0", errors === 0);
      if (errors > 0) log(`  ${name} failures [${label}]: ${failureKinds(result)}`);
    }
  }

  assertAlive(server, `${label}: / and a letter page at ${CONNECTIONS} connections`);

  // 1. The mixed anonymous load, an editor saving every second and a full export.
  if (PHASES.has("mixed")) await measureMixed(mode, addresses.mixes[round]!, addresses, editor);
  if (PHASES.has("heavy")) await measureHeavy(mode, addresses.heavies[round]!, addresses);
  if (PHASES.has("body")) await measureBodies(mode);
}

async function measureMixed(mode: Mode, mix: LoadMixEntry[], addresses: Addresses, editor: { email: string; password: string }): Promise<void> {
  const { label, base, server, nginx } = mode;
  const direct = nginx === null;
  const tag = (name: string) => `${name} [${label}]`;
  log(`mixed load: ${CONNECTIONS} connections, ${DURATION} s, an editor saving every second, a full export`);
  const cookie = await signIn(server.base, editor);
  let cpu: CpuUse | null = null;
  let byNice = new Map<number, number>();
  const mixed = await underLoad(server, tag("mixed load"), async () => {
    const before = cpuSnapshot({ serverPid: server.pid, nginxPid: nginx?.pid ?? null });
    const threads = sampleThreadsByNice(server.pid);
    const result = await runLoad({
      base,
      durationMs: DURATION * 1000,
      warmupMs: WARMUP * 1000,
      timeoutMs: 10_000,
      acceptEncoding: "gzip",
      connections: { count: CONNECTIONS, mix },
      editor: { cookie, slugs: addresses.editorSlugs, intervalMs: 1000, grantedOn: addresses.today, newDeadline: addresses.inAMonth },
      exportPath: "/export/questions.csv?status=all",
      graceMs: 300_000,
    });
    // The load generator has exited (its CPU is now this process's reaped children's).
    cpu = cpuUseBetween(before, cpuSnapshot({ serverPid: server.pid, nginxPid: nginx?.pid ?? null }));
    byNice = threads.stop();
    return result;
  }, nginx);
  const cheap = ["letter page", "/"].flatMap((kind) => (mixed.byKind[kind] ? [mixed.byKind[kind]] : []));
  log(
    `  ${mixed.overall.count} requests (${mixed.overall.requestsPerSecond.toFixed(0)}/s), ${mixed.overall.errors} errors, p99 ${mixed.overall.p99?.toFixed(0)} ms; ` +
      Object.entries(mixed.byKind)
        .map(([kind, stats]) => `${kind} p99 ${stats.p99?.toFixed(0)} ms (${stats.count})`)
        .join(", "),
  );
  if (mixed.overall.failures.length) log(`  failures: ${mixed.overall.failures.join("; ")}`);
  log(`  slowest: ${mixed.slowest.slice(0, 8).map((slow) => `${slow.path} ${slow.ms} ms`).join("; ")}`);
  record(tag("mixed load errors"), mixed.overall.errors, "errors", mixed.overall.count, "0", mixed.overall.errors === 0, null);
  record(tag("mixed load req/s"), mixed.overall.requestsPerSecond, "req/s", null);
  record(
    tag("mixed load p99"),
    mixed.overall.p99,
    "ms",
    null,
    direct ? `< ${TARGET.mixedP99Ms} ms` : "",
    direct && mixed.overall.p99 !== null ? mixed.overall.p99 < TARGET.mixedP99Ms : null,
  );
  // Cheap pages: letter pages and `/`, pooled.
  const cheapTimes = cheap.reduce((worst, stats) => Math.max(worst, stats.p99 ?? 0), 0);
  const cheapCount = cheap.reduce((sum, stats) => sum + stats.count, 0);
  record(
    tag("mixed load cheap pages p99 (worst of letter page, /)"),
    cheapCount ? cheapTimes : null,
    "ms",
    null,
    direct ? `< ${TARGET.cheapP99Ms} ms` : "",
    direct && cheapCount ? cheapTimes < TARGET.cheapP99Ms : null,
  );
  for (const [kind, stats] of Object.entries(mixed.byKind)) record(tag(`mixed load ${kind} p99`), stats.p99, "ms", null);
  const warmup = mixed.warmup;
  if (warmup) {
    log(
      `  warm-up (${WARMUP} s before the measured ${DURATION} s, not in the figures above): ${warmup.count} requests, ${warmup.errors} errors, p99 ${warmup.p99?.toFixed(0)} ms; ` +
        Object.entries(warmup.byKind)
          .map(([kind, stats]) => `${kind} p99 ${stats.p99?.toFixed(0)} ms (${stats.count})`)
          .join(", "),
    );
    record(tag("mixed load warm-up errors"), warmup.errors, "errors", warmup.count);
    record(tag("mixed load warm-up p99"), warmup.p99, "ms", null);
    const warmCheap = ["letter page", "/"].flatMap((kind) => (warmup.byKind[kind] ? [warmup.byKind[kind].p99 ?? 0] : []));
    record(tag("mixed load warm-up cheap pages p99"), warmCheap.length ? Math.max(...warmCheap) : null, "ms", null);
  }
  // The CPU was read over the warm-up and the measured duration: per request of both.
  if (cpu) recordCapacity(tag, cpu, byNice, mixed.overall.count + (warmup?.count ?? 0) + (mixed.editor?.saves ?? 0));
  if (mixed.editor) {
    log(`  editor: ${mixed.editor.saves} saves, p99 ${mixed.editor.p99?.toFixed(0)} ms, statuses ${JSON.stringify(mixed.editor.statuses)}`);
    if (mixed.editor.failures.length) log(`  editor failures: ${mixed.editor.failures.join("; ")}`);
    record(tag("mixed load editor saves"), mixed.editor.saves, "saves", null);
    record(tag("mixed load editor save p99"), mixed.editor.p99, "ms", null);
    record(tag("mixed load editor errors"), mixed.editor.errors, "errors", null, "0", mixed.editor.errors === 0);
  }
  if (mixed.export) {
    const complete = mixed.export.status === 200 && mixed.export.error === null;
    log(`  export: ${mixed.export.status}, ${(mixed.export.bytes / 1e6).toFixed(1)} MB in ${(mixed.export.ms / 1000).toFixed(1)} s${mixed.export.error ? `, ${mixed.export.error}` : ""}`);
    record(tag("mixed load export time"), mixed.export.ms / 1000, "s", null, "completes (200)", complete);
  } else {
    record(tag("mixed load export time"), null, "s", null, "completes (200)", false);
  }

  assertAlive(server, `${label}: the mixed load`);
}

/**
 * Where the mixed load's CPU went, and what that allows on this machine's cores (scripts/bench-cpu.ts):
 * the CPU each request cost (server, its event loops apart, nginx, the load generator; the export's
 * thread, at its own priority, counted apart: one download whatever the run's length), the most
 * requests a second the cores allow at that cost, and the least mean latency the closed loop's
 * connections can then see. A floor above the latency target says no scheduling can meet it on
 * this machine: only less CPU per request, or more cores.
 */
function recordCapacity(tag: (name: string) => string, cpu: CpuUse, byNice: Map<number, number>, requests: number): void {
  const cores = os.cpus().length;
  const exportMs = byNice.get(EXPORT_THREAD_NICE) ?? 0;
  const totalMs = cpu.serverMs - exportMs + cpu.nginxMs + cpu.loadGeneratorMs;
  const bound = capacityBound({ cpuMs: totalMs, requests, cores, connections: CONNECTIONS });
  const perRequest = (ms: number) => (requests > 0 ? ms / requests : null);
  log(
    `  server CPU by thread priority (nice: seconds): ${[...byNice.entries()]
      .sort(([a], [b]) => a - b)
      .map(([nice, ms]) => `${nice}: ${(ms / 1000).toFixed(1)}`)
      .join(", ")} (0 event loops, ${WORKER_THREAD_NICE} light reads, ${HEAVY_THREAD_NICE} heavy reads, ${EXPORT_THREAD_NICE} the export)`,
  );
  record(tag("mixed load export thread CPU"), exportMs / 1000, "s", null);
  log(
    `  CPU per request, the export apart: server ${perRequest(cpu.serverMs - exportMs)?.toFixed(2)} ms (event loops ${perRequest(cpu.serverMainThreadsMs)?.toFixed(2)} ms), ` +
      `nginx ${perRequest(cpu.nginxMs)?.toFixed(2)} ms, load generator ${perRequest(cpu.loadGeneratorMs)?.toFixed(2)} ms; machine ${(cpu.machineBusy * 100).toFixed(0)}% busy` +
      (bound
        ? `; at that cost ${cores} cores allow ${bound.maxRequestsPerSecond.toFixed(0)} req/s, so ${CONNECTIONS} connections wait ${bound.minMeanLatencyMs.toFixed(0)} ms on average at least`
        : ""),
  );
  record(tag("mixed load server CPU per request, the export apart"), perRequest(cpu.serverMs - exportMs), "ms", null);
  record(tag("mixed load server event loops' CPU per request"), perRequest(cpu.serverMainThreadsMs), "ms", null);
  record(tag("mixed load nginx CPU per request"), perRequest(cpu.nginxMs), "ms", null);
  record(tag("mixed load load generator CPU per request"), perRequest(cpu.loadGeneratorMs), "ms", null);
  record(tag("mixed load machine busy"), cpu.machineBusy * 100, "%", null);
  record(tag("mixed load requests/s the cores allow at that CPU per request"), bound?.maxRequestsPerSecond ?? null, "req/s", null);
  record(tag(`mixed load least mean latency at ${CONNECTIONS} connections`), bound?.minMeanLatencyMs ?? null, "ms", null);
}

/** Addresses of each kind that the costs phase requests, one at a time. */
const COST_SAMPLES: Record<string, number> = { "letter page": 150, "/": 50, list: 40, search: 20, "past-date page": 40 };

/**
 * What each kind of request of the mixed load costs the server in CPU (every thread, and its event
 * loop apart), asked one at a time on a quiet server: each address twice, the first a miss (computed),
 * the second a hit (kept), except `/`, always a hit once its figures are computed. With the mix's
 * weights this says where the mixed load's CPU goes, and so what a faster mixed load would need.
 */
async function measureCosts(server: Server, mix: LoadMixEntry[]): Promise<void> {
  log(`costs: CPU per request of each kind of the mixed load, one at a time`);
  const cpuOf = () => treeTicks(server.pid);
  await untilCacheable(`${server.base}/`);
  for (const entry of mix) {
    const unique = [...new Set(entry.paths)];
    const wanted = COST_SAMPLES[entry.kind] ?? 20;
    // `/` is one address: asked `wanted` times (hits); the others' addresses each once a pass.
    const paths = unique.length === 1 ? Array.from({ length: wanted }, () => unique[0] as string) : unique.slice(0, wanted);
    for (const pass of entry.kind === "/" ? ["hit"] : ["miss", "hit"]) {
      const before = cpuOf();
      const statuses: Record<number, number> = {};
      // What the page cache said of each (X-Page-Cache): a "miss" pass of addresses kept already measures hits.
      const cache: Record<string, number> = {};
      for (const target of paths) {
        const { status, headers } = await getBody(`${server.base}${target}`, { "accept-encoding": "gzip" });
        statuses[status] = (statuses[status] ?? 0) + 1;
        const said = String(headers["x-page-cache"] ?? "none");
        cache[said] = (cache[said] ?? 0) + 1;
      }
      const after = cpuOf();
      const perRequest = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND / paths.length;
      const all = perRequest(after.all - before.all);
      const main = perRequest(after.mainThreads - before.mainThreads);
      log(
        `  ${entry.kind} (${pass}, ${paths.length}): ${all.toFixed(1)} ms CPU a request, ${main.toFixed(1)} ms on the event loop; ` +
          `statuses ${JSON.stringify(statuses)}, page cache ${JSON.stringify(cache)}`,
      );
      record(`page cache ${pass}es, ${entry.kind} (${pass} pass)`, cache[pass] ?? 0, "requests", paths.length);
      record(`CPU per request, ${entry.kind} (${pass})`, all, "ms", null);
      record(`event loop CPU per request, ${entry.kind} (${pass})`, main, "ms", null);
    }
  }
  assertAlive(server, "the costs phase");
}

async function measureHeavy(mode: Mode, heavyPaths: string[], addresses: Addresses): Promise<void> {
  const { label, base, server, nginx } = mode;
  const tag = (name: string) => `${name} [${label}]`;
  // 3. A letter page every 100 ms while twelve heavy requests run.
  log(`heavy: ${HEAVY_SLOTS} heavy requests at a time for ${DURATION} s, a letter page every ${PROBE_INTERVAL_MS} ms`);
  const heavy = await underLoad(server, tag("twelve heavy requests"), () =>
    runLoad({
      base,
      durationMs: DURATION * 1000,
      timeoutMs: 10_000,
      acceptEncoding: "gzip",
      probe: { kind: "letter page", paths: addresses.probe, intervalMs: PROBE_INTERVAL_MS },
      heavy: { slots: HEAVY_SLOTS, paths: heavyPaths, timeoutMs: 180_000 },
      graceMs: 240_000,
    }),
    nginx,
  );
  if (heavy.probe && heavy.heavy) {
    log(
      `  letter page: ${heavy.probe.count} requests, max ${heavy.probe.max?.toFixed(0)} ms, p99 ${heavy.probe.p99?.toFixed(0)} ms, ${heavy.probe.errors} errors; ` +
        `heavy: ${heavy.heavy.count} requests, p50 ${heavy.heavy.p50?.toFixed(0)} ms, max ${heavy.heavy.max?.toFixed(0)} ms, statuses ${JSON.stringify(heavy.heavy.statuses)}`,
    );
    if (heavy.heavy.failures.length) log(`  heavy failures: ${heavy.heavy.failures.join("; ")}`);
    record(tag("letter page during heavy requests, max"), heavy.probe.max, "ms", null, `< ${TARGET.probeMaxMs} ms`, heavy.probe.max !== null && heavy.probe.max < TARGET.probeMaxMs);
    record(tag("letter page during heavy requests, p99"), heavy.probe.p99, "ms", null);
    record(tag("letter page during heavy requests, errors"), heavy.probe.errors, "errors", null, "0", heavy.probe.errors === 0);
    record(tag("heavy requests answered"), heavy.heavy.count, "requests", null);
    record(tag("heavy requests refused or failed"), heavy.heavy.errors, "requests", null);
    record(tag("heavy request p50"), heavy.heavy.p50, "ms", null);
  }

  assertAlive(server, `${label}: the heavy requests`);
}

async function measureBodies(mode: Mode): Promise<void> {
  const { label, base, server } = mode;
  const tag = (name: string) => `${name} [${label}]`;
  // 4. A 50 MB body, declared and chunked: 413, and what it cost the server's memory.
  for (const chunked of [false, true]) {
    const name = chunked ? "50 MB chunked body" : "50 MB Content-Length body";
    const answer = await postLargeBody(`${base}/login`, BIG_BODY_BYTES, { chunked, serverPid: server.pid });
    log(`  ${name}: ${answer.status || answer.error} after ${answer.sentMb.toFixed(1)} MB sent, ${answer.ms.toFixed(0)} ms, memory +${answer.growthMb.toFixed(1)} MB`);
    record(tag(`${name} answer`), answer.status, "status", null, "413", answer.status === 413);
    record(tag(`${name} server memory growth`), answer.growthMb, "MB", null, `< ${TARGET.bodyGrowthMb} MB`, answer.growthMb < TARGET.bodyGrowthMb);
  }
  assertAlive(server, `${label}: the 50 MB bodies`);
}

/** Issue 14's mail phase: scripts/bench-mail.ts in a process of its own, on a copy of the database. */
async function measureMail(): Promise<void> {
  log(`\nMail: a daily digest to ${args.subscribers} followers (scripts/bench-mail.ts, log: bench/server-mail.log)`);
  const child = started(
    spawn(process.execPath, ["--import", "tsx", path.resolve("scripts/bench-mail.ts"), "--db", DB_FILE, "--subscribers", args.subscribers], {
      stdio: ["ignore", "pipe", "inherit"],
    }),
  );
  let output = "";
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) output += chunk.toString();
  const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", resolve)));
  const line = output.trim().split("\n").at(-1);
  if (code !== 0 || !line) {
    log(`  the mail phase failed (exit ${code})`);
    recordMissing("mail: daily digest time", `failed (exit ${code})`);
    return;
  }
  const mail = JSON.parse(line) as { subscribers: number; digests: number; seconds: number; perSecond: number; pageP99: number | null; pageMax: number | null; pageErrors: number; loopP99: number | null };
  log(`  ${mail.digests} of ${mail.subscribers} digests in ${mail.seconds.toFixed(1)} s (${mail.perSecond.toFixed(1)}/s); pages meanwhile p99 ${mail.pageP99?.toFixed(0)} ms, ${mail.pageErrors} errors; event loop p99 ${mail.loopP99} ms`);
  record("mail: daily digests sent", mail.digests, "messages", mail.subscribers, "every follower", mail.digests === mail.subscribers);
  record("mail: time to build and send them", mail.seconds, "s", null);
  record("mail: digests per second", mail.perSecond, "messages/s", null);
  record("mail: letter page and / p99 meanwhile", mail.pageP99, "ms", null, `< ${TARGET.cheapP99Ms} ms`, mail.pageP99 !== null && mail.pageP99 < TARGET.cheapP99Ms);
  record("mail: page errors meanwhile", mail.pageErrors, "errors", null, "0", mail.pageErrors === 0);
  record("mail: event loop delay p99 meanwhile", mail.loopP99, "ms", null);
}

async function main() {
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const { buildSyntheticDatabase } = await import("./seed-synthetic");
  if (fs.existsSync(DB_FILE)) {
    log(`Reusing ${path.relative(process.cwd(), DB_FILE)}`);
    // A database built before the state history (decision 13): migrated and backfilled here, at
    // once, so that the server does not spend the measured minutes backfilling it.
    const [{ openDatabase }, { runMigrations }, { backfillStateHistory }] = await Promise.all([
      import("../db/client.server"),
      import("../db/migrate.server"),
      import("~/models/letter-state.server"),
    ]);
    const db = openDatabase(DB_FILE);
    try {
      runMigrations(db);
      backfillStateHistory(db, { batch: 500 });
    } finally {
      db.$client.close();
    }
  } else {
    log(`Building ${path.relative(process.cwd(), DB_FILE)} (${LETTERS} letters, seed ${SEED})`);
    buildSyntheticDatabase({ file: DB_FILE, letters: LETTERS, seed: SEED, log });
  }
  if (!fs.existsSync("build/index.js") || !fs.existsSync("build/server.js")) {
    log("No build found: running npm run build");
    execFileSync("npm", ["run", "build"], { stdio: "inherit" });
  } else if (newestMtime(["app", "db", "scripts/serve.ts", "scripts/cluster.ts"]) > fs.statSync("build/server.js").mtimeMs) {
    log("The build is older than the code: running npm run build");
    execFileSync("npm", ["run", "build"], { stdio: "inherit" });
  }
  if (MAIL === "only") {
    const loadBefore = os.loadavg()[0] as number;
    await measureMail();
    writeReport(loadBefore, [{ at: "mail done", load: os.loadavg()[0] as number }]);
    return;
  }

  const [{ sql }, dates, filters, letterModels, questionModels, exportModels, exportSnapshot, { getDb }] = await Promise.all([
    import("drizzle-orm"),
    import("~/domain/dates"),
    import("~/domain/filters"),
    import("~/models/letters.server"),
    import("~/models/questions.server"),
    import("~/models/export.server"),
    import("~/models/export-snapshot.server"),
    import("../db/client.server"),
  ]);
  const asOf = dates.today();
  const db = getDb();
  const topAgency = db.get<{ slug: string }>(sql`SELECT a.slug AS slug FROM agencies a
    JOIN letter_recipients lr ON lr.agency_id = a.id GROUP BY a.id ORDER BY COUNT(*) DESC LIMIT 1`)!.slug;
  const searchWord = "contract";
  const letterFilters = (search: string) => filters.parseLetterFilters(new URLSearchParams(search)).filters;
  const questionFilters = (search: string) => filters.parseQuestionFilters(new URLSearchParams(search)).filters;

  const dashboard = await optionalModels("app/models/dashboard.server.ts");
  const agencyModels = await optionalModels("app/models/agencies.server.ts");
  const profiles = await optionalModels("app/models/profiles.server.ts");
  const searchModels = await optionalModels("app/models/search.server.ts");

  // Each page and what its loader asks of the database: the loader's own model calls where the
  // page's models exist (issue 4's overview figures, scorecards, profiles and search), else the
  // closest calls of the shared models. Update a floor when its loader changes.
  const pages: Array<{ name: string; path: string; floor: () => unknown }> = [
    {
      name: "/",
      path: "/",
      floor: () => [
        letterModels.countLettersByStatus({ asOf }),
        letterModels.listOverdueLetters({ asOf, limit: 10 }),
        dashboard?.overviewFigures?.({ asOf }),
      ],
    },
    {
      name: "/letters",
      path: "/letters",
      floor: () => [letterModels.listLetters({ filters: letterFilters(""), asOf })],
    },
    {
      name: "/questions",
      path: "/questions",
      floor: () => [questionModels.listQuestions({ filters: questionFilters(""), asOf })],
    },
    {
      name: "agency page",
      path: `/agencies/${topAgency}`,
      floor: () => {
        if (agencyModels?.getAgencyScorecard && profiles?.profileLists) {
          return [
            agencyModels.getAgencyScorecard({ slug: topAgency, asOf }),
            profiles.profileLists({ asOf, scope: { agency: topAgency }, letterFilters: letterFilters("") }),
          ];
        }
        const agency = { ...letterModels.NO_FILTERS, agency: topAgency };
        return [
          letterModels.countLettersByStatus({ asOf, filters: agency }),
          letterModels.listLetters({ filters: letterFilters(`agency=${topAgency}`), asOf }),
          questionModels.listQuestions({ filters: questionFilters(`agency=${topAgency}`), asOf, pageSize: 10 }),
        ];
      },
    },
    {
      name: "search",
      path: `/search?q=${searchWord}`,
      floor: () =>
        searchModels?.search
          ? searchModels.search({ q: searchWord, asOf })
          : [
              letterModels.listLetters({ filters: letterFilters(`q=${searchWord}`), asOf }),
              questionModels.listQuestions({ filters: questionFilters(`q=${searchWord}&status=all`), asOf }),
            ],
    },
  ];

  // Issue 11's addresses, drawn once with a fixed seed from the bench database.
  const random = randomFrom(SEED * 7919);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)] as T;
  const slugsOf = (table: "letters" | "agencies" | "committees" | "members") =>
    db.all<{ slug: string }>(sql.raw(`SELECT slug FROM ${table} ORDER BY id`)).map((row) => row.slug);
  const allLetters = slugsOf("letters");
  const agencySlugs = slugsOf("agencies");
  const committeeSlugs = slugsOf("committees");
  const memberSlugs = slugsOf("members");
  const firstSent = db.get<{ day: string }>(sql`SELECT min(sent_on) AS day FROM letters`)!.day;
  // Past dates from a year after the first letter to a week ago: most of the tracker's history.
  const pastFrom = dates.addCalendarDays(firstSent, 365) < asOf ? dates.addCalendarDays(firstSent, 365) : firstSent;
  const pastDays = Math.max(1, dates.daysBetween(pastFrom, dates.addCalendarDays(asOf, -7)));
  const pastDate = () => dates.addCalendarDays(pastFrom, Math.floor(random() * pastDays));
  const letterPageOf = (slug: string) => `/letters/${slug}`;
  const editorSlugs = db
    .all<{ slug: string }>(sql`SELECT slug FROM letters WHERE deadline IS NOT NULL AND closed_on IS NULL ORDER BY id DESC LIMIT 200`)
    .map((row) => row.slug)
    .filter((_, index) => index % 10 === 0);
  const letterPath = letterPageOf(allLetters[Math.floor(allLetters.length / 2)] as string);

  const port = args.port ? Number(args.port) : await freePort();
  // Figures are only comparable on a quiet machine: say how busy it was.
  const loadBefore = os.loadavg()[0] as number;
  const loadAverages: Array<{ at: string; load: number }> = [{ at: "start", load: loadBefore }];
  const editor = await createEditor();
  log(`Starting the production server on http://127.0.0.1:${port} (log: bench/server.log)`);
  const server = await startServer(port, { workers: 1, logName: "server.log" });
  const base = server.base;
  const serverPid = server.pid;
  let addresses: Addresses;
  try {
    // Page counts as the app counts them (the API's page_count at the pages' size).
    const pageCount = async (api: string) => {
      const { body } = await getBody(`${base}${api}?per_page=${filters.PAGE_SIZE}`);
      return (JSON.parse(body.toString("utf8")) as { meta: { page_count: number } }).meta.page_count;
    };
    const letterPages = await pageCount("/api/letters");
    const questionPages = await pageCount("/api/questions");
    const words = ["contracts", "grants", "waivers", "inspections", "complaints", "delayed", "security", "contract", "denied", "employees"];
    const range = (n: number) => Array.from({ length: n }, (_, i) => i);
    addresses = {
      today: asOf,
      inAMonth: dates.addCalendarDays(asOf, 30),
      costMix: [],
      letterPath,
      // Letter pages 60%, `/` 20%, lists 10%, search 5%, past-date pages 5%.
      mixes: range(MODES + 1).map((): LoadMixEntry[] => [
        { kind: "letter page", weight: 60, paths: range(3000).map(() => letterPageOf(pick(allLetters))) },
        { kind: "/", weight: 20, paths: ["/"] },
        {
          kind: "list",
          weight: 10,
          paths: range(400).map((i) => {
            const page = 1 + Math.floor(random() * Math.min(20, i % 2 ? letterPages : questionPages));
            return i % 2
              ? `/letters?sort=${pick([...filters.LETTER_SORTS])}&dir=${pick(["asc", "desc"])}&page=${page}`
              : `/questions?sort=${pick([...filters.QUESTION_SORTS])}&page=${page}`;
          }),
        },
        { kind: "search", weight: 5, paths: words.flatMap((word) => [`/search?q=${word}`, `/search?q=${word.slice(0, 5)}`]) },
        {
          kind: "past-date page",
          weight: 5,
          paths: range(400).map((i) => {
            const day = pastDate();
            return [
              `/agencies/${pick(agencySlugs)}?asOf=${day}`,
              `/committees/${pick(committeeSlugs)}?asOf=${day}`,
              `/members/${pick(memberSlugs)}?asOf=${day}`,
              `/letters?asOf=${day}&page=${1 + Math.floor(random() * Math.min(10, letterPages))}`,
            ][i % 4] as string;
          }),
        },
      ]),
      // Heavy: past-date profile pages on distinct dates, the calendar over its widest window,
      // deep pages of /questions; every address used once, so none is answered from a cache.
      heavies: (() => {
        const used = new Set<string>();
        const distinctDay = () => {
          for (;;) {
            const day = pastDate();
            if (!used.has(day) || used.size >= pastDays) {
              used.add(day);
              return day;
            }
          }
        };
        return range(MODES).map(() => range(600).map((i) => {
          switch (i % 5) {
            case 0:
              return `/agencies/${pick(agencySlugs)}?asOf=${distinctDay()}`;
            case 1:
              return `/committees/${pick(committeeSlugs)}?asOf=${distinctDay()}`;
            case 2:
              return `/members/${pick(memberSlugs)}?asOf=${distinctDay()}`;
            case 3: {
              const from = distinctDay();
              return `/calendar.ics?from=${from}&to=${dates.addCalendarDays(from, 3 * 365)}`;
            }
            default:
              return `/questions?page=${Math.ceil(questionPages / 2) + Math.floor(random() * Math.ceil(questionPages / 2))}`;
          }
        }));
      })(),
      probe: range(2000).map(() => letterPageOf(pick(allLetters))),
      editorSlugs,
    };
    // The costs phase's own draw, and its own words: the modes' searches must not be found first
    // (kept results outlive the editor's saves). `/` is one address, kept in every mode anyway.
    const costWords = ["pricing", "wildfire", "vaccine", "census", "pipeline", "housing", "surveillance", "sanctions", "drilling", "recalls"];
    addresses.costMix = addresses.mixes.pop()!.map((entry) =>
      entry.kind === "search" ? { ...entry, paths: costWords.flatMap((word) => [`/search?q=${word}`, `/search?q=${word.slice(0, 5)}`]) } : entry,
    );

    // Issue 12: documents to text, and letter pages during an OCR.
    if (DOCUMENTS !== "off") {
      await measureDocuments({ base, letterPaths: addresses.probe, record, log, timedGet, editorCookie: await signIn(base, editor) });
      loadAverages.push({ at: "documents done", load: os.loadavg()[0] as number });
      assertAlive(server, "the documents phase");
    }
    if (DOCUMENTS === "only") {
      await server.stop();
      writeReport(loadBefore, loadAverages);
      return;
    }

    // 1. Pages against their SQL floor.
    for (const page of PHASES.has("pages") ? pages : []) {
      const first = await timedGet(`${base}${page.path}`);
      if (first.status !== 200) {
        log(`${page.name}: ${first.status}, skipped`);
        recordMissing(`${page.name} p50`, first.status);
        continue;
      }
      for (let i = 0; i < 2; i++) await timedGet(`${base}${page.path}`);
      const served: number[] = [];
      for (let i = 0; i < SAMPLES; i++) served.push((await timedGet(`${base}${page.path}`)).ms);
      const floor = timeSync(page.floor, SAMPLES);
      const p50 = percentile(served, 50);
      const floorP50 = percentile(floor, 50);
      log(`${page.name}: p50 ${p50.toFixed(1)} ms (SQL ${floorP50.toFixed(1)} ms)`);
      record(`${page.name} p50`, p50, "ms", floorP50, "< 150 ms, ≤ 2× SQL", p50 < 150 && p50 <= 2 * floorP50);
      record(`${page.name} p95`, percentile(served, 95), "ms", percentile(floor, 95));
      // The first request fills the figure cache: what a reader meets right after a change.
      record(`${page.name} first request (cold)`, first.ms, "ms", floorP50);
    }

    // 6. Each page's weight: bytes of HTML as sent without compression.
    const weighed = [
      ["/", "/"],
      ["/letters", "/letters"],
      ["/questions", "/questions"],
      ["/agencies", "/agencies"],
      ["letter page", letterPath],
    ] as const;
    for (const [name, target] of PHASES.has("pages") ? weighed : []) {
      const page = await getBody(`${base}${target}`);
      const kb = page.body.length / 1024;
      const limited = name !== "letter page";
      log(`${name}: ${page.status}, ${kb.toFixed(1)} kB of HTML`);
      record(`page weight ${name}`, kb, "kB", null, limited ? `< ${TARGET.pageWeightKb} kB` : "", limited ? kb < TARGET.pageWeightKb : null);
    }

    if (PHASES.has("export") || PHASES.has("load")) {
      // 2. The full questions export against sqlite3 -csv writing the same columns.
      const exportPath = "/export/questions.csv?status=all";
      const idleRss = serverRssMb(serverPid);
      const exported = await download(`${base}${exportPath}`, serverPid);
      const exportMissing = exported.status !== 200;
      let floorRowsPerSecond: number | null = null;
      if (ensureSqliteCli()) {
        // The export's own statements (order the letters, then the one SELECT of rows): the same
        // rows and columns (lists as JSON), without the CSV cells.
        const inline = ({ sql: text, params }: { sql: string; params: unknown[] }) => {
          let index = 0;
          return text.replace(/\?/g, () => {
            const value = params[index++];
            if (value === null || value === undefined) return "NULL";
            return typeof value === "number" ? String(value) : `'${String(value).replace(/'/g, "''")}'`;
          });
        };
        const statements = exportSnapshot.exportStatements(exportModels.questionsExport({ filters: questionFilters("status=all"), asOf }));
        const inlined = `BEGIN;\n${statements.map(inline).join(";\n")};\nCOMMIT;`;
        const started = performance.now();
        const cli = spawn("sqlite3", ["-readonly", "-csv", "-header", DB_FILE, inlined], { stdio: ["ignore", "pipe", "inherit"] });
        let lines = 0;
        let bytes = 0;
        for await (const chunk of cli.stdout as AsyncIterable<Buffer>) {
          bytes += chunk.length;
          for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines += 1;
        }
        const seconds = (performance.now() - started) / 1000;
        floorRowsPerSecond = (lines - 1) / seconds;
        log(`sqlite3 -csv: ${lines - 1} rows, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s`);
      } else {
        log("sqlite3 could not be installed: the export floor is missing");
      }
      if (exportMissing) {
        log(`${exportPath}: ${exported.status}, export measurements skipped`);
        recordMissing("export rows/s", exported.status);
        recordMissing("export peak memory", exported.status);
        if (floorRowsPerSecond !== null) record("sqlite3 -csv rows/s (floor)", floorRowsPerSecond, "rows/s", null);
      } else {
        const seconds = exported.ms / 1000;
        const rowsPerSecond = (exported.lines - 1) / seconds;
        log(`export: ${exported.lines - 1} rows, ${(exported.bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s, peak ${exported.peakMb.toFixed(0)} MB`);
        record("export rows", exported.lines - 1, "rows", null);
        record(
          "export rows/s",
          rowsPerSecond,
          "rows/s",
          floorRowsPerSecond,
          "≥ 0.5× sqlite3",
          floorRowsPerSecond === null ? null : rowsPerSecond >= 0.5 * floorRowsPerSecond,
        );
        record("export MB/s", exported.bytes / 1e6 / seconds, "MB/s", null);
        record("export peak memory", exported.peakMb, "MB", idleRss, "< 200 MB", exported.peakMb < 200);
        // The server's resident memory before the export is the baseline above; this is what the
        // export itself added.
        record("export memory growth", exported.peakMb - idleRss, "MB", null);
      }

      // 3. Load: idle, then while full exports run back to back.
      const idle: Record<string, AutocannonResult> = {};
      const idlePeak: Record<string, number> = {};
      const peakDuring = async <T>(work: Promise<T>): Promise<[T, number]> => {
        let peak = serverRssMb(serverPid);
        const sampler = setInterval(() => (peak = Math.max(peak, serverRssMb(serverPid))), 25);
        try {
          return [await work, peak];
        } finally {
          clearInterval(sampler);
        }
      };
      for (const target of PHASES.has("load") ? ["/", "/letters"] : []) {
        log(`autocannon ${target}: ${CONNECTIONS} connections, ${DURATION} s, idle`);
        const [result, peak] = await underLoad(server, `${target} load (idle)`, () => peakDuring(autocannon(`${base}${target}`)));
        idle[target] = result;
        idlePeak[target] = peak;
        const errors = failures(result);
        record(`${target} idle req/s`, result.requests.average, "req/s", null);
        record(`${target} idle p99`, result.latency.p99, "ms", null);
        record(`${target} idle errors`, errors, "errors", null, "0", errors === 0);
        // 50 concurrent page renders: what the export's memory under load compares with.
        record(`server peak memory under ${target} load`, peak, "MB", null);
      }
      if (!PHASES.has("load")) {
        // skipped (--phases)
      } else if (exportMissing) {
        for (const target of ["/", "/letters"]) recordMissing(`${target} p99 during export`, exported.status);
      } else {
        for (const target of ["/", "/letters"]) {
          let exporting = true;
          let exportsDone = 0;
          let exportPeak = 0;
          const exportLoop = (async () => {
            while (exporting) {
              const run = await download(`${base}${exportPath}`, serverPid);
              exportPeak = Math.max(exportPeak, run.peakMb);
              if (exporting) exportsDone += 1;
            }
          })();
          log(`autocannon ${target}: ${CONNECTIONS} connections, ${DURATION} s, during full exports`);
          const result = await underLoad(server, `${target} load + exports`, () => autocannon(`${base}${target}`));
          exporting = false;
          await exportLoop;
          const errors = failures(result);
          const idleP99 = (idle[target] as AutocannonResult).latency.p99;
          record(`${target} req/s during export`, result.requests.average, "req/s", (idle[target] as AutocannonResult).requests.average);
          record(`${target} p99 during export`, result.latency.p99, "ms", idleP99, "< 3× idle p99", result.latency.p99 < 3 * idleP99);
          record(`${target} errors during export`, errors, "errors", null, "0", errors === 0);
          record(`exports completed during ${target} load`, exportsDone, "exports", null);
          record(`server peak memory during ${target} load + export`, exportPeak, "MB", idlePeak[target] ?? null);
        }
      }
    }

    assertAlive(server, "the pages, the export and the load with exports");

    if (PHASES.has("costs")) await measureCosts(server, addresses.costMix);

    // Issue 11, one process: direct, then through nginx.
    if (SINGLE) {
      await measureMode({ label: "1 process, direct", base, server, nginx: null }, addresses, editor);
      loadAverages.push({ at: "1 process, direct done", load: os.loadavg()[0] as number });
      await throughNginx("1 process", server, addresses, editor);
      loadAverages.push({ at: "1 process, nginx done", load: os.loadavg()[0] as number });
    }
  } finally {
    await server.stop();
  }

  // Issue 11, several processes (`--workers W`): direct, then through nginx.
  if (WORKERS > 1) {
    const label = `${WORKERS} workers`;
    const workersPort = await freePort();
    log(`\nStarting the production server with --workers ${WORKERS} on http://127.0.0.1:${workersPort} (log: bench/server-workers.log)`);
    const cluster = await startServer(workersPort, { workers: WORKERS, logName: "server-workers.log" });
    try {
      if (cluster.processes < WORKERS) {
        log(`--workers ${WORKERS}: not available (build/server.js served from one process: this checkout has no --workers)`);
        recordMissing(`--workers ${WORKERS}`, "not available (the server does not take --workers)");
      } else {
        log(`${cluster.processes} worker processes under ${cluster.pid}`);
        await measureMode({ label: `${label}, direct`, base: cluster.base, server: cluster, nginx: null }, addresses, editor);
        loadAverages.push({ at: `${label}, direct done`, load: os.loadavg()[0] as number });
        await throughNginx(label, cluster, addresses, editor);
        loadAverages.push({ at: `${label}, nginx done`, load: os.loadavg()[0] as number });
      }
    } finally {
      await cluster.stop();
    }
  }

  if (MAIL === "on") {
    await measureMail();
    loadAverages.push({ at: "mail done", load: os.loadavg()[0] as number });
  }
  writeReport(loadBefore, loadAverages);
}

/** Prints the table and writes bench/results.json. */
function writeReport(loadBefore: number, loadAverages: Array<{ at: string; load: number }>): void {
  const loadAfter = os.loadavg()[0] as number;
  loadAverages.push({ at: "end", load: loadAfter });
  const results: Result[] = rows.map(({ name, value, unit, baseline, ratio }) => ({ name, value, unit, baseline, ratio }));
  fs.writeFileSync(
    path.join(BENCH_DIR, "results.json"),
    `${JSON.stringify(
      {
        letters: LETTERS,
        cpus: os.cpus().length,
        loadAverage: loadAverages.map(({ at, load }) => ({ at, load: round(load, 2) })),
        duration: DURATION,
        connections: CONNECTIONS,
        results,
        targets: rows.filter((row) => row.pass !== null).map(({ name, target, pass }) => ({ name, target, pass })),
      },
      null,
      2,
    )}\n`,
  );
  const table = [
    ["name", "value", "unit", "baseline", "ratio", "target", "ok"],
    ...rows.map((row) => [
      row.name,
      row.value === null ? "—" : String(row.value),
      row.unit,
      row.baseline === null ? "" : String(row.baseline),
      row.ratio === null ? "" : String(row.ratio),
      row.target,
      row.pass === null ? "" : row.pass ? "yes" : "NO",
    ]),
  ];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((line) => (line[column] as string).length)));
  const format = (line: string[]) => line.map((cell, column) => cell.padEnd(widths[column] as number)).join("  ").trimEnd();
  console.log(`\nBenchmark at ${LETTERS} letters (${path.relative(process.cwd(), DB_FILE)}), ${DURATION} s per load, ${CONNECTIONS} connections\n`);
  console.log(format(table[0]!));
  console.log(widths.map((width) => "-".repeat(width)).join("  "));
  for (const line of table.slice(1)) console.log(format(line));
  const missed = rows.filter((row) => row.pass === false).map((row) => row.name);
  console.log(`\nTargets: ${rows.filter((row) => row.pass === true).length} met, ${missed.length} missed${missed.length ? `: ${missed.join("; ")}` : ""}.`);
  console.log(
    `${os.cpus().length} CPUs; load average ${loadBefore.toFixed(1)} at the start, ${loadAfter.toFixed(1)} at the end ` +
      `(${loadAverages.map(({ at, load }) => `${at} ${load.toFixed(1)}`).join(", ")}).`,
  );
  console.log(`Wrote bench/results.json`);
}

/** Issue 11's measures through nginx in front of `server`, or a "not available" line. */
async function throughNginx(label: string, server: Server, addresses: Addresses, editor: { email: string; password: string }): Promise<void> {
  if (!WITH_NGINX) return;
  let nginx: RunningNginx;
  try {
    nginx = await startNginx({ upstreamPort: server.port });
  } catch (error) {
    log(`nginx: not available (${(error as Error).message.split("\n")[0]})`);
    recordMissing(`nginx [${label}]`, `not available (${NGINX_BINARY})`);
    return;
  }
  log(`nginx on ${nginx.url} with ${nginx.configSource}`);
  try {
    await measureMode({ label: `${label}, nginx`, base: nginx.url, server, nginx }, addresses, editor);
  } finally {
    await nginx.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
