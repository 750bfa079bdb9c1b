/**
 * Who may start an expensive read now: at most `perClient` in flight per client address, and at
 * most `total` in flight (running plus waiting) over all clients. Anything beyond is refused at
 * once (503 with Retry-After) instead of joining an ever-growing queue. Pure bookkeeping: the
 * read pool (app/utils/read-pool.server.ts) asks, and tells it when a read ends.
 */
import { PAGE_SIZE } from "./filters";

export interface AdmissionLimits {
  perClient: number;
  total: number;
}

export type Admission = { admitted: true } | { admitted: false; reason: "client" | "saturated"; retryAfterSeconds: number };

export class AdmissionControl {
  private readonly inFlight = new Map<string, number>();
  private total = 0;

  constructor(private readonly limits: AdmissionLimits) {}

  /** Admits (and counts) a read for `client`, or says why not. */
  admit(client: string): Admission {
    const mine = this.inFlight.get(client) ?? 0;
    if (mine >= this.limits.perClient) return { admitted: false, reason: "client", retryAfterSeconds: 2 };
    if (this.total >= this.limits.total) return { admitted: false, reason: "saturated", retryAfterSeconds: 5 };
    this.inFlight.set(client, mine + 1);
    this.total += 1;
    return { admitted: true };
  }

  /** A read admitted for `client` ended (however it ended). */
  release(client: string): void {
    const mine = this.inFlight.get(client) ?? 0;
    if (mine <= 0) return;
    if (mine === 1) this.inFlight.delete(client);
    else this.inFlight.set(client, mine - 1);
    this.total -= 1;
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
