/**
 * Which stored response an imported one is (pure; the import's check merges with it, and the writer
 * finds the response to update with it). A response is known by its date and sender; the same date
 * and sender twice are told apart by order. A reply first recorded by month only (`2025-06`) and
 * later by its day (`2025-06-14`), or the other way round, is the same reply at another precision:
 * it is updated, not added a second time. Exact matches are paired first, so a month-only reply and
 * a dated one from the same sender in the same month stay two responses when the file has both.
 */
import { isCalendarMonth } from "./approximate-date";
import { isCalendarDate } from "./dates";

export interface ResponseIdentity {
  received_on: string;
  from: string;
}

/** `2025-06` and a day of June 2025 (either way round): the same reply's date at two precisions. */
export function sameMonthAtOtherPrecision(a: string, b: string): boolean {
  const refines = (month: string, day: string) => isCalendarMonth(month) && isCalendarDate(day) && day.startsWith(`${month}-`);
  return refines(a, b) || refines(b, a);
}

/**
 * For each incoming response, the index of the stored response it is (null: a new one). Each stored
 * response is paired at most once: first by the same date and sender, in order; then a reply whose
 * date changed between month and day precision, from the same sender.
 */
export function pairResponses(stored: readonly ResponseIdentity[], incoming: readonly ResponseIdentity[]): Array<number | null> {
  const claimed = new Set<number>();
  const pairs: Array<number | null> = incoming.map((response) => {
    const index = stored.findIndex((candidate, i) => !claimed.has(i) && candidate.received_on === response.received_on && candidate.from === response.from);
    if (index < 0) return null;
    claimed.add(index);
    return index;
  });
  return pairs.map((pair, n) => {
    if (pair !== null) return pair;
    const response = incoming[n]!;
    const index = stored.findIndex((candidate, i) => !claimed.has(i) && candidate.from === response.from && sameMonthAtOtherPrecision(candidate.received_on, response.received_on));
    if (index < 0) return null;
    claimed.add(index);
    return index;
  });
}
