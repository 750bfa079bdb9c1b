/**
 * A letter's address after its slug changed: forms and links made with the old slug still find
 * the letter (letter_former_slugs, written by the letter writer).
 */
import { eq } from "drizzle-orm";
import { getDb, type DbOrTx } from "../../db/client.server";
import { letterFormerSlugs, letters } from "../../db/schema";

/** The letter's live slug for `slug`, live or former; `slug` itself when neither is known. */
export function currentSlug(db: DbOrTx, slug: string): string {
  if (db.select({ id: letters.id }).from(letters).where(eq(letters.slug, slug)).get()) return slug;
  const moved = db
    .select({ slug: letters.slug })
    .from(letterFormerSlugs)
    .innerJoin(letters, eq(letters.id, letterFormerSlugs.letterId))
    .where(eq(letterFormerSlugs.slug, slug))
    .get();
  return moved?.slug ?? slug;
}

/** Where a letter addressed by a former slug lives now; null for a live or unknown slug. */
export function movedLetterSlug(slug: string): string | null {
  const db = getDb();
  const current = currentSlug(db, slug);
  return current === slug ? null : current;
}

/** Records a slug change: the old one keeps pointing at the letter, the new one is live. */
export function recordSlugChange(tx: DbOrTx, { letterId, from, to }: { letterId: number; from: string | null; to: string }): void {
  tx.delete(letterFormerSlugs).where(eq(letterFormerSlugs.slug, to)).run();
  if (from !== null && from !== to) {
    tx.insert(letterFormerSlugs).values({ slug: from, letterId }).onConflictDoUpdate({ target: letterFormerSlugs.slug, set: { letterId } }).run();
  }
}
