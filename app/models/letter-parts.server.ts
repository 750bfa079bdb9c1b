/**
 * One letter's senders, recipients and topics, in the letter's order: the letter page, the edit
 * form, the history snapshot and the importer all read them the same way.
 */
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.server";
import { agencies, letterRecipients, letterSenders, letterTags, members, officials, tags } from "../../db/schema";
import { prepared } from "./prepared.server";

// Built once per connection (prepared.server.ts): the writer reads them for every letter's history.
const letterId = sql.placeholder("letterId");

export function letterSendersOf({ db, letterId: id }: { db: DbOrTx; letterId: number }) {
  return prepared(db, "parts.senders", (on) => on
    .select({
      slug: members.slug,
      name: members.name,
      party: members.party,
      state: members.state,
      chamber: members.chamber,
      role: letterSenders.role,
      isLead: letterSenders.isLead,
    })
    .from(letterSenders)
    .innerJoin(members, eq(members.id, letterSenders.memberId))
    .where(eq(letterSenders.letterId, letterId))
    .orderBy(letterSenders.position)
    .prepare()).all({ letterId: id });
}

export function letterRecipientsOf({ db, letterId: id }: { db: DbOrTx; letterId: number }) {
  return prepared(db, "parts.recipients", (on) => on
    .select({
      officialId: officials.id,
      name: officials.name,
      /** The official's title when the letter was sent. */
      title: letterRecipients.title,
      agency: { slug: agencies.slug, name: agencies.name, acronym: agencies.acronym },
    })
    .from(letterRecipients)
    .innerJoin(officials, eq(officials.id, letterRecipients.officialId))
    .innerJoin(agencies, eq(agencies.id, letterRecipients.agencyId))
    .where(eq(letterRecipients.letterId, letterId))
    .orderBy(letterRecipients.position)
    .prepare()).all({ letterId: id });
}

export function letterTagsOf({ db, letterId: id }: { db: DbOrTx; letterId: number }) {
  return prepared(db, "parts.tags", (on) => on
    .select({ slug: tags.slug, name: tags.name })
    .from(letterTags)
    .innerJoin(tags, eq(tags.id, letterTags.tagId))
    .where(eq(letterTags.letterId, letterId))
    .orderBy(tags.slug)
    .prepare()).all({ letterId: id });
}
