/**
 * The totals of `/letters` and `/questions` (and their API), shared by the read threads. A list's
 * total counts its whole selection (the open questions of 100,000 letters: 30–90 ms) and each read
 * thread kept it for itself until the data changed: with an editor saving every second, every
 * thread counted every selection again after every save, a third of the light lane's work under
 * the bench's mixed load. The event loop now keeps each total with the data revision it was
 * counted at, asks one thread to count it when it has none for the current revision (readers of
 * the same selection meanwhile wait for that count), and passes it to the thread that reads the page.
 */
import type { AppLoadContext } from "@remix-run/node";
import { today, type CalendarDate } from "~/domain/dates";
import type { LetterFilters, QuestionFilters } from "~/domain/filters";
import { readInPool } from "~/utils/read-pool.server";
import { dataRevision } from "./figure-cache.server";

type List = "letters" | "questions";

/** Selections kept at most (a number each). */
const MAX_KEPT = 2_000;

const kept = new Map<string, { revision: number; total: number }>();
const counting = new Map<string, Promise<void>>();

function selectionKey(list: List, filters: LetterFilters | QuestionFilters, asOf: CalendarDate): string {
  const { page: _page, sort: _sort, dir: _dir, ...selection } = filters;
  return `${list}:${JSON.stringify(selection)}@${asOf}`;
}

/**
 * The list's total as of today at the current data revision, counted once per process; undefined
 * as of a past date (not kept: the page's thread counts it) or without a revision to key it by.
 */
export async function listTotal(
  list: List,
  filters: LetterFilters | QuestionFilters,
  asOf: CalendarDate,
  options: { context?: AppLoadContext; request?: Request },
): Promise<number | undefined> {
  if (asOf < today()) return undefined;
  const key = selectionKey(list, filters, asOf);
  const current = () => {
    const revision = dataRevision();
    const known = kept.get(key);
    return revision !== null && known && known.revision === revision ? known.total : undefined;
  };
  let total = current();
  if (total !== undefined) return total;
  if (dataRevision() === null) return undefined;
  const pending = counting.get(key);
  if (pending) {
    await pending.catch(() => undefined);
    total = current();
    if (total !== undefined) return total;
  }
  const count = (async () => {
    const counted = await readInPool("listTotal", { list, filters, asOf }, options);
    if (counted.revision === null) return;
    kept.delete(key);
    if (kept.size >= MAX_KEPT) kept.delete(kept.keys().next().value as string);
    kept.set(key, { revision: counted.revision, total: counted.total });
    total = counted.total;
  })();
  if (!counting.has(key)) counting.set(key, count);
  try {
    await count;
  } finally {
    if (counting.get(key) === count) counting.delete(key);
  }
  // Counted at a revision a write has since moved: still this request's answer (as the thread's
  // own count would have been), not kept for the next.
  return total;
}

/** Forgets every kept total (tests). */
export function clearListTotals(): void {
  kept.clear();
  counting.clear();
}
