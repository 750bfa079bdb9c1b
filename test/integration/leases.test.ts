/**
 * Leases in the database (app/models/leases.server.ts): of several holders racing for a lease,
 * exactly one wins; the winner keeps it (and may renew it) until it expires or is released; an
 * expired lease goes to whoever asks next. Holders are separate connections here, and separate
 * processes in the race, as the app's processes are.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireLease, leaseHolder, PROCESS_HOLDER, processHolderOf, releaseLease } from "~/models/leases.server";
import { BULK_WRITE_LEASE, writeGateClosed } from "~/utils/write-gate.server";
import { env } from "~/env.server";
import { closeDb, openDatabase, type Db } from "../../db/client.server";
import { bundleScript } from "../support/bundle";
import { freshDatabase } from "../support/database";

const HOUR = 60 * 60 * 1000;
let one: Db;
let two: Db;
let racer: string;

beforeAll(async () => {
  freshDatabase();
  closeDb();
  one = openDatabase(env.DATABASE_PATH);
  two = openDatabase(env.DATABASE_PATH);
  racer = await bundleScript("test/support/lease-racer.ts");
});

afterAll(() => {
  one?.$client.close();
  two?.$client.close();
  fs.rmSync(racer, { force: true });
});

describe("two holders on two connections", () => {
  const now = 1_700_000_000_000;

  it("the first to ask gets the lease; the second is refused while it lasts", () => {
    expect(acquireLease({ db: one, name: "figures", holder: "a", ttlMs: 1000, now })).toBe(true);
    expect(acquireLease({ db: two, name: "figures", holder: "b", ttlMs: 1000, now })).toBe(false);
    expect(acquireLease({ db: two, name: "figures", holder: "b", ttlMs: 1000, now: now + 999 })).toBe(false);
    expect(leaseHolder({ db: two, name: "figures", now: now + 999 })).toBe("a");
  });

  it("the holder may take it again, which renews it", () => {
    expect(acquireLease({ db: one, name: "figures", holder: "a", ttlMs: 1000, now: now + 500 })).toBe(true);
    // The first term (until now + 1000) would have ended; the renewed one lasts until now + 1500.
    expect(acquireLease({ db: two, name: "figures", holder: "b", ttlMs: 1000, now: now + 1200 })).toBe(false);
    expect(leaseHolder({ db: two, name: "figures", now: now + 1200 })).toBe("a");
  });

  it("an expired lease goes to the next to ask, and the old holder is then refused", () => {
    expect(leaseHolder({ db: one, name: "figures", now: now + 1500 })).toBeNull();
    expect(acquireLease({ db: two, name: "figures", holder: "b", ttlMs: 1000, now: now + 1500 })).toBe(true);
    expect(acquireLease({ db: one, name: "figures", holder: "a", ttlMs: 1000, now: now + 1600 })).toBe(false);
    expect(leaseHolder({ db: one, name: "figures", now: now + 1600 })).toBe("b");
  });

  it("only the holder can release it; once released anyone may take it at once", () => {
    releaseLease({ db: one, name: "figures", holder: "a" });
    expect(leaseHolder({ db: one, name: "figures", now: now + 1600 })).toBe("b");
    releaseLease({ db: two, name: "figures", holder: "b" });
    expect(leaseHolder({ db: one, name: "figures", now: now + 1600 })).toBeNull();
    expect(acquireLease({ db: one, name: "figures", holder: "a", ttlMs: 1000, now: now + 1600 })).toBe(true);
  });

  it("leases of different names are independent", () => {
    expect(acquireLease({ db: two, name: "digest", holder: "b", ttlMs: 1000, now: now + 1600 })).toBe(true);
    expect(leaseHolder({ db: one, name: "figures", now: now + 1600 })).toBe("a");
    expect(leaseHolder({ db: one, name: "digest", now: now + 1600 })).toBe("b");
  });

  it("defaults to this process as the holder and the clock's now", () => {
    expect(acquireLease({ db: one, name: "default-holder", ttlMs: HOUR })).toBe(true);
    expect(leaseHolder({ db: two, name: "default-holder" })).toMatch(new RegExp(`^${process.pid}\\.\\d+-[0-9a-f]{8}@`));
    releaseLease({ db: one, name: "default-holder" });
    expect(leaseHolder({ db: two, name: "default-holder" })).toBeNull();
  });
});

describe("a holder that died", () => {
  // An import's bulk-write lease lives for minutes (sized from its letters). Killed mid-write, its
  // process must not hold every staffer's save for that long.
  it("a process of this machine killed while holding the bulk-write gate frees it at once: saves and other imports go on", async () => {
    const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    const holder = `${processHolderOf(child.pid!)}:import:1`;
    expect(acquireLease({ db: one, name: BULK_WRITE_LEASE, holder, ttlMs: HOUR })).toBe(true);
    expect(writeGateClosed(two)).toBe(true);
    expect(acquireLease({ db: two, name: BULK_WRITE_LEASE, holder: "another-import", ttlMs: HOUR })).toBe(false);

    child.kill("SIGKILL");
    await once(child, "exit");

    expect(writeGateClosed(two)).toBe(false);
    expect(leaseHolder({ db: two, name: BULK_WRITE_LEASE })).toBeNull();
    expect(acquireLease({ db: two, name: BULK_WRITE_LEASE, holder: "another-import", ttlMs: HOUR })).toBe(true);
    expect(writeGateClosed(one)).toBe(true);
    releaseLease({ db: two, name: BULK_WRITE_LEASE, holder: "another-import" });
  });

  it("a holder on another machine or in another PID namespace (its pid means nothing here) and an old-style name hold until the lease expires", () => {
    // Another host; another PID namespace under the same host name (a container with --network host); the old format.
    const here = PROCESS_HOLDER.slice(PROCESS_HOLDER.indexOf("@") + 1);
    const otherNamespace = here.replace(/~\d+$/, "~1");
    for (const holder of ["999999999.5-0badc0de@some-other-host~1", `999999999.5-0badc0de@${otherNamespace}`, "999999999-0badc0de"]) {
      expect(acquireLease({ db: one, name: "elsewhere", holder, ttlMs: HOUR })).toBe(true);
      expect(leaseHolder({ db: two, name: "elsewhere" })).toBe(holder);
      expect(acquireLease({ db: two, name: "elsewhere", holder: "b", ttlMs: HOUR })).toBe(false);
      releaseLease({ db: one, name: "elsewhere", holder });
    }
  });
});

describe("a pid reused", () => {
  // A restarted container's app gets its predecessor's pid: an import that crashed the process left
  // a holder naming that pid, which must not read as alive.
  it("a holder naming this process's pid with another start time (an earlier incarnation) does not hold; this process's own does", () => {
    const [, pid, ticks] = /^(\d+)\.(\d+)-/.exec(PROCESS_HOLDER)!;
    const earlier = `${processHolderOf(Number(pid), String(Number(ticks) - 1))}:import:before-the-restart`;
    expect(acquireLease({ db: one, name: BULK_WRITE_LEASE, holder: earlier, ttlMs: HOUR })).toBe(true);
    expect(writeGateClosed(two)).toBe(false);
    expect(acquireLease({ db: two, name: BULK_WRITE_LEASE, holder: `${PROCESS_HOLDER}:import:now`, ttlMs: HOUR })).toBe(true);
    expect(writeGateClosed(one)).toBe(true);
    releaseLease({ db: two, name: BULK_WRITE_LEASE, holder: `${PROCESS_HOLDER}:import:now` });
  });
});

describe("processes racing", () => {
  const RACERS = 4;
  const LEASES = 300;

  function startRacer(holder: string): { child: ChildProcessWithoutNullStreams; ready: Promise<void>; done: Promise<string[]> } {
    const child = spawn(process.execPath, [racer, env.DATABASE_PATH, holder, String(LEASES)], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
        if (stdout.startsWith("ready\n")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`racer ${holder} exited with ${code} before it was ready: ${stderr}`)));
    });
    const done = new Promise<string[]>((resolve, reject) => {
      child.once("exit", (code) => {
        if (code !== 0 || !stdout.endsWith("done\n")) return reject(new Error(`racer ${holder} failed (${code}): ${stderr}`));
        resolve(stdout.split("\n").filter((line) => line.startsWith("won ")).map((line) => line.slice(4)));
      });
    });
    return { child, ready, done };
  }

  it(`${RACERS} processes asking for the same ${LEASES} leases at once: each lease has exactly one winner`, async () => {
    const racers = Array.from({ length: RACERS }, (_, i) => startRacer(`racer-${i}`));
    await Promise.all(racers.map((r) => r.ready));
    for (const r of racers) r.child.stdin.end("go\n");
    const won = await Promise.all(racers.map((r) => r.done));

    const winners = new Map<string, string[]>();
    won.forEach((names, i) => names.forEach((name) => winners.set(name, [...(winners.get(name) ?? []), `racer-${i}`])));
    expect(winners.size).toBe(LEASES);
    expect([...winners.values()].filter((holders) => holders.length !== 1)).toEqual([]);
    // The table agrees with what each racer was told.
    for (const [name, [holder]] of winners) expect(leaseHolder({ db: one, name })).toBe(holder);
  });
});
