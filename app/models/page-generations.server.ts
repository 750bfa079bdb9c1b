/**
 * The revision of what one letter's page shows (decision 0029): the count of changes to the
 * letter's own rows and the count of changes that can alter any letter's page (names, titles and
 * links of other letters), both kept by triggers (migration 0026). Read before every anonymous
 * letter page and every nginx generation check for one: one prepared lookup by the slug's index.
 */
import { sql } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import { preparedSql } from "./prepared.server";

/** `letter-<id>-<own>-<shared>`, or null when no letter has this slug (the page is then a redirect or a 404). */
export function letterPageRevision(slug: string): string | null {
  const row = preparedSql(
    getDb(),
    "letter-page-revision",
    () => sql`SELECT l.id AS id, COALESCE(r.revision, 0) AS own, d.letter_pages_revision AS shared
      FROM letters l CROSS JOIN data_revision d LEFT JOIN letter_page_revisions r ON r.letter_id = l.id
      WHERE l.slug = ${sql.placeholder("slug")} AND d.id = 1`,
  ).get<{ id: number; own: number; shared: number }>({ slug });
  return row ? `letter-${row.id}-${row.own}-${row.shared}` : null;
}
