/**
 * Writes letters in the exchange format (app/domain/letter-record.ts) to the database: the demo
 * seed uses it, and so will the importer. Members, committees, agencies, officials and tags are
 * matched by name (tags by slug) and created once. Call inside one transaction.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.server";
import {
  agencies,
  committees,
  letterRecipients,
  letterSenders,
  letterTags,
  letters,
  members,
  officials,
  questions,
  responses,
  tags,
} from "../../db/schema";
import type { LetterRecord } from "~/domain/letter-record";
import {
  inferCommitteeChamber,
  inferMemberChamber,
  isNoCommittee,
  knownAcronym,
} from "~/domain/people";
import { slugify } from "~/domain/slug";
import { refreshLetterState } from "./letter-state.server";

export interface SaveLettersResult {
  created: string[];
  /** Slugs already in the database; left unchanged. */
  existing: string[];
}

/** Finds a row by a natural key or creates it, remembering answers for the rest of the batch. */
function memo<K, V>(compute: (key: K) => V): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    if (!cache.has(key)) cache.set(key, compute(key));
    return cache.get(key) as V;
  };
}

/** A slug not yet used in `table`: "name", then "name-2", "name-3", ... */
function freeSlug(tx: DbOrTx, table: typeof members | typeof committees | typeof agencies | typeof tags, base: string): string {
  let slug = base;
  for (let n = 2; tx.select({ id: table.id }).from(table).where(eq(table.slug, slug)).get(); n++) {
    slug = `${base}-${n}`;
  }
  return slug;
}

export function saveLetterRecords({
  tx,
  records,
}: {
  tx: DbOrTx;
  records: readonly LetterRecord[];
}): SaveLettersResult {
  const existingSlugs = new Set(
    records.length === 0
      ? []
      : tx
          .select({ slug: letters.slug })
          .from(letters)
          .where(inArray(letters.slug, records.map((record) => record.id)))
          .all()
          .map((row) => row.slug),
  );

  const agencyId = memo((name: string) => {
    const found = tx.select({ id: agencies.id }).from(agencies).where(eq(agencies.name, name)).get();
    if (found) return found.id;
    return tx
      .insert(agencies)
      .values({ name, slug: freeSlug(tx, agencies, slugify(name)), acronym: knownAcronym(name) })
      .returning({ id: agencies.id })
      .get().id;
  });

  const officialId = memo((key: string) => {
    const { name, title, agency } = JSON.parse(key) as { name: string; title: string; agency: string };
    const agencyRowId = agencyId(agency);
    const found = tx
      .select({ id: officials.id })
      .from(officials)
      .where(and(eq(officials.name, name), eq(officials.agencyId, agencyRowId)))
      .get();
    if (found) return found.id;
    return tx
      .insert(officials)
      .values({ name, title, agencyId: agencyRowId })
      .returning({ id: officials.id })
      .get().id;
  });

  const memberId = memo((key: string) => {
    const sender = JSON.parse(key) as { name: string; party: "D" | "R" | "I"; state: string; chamber: "House" | "Senate" };
    const found = tx.select({ id: members.id }).from(members).where(eq(members.name, sender.name)).get();
    if (found) return found.id;
    return tx
      .insert(members)
      .values({ ...sender, slug: freeSlug(tx, members, slugify(sender.name)) })
      .returning({ id: members.id })
      .get().id;
  });

  const committeeId = memo((key: string) => {
    const { name, chamber } = JSON.parse(key) as { name: string; chamber: "House" | "Senate" | "Joint" };
    const found = tx.select({ id: committees.id }).from(committees).where(eq(committees.name, name)).get();
    if (found) return found.id;
    return tx
      .insert(committees)
      .values({ name, chamber, slug: freeSlug(tx, committees, slugify(name)) })
      .returning({ id: committees.id })
      .get().id;
  });

  const tagId = memo((slug: string) => {
    const found = tx.select({ id: tags.id }).from(tags).where(eq(tags.slug, slug)).get();
    if (found) return found.id;
    return tx
      .insert(tags)
      .values({ slug, name: slug.replace(/-/g, " ") })
      .returning({ id: tags.id })
      .get().id;
  });

  const result: SaveLettersResult = { created: [], existing: [] };
  const letterIdBySlug = new Map<string, number>();
  const followUps: Array<{ letterId: number; followsUp: string }> = [];

  for (const record of records) {
    if (existingSlugs.has(record.id)) {
      result.existing.push(record.id);
      continue;
    }
    const committee = isNoCommittee(record.committee)
      ? null
      : committeeId(
          JSON.stringify({
            name: record.committee!.trim(),
            chamber: inferCommitteeChamber(record.committee!, record.chamber),
          }),
        );
    const letterId = tx
      .insert(letters)
      .values({
        slug: record.id,
        title: record.title,
        sentOn: record.sent_on,
        chamber: record.chamber,
        committeeId: committee,
        deadline: record.deadline ?? null,
        summary: record.summary ?? null,
        notes: record.notes ?? null,
        sourceUrl: record.source ?? null,
      })
      .returning({ id: letters.id })
      .get().id;
    letterIdBySlug.set(record.id, letterId);
    if (record.follows_up) followUps.push({ letterId, followsUp: record.follows_up });

    const hasLead = record.senders.some((sender) => sender.lead);
    record.senders.forEach((sender, index) => {
      tx.insert(letterSenders)
        .values({
          letterId,
          memberId: memberId(
            JSON.stringify({
              name: sender.name,
              party: sender.party,
              state: sender.state,
              chamber: inferMemberChamber(sender.role, record.chamber),
            }),
          ),
          role: sender.role ?? null,
          // The format lists the lead signer first unless it marks one.
          isLead: hasLead ? Boolean(sender.lead) : index === 0,
          position: index + 1,
        })
        .onConflictDoNothing()
        .run();
    });
    record.recipients.forEach((recipient, index) => {
      tx.insert(letterRecipients)
        .values({
          letterId,
          officialId: officialId(JSON.stringify(recipient)),
          agencyId: agencyId(recipient.agency),
          title: recipient.title,
          position: index + 1,
        })
        .onConflictDoNothing()
        .run();
    });
    for (const slug of new Set(record.topic_tags)) {
      tx.insert(letterTags).values({ letterId, tagId: tagId(slug) }).run();
    }
    if (record.questions.length > 0) {
      tx.insert(questions)
        .values(
          record.questions.map((question) => ({
            letterId,
            number: question.n,
            text: question.text,
            kind: question.kind,
          })),
        )
        .run();
    }
    for (const response of record.responses) {
      tx.insert(responses)
        .values({
          letterId,
          receivedOn: response.received_on,
          from: response.from,
          completeness: response.completeness,
          summary: response.summary ?? null,
          sourceUrl: response.source ?? null,
          notes: response.notes ?? null,
        })
        .run();
    }
    result.created.push(record.id);
  }

  for (const { letterId, followsUp } of followUps) {
    const target =
      letterIdBySlug.get(followsUp) ??
      tx.select({ id: letters.id }).from(letters).where(eq(letters.slug, followsUp)).get()?.id;
    if (target === undefined) throw new Error(`follows_up "${followsUp}" is not a known letter`);
    tx.update(letters).set({ followsUpId: target }).where(eq(letters.id, letterId)).run();
  }

  refreshLetterState({ tx, letterIds: [...letterIdBySlug.values()] });
  return result;
}
