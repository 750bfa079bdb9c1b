/**
 * `npm run bench [-- --letters N] [--seed S] [--duration SEC] [--samples K]`
 *
 * Builds (or reuses) bench/synthetic-N-seed-S.db, starts the production server on it and measures,
 * side by side in one run:
 * - p50/p95 of each page against the same SQL run directly through better-sqlite3 (the model
 *   functions the page's loader calls, on a separate connection): the floor;
 * - throughput and peak server memory of the full questions export against `sqlite3 -csv` writing
 *   the same columns: the floor;
 * - requests/s and p99 of `/` and `/letters` under autocannon (a second process, 50 connections),
 *   idle and again while full exports run back to back.
 * Prints a table and writes bench/results.json: {"letters": N, "results": [{name, value, unit,
 * baseline, ratio}]}. Routes that do not exist yet are reported as "missing (404)".
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    letters: { type: "string", default: "100000" },
    seed: { type: "string", default: "1" },
    duration: { type: "string", default: "20" },
    connections: { type: "string", default: "50" },
    samples: { type: "string", default: "30" },
  },
});
const LETTERS = Number(args.letters);
const SEED = Number(args.seed);
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const SAMPLES = Number(args.samples);
const BENCH_DIR = path.resolve("bench");
const DB_FILE = path.join(BENCH_DIR, `synthetic-${LETTERS}-seed-${SEED}.db`);

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
}

function recordMissing(name: string, status: number): void {
  rows.push({ name, value: null, unit: `missing (${status})`, baseline: null, ratio: null, target: "", pass: null });
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

/** Resident memory of a process in MB, from /proc (Linux). */
function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : 0;
}

async function startServer(port: number): Promise<ChildProcess> {
  const logFile = fs.openSync(path.join(BENCH_DIR, "server.log"), "w");
  const child = spawn(process.execPath, ["build/server.js"], {
    env: { ...process.env, PORT: String(port), DATABASE_PATH: DB_FILE, NODE_ENV: "production", SEED_DEMO_DATA: "off", FIGURE_CACHE: "on" },
    stdio: ["ignore", logFile, logFile],
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}); see bench/server.log`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return child;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error("the server did not start in 120 s; see bench/server.log");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * A GET on a fresh connection (no keep-alive): timing the SQL floor blocks this process for
 * seconds, long enough for the server to close an idle pooled socket under a later request.
 */
function freshGet(url: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false, headers: { "accept-encoding": "identity" } }, resolve).on("error", reject);
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
  non2xx: number;
}

/** Failed requests: autocannon's `errors` already include timeouts; add non-2xx answers. */
function failures(result: AutocannonResult): number {
  return result.errors + result.non2xx;
}

function autocannon(url: string): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.resolve("node_modules/.bin/autocannon"),
      ["-c", String(CONNECTIONS), "-d", String(DURATION), "-j", "-H", "accept-encoding=gzip", url],
      { stdio: ["ignore", "pipe", "ignore"] },
    );
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

/** Downloads a URL in full, counting bytes and lines, sampling the server's memory meanwhile. */
async function download(url: string, serverPid: number): Promise<{ status: number; bytes: number; lines: number; ms: number; peakMb: number }> {
  let peakMb = rssMb(serverPid);
  const sampler = setInterval(() => (peakMb = Math.max(peakMb, rssMb(serverPid))), 25);
  const started = performance.now();
  try {
    const response = await freshGet(url);
    let bytes = 0;
    let lines = 0;
    for await (const chunk of response as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines += 1;
    }
    return { status: response.statusCode ?? 0, bytes, lines, ms: performance.now() - started, peakMb: Math.max(peakMb, rssMb(serverPid)) };
  } finally {
    clearInterval(sampler);
  }
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

async function main() {
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const { buildSyntheticDatabase } = await import("./seed-synthetic");
  if (fs.existsSync(DB_FILE)) {
    log(`Reusing ${path.relative(process.cwd(), DB_FILE)}`);
  } else {
    log(`Building ${path.relative(process.cwd(), DB_FILE)} (${LETTERS} letters, seed ${SEED})`);
    buildSyntheticDatabase({ file: DB_FILE, letters: LETTERS, seed: SEED, log });
  }
  if (!fs.existsSync("build/index.js") || !fs.existsSync("build/server.js")) {
    log("No build found: running npm run build");
    execFileSync("npm", ["run", "build"], { stdio: "inherit" });
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

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // Figures are only comparable on a quiet machine: say how busy it was.
  const loadBefore = os.loadavg()[0] as number;
  log(`Starting the production server on ${base} (log: bench/server.log)`);
  const server = await startServer(port);
  const serverPid = server.pid as number;
  try {
    // 1. Pages against their SQL floor.
    for (const page of pages) {
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

    // 2. The full questions export against sqlite3 -csv writing the same columns.
    const exportPath = "/export/questions.csv?status=all";
    const idleRss = rssMb(serverPid);
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
      let peak = rssMb(serverPid);
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(serverPid))), 25);
      try {
        return [await work, peak];
      } finally {
        clearInterval(sampler);
      }
    };
    for (const target of ["/", "/letters"]) {
      log(`autocannon ${target}: ${CONNECTIONS} connections, ${DURATION} s, idle`);
      const [result, peak] = await peakDuring(autocannon(`${base}${target}`));
      idle[target] = result;
      idlePeak[target] = peak;
      const errors = failures(result);
      record(`${target} idle req/s`, result.requests.average, "req/s", null);
      record(`${target} idle p99`, result.latency.p99, "ms", null);
      record(`${target} idle errors`, errors, "errors", null, "0", errors === 0);
      // 50 concurrent page renders: what the export's memory under load compares with.
      record(`server peak memory under ${target} load`, peak, "MB", null);
    }
    if (exportMissing) {
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
        const result = await autocannon(`${base}${target}`);
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
  } finally {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
  }

  // Report.
  const results: Result[] = rows.map(({ name, value, unit, baseline, ratio }) => ({ name, value, unit, baseline, ratio }));
  fs.writeFileSync(path.join(BENCH_DIR, "results.json"), `${JSON.stringify({ letters: LETTERS, results }, null, 2)}\n`);
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
  console.log(`\nBenchmark at ${LETTERS} letters (${path.relative(process.cwd(), DB_FILE)})\n`);
  console.log(format(table[0]!));
  console.log(widths.map((width) => "-".repeat(width)).join("  "));
  for (const line of table.slice(1)) console.log(format(line));
  console.log(
    `\n${os.cpus().length} CPUs; load average ${loadBefore.toFixed(1)} at the start, ${(os.loadavg()[0] as number).toFixed(1)} at the end.`,
  );
  console.log(`Wrote bench/results.json`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
