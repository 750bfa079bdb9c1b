/**
 * The bulk-write gate: while an import is written (in a worker thread of its own, on its own
 * connection, holding SQLite's write lock for seconds to minutes), no other write may start on an
 * app connection: it would wait for the lock with the event loop stalled (busy_timeout, 5 s) and
 * then fail. Decision 0007.
 *
 * - An import takes the lease "bulk-write" in `job_leases` (app/models/leases.server.ts), waits
 *   SETTLE_MS so that writes that checked the gate just before it finish, then writes; it releases
 *   the lease when its thread ends (done, refused or crashed). The lease is in the database, so every
 *   app process and `npm run import` see it. A process that dies holding it (killed, crashed) frees
 *   the gate at once for the processes of its PID namespace (the holder names its pid, start time,
 *   host and namespace: app/models/leases.server.ts); elsewhere, a restarted container included,
 *   it holds until the lease expires (its time to live is
 *   sized from the file's letters).
 * - Every request that may write (any method but GET and HEAD; scripts/serve.ts) first waits
 *   asynchronously while the lease is held, polling it (one indexed read), for at most
 *   WRITE_GATE_WAIT_MS; past that it goes on with the gate marked closed for it.
 * - Every write on an app connection checks the gate synchronously right before its transaction
 *   (`writeGateClosed`): the letter writer refuses with a form error, so the form comes back with
 *   what the staffer typed (status 503 and Retry-After, through `noteRefusedByGate`); the other
 *   writers (sign-in, sessions, users) answer 503 (`assertWriteGateOpen`). Writes a reader's GET
 *   makes for caching (shared figures) are skipped while the gate is closed.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { data } from "@remix-run/node";
import { getDb, type Db } from "../../db/client.server";
import { leaseHolder } from "~/models/leases.server";

export const BULK_WRITE_LEASE = "bulk-write";

/** The wait between taking the gate and the import's first write: writes already past the gate finish. */
export const SETTLE_MS = 1_000;

/** What a staffer is told when their save meets an import being written. */
export const WRITE_GATE_MESSAGE =
  "An import is being written to the tracker, so nothing of yours was saved. Your changes are kept below: save again in a minute.";

export const WRITE_GATE_RETRY_AFTER_SECONDS = 60;

/** Whether an import holds the gate now (any process). */
export function writeGateClosed(db: Db = getDb()): boolean {
  return leaseHolder({ name: BULK_WRITE_LEASE, db }) !== null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Waits, without holding the event loop, until no import holds the gate, polling it every
 * `pollMs`; true when it opened, false when `maxWaitMs` passed first (or `signal` aborted).
 */
export async function waitForWriteGate({
  maxWaitMs,
  pollMs = 100,
  signal,
  closed = () => writeGateClosed(),
}: {
  maxWaitMs: number;
  pollMs?: number;
  signal?: AbortSignal;
  closed?: () => boolean;
}): Promise<boolean> {
  const until = Date.now() + maxWaitMs;
  while (closed()) {
    if (signal?.aborted || Date.now() >= until) return false;
    await sleep(Math.min(pollMs, Math.max(1, until - Date.now())));
  }
  return true;
}

/** What the server keeps for one request that may write (see runWithWriteGate). */
export interface WriteGateScope {
  /** Called when a write of this request was refused by the gate: answer 503 with Retry-After. */
  onRefused: () => void;
}

const scope = new AsyncLocalStorage<WriteGateScope>();

/** Runs a request's handling with `gate`: writes refused by the gate report to it. */
export function runWithWriteGate<T>(gate: WriteGateScope, run: () => T): T {
  return scope.run(gate, run);
}

/** A write of the current request was refused by the gate. */
export function noteRefusedByGate(): void {
  scope.getStore()?.onRefused();
}

/** What a refused write without a letter form is told (sign-in, password, follows). */
export const WRITE_GATE_SHORT_MESSAGE = WRITE_GATE_MESSAGE.replace(" Your changes are kept below: save again in a minute.", " Try again in a minute.");

const GATE_HEADERS = { "Retry-After": String(WRITE_GATE_RETRY_AFTER_SECONDS), "Cache-Control": "no-store" };

/** The 503s thrown by assertWriteGateOpen, so that a form's action can tell them from other errors. */
const refusals = new WeakSet<object>();

/** A 503 with Retry-After while the gate is closed (an action with a form catches it: replyToFormWhenGateClosed). */
export function assertWriteGateOpen(db: Db = getDb()): void {
  if (!writeGateClosed(db)) return;
  noteRefusedByGate();
  const refusal = data(WRITE_GATE_SHORT_MESSAGE, { status: 503, headers: GATE_HEADERS });
  refusals.add(refusal);
  throw refusal;
}

/**
 * Runs a form's write; when the gate refuses it, answers with `reply(message)` as the form's own
 * result (status 503, Retry-After), so the form comes back with what was typed instead of an error page.
 */
export async function replyToFormWhenGateClosed<T, R>(write: () => Promise<T> | T, reply: (message: string) => R): Promise<{ ok: true; value: T } | { ok: false; response: ReturnType<typeof data<R>> }> {
  try {
    return { ok: true, value: await write() };
  } catch (error) {
    if (typeof error !== "object" || error === null || !refusals.has(error)) throw error;
    return { ok: false, response: data(reply(WRITE_GATE_SHORT_MESSAGE), { status: 503, headers: GATE_HEADERS }) };
  }
}
