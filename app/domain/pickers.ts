/**
 * The searchable pickers: which things a person can pick by typing (agencies, committees, members,
 * topics, officials), the limits of a search, how typed text becomes a prefix query, and the
 * messages for text that names no one or several. Pure: the queries are
 * app/models/pickers.server.ts, the field app/components/picker.tsx.
 */

export const PICKER_KINDS = ["agencies", "committees", "members", "topics", "officials"] as const;
export type PickerKind = (typeof PICKER_KINDS)[number];

export function isPickerKind(value: string): value is PickerKind {
  return (PICKER_KINDS as readonly string[]).includes(value);
}

/** One thing to pick: the value a form sends, the text the field shows, and a hint to tell it apart. */
/**
 * On a letter form, a name that matched several is offered as radio buttons named
 * `choice:<field>`, one per match (app/components/letter-form.tsx); a choice sent with the form
 * wins over the text typed (app/models/letter-forms.server.ts resolveLetterFormPicks).
 */
export const PICK_CHOICE_PREFIX = "choice:";

export interface PickerItem {
  /** A slug, or an official's id. */
  value: string;
  /** What the field shows once picked; the server finds the item again from it. */
  label: string;
  /** E.g. a member's chamber, an agency's acronym, an official's agency. */
  hint: string | null;
}

export const PICKER_NOUNS: Record<PickerKind, { one: string; many: string }> = {
  agencies: { one: "agency", many: "agencies" },
  committees: { one: "committee", many: "committees" },
  members: { one: "member", many: "members" },
  topics: { one: "topic", many: "topics" },
  officials: { one: "official", many: "officials" },
};

/** Longer text is cut: a name is never longer, and the work of one search stays small. */
export const MAX_PICKER_QUERY = 100;
/** Words of a query beyond these are ignored. */
export const MAX_PICKER_WORDS = 6;
/** Suggestions per search. */
export const MAX_PICKER_RESULTS = 20;

/**
 * The words of typed text as the picker index splits names (FTS5 unicode61 with diacritics
 * removed): runs of letters and digits, lower-cased. "U.S. Dept." -> ["u", "s", "dept"].
 */
export function pickerWords(text: string): string[] {
  const folded = text
    .slice(0, MAX_PICKER_QUERY)
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();
  return (folded.match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_PICKER_WORDS);
}

/** The FTS5 query: rows of the kind whose words start with every typed word, or null for no words. */
export function pickerMatchQuery(kind: PickerKind, text: string): string | null {
  const words = pickerWords(text);
  if (words.length === 0) return null;
  // Words are letters and digits only, so quoting them is safe; `*` makes each a prefix.
  return `kind : "${INDEX_KIND[kind]}" AND words : (${words.map((word) => `"${word}"*`).join(" AND ")})`;
}

/** The `kind` column of the picker index (migration 0010). */
export const INDEX_KIND: Record<PickerKind, string> = {
  agencies: "agency",
  committees: "committee",
  members: "member",
  topics: "topic",
  officials: "official",
};

/** Text compared for an exact match: case, spacing and accents ignored. */
export function sameName(a: string, b: string): boolean {
  return normalizedName(a) === normalizedName(b);
}

function normalizedName(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase().replace(/\s+/g, " ").trim();
}

/** What a typed name resolved to. */
export type PickResolution =
  | { ok: true; item: PickerItem }
  | { ok: false; matches: PickerItem[]; more: boolean };

/** How many matches a message names. */
const NAMED_MATCHES = 5;

/**
 * The message for a typed name that names no one or several, starting with the field's name:
 * `Agency: no agency matches "Homelnd"`,
 * `Member: "Smith" matches 3 members (Adam Smith (D-WA), …); type more of the name`.
 * When matches share a label, each is named with its identifier, which the field also accepts.
 */
export function pickProblem({
  field,
  kind,
  text,
  matches,
  more,
  advice,
}: {
  field: string;
  kind: PickerKind;
  text: string;
  matches: PickerItem[];
  more: boolean;
  /** What else the person can do, e.g. "or leave it empty to add a new member below". */
  advice?: string;
}): string {
  const noun = PICKER_NOUNS[kind];
  const quoted = `"${text.trim().slice(0, MAX_PICKER_QUERY)}"`;
  if (matches.length === 0) {
    return `${field}: no ${noun.one} matches ${quoted}; check the spelling${advice ? `, ${advice}` : ""}`;
  }
  const labels = matches.map((item) => item.label);
  const shared = new Set(labels).size < labels.length;
  const named = matches
    .slice(0, NAMED_MATCHES)
    .map((item) => (shared ? `${item.label} [${item.value}]` : item.label))
    .join("; ");
  const count = more ? `more than ${matches.length}` : String(matches.length);
  const rest = more || matches.length > NAMED_MATCHES ? "; …" : "";
  return `${field}: ${quoted} matches ${count} ${noun.many} (${named}${rest}); type more of the name${
    shared ? " or the identifier in brackets" : ""
  }${advice ? `, ${advice}` : ""}`;
}

/** The selection filters picked by name: their URL parameter, picker and field label. */
export const SELECTION_PICKERS = [
  { param: "agency", kind: "agencies", label: "Agency" },
  { param: "committee", kind: "committees", label: "Committee" },
  { param: "member", kind: "members", label: "Member" },
  { param: "tag", kind: "topics", label: "Topic" },
] as const satisfies ReadonlyArray<{ param: string; kind: PickerKind; label: string }>;

export type SelectionPickerParam = (typeof SELECTION_PICKERS)[number]["param"];

/**
 * A picker field as a page shows it: the value it sends (a slug, or text that matched no one),
 * the text it shows (the label, or the typed text) and the problem with it, if any.
 */
export interface PickedField {
  value: string;
  text: string;
  error: string | null;
  /**
   * A typed name that matches several: each match with the query string that picks it (links,
   * so the choice works without JavaScript). Empty otherwise.
   */
  choices?: Array<{ label: string; hint: string | null; search: string }>;
}

/** How many matches of an ambiguous typed name are offered as links. */
export const MAX_PICK_CHOICES = 10;

export type SelectionPicks = Record<SelectionPickerParam, PickedField | null>;
