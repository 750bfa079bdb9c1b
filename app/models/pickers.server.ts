/**
 * The searchable pickers' queries: suggestions for typed text (GET /pickers/:kind), the labels of
 * the values a page shows as picked, and typed names resolved to the one thing they name (forms
 * also work without JavaScript, where the field sends what was typed).
 *
 * Suggestions come from the FTS5 table `picker_index` (migration 0010, kept by triggers): every
 * typed word must start a word of the name, case and accents ignored. The work is bounded: at most
 * MAX_PICKER_WORDS words of MAX_PICKER_QUERY characters, and a page of MAX_PICKER_RESULTS rows.
 */
import { sql, type SQL } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import {
  MAX_PICK_CHOICES,
  MAX_PICKER_RESULTS,
  pickerMatchQuery,
  pickProblem,
  sameName,
  SELECTION_PICKERS,
  type PickerItem,
  type PickerKind,
  type PickResolution,
  type SelectionPicks,
} from "~/domain/pickers";
import { agencyKey, nameKey } from "~/domain/identity-match";

/** A row of a kind: its item, and the other names it may be typed as (exact matches). */
interface Row extends PickerItem {
  alt1: string | null;
  alt2: string | null;
}

interface KindSql {
  /** Columns value, label, hint, alt1, alt2 of the row `x`. */
  select: SQL;
  /** The table, aliased `x`. */
  table: SQL;
  /** Tables the label needs besides `x`. */
  joins?: SQL;
  /** Finds the row `x` by its value, through the primary key or a unique index. */
  byValue: (value: string) => SQL;
  /** Finds rows by values. */
  byValues: (values: string[]) => SQL;
  /** Whether a value has the shape of this kind's identifier. */
  isValue: (value: string) => boolean;
  /** The values of rows one of whose other names (aliases, name variants) is exactly this text. */
  otherNames?: (text: string) => string[];
}

const SLUG = /^[a-z0-9-]{1,100}$/;
const ID = /^[1-9][0-9]{0,15}$/;
const bySlug = (value: string) => sql`x.slug = ${value}`;
const bySlugs = (values: string[]) => sql`x.slug IN (${sql.join(values.map((value) => sql`${value}`), sql`, `)})`;

const KINDS: Record<PickerKind, KindSql> = {
  agencies: {
    // The hint: acronym and department, "ICE; part of Department of Homeland Security".
    select: sql`x.slug AS value, x.name AS label,
      CASE WHEN p.name IS NULL THEN x.acronym WHEN x.acronym IS NULL THEN 'part of ' || p.name
        ELSE x.acronym || '; part of ' || p.name END AS hint, x.acronym AS alt1, NULL AS alt2`,
    table: sql`agencies x`,
    joins: sql`LEFT JOIN agencies p ON p.id = x.parent_id`,
    byValue: bySlug,
    byValues: bySlugs,
    isValue: (value) => SLUG.test(value),
    // "Homeland Security", "U.S. Department of the Treasury": the directory's aliases (by key, indexed).
    otherNames: (text) =>
      getDb()
        .all<{ value: string }>(sql`SELECT a.slug AS value FROM agency_aliases x JOIN agencies a ON a.id = x.agency_id WHERE x.key = ${agencyKey(text)}`)
        .map((row) => row.value),
  },
  committees: {
    select: sql`x.slug AS value, x.name AS label, x.chamber AS hint, NULL AS alt1, NULL AS alt2`,
    table: sql`committees x`,
    byValue: bySlug,
    byValues: bySlugs,
    isValue: (value) => SLUG.test(value),
  },
  members: {
    // The label is memberLabel() of app/domain/people.ts: "Gregory W. Meeks (D-NY)".
    // The hint: the chamber, with the district of a representative the roster knows ("House, MD-8",
    // "House, WY at large").
    select: sql`x.slug AS value, x.name || ' (' || x.party || '-' || x.state || ')' AS label,
      x.chamber || CASE WHEN x.chamber <> 'House' OR x.district IS NULL THEN ''
        WHEN x.district = 0 THEN ', ' || x.state || ' at large' ELSE ', ' || x.state || '-' || x.district END AS hint,
      x.name AS alt1, NULL AS alt2`,
    table: sql`members x`,
    byValue: bySlug,
    byValues: bySlugs,
    isValue: (value) => SLUG.test(value),
    // "Dick Durbin", "Gregory Meeks": the roster's name variants (by key, indexed).
    otherNames: (text) =>
      getDb()
        .all<{ value: string }>(sql`SELECT m.slug AS value FROM member_names x JOIN members m ON m.id = x.member_id WHERE x.key = ${nameKey(text)}`)
        .map((row) => row.value),
  },
  topics: {
    select: sql`x.slug AS value, x.name AS label, NULL AS hint, x.slug AS alt1, NULL AS alt2`,
    table: sql`tags x`,
    byValue: bySlug,
    byValues: bySlugs,
    isValue: (value) => SLUG.test(value),
  },
  officials: {
    // Unique: an official's name is unique within the agency.
    select: sql`CAST(x.id AS TEXT) AS value, x.name || ', ' || x.title || ' (' || a.name || ')' AS label, NULL AS hint,
      x.name AS alt1, x.name || ', ' || x.title AS alt2`,
    table: sql`officials x`,
    joins: sql`JOIN agencies a ON a.id = x.agency_id`,
    byValue: (value) => sql`x.id = ${Number(value)}`,
    byValues: (values) => sql`x.id IN (${sql.join(values.map((value) => sql`${Number(value)}`), sql`, `)})`,
    isValue: (value) => ID.test(value),
  },
};

const item = ({ value, label, hint }: Row): PickerItem => ({ value, label, hint });

/** Rows whose words start with every typed word, best first; `limit + 1` are read to tell if there are more. */
function matchingRows(kind: PickerKind, text: string, limit: number): { rows: Row[]; more: boolean } {
  const match = pickerMatchQuery(kind, text);
  if (match === null) return { rows: [], more: false };
  const k = KINDS[kind];
  // The index yields rowid = id * 8 + code; each match reaches its row by primary key.
  const rows = getDb().all<Row>(sql`
    SELECT ${k.select}
    FROM picker_index CROSS JOIN ${k.table} ON x.id = picker_index.rowid / 8 ${k.joins ?? sql``}
    WHERE picker_index MATCH ${match}
    ORDER BY picker_index.rank, picker_index.rowid
    LIMIT ${limit + 1}`);
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}

/**
 * Suggestions for typed text: names that start with it first, then the others, each group in
 * alphabetical order. No words, no suggestions.
 */
export function searchPicker(kind: PickerKind, text: string, limit: number = MAX_PICKER_RESULTS): { items: PickerItem[]; more: boolean } {
  const { rows, more } = matchingRows(kind, text, Math.min(limit, MAX_PICKER_RESULTS));
  const typed = text.trim().toLowerCase();
  const starts = (row: Row) => (row.label.toLowerCase().startsWith(typed) ? 0 : 1);
  const sorted = [...rows].sort((a, b) => starts(a) - starts(b) || a.label.localeCompare(b.label));
  return { items: sorted.map(item), more };
}

/** The items of these values (slugs, or officials' ids), by value; unknown values are left out. */
export function pickerItems(kind: PickerKind, values: ReadonlyArray<string | null | undefined>): Map<string, PickerItem> {
  const k = KINDS[kind];
  const wanted = [...new Set(values.filter((value): value is string => typeof value === "string" && k.isValue(value)))];
  if (wanted.length === 0) return new Map();
  const rows = getDb().all<Row>(sql`SELECT ${k.select} FROM ${k.table} ${k.joins ?? sql``} WHERE ${k.byValues(wanted)}`);
  return new Map(rows.map((row) => [row.value, item(row)]));
}

/** How many candidates a typed name is compared with. */
const CANDIDATES = 50;

/**
 * The one thing typed text names: its identifier (a slug, an official's id), its label or name
 * exactly (case, spacing and accents ignored), or else the only name whose words start with the
 * typed words. Null for empty text.
 */
export function resolvePick(kind: PickerKind, typed: string): PickResolution | null {
  const text = typed.trim();
  if (text === "") return null;
  const k = KINDS[kind];
  if (k.isValue(text)) {
    const row = getDb().get<Row>(sql`SELECT ${k.select} FROM ${k.table} ${k.joins ?? sql``} WHERE ${k.byValue(text)}`);
    if (row) return { ok: true, item: item(row) };
  }
  const { rows, more } = matchingRows(kind, text, CANDIDATES);
  const exact = new Map(
    rows.filter((row) => [row.label, row.alt1, row.alt2].some((name) => name !== null && sameName(name, text))).map((row) => [row.value, item(row)]),
  );
  // Another name: "Homeland Security", "U.S. Department of the Treasury", "Dick Durbin".
  const others = k.otherNames?.(text) ?? [];
  if (others.length > 0) for (const [value, found] of pickerItems(kind, others)) exact.set(value, found);
  if (exact.size === 1) return { ok: true, item: [...exact.values()][0]! };
  if (exact.size > 1) return { ok: false, matches: [...exact.values()], more: false };
  if (rows.length === 1 && !more) return { ok: true, item: item(rows[0]!) };
  return { ok: false, matches: rows.map(item), more };
}

/**
 * The selection filters of /letters and /questions (`agency`, `committee`, `member`, `tag`) as
 * their pages read them: each may be a slug (links, and the picker with JavaScript) or a typed name
 * (the picker without it). Returns the parameters with every name replaced by its slug and a name
 * that matches no one or several removed; and what each picker field shows: the label of the
 * slug, or the typed text with the problem, which names the field.
 */
export function resolveSelectionPicks(params: URLSearchParams): {
  params: URLSearchParams;
  picks: SelectionPicks;
  /**
   * When names were typed and each found its one match: the query string with slugs instead (and
   * without empty parameters), for the page to redirect to, so that the address is the usual,
   * shareable one. Null otherwise.
   */
  canonicalSearch: string | null;
} {
  const resolved = new URLSearchParams(params);
  const picks = {} as SelectionPicks;
  let renamed = false;
  let failed = false;
  for (const { param, kind, label } of SELECTION_PICKERS) {
    const typed = params.get(param)?.trim() ?? "";
    const result = resolvePick(kind, typed);
    if (result === null) {
      picks[param] = null;
    } else if (result.ok) {
      if (result.item.value !== params.get(param)) renamed = true;
      resolved.set(param, result.item.value);
      picks[param] = { value: result.item.value, text: result.item.label, error: null };
    } else {
      failed = true;
      resolved.delete(param);
      const error = pickProblem({ field: label, kind, text: typed, matches: result.matches, more: result.more });
      // Each match as a link: the same address with this filter picked (and the first page).
      const choices = result.matches.slice(0, MAX_PICK_CHOICES).map((match) => {
        const search = new URLSearchParams(params);
        search.set(param, match.value);
        search.delete("page");
        return { label: match.label, hint: match.hint, search: `?${search}` };
      });
      picks[param] = { value: typed, text: typed, error, ...(choices.length > 0 ? { choices } : {}) };
    }
  }
  let canonicalSearch: string | null = null;
  if (renamed && !failed) {
    const canonical = new URLSearchParams([...resolved].filter(([, value]) => value.trim() !== ""));
    canonicalSearch = canonical.size > 0 ? `?${canonical}` : "";
  }
  return { params: resolved, picks, canonicalSearch };
}
