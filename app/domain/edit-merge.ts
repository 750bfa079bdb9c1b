/**
 * Re-applying a staffer's edits over someone else's newer save. An edit form carries the values it
 * was loaded with (`base`); when its save is refused as stale, the form is offered again with
 * the stored values (`theirs`) and this staffer's own changes (`mine` against `base`) re-applied,
 * so that neither person's work is lost and nothing is saved without a second look.
 */

/** A change made by someone else since the form was loaded (a history entry). */
export interface ChangeSince {
  at: number;
  actorName: string | null;
  summary: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** Why a save was refused as stale: the stored version, and what changed since the form's. */
export interface Conflict {
  /** The stored version: a form carrying it may re-apply its changes. */
  version: number;
  changes: ChangeSince[];
}

type Values = Record<string, unknown>;
interface ListItem {
  id?: unknown;
  [key: string]: unknown;
}

/** Empty strings, nulls and missing values mean the same in a form. */
function normalize(value: unknown): unknown {
  if (value === "" || value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Values)
        .map(([key, item]) => [key, normalize(item)] as const)
        .filter(([, item]) => item !== null)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  }
  return String(value);
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

/** The items of a list that are objects: a hand-made or corrupted base may hold anything. */
function asItems(value: unknown): ListItem[] {
  return Array.isArray(value) ? value.filter((item): item is ListItem => item !== null && typeof item === "object" && !Array.isArray(item)) : [];
}

/** An item's identity: the value of its key field ("id" for questions, "questionId" for verdicts). */
function keyOf(item: ListItem, key: string): string | null {
  const value = item[key];
  return value === undefined || value === null || value === "" ? null : String(value);
}

/**
 * A list whose items have ids (questions): my removals, edits and additions applied over theirs.
 * The order is theirs unless I reordered the items I was given; items they added stay where they
 * put them.
 */
export function reapplyList(baseList: unknown, mineList: unknown, theirsList: unknown, key = "id"): ListItem[] {
  const [base, mine, theirs] = [asItems(baseList), asItems(mineList), asItems(theirsList)];
  const idOf = (item: ListItem) => keyOf(item, key);
  const baseById = new Map(base.flatMap((item) => (idOf(item) ? [[idOf(item)!, item] as const] : [])));
  const theirsById = new Map(theirs.flatMap((item) => (idOf(item) ? [[idOf(item)!, item] as const] : [])));
  const mineById = new Map(mine.flatMap((item) => (idOf(item) ? [[idOf(item)!, item] as const] : [])));
  /** Their version of an item, or mine where I changed it. */
  const pick = (id: string) => {
    const item = mineById.get(id);
    return item && !sameValue(item, baseById.get(id)) ? item : theirsById.get(id)!;
  };
  const myOrder = mine.map(idOf).filter((id): id is string => id !== null && baseById.has(id));
  const givenOrder = base.map(idOf).filter((id): id is string => id !== null && mineById.has(id));
  const reordered = myOrder.join() !== givenOrder.join();

  let result: ListItem[];
  if (reordered) {
    // My order for what I had; what they added goes in at their position below.
    result = myOrder.filter((id) => theirsById.has(id)).map(pick);
    theirs.forEach((item, index) => {
      const id = idOf(item);
      if (id !== null && !baseById.has(id)) result.splice(Math.min(index, result.length), 0, item);
    });
  } else {
    // Their order, without what I removed.
    result = theirs.flatMap((item) => {
      const id = idOf(item);
      if (id === null) return [item];
      if (baseById.has(id) && !mineById.has(id)) return [];
      return [pick(id)];
    });
  }
  // What I added, at my position; and what I edited but they removed, kept as new so my typing
  // is not lost (the form shows it; I can still remove it).
  mine.forEach((item, index) => {
    const id = idOf(item);
    if (id === null) result.splice(Math.min(index, result.length), 0, item);
    else if (!theirsById.has(id) && baseById.has(id) && !sameValue(item, baseById.get(id))) {
      const { [key]: _removed, ...asNew } = item;
      result.splice(Math.min(index, result.length), 0, asNew);
    }
  });
  return result;
}

/**
 * A set of plain values (a form's documents, by hash): theirs, without what I removed, with what I
 * added. Two editors who each attached a document both keep theirs; one who removed a document
 * does not bring it back by saving after the other.
 */
export function reapplySet(baseSet: unknown, mineSet: unknown, theirsSet: unknown): string[] {
  const plain = (value: unknown) => (Array.isArray(value) ? value.filter((item) => item !== null && item !== undefined && item !== "").map(String) : []);
  const [base, mine, theirs] = [new Set(plain(baseSet)), plain(mineSet), plain(theirsSet)];
  const removed = new Set([...base].filter((item) => !mine.includes(item)));
  const added = mine.filter((item) => !base.has(item));
  return [...new Set([...theirs.filter((item) => !removed.has(item)), ...added])];
}

/**
 * Their values with my changes re-applied: a field I changed takes my value, any other keeps
 * theirs. `lists` names the fields merged item by item rather than as a whole, each with the field
 * that identifies its items (e.g. `{ questions: "id", verdicts: "questionId" }`); `sets` those
 * merged as sets of values (`["documents"]`: reapplySet).
 */
export function reapplyEdits(base: Values, mine: Values, theirs: Values, lists: Readonly<Record<string, string>> = {}, sets: readonly string[] = []): Values {
  const keys = new Set([...Object.keys(theirs), ...Object.keys(mine)]);
  const merged: Values = {};
  for (const key of keys) {
    const itemKey = lists[key];
    if (sets.includes(key)) {
      merged[key] = reapplySet(base[key], mine[key], theirs[key]);
    } else if (itemKey !== undefined && Array.isArray(mine[key]) && Array.isArray(theirs[key])) {
      merged[key] = reapplyList(base[key], mine[key], theirs[key], itemKey);
    } else {
      merged[key] = sameValue(mine[key], base[key]) ? theirs[key] : mine[key];
    }
  }
  return merged;
}

/** The form's loaded values, carried in a hidden field; anything unreadable is no base at all. */
export function parseBase(text: unknown): Values | null {
  if (typeof text !== "string" || text.length === 0) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Values) : null;
  } catch {
    return null;
  }
}
