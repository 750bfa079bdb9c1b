/**
 * Starts the real production server (build/server.js: scripts/serve.ts as `npm run build` bundles it,
 * on the built app) on a free port with its own database file, for browser tests. One process
 * (WEB_WORKERS=1) unless the test asks for workers, e.g. `startServer({}, { args: ["--workers", "2"] })`:
 * tests that read the server's pid (its memory, its signals) mean the process that serves.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface RunningServer {
  url: string;
  databasePath: string;
  output: () => string;
  stop: () => Promise<void>;
  pid: number;
  /** Resolves with the exit code (null when killed by a signal) once the process has ended. */
  exited: Promise<number | null>;
}

export interface StartOptions {
  /** Command-line arguments for build/server.js, e.g. ["--workers", "2"]. */
  args?: string[];
}

function probePort(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(port, "127.0.0.1", () => {
      const { port: bound } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(bound));
    });
  });
}

/**
 * A free port: any the system gives, or, with TEST_PORTS=FIRST-LAST (a machine shared by several
 * test runs, each given its own ports), a free one in that range.
 */
export async function freePort(): Promise<number> {
  const range = /^(\d+)-(\d+)$/.exec(process.env.TEST_PORTS ?? "");
  if (!range) return probePort(0);
  const first = Number(range[1]);
  const size = Number(range[2]) - first + 1;
  // From a random place in the range: test files starting servers at once rarely pick the same.
  const start = Math.floor(Math.random() * size);
  for (let i = 0; i < size; i++) {
    try {
      return await probePort(first + ((start + i) % size));
    } catch {
      // taken: try the next
    }
  }
  throw new Error(`TEST_PORTS=${process.env.TEST_PORTS}: no free port in the range`);
}

export async function startServer(env: Record<string, string> = {}, { args = [] }: StartOptions = {}): Promise<RunningServer> {
  if (!fs.existsSync("build/index.js") || !fs.existsSync("build/server.js")) {
    throw new Error("The app is not built: run `npm run build` (npm test does this first).");
  }
  const port = await freePort();
  const databasePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tracker-e2e-")), "tracker.db");
  let output = "";
  const child: ChildProcess = spawn(
    process.execPath,
    ["build/server.js", ...args],
    {
      // PUBLIC_URL as the app's own default (a production server with SMTP_URL must be told it).
      env: { ...process.env, NODE_ENV: "production", PORT: String(port), PUBLIC_URL: `http://localhost:${port}`, DATABASE_PATH: databasePath, WEB_WORKERS: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 180 s:\n${output}`)), 180_000);
    const check = () => {
      if (output.includes("listening on")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", check);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    databasePath,
    output: () => output,
    pid: child.pid as number,
    exited,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Creates a user in a running server's database through the real CLI, password on standard input. */
export async function createUserWithCli(
  databasePath: string,
  user: { email: string; name: string; role: "viewer" | "editor" | "admin"; password: string },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "scripts/user-create.ts", "--email", user.email, "--name", user.name, "--role", user.role],
      { env: { ...process.env, DATABASE_PATH: databasePath }, stdio: ["pipe", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`user:create failed (${code}): ${output}`))));
    child.stdin.end(`${user.password}\n`);
  });
}

/** What the server's read pool has finished since its start (/healthz): work a request caused, or not. */
export async function readsCompleted(server: RunningServer): Promise<number> {
  const health = (await (await fetch(`${server.url}/healthz`)).json()) as { readPool: { completed: number } | null };
  if (!health.readPool) throw new Error("the server runs no read pool");
  return health.readPool.completed;
}
