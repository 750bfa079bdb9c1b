/**
 * Figures that read the whole tracker (the overview, the agency ranking, one agency's, member's or
 * committee's page, the briefing), served without making a reader wait for them after a write.
 *
 * Each figure set is a read task (read-tasks.server.ts) run in the read pool. The newest result
 * is kept with the data revision it was computed for. While the revision has not moved, it is
 * served as it is. After a write, the first reader gets the previous figures, labelled with the
 * time they were computed (`stale: true`), while the pool recomputes them; a reader arriving when
 * nothing has ever been computed waits for the computation (in the pool, never on the event loop).
 *
 * Shared keys (the overview and the ranking) are also stored in `figure_snapshots`, so every app
 * process serves the same figures and only one of them (the holder of the key's lease) recomputes
 * them after a write. Other keys (one per agency, member, committee, filter and page) are kept per
 * process, at most MAX_ENTRIES of them.
 */
import { writeGateClosed } from "~/utils/write-gate.server";
import type { AppLoadContext } from "@remix-run/node";
import { sql } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import { today } from "~/domain/dates";
import { env } from "~/env.server";
import { isReadRefusal, readInPool } from "~/utils/read-pool.server";
import { acquireLease, releaseLease } from "./leases.server";
import { nextRecomputeAt, type LastRecompute } from "~/domain/recompute-pacing";
import { currentBuildVersion } from "~/utils/build-version.server";
import { dataRevision } from "./figure-cache.server";
import type { ReadTaskArgs, ReadTaskName, ReadTaskResult } from "./read-tasks.server";

export interface Figures<T> {
  value: T;
  /** When the figures were computed (ms since the epoch). */
  computedAt: number;
  /** Computed before the latest change: newer figures are being computed. */
  stale: boolean;
}

interface Entry {
  revision: number;
  day: string;
  computedAt: number;
  value: unknown;
}

const MAX_ENTRIES = 1_000;
const LEASE_MS = 60_000;

/** The soonest a page of stale figures is rendered again when nothing else moved (another process's figures may have landed). */
const STALE_RECHECK_MS = 1_000;

interface Store {
  entries: Map<string, Entry>;
  computing: Map<string, Promise<Entry>>;
  recomputed: Map<string, LastRecompute>;
  /**
   * Each kept key's version: a number drawn from `counter`, moved whenever what a reader of the key
   * would be served may change (new figures, a recomputation ended or refused, a recomputation
   * falling due). A page rendered from stale figures is kept by the page cache with the versions
   * it read, and served again while they hold (app/utils/page-cache.server.ts).
   */
  versions: Map<string, number>;
  counter: number;
  /** Keys with a version move scheduled (when their next recomputation falls due). */
  due: Map<string, NodeJS.Timeout>;
}

const holder = globalThis as typeof globalThis & { __trackerFigureStore?: Partial<Store> };
const kept = (holder.__trackerFigureStore ??= {});
// A store from an older build (dev reloads) lacks the maps added later.
kept.entries ??= new Map();
kept.computing ??= new Map();
kept.recomputed ??= new Map();
kept.versions ??= new Map();
kept.counter ??= 0;
kept.due ??= new Map();
const store = kept as Store;

function moveVersion(key: string): void {
  store.counter += 1;
  store.versions.set(key, store.counter);
}

/**
 * The current version of a figure key, or null when it is not kept: a page rendered from a key's
 * stale figures is still right while the key's version is the one it read (and the data revision
 * and the day have not moved: the page cache keys its copies by them).
 */
export function figureVersion(key: string): number | null {
  return (holder.__trackerFigureStore as Store | undefined)?.versions.get(key) ?? null;
}

function remember(key: string, entry: Entry): void {
  store.entries.delete(key);
  if (store.entries.size >= MAX_ENTRIES) {
    const oldest = store.entries.keys().next().value as string;
    store.entries.delete(oldest);
    store.versions.delete(oldest);
  }
  store.entries.set(key, entry);
  moveVersion(key);
}

/**
 * Moves the key's version once its recomputation may start (or after STALE_RECHECK_MS), so that a
 * page kept with the stale figures is rendered again then, and its loader starts the recomputation.
 */
function recheckWhenDue(key: string, dueAt: number, now: number): void {
  if (store.due.has(key)) return;
  const timer = setTimeout(() => {
    store.due.delete(key);
    if (store.versions.has(key)) moveVersion(key);
  }, Math.max(STALE_RECHECK_MS, dueAt - now));
  timer.unref();
  store.due.set(key, timer);
}

/** The stored snapshot of a shared key, its payload parsed only when it is newer than `known`. */
function sharedSnapshot(key: string, known: Entry | null): Entry | null {
  const db = getDb();
  const stamp = db.get<{ revision: number; computed_at: number }>(sql`SELECT revision, computed_at FROM figure_snapshots WHERE key = ${key}`);
  if (!stamp) return null;
  // Readers of stale figures ask at every request: the payload (the overview's is hundreds of kB)
  // is read and parsed only when it is newer than what this process keeps.
  if (known && !(stamp.revision > known.revision || stamp.computed_at > known.computedAt)) return null;
  const row = db.get<{ revision: number; day: string; computed_at: number; payload: string }>(
    sql`SELECT revision, day, computed_at, payload FROM figure_snapshots WHERE key = ${key}`,
  );
  return row ? { revision: row.revision, day: row.day, computedAt: row.computed_at, value: JSON.parse(row.payload) } : null;
}

function storeShared(key: string, entry: Entry): void {
  getDb().run(sql`INSERT INTO figure_snapshots (key, revision, day, computed_at, payload)
    VALUES (${key}, ${entry.revision}, ${entry.day}, ${entry.computedAt}, ${JSON.stringify(entry.value)})
    ON CONFLICT (key) DO UPDATE SET revision = excluded.revision, day = excluded.day,
      computed_at = excluded.computed_at, payload = excluded.payload
    WHERE excluded.revision >= figure_snapshots.revision`);
}

/** Computes a key's figures in the pool, once per process at a time; shared keys once over all processes. */
function compute<N extends ReadTaskName>(
  key: string,
  name: N,
  args: ReadTaskArgs<N>,
  {
    shared,
    revision,
    day,
    otherProcessMayCompute,
    context,
    now,
  }: { shared: boolean; revision: number; day: string; otherProcessMayCompute: boolean; context?: AppLoadContext; now: () => number },
): Promise<Entry> | null {
  const running = store.computing.get(key);
  if (running) return running;
  const lease = `figures:${key}`;
  // While an import is being written, app connections do not write (app/utils/write-gate.server.ts):
  // this process computes its own figures without the lease and without storing them.
  if (shared && writeGateClosed()) shared = false;
  // With figures to serve meanwhile, leave a shared key to the process holding its lease.
  if (shared && !acquireLease({ name: lease, ttlMs: LEASE_MS }) && otherProcessMayCompute) return null;
  const computing = (async () => {
    const started = now();
    let refused = false;
    try {
      // The revision read before the computation: if a write lands during it, the result is
      // labelled older than it is and recomputed once more, never the other way round.
      // A reader who waits for the figures is the one admitted (and refused) for them; a
      // recomputation behind stale figures counts against no visitor and runs in the pool's
      // background lane, where it never holds a thread a reader is waiting for.
      const value = await readInPool(name, args, context ? { context } : { client: "figure-store", lane: "background" });
      const entry = { revision, day, computedAt: Date.now(), value };
      remember(key, entry);
      if (shared) storeShared(key, entry);
      return entry;
    } catch (error) {
      refused = isReadRefusal(error);
      throw error;
    } finally {
      store.computing.delete(key);
      if (shared) releaseLease({ name: lease });
      // Paced (app/domain/recompute-pacing.ts): behind stale figures, the next recomputation of
      // this key waits a few times this one's duration. A refusal by a busy pool cost nothing:
      // the next reader asks again.
      if (!context && !refused) store.recomputed.set(key, { endedAt: now(), durationMs: now() - started });
      // Failed or refused: pages kept with the stale figures are rendered again, and ask again.
      if (store.entries.get(key)?.revision !== revision && store.versions.has(key)) moveVersion(key);
    }
  })();
  store.computing.set(key, computing);
  return computing;
}

export async function figuresFor<N extends ReadTaskName>(
  name: N,
  args: ReadTaskArgs<N>,
  { context, shared = false, now = Date.now }: { context?: AppLoadContext; shared?: boolean; now?: () => number } = {},
): Promise<Figures<ReadTaskResult<N>>> {
  const revision = env.FIGURE_CACHE ? dataRevision() : null;
  // FIGURE_CACHE=off, or no revision row: compute every time (in the pool).
  if (revision === null) {
    return { value: await readInPool(name, args, { context }), computedAt: Date.now(), stale: false };
  }
  const day = today();
  // Under the build's version: figures another build stored may have another shape.
  const version = currentBuildVersion();
  const key = `${version ? `${version}|` : ""}${name}:${JSON.stringify(args)}`;
  const fresh = (entry: Entry) => entry.revision === revision && entry.day === day;
  const answer = (entry: Entry, stale: boolean) => ({ value: entry.value as ReadTaskResult<N>, computedAt: entry.computedAt, stale });

  let known = store.entries.get(key) ?? null;
  if (known && fresh(known)) return answer(known, false);
  if (shared) {
    const snapshot = sharedSnapshot(key, known);
    if (snapshot && (!known || snapshot.revision > known.revision || snapshot.computedAt > known.computedAt)) {
      remember(key, snapshot);
      known = snapshot;
    }
    if (known && fresh(known)) return answer(known, false);
  }
  if (known && known.day === day) {
    // Too soon after the last recomputation: the stale figures stay a little longer.
    const due = now() >= nextRecomputeAt(store.recomputed.get(key));
    const running = due ? compute(key, name, args, { shared, revision, day, otherProcessMayCompute: true, now }) : null;
    running?.catch((error: unknown) => {
      // A busy pool refused the recomputation: the next reader asks again, nothing to report.
      if (!isReadRefusal(error)) console.error(`Recomputing ${key} failed:`, error);
    });
    // No recomputation of ours under way (not due yet, or another process holds the lease): a
    // page kept with these figures is rendered again when one may start. A shared key's newer
    // figures may land from another process at any moment (its pacing is not ours): such a page is
    // rendered again, and the stored snapshot's stamp read, every STALE_RECHECK_MS meanwhile.
    if (!running) recheckWhenDue(key, shared ? now() : nextRecomputeAt(store.recomputed.get(key)), now());
    // No shared cache may keep this answer; this process may, while the key's version holds.
    const version = store.versions.get(key);
    if (context?.usesStaleFigures && version !== undefined) context.usesStaleFigures(key, version);
    else context?.doNotCache?.();
    return answer(known, true);
  }
  const computed = await compute(key, name, args, { shared, revision, day, otherProcessMayCompute: false, context, now })!;
  return answer(computed, false);
}

/** Forgets every kept figure of this process (tests). */
export function clearFigureStore(): void {
  store.entries.clear();
  store.recomputed.clear();
  store.versions.clear();
  for (const timer of store.due.values()) clearTimeout(timer);
  store.due.clear();
}
