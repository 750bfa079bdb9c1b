/**
 * `npx tsx scripts/page-timings.ts --db PATH [--runs N] [--only REGEX] [--plans] [ADDRESS...]`: times
 * the model calls each page's loader makes (test/support/page-loads.ts) on a database, with the
 * figure cache off, so every run pays for its SQL. Prints one line per page: the fastest and the
 * median run, in milliseconds. Addresses may name the busiest :agency, :member and :committee, a
 * chained :letter and a search :word. With --plans, prints each statement's query plan instead,
 * marking the steps that read a whole table or an index range (test/integration/page-plans.test.ts
 * holds pages to them). With --statements, prints each page's statements that took --min-ms (5) or more
 * (one run, the first 220 characters of each). Run it on a quiet machine; see docs/performance.md.
 */
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  options: {
    db: { type: "string" },
    runs: { type: "string", default: "3" },
    only: { type: "string" },
    plans: { type: "boolean", default: false },
    statements: { type: "boolean", default: false },
    "min-ms": { type: "string", default: "5" },
  },
  allowPositionals: true,
});
if (!values.db) throw new Error("--db PATH is required");
process.env.DATABASE_PATH = values.db;
process.env.FIGURE_CACHE = "off";

const PAST = "2026-06-01";

/** The pages the issue named as slow, then every other page. */
export const DEFAULT_ADDRESSES = [
  `/agencies/:agency?asOf=${PAST}`,
  `/committees/:committee?asOf=${PAST}`,
  `/members/:member?asOf=${PAST}`,
  "/questions?page=2000",
  `/questions?page=2000&asOf=${PAST}`,
  `/search?q=:word&asOf=${PAST}`,
  `/briefing?asOf=${PAST}`,
  `/letters?asOf=${PAST}&sort=status`,
  `/letters?asOf=${PAST}`,
  `/letters?asOf=${PAST}&sort=deadline`,
  `/letters?asOf=${PAST}&sort=outstanding`,
  `/letters?asOf=${PAST}&sort=title`,
  "/letters",
  "/letters?sort=status",
  "/letters?sort=deadline",
  "/letters?sort=outstanding",
  "/letters?sort=title",
  "/letters/:letter",
  `/letters/:letter?asOf=${PAST}`,
  "/agencies/:agency",
  "/committees/:committee",
  "/members/:member",
  "/questions",
  `/questions?asOf=${PAST}`,
  "/search?q=:word",
  "/briefing",
  "/briefing?agency=:agency",
  `/briefing?agency=:agency&asOf=${PAST}`,
  "/calendar.ics",
  `/calendar.ics?asOf=${PAST}`,
  "/feed.xml",
  "/api/letters",
  `/api/letters?asOf=${PAST}`,
  "/api/questions",
  "/api/agencies",
  `/api/agencies?asOf=${PAST}`,
  "/agencies",
  `/agencies?asOf=${PAST}`,
  "/",
  `/?asOf=${PAST}`,
];

const { getDb } = await import("../db/client.server");
const { addressOf, busiestSubjects, pageLoad } = await import("../test/support/page-loads");
const { isLimitedWalk, planText, plannedStatements, unboundedReads } = await import("../test/support/query-plans");

const db = getDb();
const subjects = busiestSubjects(db);
const runs = Number(values.runs);
const only = values.only ? new RegExp(values.only) : null;
const addresses = (positionals.length > 0 ? positionals : DEFAULT_ADDRESSES).filter((address) => !only || only.test(address));

console.log(`${db.$client.name}: ${JSON.stringify(subjects)}`);
if (values.plans) {
  for (const template of addresses) {
    console.log(`\n# ${template}`);
    for (const statement of plannedStatements(pageLoad(addressOf(template, subjects)).load)) {
      console.log(`\n${statement.sql.replace(/\s+/g, " ").trim().slice(0, 300)}`);
      const marks = new Map(unboundedReads(statement).map((step) => [step.id, isLimitedWalk(statement, step) ? "walk" : "whole"]));
      const lines = planText(statement.plan).split("\n");
      statement.plan.forEach((step, index) => console.log(`  ${(marks.get(step.id) ?? "").padEnd(6)} ${lines[index]}`));
    }
  }
  process.exit(0);
}
if (values.statements) {
  // Every statement better-sqlite3 prepares is wrapped so that running it is timed.
  const client = db.$client as unknown as { prepare: (source: string) => Record<string, unknown> };
  const prepare = client.prepare.bind(client);
  let timings: Array<{ source: string; ms: number }> = [];
  client.prepare = (source: string) => {
    const statement = prepare(source);
    for (const method of ["all", "get", "run", "iterate"]) {
      const run = statement[method] as (...args: unknown[]) => unknown;
      statement[method] = (...args: unknown[]) => {
        const started = performance.now();
        const result = run.apply(statement, args);
        if (method === "iterate") {
          // Materialized here so that its reading is timed too.
          const rows = [...(result as Iterable<unknown>)];
          timings.push({ source, ms: performance.now() - started });
          return rows[Symbol.iterator]();
        }
        timings.push({ source, ms: performance.now() - started });
        return result;
      };
    }
    for (const method of ["raw", "pluck", "expand"]) {
      const mode = statement[method] as (...args: unknown[]) => unknown;
      statement[method] = (...args: unknown[]) => (mode.apply(statement, args), statement);
    }
    return statement;
  };
  for (const template of addresses) {
    // A first run prepares the statements; the second is timed.
    pageLoad(addressOf(template, subjects)).load();
    timings = [];
    const started = performance.now();
    pageLoad(addressOf(template, subjects)).load();
    console.log(`\n# ${template}: ${(performance.now() - started).toFixed(1)} ms`);
    console.log(`  ${timings.length} statements, ${timings.reduce((sum, timing) => sum + timing.ms, 0).toFixed(1)} ms in SQLite`);
    for (const { source, ms } of timings.filter((timing) => timing.ms >= Number(values["min-ms"]))) {
      // The state CTEs (letter-state.server.ts) open most statements: show what follows them.
      const text = source.replace(/\s+/g, " ").trim();
      const body = text.startsWith("WITH") ? text.slice(text.search(/\) SELECT /) + 2) : text;
      console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${body.slice(0, 220)}`);
    }
  }
  process.exit(0);
}
// CPU time (this process's, user and system) says how much work a page is when other processes
// share the machine; wall time is what a reader waits on a quiet one.
console.log(`${"page".padEnd(60)} ${"cpu ms".padStart(9)} ${"wall ms".padStart(9)} ${"median".padStart(9)}`);
for (const template of addresses) {
  const address = addressOf(template, subjects);
  const { load } = pageLoad(address);
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    load();
    const used = process.cpuUsage(cpu);
    walls.push(performance.now() - started);
    cpus.push((used.user + used.system) / 1000);
  }
  const sorted = [...walls].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const cells = [Math.min(...cpus), sorted[0]!, median].map((value) => value.toFixed(1).padStart(9));
  console.log(`${template.padEnd(60)} ${cells.join(" ")}`);
}
