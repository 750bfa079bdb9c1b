/**
 * Who may start an expensive read now: at most `perClient` in flight per client address, and at
 * most `total` in flight (running plus waiting) over all clients. Anything beyond is refused at
 * once (503 with Retry-After) instead of joining an ever-growing queue. Pure bookkeeping: the
 * read pool (app/utils/read-pool.server.ts) asks, and tells it when a read ends.
 */
import { PAGE_SIZE } from "./filters";

export interface AdmissionLimits {
  perClient: number;
  /** Reads in flight (running or waiting) at most, whatever their wait. */
  total: number;
  /**
   * With `threads`: a read is refused ("saturated") when its estimated wait for a thread is longer
   * than this. A count alone refused past-date pages of 30 ms at 8 in flight under a load that
   * left the lane's low-priority threads little CPU (their wait was about a second), and admitted
   * eight calendars of 20 s each (two minutes for the last).
   */
  maxWaitMs?: number;
  /** The lane's threads: how many reads run at once. */
  threads?: number;
}

/** How a finished read went, for the estimate of the lane's service time. */
export interface ReadTiming {
  /** From admission to the end. */
  elapsedMs: number;
  /** Reads in flight, itself included, when it was admitted. */
  inFlightAtAdmission: number;
}

/** The weight of the newest read in the service time (an exponentially weighted mean). */
const SERVICE_TIME_WEIGHT = 0.2;

/**
 * Slots one client may hold in a pool of `total`: at most `wanted`, and never all of them when
 * there are two or more, so that another reader can always start one. Two exports per client in a
 * pool of two let one address hold every export, refusing everyone else for as long as it read
 * nothing (attack 21).
 */
export function perClientShare(wanted: number, total: number): number {
  return Math.max(1, Math.min(wanted, total - 1));
}

export type Admission = { admitted: true } | { admitted: false; reason: "client" | "saturated"; retryAfterSeconds: number };

export class AdmissionControl {
  private readonly inFlight = new Map<string, number>();
  private total = 0;
  /** How long a read holds a thread, lately (null until one has finished). */
  private serviceMs: number | null = null;

  constructor(private readonly limits: AdmissionLimits) {}

  /** Admits (and counts) a read for `client`, or says why not. */
  admit(client: string): Admission {
    const mine = this.inFlight.get(client) ?? 0;
    if (mine >= this.limits.perClient) return { admitted: false, reason: "client", retryAfterSeconds: 2 };
    if (this.total >= this.limits.total) return { admitted: false, reason: "saturated", retryAfterSeconds: 5 };
    const wait = this.expectedWaitMs();
    if (this.limits.maxWaitMs !== undefined && wait > this.limits.maxWaitMs) {
      return { admitted: false, reason: "saturated", retryAfterSeconds: Math.min(30, Math.max(1, Math.ceil(wait / 1000))) };
    }
    this.inFlight.set(client, mine + 1);
    this.total += 1;
    return { admitted: true };
  }

  /**
   * How long a read admitted now would wait for a thread: the reads ahead of it beyond the threads
   * each hold one for the recent service time, shared among the threads. 0 without an estimate.
   */
  expectedWaitMs(): number {
    const threads = this.limits.threads;
    if (!threads || this.serviceMs === null) return 0;
    const ahead = this.total - threads + 1;
    return ahead <= 0 ? 0 : (ahead / threads) * this.serviceMs;
  }

  /**
   * A read admitted for `client` ended (however it ended); with its timing (a read that ran), the
   * service time learns from it: it waited for those ahead of it beyond the threads, then ran.
   */
  release(client: string, timing?: ReadTiming): void {
    const mine = this.inFlight.get(client) ?? 0;
    if (mine <= 0) return;
    if (mine === 1) this.inFlight.delete(client);
    else this.inFlight.set(client, mine - 1);
    this.total -= 1;
    const threads = this.limits.threads;
    if (timing && threads && Number.isFinite(timing.elapsedMs) && timing.elapsedMs >= 0) {
      const rounds = Math.max(0, timing.inFlightAtAdmission - threads) / threads + 1;
      const sample = timing.elapsedMs / rounds;
      this.serviceMs = this.serviceMs === null ? sample : this.serviceMs * (1 - SERVICE_TIME_WEIGHT) + sample * SERVICE_TIME_WEIGHT;
    }
  }

  get inFlightTotal(): number {
    return this.total;
  }

  inFlightFor(client: string): number {
    return this.inFlight.get(client) ?? 0;
  }
}

/**
 * Which lane of the read pool a read waits in. Heavy reads (a past date's state is computed, not
 * stored: decision 0006; an import file's check; a briefing over many letters) take seconds at
 * 100,000 letters, light ones (today's lists, pages and search, a recompute of today's figures)
 * tens of milliseconds. Each lane has its own threads and its own bound, so a queue of heavy reads
 * never holds up a light one: a search does not wait behind someone's past-date agency page.
 */
export type ReadLane = "light" | "heavy";

const ALWAYS_HEAVY_READS: ReadonlySet<string> = new Set(["briefing", "checkLetterFile", "checkImportUpload", "dataPackage"]);

/**
 * A page whose OFFSET skips this many rows or more is a heavy read: it walks every row before it
 * (the deepest page of /questions at 100,000 letters is about 727,000 rows in: seconds). It is page
 * 100 of the site's lists, whatever page size asks for it (the API's per_page up to 500 too).
 */
export const DEEP_PAGE_FROM = 100;
export const DEEP_OFFSET_FROM = (DEEP_PAGE_FROM - 1) * PAGE_SIZE;

/**
 * A past date's list of letters by date or title, with no status filter, is light: it walks an
 * index and seeks each shown letter's state in the stored history (decision 13), a few
 * milliseconds; its total counts letters by date alone. Under the bench's mixed load a quarter of
 * the past-date reads were these, queued behind past-date profile pages in the heavy lane's thread.
 */
const LIGHT_PAST_LIST_SORTS: ReadonlySet<string> = new Set(["sent", "title"]);

/**
 * The lane of a read from its task, its date, how many rows its page skips (`offset`, if it pages)
 * and, for a list, its order and whether it filters by status.
 */
export function readLane(
  task: string,
  asOf: string | null | undefined,
  today: string,
  offset: number | null = null,
  list: { sort?: string | null; byStatus?: boolean } = {},
): ReadLane {
  if (ALWAYS_HEAVY_READS.has(task)) return "heavy";
  if (offset !== null && offset >= DEEP_OFFSET_FROM) return "heavy";
  if (asOf && asOf < today) {
    const walked = task === "listLetters" && typeof list.sort === "string" && LIGHT_PAST_LIST_SORTS.has(list.sort) && list.byStatus === false;
    return walked ? "light" : "heavy";
  }
  return "light";
}
