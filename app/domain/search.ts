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
