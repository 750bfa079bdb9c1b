/**
 * Several app processes on one port (node:cluster). `npm run serve -- --workers N` (or WEB_WORKERS;
 * default one per core, one in development):
 *
 * - N = 1: one process, as before: it bootstraps the database and serves.
 * - N > 1: this process is the primary. It bootstraps the database once (migrations, demo seed,
 *   first admin) before forking, then forks N workers that share the port (the primary accepts
 *   connections and hands them out in turn). It prints the "listening on" line once, when all N
 *   listen. A worker that dies is replaced after a back-off that doubles while replacements keep
 *   dying young (so a crash loop costs little), and resets once one has served for a while. A
 *   worker that dies before the first "listening on" stops everything: that is a configuration
 *   error (a missing build, a port in use), which restarting would only repeat. SIGTERM or SIGINT
 *   is passed to every worker, which finishes its open requests and closes its connection
 *   (scripts/graceful-shutdown.ts); the primary exits when they all have: 0 if they all did cleanly.
 *
 * Nothing is shared between the processes but the database: sessions, sign-in throttles, the data
 * revision and job leases live there.
 */
import cluster, { type Worker } from "node:cluster";
import type { Server } from "node:http";
import os from "node:os";
import { parseArgs } from "node:util";
import { env, workerCountSchema } from "~/env.server";

export type ProcessRole = "single" | "primary" | "worker";

/** The first restart waits this long; each further early death doubles it, up to the maximum. */
export const RESTART_BASE_MS = 200;
export const RESTART_MAX_MS = 30_000;
/** A worker that served this long was healthy: the next restart after it starts from the base again. */
export const HEALTHY_AFTER_MS = 30_000;
/** Workers finish their requests within 10 s (graceful-shutdown.ts); past this the primary kills them. */
const SHUTDOWN_LIMIT_MS = 15_000;

/** How many processes serve: `--workers N` (or `--workers=N`), else WEB_WORKERS, else the default. */
export function workerCount({
  argv,
  configured = env.WEB_WORKERS,
  development = env.NODE_ENV === "development",
  cores = os.availableParallelism(),
}: {
  argv: string[];
  configured?: number;
  development?: boolean;
  cores?: number;
}): number {
  const { values } = parseArgs({ args: argv, options: { workers: { type: "string" } }, strict: false, allowPositionals: true });
  if (values.workers !== undefined) {
    const parsed = workerCountSchema.safeParse(values.workers);
    if (!parsed.success) throw new Error(`--workers: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    return parsed.data;
  }
  // Development reloads one process (remix dev): several would each announce a rebuild.
  return configured ?? (development ? 1 : cores);
}

/** The wait before restarting a worker after `earlyDeaths` replacements in a row died young. */
export function restartDelayMs(earlyDeaths: number): number {
  return Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** Math.min(earlyDeaths, 20));
}

export function listeningLine(port: number, workers: number): string {
  return `Oversight Letter Tracker listening on http://localhost:${port}${workers > 1 ? ` (${workers} worker processes)` : ""}`;
}

/**
 * Decides this process's part. A worker just serves; a single process bootstraps and serves; the
 * primary bootstraps, starts the workers and supervises them (it never loads the app itself).
 */
export async function startProcesses({
  argv,
  bootstrap,
}: {
  argv: string[];
  bootstrap: () => Promise<void>;
}): Promise<ProcessRole> {
  if (cluster.isWorker) return "worker";
  let workers: number;
  try {
    workers = workerCount({ argv });
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  await bootstrap();
  if (workers === 1) return "single";
  superviseWorkers(workers);
  return "primary";
}

/**
 * Listens (a worker on the primary's shared port). A single process prints the "listening on"
 * line itself; workers leave it to the primary, which prints it once they all listen.
 */
export function listen(server: Server, port: number, role: ProcessRole, onListening: () => void): void {
  if (env.EXPOSE_WORKER_ID) {
    // Before the app's own listener, so it is set on every response, however early it is sent.
    server.prependListener("request", (_req, res) => res.setHeader("X-Worker", String(process.pid)));
  }
  server.listen(port, () => {
    if (role !== "worker") console.log(listeningLine(port, 1));
    onListening();
  });
}

interface Slot {
  index: number;
  worker: Worker | null;
  startedAt: number;
  listening: boolean;
  /** Replacements in a row that died before serving HEALTHY_AFTER_MS. */
  earlyDeaths: number;
  restartTimer: NodeJS.Timeout | null;
}

function superviseWorkers(count: number, log: (line: string) => void = console.log): void {
  const slots: Slot[] = Array.from({ length: count }, (_, index) => ({
    index,
    worker: null,
    startedAt: 0,
    listening: false,
    earlyDeaths: 0,
    restartTimer: null,
  }));
  const byWorker = new Map<Worker, Slot>();
  let announced = false;
  let shuttingDown = false;
  let failedShutdown = false;

  const fork = (slot: Slot) => {
    slot.restartTimer = null;
    slot.listening = false;
    slot.startedAt = Date.now();
    const worker = cluster.fork();
    slot.worker = worker;
    byWorker.set(worker, slot);
  };

  cluster.on("listening", (worker, address) => {
    const slot = byWorker.get(worker);
    if (!slot || slot.listening) return;
    slot.listening = true;
    if (!announced && slots.every((s) => s.listening)) {
      announced = true;
      log(`Workers ${slots.map((s) => s.worker?.process.pid).join(", ")} ready`);
      log(listeningLine(address.port, count));
    } else if (announced) {
      log(`Worker ${worker.process.pid} ready (slot ${slot.index + 1} of ${count})`);
    }
  });

  cluster.on("exit", (worker, code, signal) => {
    const slot = byWorker.get(worker);
    byWorker.delete(worker);
    if (!slot) return;
    slot.worker = null;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (shuttingDown) {
      // A worker that was still starting had no requests to finish: its end is not a failure.
      if (slot.listening && code !== 0) failedShutdown = true;
      log(`Worker ${worker.process.pid} exited (${how})`);
      if (slots.every((s) => s.worker === null)) {
        log(failedShutdown ? "Workers stopped; some did not finish cleanly" : "All workers finished");
        process.exit(failedShutdown ? 1 : 0);
      }
      return;
    }
    if (!announced) {
      // Never got going: restarting would fail the same way.
      log(`Worker ${worker.process.pid} exited (${how}) before the server was up; stopping`);
      shuttingDown = true;
      failedShutdown = true;
      for (const other of slots) other.worker?.process.kill("SIGTERM");
      if (slots.every((s) => s.worker === null)) process.exit(1);
      return;
    }
    const healthy = slot.listening && Date.now() - slot.startedAt >= HEALTHY_AFTER_MS;
    if (healthy) slot.earlyDeaths = 0;
    const delay = restartDelayMs(slot.earlyDeaths);
    slot.earlyDeaths += 1;
    log(`Worker ${worker.process.pid} died (${how}); starting a replacement in ${delay} ms`);
    slot.restartTimer = setTimeout(() => fork(slot), delay);
  });

  const shutdown = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    for (const slot of slots) {
      if (slot.restartTimer) clearTimeout(slot.restartTimer);
      slot.restartTimer = null;
    }
    const running = slots.filter((s) => s.worker !== null);
    log(`${signal} received: asking ${running.length} workers to finish open requests`);
    if (running.length === 0) process.exit(0);
    for (const slot of running) slot.worker?.process.kill(signal);
    const limit = setTimeout(() => {
      log(`Workers still running after ${SHUTDOWN_LIMIT_MS} ms; killing them`);
      for (const slot of slots) slot.worker?.process.kill("SIGKILL");
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    limit.unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));

  for (const slot of slots) fork(slot);
}
