/**
 * Leases in the database: one process at a time runs a given background job or recomputation.
 * Taking a lease is one statement (an upsert that only wins when the lease is free, expired or
 * already ours), so two processes racing for it cannot both win. A lease expires by itself: a
 * process that died holding it delays the job by at most its time to live.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { getDb, type Db } from "../../db/client.server";

/** This process's name as a lease holder (pid plus a random part: pids are reused). */
export const PROCESS_HOLDER = `${process.pid}-${randomUUID().slice(0, 8)}`;

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
  const result = db.run(sql`
    INSERT INTO job_leases (name, holder, expires_at) VALUES (${name}, ${holder}, ${now + ttlMs})
    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
    WHERE job_leases.expires_at <= ${now} OR job_leases.holder = ${holder}`);
  return result.changes === 1;
}

export function releaseLease({ name, holder = PROCESS_HOLDER, db = getDb() }: { name: string; holder?: string; db?: Db }): void {
  db.run(sql`DELETE FROM job_leases WHERE name = ${name} AND holder = ${holder}`);
}

/** Who holds a lease now, if anyone (for admins and tests). */
export function leaseHolder({ name, now = Date.now(), db = getDb() }: { name: string; now?: number; db?: Db }): string | null {
  return (
    db.get<{ holder: string }>(sql`SELECT holder FROM job_leases WHERE name = ${name} AND expires_at > ${now}`)?.holder ?? null
  );
}
