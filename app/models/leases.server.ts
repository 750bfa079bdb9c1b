/**
 * Leases in the database: one process at a time runs a given background job or recomputation.
 * Taking a lease is one statement (an upsert that only wins when the lease is free, expired or
 * already ours), so two processes racing for it cannot both win. A lease expires by itself; and a
 * lease whose holder was a process of this PID namespace that no longer exists is free at once (the
 * import's bulk-write lease lives for minutes: a crashed import must not hold every write that
 * long). A holder from another namespace, a restarted container's predecessor included, cannot be
 * checked and holds until its lease expires.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { hostname } from "node:os";
import { sql } from "drizzle-orm";
import { getDb, type Db } from "../../db/client.server";

/** When a process started, in clock ticks since boot (/proc/PID/stat, field 22); null off Linux or when it is gone. */
function processStartTicks(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count fields from its closing one.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

/** This process's PID namespace (a container has its own): pids are only comparable within one. */
function pidNamespace(): string {
  try {
    return /\[(\d+)\]/.exec(fs.readlinkSync("/proc/self/ns/pid"))?.[1] ?? "0";
  } catch {
    return "0";
  }
}

/** Where pids mean the same thing: the host name and the PID namespace. */
const PLACE = `${hostname()}~${pidNamespace()}`;
const START_TICKS = processStartTicks(process.pid) ?? "0";

/**
 * This process's name as a lease holder: its pid and start time (a pid is reused, by a restarted
 * container's app first of all; pid and start time are not), a random part, and where the pid
 * means something: host name and PID namespace (another machine's or another container's pid says
 * nothing here, even under the same host name). Holders derived from it add a suffix after a colon.
 */
export const PROCESS_HOLDER = processHolderOf(process.pid, START_TICKS);

/** The holder name of process `pid` of this place (its start time read from /proc unless given). */
export function processHolderOf(pid: number, startTicks: string = processStartTicks(pid) ?? "0", random = randomUUID().slice(0, 8)): string {
  return `${pid}.${startTicks}-${random}@${PLACE}`;
}

/**
 * False only when the holder was a process where pids mean what they mean here that has exited,
 * or whose pid now belongs to a process started at another time. Any other name (another place,
 * an older format) may be alive: its lease holds until it expires.
 */
export function holderMayBeAlive(holder: string): boolean {
  const match = /^(\d+)\.(\d+)-[0-9a-f]+@([^:]+)/.exec(holder);
  if (!match || match[3] !== PLACE || match[2] === "0") return true;
  const started = processStartTicks(Number(match[1]));
  if (started !== null) return started === match[2];
  // No /proc entry: gone, unless /proc cannot be read at all (then ask the kernel).
  try {
    process.kill(Number(match[1]), 0);
    return fs.existsSync("/proc/self/stat") ? false : true;
  } catch (error) {
    // EPERM: the process exists, under another user.
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/** Frees a lease held by a process of this machine that has exited (one indexed read when free). */
function freeLeaseOfDeadHolder(name: string, now: number, db: Db): void {
  const held = db.get<{ holder: string }>(sql`SELECT holder FROM job_leases WHERE name = ${name} AND expires_at > ${now}`);
  if (held && !holderMayBeAlive(held.holder)) {
    // By holder too: a process that took it over meanwhile keeps it.
    db.run(sql`DELETE FROM job_leases WHERE name = ${name} AND holder = ${held.holder}`);
  }
}

export function acquireLease({
  name,
  ttlMs,
  holder = PROCESS_HOLDER,
  now = Date.now(),
  db = getDb(),
}: {
  name: string;
  ttlMs: number;
  holder?: string;
  now?: number;
  db?: Db;
}): boolean {
  freeLeaseOfDeadHolder(name, now, db);
  const result = db.run(sql`
    INSERT INTO job_leases (name, holder, expires_at) VALUES (${name}, ${holder}, ${now + ttlMs})
    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
    WHERE job_leases.expires_at <= ${now} OR job_leases.holder = ${holder}`);
  return result.changes === 1;
}

export function releaseLease({ name, holder = PROCESS_HOLDER, db = getDb() }: { name: string; holder?: string; db?: Db }): void {
  db.run(sql`DELETE FROM job_leases WHERE name = ${name} AND holder = ${holder}`);
}

/** Who holds a lease now, if anyone: not a process of this machine that has exited. */
export function leaseHolder({ name, now = Date.now(), db = getDb() }: { name: string; now?: number; db?: Db }): string | null {
  const holder = db.get<{ holder: string }>(sql`SELECT holder FROM job_leases WHERE name = ${name} AND expires_at > ${now}`)?.holder ?? null;
  return holder !== null && holderMayBeAlive(holder) ? holder : null;
}
