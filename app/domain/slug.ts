/** URL slugs from names: "U.S. Department of State" -> "u-s-department-of-state". */
export function slugify(text: string): string {
  return (
    text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/&/g, " and ")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80)
      .replace(/-+$/g, "") || "item"
  );
}

/**
 * Path segments under /letters/ that are pages of their own (app/routes/letters.new.tsx is the
 * new-letter form): a letter with one of them as its slug could never be reached at
 * /letters/<slug>, since the page's own route wins. test/unit/letter-slugs.test.ts holds this list
 * to the routes: a new sibling route under /letters/ must be added here.
 */
export const RESERVED_LETTER_SLUGS: ReadonlySet<string> = new Set(["new"]);

/** Why `slug` cannot be a letter's slug (it names a page of the site), or null when it can. */
export function reservedLetterSlugProblem(slug: string): string | null {
  if (!RESERVED_LETTER_SLUGS.has(slug)) return null;
  return `Slug "${slug}" cannot be used: /letters/${slug} is a page of the tracker itself (the letter could not be reached there). Choose another slug`;
}
