/**
 * Which anonymous pages show one letter only, and so are kept (page cache, ETags, nginx) under that
 * letter's own revisions instead of every write's (decision 0029): the letter page and its share
 * card and badge. Everything else changes with any write.
 */

/** Second segments under /letters/ that are routes of their own, not letters. */
const NOT_LETTERS = new Set(["new"]);

const LETTER_PAGE = /^\/letters\/([^/]+)(?:\/card\.png|\/badge\.svg)?$/;

/** The slug of the one letter a path shows (`/letters/:slug`, its card or badge), else null. */
export function letterSlugOfPath(pathname: string): string | null {
  const match = LETTER_PAGE.exec(pathname);
  if (!match) return null;
  let slug: string;
  try {
    slug = decodeURIComponent(match[1] as string);
  } catch {
    return null;
  }
  return NOT_LETTERS.has(slug) || slug.includes("/") ? null : slug;
}
