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
import { letterRecipientsOf, letterSendersOf, letterTagsOf } from "./letter-parts.server";
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

/** Finders-or-creators of the rows a letter refers to, matched by name (tags by slug). */
export function createLookups(tx: DbOrTx) {
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

  return { agencyId, officialId, memberId, committeeId, tagId };
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

  const { agencyId, officialId, memberId, committeeId, tagId } = createLookups(tx);

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

// ---------------------------------------------------------------------------------------------
// Updates: the importer matches letters by slug and brings an existing letter in line with the file.
// It never deletes facts: questions and responses missing from a file are kept; senders, recipients
// and tags (attributes of the letter) are replaced as a whole when they differ.

/** A response's identity inside its letter: date, sender and how many came before with both. */
function responseKeys(list: ReadonlyArray<{ received_on: string; from: string }>): string[] {
  const seen = new Map<string, number>();
  return list.map((response) => {
    const base = `${response.received_on}\u0000${response.from}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return `${base}\u0000${n}`;
  });
}

export interface StoredLetter {
  id: number;
  record: LetterRecord;
  /** Database ids of the letter's responses, by responseKeys(). */
  responseIds: Map<string, number>;
  questionIds: Map<number, number>;
}

/** The stored facts of existing letters in the exchange format, by slug. */
export function readLetterRecords({ tx, slugs }: { tx: DbOrTx; slugs: readonly string[] }): Map<string, StoredLetter> {
  const found = new Map<string, StoredLetter>();
  for (const slug of slugs) {
    const letter = tx
      .select({
        id: letters.id,
        title: letters.title,
        sentOn: letters.sentOn,
        chamber: letters.chamber,
        committee: committees.name,
        deadline: letters.deadline,
        summary: letters.summary,
        notes: letters.notes,
        sourceUrl: letters.sourceUrl,
        followsUpId: letters.followsUpId,
      })
      .from(letters)
      .leftJoin(committees, eq(committees.id, letters.committeeId))
      .where(eq(letters.slug, slug))
      .get();
    if (!letter) continue;
    const followsUp = letter.followsUpId
      ? (tx.select({ slug: letters.slug }).from(letters).where(eq(letters.id, letter.followsUpId)).get()?.slug ?? null)
      : null;
    const senders = letterSendersOf({ db: tx, letterId: letter.id }).map(({ name, party, state, role, isLead }) => ({
      name,
      party,
      state,
      role,
      lead: isLead,
    }));
    const recipients = letterRecipientsOf({ db: tx, letterId: letter.id }).map(({ name, title, agency }) => ({
      name,
      title,
      agency: agency.name,
    }));
    const tagRows = letterTagsOf({ db: tx, letterId: letter.id });
    const questionRows = tx
      .select({ id: questions.id, n: questions.number, text: questions.text, kind: questions.kind })
      .from(questions)
      .where(eq(questions.letterId, letter.id))
      .orderBy(questions.number)
      .all();
    const responseRows = tx
      .select()
      .from(responses)
      .where(eq(responses.letterId, letter.id))
      .orderBy(responses.receivedOn, responses.id)
      .all();
    const keys = responseKeys(responseRows.map((row) => ({ received_on: row.receivedOn, from: row.from })));
    found.set(slug, {
      id: letter.id,
      record: {
        id: slug,
        title: letter.title,
        sent_on: letter.sentOn,
        chamber: letter.chamber,
        committee: letter.committee,
        senders: senders.map((sender) => ({ ...sender, role: sender.role ?? null })),
        recipients,
        deadline: letter.deadline,
        topic_tags: tagRows.map((tag) => tag.slug),
        questions: questionRows.map(({ n, text, kind }) => ({ n, text, kind })),
        follows_up: followsUp,
        responses: responseRows.map((row) => ({
          received_on: row.receivedOn,
          from: row.from,
          completeness: row.completeness,
          summary: row.summary,
          source: row.sourceUrl,
          notes: row.notes,
        })),
        source: letter.sourceUrl,
        notes: letter.notes,
        summary: letter.summary,
      },
      responseIds: new Map(responseRows.map((row, index) => [keys[index]!, row.id])),
      questionIds: new Map(questionRows.map((row) => [row.n, row.id])),
    });
  }
  return found;
}

/** What a file says about a letter, reduced to what can be compared with the database. */
export function comparableRecord(record: LetterRecord) {
  const hasLead = record.senders.some((sender) => sender.lead);
  const keys = responseKeys(record.responses);
  return {
    title: record.title,
    sent_on: record.sent_on,
    chamber: record.chamber,
    committee: isNoCommittee(record.committee) ? null : record.committee!.trim(),
    deadline: record.deadline ?? null,
    source: record.source ?? null,
    summary: record.summary ?? null,
    notes: record.notes ?? null,
    follows_up: record.follows_up ?? null,
    // Members are matched by name; an import does not change a member's party or state.
    senders: record.senders.map((sender, index) => ({
      name: sender.name,
      role: sender.role ?? null,
      lead: hasLead ? Boolean(sender.lead) : index === 0,
    })),
    recipients: record.recipients.map(({ name, title, agency }) => ({ name, title, agency })),
    topic_tags: [...new Set(record.topic_tags)].sort(),
    questions: [...record.questions].sort((a, b) => a.n - b.n).map(({ n, text, kind }) => ({ n, text, kind })),
    responses: record.responses
      .map((response, index) => ({
        key: keys[index]!,
        completeness: response.completeness,
        summary: response.summary ?? null,
        source: response.source ?? null,
        notes: response.notes ?? null,
      }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
  };
}

export type ComparableRecord = ReturnType<typeof comparableRecord>;
export type ComparableField = keyof ComparableRecord;

/** The fields on which two records differ. */
export function changedFields(before: LetterRecord, after: LetterRecord): ComparableField[] {
  const a = comparableRecord(before);
  const b = comparableRecord(after);
  return (Object.keys(a) as ComparableField[]).filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]));
}

/**
 * Brings a stored letter in line with `record` (already merged with the stored facts the file does
 * not carry; see mergeWithStored in import.server.ts). Returns the changed fields. Refreshes the
 * derived state; the caller writes the audit event.
 */
export function updateLetterRecord({ tx, stored, record }: { tx: DbOrTx; stored: StoredLetter; record: LetterRecord }): ComparableField[] {
  const fields = changedFields(stored.record, record);
  if (fields.length === 0) return fields;
  const { memberId, officialId, agencyId, committeeId, tagId } = createLookups(tx);
  const letterId = stored.id;
  const changed = new Set(fields);

  const followsUpId = record.follows_up
    ? tx.select({ id: letters.id }).from(letters).where(eq(letters.slug, record.follows_up)).get()?.id
    : null;
  if (followsUpId === undefined) throw new Error(`follows_up "${record.follows_up}" is not a known letter`);
  tx.update(letters)
    .set({
      title: record.title,
      sentOn: record.sent_on,
      chamber: record.chamber,
      committeeId: isNoCommittee(record.committee)
        ? null
        : committeeId(
            JSON.stringify({ name: record.committee!.trim(), chamber: inferCommitteeChamber(record.committee!, record.chamber) }),
          ),
      deadline: record.deadline ?? null,
      summary: record.summary ?? null,
      notes: record.notes ?? null,
      sourceUrl: record.source ?? null,
      followsUpId,
      updatedAt: Date.now(),
    })
    .where(eq(letters.id, letterId))
    .run();

  if (changed.has("senders")) {
    tx.delete(letterSenders).where(eq(letterSenders.letterId, letterId)).run();
    const hasLead = record.senders.some((sender) => sender.lead);
    record.senders.forEach((sender, index) => {
      tx.insert(letterSenders)
        .values({
          letterId,
          memberId: memberId(
            JSON.stringify({ name: sender.name, party: sender.party, state: sender.state, chamber: inferMemberChamber(sender.role, record.chamber) }),
          ),
          role: sender.role ?? null,
          isLead: hasLead ? Boolean(sender.lead) : index === 0,
          position: index + 1,
        })
        .onConflictDoNothing()
        .run();
    });
  }
  if (changed.has("recipients")) {
    tx.delete(letterRecipients).where(eq(letterRecipients.letterId, letterId)).run();
    record.recipients.forEach((recipient, index) => {
      tx.insert(letterRecipients)
        .values({
          letterId,
          officialId: officialId(JSON.stringify({ name: recipient.name, title: recipient.title, agency: recipient.agency })),
          agencyId: agencyId(recipient.agency),
          title: recipient.title,
          position: index + 1,
        })
        .onConflictDoNothing()
        .run();
    });
  }
  if (changed.has("topic_tags")) {
    tx.delete(letterTags).where(eq(letterTags.letterId, letterId)).run();
    for (const slug of new Set(record.topic_tags)) tx.insert(letterTags).values({ letterId, tagId: tagId(slug) }).run();
  }
  if (changed.has("questions")) {
    const storedQuestions = new Map(stored.record.questions.map((question) => [question.n, question]));
    for (const question of record.questions) {
      const existing = storedQuestions.get(question.n);
      const id = stored.questionIds.get(question.n);
      if (existing && id !== undefined) {
        if (existing.text !== question.text || existing.kind !== question.kind) {
          tx.update(questions).set({ text: question.text, kind: question.kind }).where(eq(questions.id, id)).run();
        }
      } else {
        tx.insert(questions).values({ letterId, number: question.n, text: question.text, kind: question.kind }).run();
      }
    }
  }
  if (changed.has("responses")) {
    const keys = responseKeys(record.responses);
    const storedByKey = new Map(responseKeys(stored.record.responses).map((key, index) => [key, stored.record.responses[index]!]));
    record.responses.forEach((response, index) => {
      const values = {
        receivedOn: response.received_on,
        from: response.from,
        completeness: response.completeness,
        summary: response.summary ?? null,
        sourceUrl: response.source ?? null,
        notes: response.notes ?? null,
      };
      const id = stored.responseIds.get(keys[index]!);
      const existing = storedByKey.get(keys[index]!);
      if (id === undefined || !existing) {
        tx.insert(responses).values({ letterId, ...values }).run();
      } else if (
        existing.completeness !== response.completeness ||
        (existing.summary ?? null) !== values.summary ||
        (existing.source ?? null) !== values.sourceUrl ||
        (existing.notes ?? null) !== values.notes
      ) {
        tx.update(responses).set({ ...values, updatedAt: Date.now() }).where(eq(responses.id, id)).run();
      }
    });
  }
  refreshLetterState({ tx, letterIds: [letterId] });
  return fields;
}
