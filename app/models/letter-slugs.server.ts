/**
 * A letter's address after its slug changed: forms and links made with the old slug still find
 * the letter (letter_former_slugs, written by the letter writer).
 */
import { eq, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "../../db/client.server";
import { letterFormerSlugs, letters } from "../../db/schema";
import { prepared } from "./prepared.server";

const p = sql.placeholder;

/** The letter's live slug for `slug`, live or former; `slug` itself when neither is known. */
export function currentSlug(db: DbOrTx, slug: string): string {
  if (prepared(db, "slug.live", (on) => on.select({ id: letters.id }).from(letters).where(eq(letters.slug, p("slug"))).prepare()).get({ slug })) return slug;
  const moved = prepared(db, "slug.former", (on) =>
    on
      .select({ slug: letters.slug })
      .from(letterFormerSlugs)
      .innerJoin(letters, eq(letters.id, letterFormerSlugs.letterId))
      .where(eq(letterFormerSlugs.slug, p("slug")))
      .prepare(),
  ).get({ slug });
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
  prepared(tx, "slug.formerDelete", (db) => db.delete(letterFormerSlugs).where(eq(letterFormerSlugs.slug, p("slug"))).prepare()).run({ slug: to });
  if (from !== null && from !== to) {
    prepared(tx, "slug.formerUpsert", (db) =>
      db
        .insert(letterFormerSlugs)
        .values({ slug: p("slug"), letterId: p("letterId") })
        .onConflictDoUpdate({ target: letterFormerSlugs.slug, set: { letterId: sql`${p("letterId")}` } })
        .prepare(),
    ).run({ slug: from, letterId });
  }
}
