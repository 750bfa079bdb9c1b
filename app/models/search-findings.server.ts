/**
 * Search findings shared by the read threads. Each read thread keeps what the index found for a
 * search until searchable text changes (search.server.ts), but each thread for itself: under the
 * bench's mixed load every search was found once per thread, 0.1–0.5 s each at 100,000 letters,
 * and lists waited behind them in the light lane. The event loop keeps the findings a thread hands
 * back (a page of hits per kind: small) and passes them with the next request for the same
 * search, to whichever thread takes it; that thread uses them if they are still at the current
 * search revision, and reads only the letters' state.
 */
import type { AppLoadContext } from "@remix-run/node";
import { readInPool } from "~/utils/read-pool.server";
import type { ReadTaskArgs } from "./read-tasks.server";
import { searchRevision } from "./figure-cache.server";
import { searchFindingsKey, type SearchFindings } from "./search.server";

/** Searches kept at most (a kept search is a few kB). */
const MAX_KEPT = 500;

const kept = new Map<string, SearchFindings>();
/**
 * Searches being found now: a request for the same search waits for those findings rather than
 * have a second thread find them too (a shared link brings many readers at once).
 */
const finding = new Map<string, Promise<SearchFindings | null>>();

export async function searchInPool(args: Omit<ReadTaskArgs<"search">, "findings">, options: { context?: AppLoadContext; request?: Request }) {
  const key = searchFindingsKey(args);
  const current = () => {
    const known = key ? kept.get(key) : undefined;
    return known && known.revision === searchRevision() ? known : null;
  };
  let findings = current();
  const pending = key && !findings ? finding.get(key) : undefined;
  if (pending) {
    await pending.catch(() => null);
    findings = current();
  }
  // The first request for a search not yet found finds it; the others wait above.
  let resolveOwn: ((found: SearchFindings | null) => void) | null = null;
  const own = key && !findings && !finding.has(key) ? new Promise<SearchFindings | null>((resolve) => (resolveOwn = resolve)) : null;
  if (key && own) finding.set(key, own);
  try {
    const { findings: found, ...result } = await readInPool("search", { ...args, findings }, options);
    if (found) {
      kept.delete(found.key);
      if (kept.size >= MAX_KEPT) kept.delete(kept.keys().next().value as string);
      kept.set(found.key, found);
    }
    return result;
  } finally {
    if (key && own) {
      (resolveOwn as ((found: SearchFindings | null) => void) | null)?.(null);
      if (finding.get(key) === own) finding.delete(key);
    }
  }
}

/** Forgets every kept finding (tests). */
export function clearSearchFindings(): void {
  kept.clear();
  finding.clear();
}
