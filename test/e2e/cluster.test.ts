/**
 * Several app processes (`--workers 2`, scripts/cluster.ts) against the real production server:
 * both workers serve, the database is bootstrapped once, a session made through one worker is good
 * on the other (sessions live in the database), a worker killed with SIGKILL is replaced while the
 * other keeps answering, and SIGTERM to the primary ends every process cleanly with exit code 0.
 *
 * Each request goes on a new connection (test/support/http-client.ts): the primary hands
 * connections to the workers in turn. The workers name themselves in `X-Worker` (EXPOSE_WORKER_ID).
 */
import fs from "node:fs";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cookieFrom, request, until, type RawResponse } from "../support/http-client";
import { createUserWithCli, startServer, type RunningServer } from "../support/server";

const admin = { email: "owner@example.org", name: "Owner", role: "admin" as const, password: "the owner's own passphrase" };
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ EXPOSE_WORKER_ID: "on" }, { args: ["--workers", "2"] });
  await createUserWithCli(server.databasePath, admin);
});

afterAll(async () => {
  await server?.stop();
});

const workerOf = (response: RawResponse) => Number(response.header("x-worker"));

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function parentOf(pid: number): number {
  return Number(/^PPid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
}

/** Requests `path` on new connections until one is answered by a worker `accept`s; every answer must be `status`. */
async function requestUntilWorker(
  path: string,
  accept: (pid: number) => boolean,
  { headers = {}, status = 200 }: { headers?: Record<string, string>; status?: number } = {},
): Promise<{ response: RawResponse; seen: number[] }> {
  const seen: number[] = [];
  for (let i = 0; i < 50; i++) {
    const response = await request(`${server.url}${path}`, { headers });
    expect(response.status, `${path} answered by ${response.header("x-worker")}: ${response.text.slice(0, 200)}`).toBe(status);
    seen.push(workerOf(response));
    if (accept(workerOf(response))) return { response, seen };
  }
  throw new Error(`no answer from the worker sought in 50 requests; answered by ${[...new Set(seen)].join(", ")}\n${server.output()}`);
}

let workers: number[] = [];

describe("two worker processes", () => {
  it("both serve requests, and both are the primary's children", async () => {
    const first = workerOf((await requestUntilWorker("/healthz", () => true)).response);
    const second = workerOf((await requestUntilWorker("/healthz", (pid) => pid !== first)).response);
    workers = [first, second];
    for (const pid of workers) {
      expect(pid).not.toBe(server.pid);
      expect(parentOf(pid)).toBe(server.pid);
    }
    expect(server.output()).toMatch(new RegExp(`Workers (${first}, ${second}|${second}, ${first}) ready`));
    expect(server.output().match(/listening on/g)).toHaveLength(1);
    expect(server.output()).toMatch(/listening on http:\/\/localhost:\d+ \(2 worker processes\)/);
  });

  it("the database was migrated, seeded and given its first admin once, by the primary", () => {
    expect(server.output().match(/Seeded the demo letters/g)).toHaveLength(1);
    expect(server.output().match(/Created the first admin account/g)).toHaveLength(1);
    const sqlite = new Database(server.databasePath, { readonly: true });
    try {
      expect(sqlite.prepare("SELECT COUNT(*) AS n FROM users WHERE email = 'admin@tracker.local'").get()).toEqual({ n: 1 });
    } finally {
      sqlite.close();
    }
  });

  it("a sign-in made through one worker is honoured by the other", async () => {
    const login = await request(`${server.url}/login`, {
      method: "POST",
      body: new URLSearchParams({ email: admin.email, password: admin.password }),
    });
    expect(login.status).toBe(302);
    const cookie = cookieFrom(login, "tracker_session");
    expect(cookie).toBeDefined();
    const signedInBy = workerOf(login);
    expect(workers).toContain(signedInBy);

    // Anonymous, the admin page sends the visitor to sign in, on either worker.
    const anonymous = await requestUntilWorker("/admin/users", (pid) => pid !== signedInBy, { status: 302 });
    expect(anonymous.response.header("location")).toMatch(/^\/login/);
    // With the cookie from the other worker, it is the admin's page.
    const { response } = await requestUntilWorker("/admin/users", (pid) => pid !== signedInBy, { headers: { Cookie: cookie! } });
    expect(response.text).toContain(admin.email);
    expect(response.header("cache-control")).toBe("private, no-store");
  });

  // The timeout bounds a stuck replacement; it is no speed requirement: a loaded machine starts a worker slowly.
  it("a worker killed with SIGKILL is replaced, and the other answers meanwhile", { timeout: 180_000 }, async () => {
    const [victim, survivor] = workers as [number, number];
    process.kill(victim, "SIGKILL");
    // Once the primary has seen the death it hands connections only to the living.
    await until(() => server.output().includes(`Worker ${victim} died (signal SIGKILL); starting a replacement`), "the primary to see the death", server.output);
    expect(isRunning(victim)).toBe(false);

    // Meanwhile every request is answered, never by the dead worker.
    const answeredBy = new Set<number>();
    const ready = () => /Worker (\d+) ready \(slot/.exec(server.output().slice(server.output().indexOf(`Worker ${victim} died`)));
    for (let i = 0; i < 5 || !ready(); i++) {
      const response = await request(`${server.url}/healthz`);
      expect(response.status).toBe(200);
      answeredBy.add(workerOf(response));
      if (i > 2000) throw new Error(`no replacement:\n${server.output()}`);
      // Leave the machine to the starting replacement between requests.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(answeredBy).not.toContain(victim);
    expect(answeredBy).toContain(survivor);

    const replacement = Number(ready()![1]);
    expect([victim, survivor]).not.toContain(replacement);
    expect(parentOf(replacement)).toBe(server.pid);
    await requestUntilWorker("/letters", (pid) => pid === replacement);
    await requestUntilWorker("/letters", (pid) => pid === survivor);
    workers = [survivor, replacement];
  });

  it("SIGTERM to the primary finishes every worker's requests and exits 0", { timeout: 120_000 }, async () => {
    // Open the app's database connection in both workers.
    await requestUntilWorker("/letters", (pid) => pid === workers[0]);
    await requestUntilWorker("/letters", (pid) => pid === workers[1]);
    process.kill(server.pid, "SIGTERM");
    expect(await server.exited).toBe(0);
    const output = server.output();
    expect(output).toContain("SIGTERM received: asking 2 workers to finish open requests");
    expect(output.match(/All requests finished; database closed/g)).toHaveLength(2);
    for (const pid of workers) expect(output).toContain(`Worker ${pid} exited (code 0)`);
    expect(output).toMatch(/All workers finished\n?$/);
    for (const pid of workers) expect(isRunning(pid)).toBe(false);
    // The last connection's clean close checkpoints and removes the WAL.
    expect(fs.existsSync(`${server.databasePath}-wal`)).toBe(false);
    const sqlite = new Database(server.databasePath, { readonly: true });
    expect(sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
    sqlite.close();
  });
});
