/** A committee and the letters sent under its name. */
import { sql } from "drizzle-orm";
import { getDb } from "../../db/client.server";

export interface CommitteeRef {
  slug: string;
  name: string;
  chamber: string;
}

export function getCommittee({ slug }: { slug: string }): CommitteeRef | null {
  return getDb().get<CommitteeRef>(sql`SELECT slug, name, chamber FROM committees WHERE slug = ${slug}`) ?? null;
}
