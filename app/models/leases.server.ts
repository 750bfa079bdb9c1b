/**
 * Leases in the database: one process at a time runs a given background job or recomputation.
 * Taking a lease is one statement (an upsert that only wins when the lease is free, expired or
 * already ours), so two processes racing for it cannot both win. A lease expires by itself; and a
 * lease whose holder was a process of this machine that no longer exists is free at once (the
 * import's bulk-write lease lives for minutes: a crashed import must not hold every write that long).
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { sql } from "drizzle-orm";
import { getDb, type Db } from "../../db/client.server";

const HOST = hostname();

/**
 * This process's name as a lease holder: pid, a random part (pids are reused) and the machine
 * (another machine's, or another container's, pid says nothing here). Holders derived from it
 * add a suffix after a colon.
 */
export const PROCESS_HOLDER = `${process.pid}-${randomUUID().slice(0, 8)}@${HOST}`;

/** The pid of a holder named on this machine, or null (another machine, or an old-style name). */
export function holderProcessOnThisHost(holder: string): number | null {
  const match = /^(\d+)-[0-9a-f]+@([^:]+)/.exec(holder);
  return match && match[2] === HOST ? Number(match[1]) : null;
}

/** False only when the holder was a process of this machine that has exited. */
export function holderMayBeAlive(holder: string): boolean {
  const pid = holderProcessOnThisHost(holder);
  if (pid === null || pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
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
