/** A member of Congress and the letters they signed. */
import { sql } from "drizzle-orm";
import { getDb } from "../../db/client.server";

export interface MemberRef {
  slug: string;
  name: string;
  party: string;
  state: string;
  chamber: string;
}

export function getMember({ slug }: { slug: string }): MemberRef | null {
  return (
    getDb().get<MemberRef>(
      sql`SELECT slug, name, party, state, chamber FROM members WHERE slug = ${slug}`,
    ) ?? null
  );
}
