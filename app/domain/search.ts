import { parseAsOf, parsePageNumber } from "./filters";

/**
 * Turns what a person types into a safe FTS5 query: every word must appear (prefix match on the
 * last one, for search-as-you-type), and FTS5 syntax characters in the input are never operators.
 * Returns null when nothing searchable is left.
 */
export function toFtsQuery(text: string): string | null {
  const words = text.normalize("NFKC").match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return null;
  return words
    .slice(0, 12)
    .map((word, index, all) => `"${word}"${index === all.length - 1 ? "*" : ""}`)
    .join(" ");
}

export const SEARCH_KINDS = ["letter", "question", "response", "document"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export const SEARCH_KIND_LABELS: Record<SearchKind, string> = {
  letter: "Letters",
  question: "Questions",
  response: "Responses",
  document: "Documents",
};

/**
 * The names search finds in their own right (people, agencies, committees), each a group of its
 * own before the letters: the pickers' kinds, found through the pickers' index (picker_index).
 */
export const NAME_KINDS = ["members", "agencies", "committees"] as const;
export type NameKind = (typeof NAME_KINDS)[number];

export const NAME_KIND_LABELS: Record<NameKind, string> = {
  members: "People",
  agencies: "Agencies",
  committees: "Committees",
};

/** Names shown per group on the first page of results; "more" shows up to the pickers' page (20). */
export const NAMES_PER_GROUP = 5;

/** Where a document hit was found: "p. 2" (documents are searched page by page). */
export function pageLabel(page: number | null): string {
  return page === null ? "" : `p. ${page}`;
}

/** Marks FTS5's highlight() and snippet() put around matched words; never in stored text. */
export const MATCH_START = "\u0002";
export const MATCH_END = "\u0003";

export interface SearchParams {
  q: string;
  /** One kind, paginated; null shows the first results of every kind. */
  kind: SearchKind | null;
  /** One group of names (people, agencies, committees), with more of them; null: the first of each. */
  names: NameKind | null;
  page: number;
  asOf: string | null;
}

/** Reads /search's URL; bad values are dropped with a message, like the filter model. */
export function parseSearchParams(params: URLSearchParams, now: Date = new Date()): { search: SearchParams; problems: string[] } {
  const problems: string[] = [];
  const q = (params.get("q") ?? "").trim().slice(0, 200);
  const kindValue = params.get("kind")?.trim() || null;
  let kind: SearchKind | null = null;
  if (kindValue && (SEARCH_KINDS as readonly string[]).includes(kindValue)) kind = kindValue as SearchKind;
  else if (kindValue) problems.push(`kind: "${kindValue}" is not one of ${SEARCH_KINDS.join(", ")}`);
  const namesValue = params.get("names")?.trim() || null;
  let names: NameKind | null = null;
  if (namesValue && (NAME_KINDS as readonly string[]).includes(namesValue)) names = namesValue as NameKind;
  else if (namesValue) problems.push(`names: "${namesValue}" is not one of ${NAME_KINDS.join(", ")}`);
  if (names && kind) {
    problems.push(`names: shown with every kind of result, not with kind "${kind}"`);
    names = null;
  }
  const pageValue = params.get("page")?.trim();
  let page = 1;
  if (pageValue) {
    const parsed = parsePageNumber(pageValue);
    page = parsed.page;
    if (parsed.problem) problems.push(parsed.problem);
  }
  // The pages' own reading of asOf: a real date up to today, else left out with a problem.
  const { asOf, problem: asOfProblem } = parseAsOf(params, now);
  if (asOfProblem) problems.push(asOfProblem);
  return { search: { q, kind, names, page, asOf }, problems };
}

/** Splits highlighted text into plain and matched parts, for rendering without raw HTML. */
export function splitHighlights(text: string): Array<{ text: string; match: boolean }> {
  const parts: Array<{ text: string; match: boolean }> = [];
  let rest = text;
  while (rest.length > 0) {
    const start = rest.indexOf(MATCH_START);
    if (start === -1) {
      parts.push({ text: rest, match: false });
      break;
    }
    if (start > 0) parts.push({ text: rest.slice(0, start), match: false });
    const end = rest.indexOf(MATCH_END, start + 1);
    const matched = rest.slice(start + 1, end === -1 ? undefined : end);
    if (matched) parts.push({ text: matched, match: true });
    rest = end === -1 ? "" : rest.slice(end + 1);
  }
  return parts;
}
