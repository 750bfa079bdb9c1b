/**
 * Attack on the server listening only once its read threads are ready (ReadPool.ready before
 * listen, scripts/serve.ts): a read worker bundle that fails to load must not leave an unhandled
 * rejection's stack as the only word; the server stops with a message naming the read worker. A
 * missing bundle still serves (reads on the event loop). Both from a copy of this worktree whose
 * build/read-worker.js is replaced.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../support/server";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A directory like this worktree (links), whose build/read-worker.js is `worker`'s text, or absent. */
function copyWith(worker: string | null): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "attack-11b-serve-"));
  made.push(dir);
  for (const entry of fs.readdirSync(".")) if (entry !== "build") fs.symlinkSync(path.resolve(entry), path.join(dir, entry));
  fs.mkdirSync(path.join(dir, "build"));
  for (const entry of fs.readdirSync("build")) if (entry !== "read-worker.js") fs.symlinkSync(path.resolve("build", entry), path.join(dir, "build", entry));
  if (worker !== null) fs.writeFileSync(path.join(dir, "build", "read-worker.js"), worker);
  return dir;
}

/** Starts build/server.js in `cwd`: resolves when it listens or exits, with its output. */
async function start(cwd: string, args: string[] = []): Promise<{ listening: boolean; code: number | null; output: string; stop: () => void }> {
  const port = await freePort();
  const databasePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "attack-11b-db-")), "tracker.db");
  made.push(path.dirname(databasePath));
  const child = spawn(process.execPath, ["build/server.js", ...args], {
    cwd,
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), PUBLIC_URL: `http://localhost:${port}`, DATABASE_PATH: databasePath, WEB_WORKERS: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (output.includes("listening on")) resolve({ listening: true, code: null, output, stop: () => child.kill("SIGTERM") });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => resolve({ listening: false, code, output, stop: () => {} }));
  });
}

describe("the server's start with its read worker bundle", () => {
  it("stops with a message naming the read worker when the bundle fails to load", async () => {
    const started = await start(copyWith('throw new Error("cannot load: attack-11b");\n'));
    started.stop();
    expect(started.listening, started.output).toBe(false);
    expect(started.code, started.output).toBe(1);
    expect(started.output).toMatch(/read worker|read pool/i);
    expect(started.output).toContain("cannot load: attack-11b");
    // Said by the server, not by Node's report of an unhandled rejection.
    expect(started.output).not.toMatch(/triggerUncaughtException|Unhandled/);
  }, 240_000);

  it("with --workers 2, the primary stops once its workers did, each saying why", async () => {
    const started = await start(copyWith('throw new Error("cannot load: attack-11b");\n'), ["--workers", "2"]);
    started.stop();
    expect(started.listening, started.output).toBe(false);
    expect(started.code, started.output).toBe(1);
    expect(started.output).toMatch(/read pool's threads could not load/);
  }, 240_000);

  it("listens without the bundle (reads on the event loop)", async () => {
    const started = await start(copyWith(null));
    started.stop();
    expect(started.listening, started.output).toBe(true);
  }, 240_000);
});
