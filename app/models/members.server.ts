/** A member of Congress and the letters they signed. */
import { sql } from "drizzle-orm";
import { getDb } from "../../db/client.server";

export interface MemberRef {
  slug: string;
  name: string;
  party: string;
  state: string;
  chamber: string;
  /** From the roster; null for a member it lacks (e.g. one who left Congress). */
  bioguideId: string | null;
  district: number | null;
  /** The member's committee seats (from the roster): titled ones first, committees before their subcommittees. */
  committees: Array<{ slug: string; name: string; side: string; title: string | null; subcommittee: boolean }>;
}

export function getMember({ slug }: { slug: string }): MemberRef | null {
  const db = getDb();
  const member = db.get<Omit<MemberRef, "committees"> & { id: number }>(
    sql`SELECT id, slug, name, party, state, chamber, bioguide_id AS bioguideId, district FROM members WHERE slug = ${slug}`,
  );
  if (!member) return null;
  // committee_roles_member_idx, then each committee by its primary key.
  const committees = db
    .all<{ slug: string; name: string; side: string; title: string | null; subcommittee: number }>(
      sql`SELECT c.slug, c.name, r.side, r.title, c.parent_id IS NOT NULL AS subcommittee
        FROM committee_roles r JOIN committees c ON c.id = r.committee_id WHERE r.member_id = ${member.id}`,
    )
    .map((row) => ({ ...row, subcommittee: row.subcommittee === 1 }))
    .sort((a, b) => Number(a.title === null) - Number(b.title === null) || Number(a.subcommittee) - Number(b.subcommittee) || a.name.localeCompare(b.name));
  const { id: _id, ...ref } = member;
  return { ...ref, committees };
}
