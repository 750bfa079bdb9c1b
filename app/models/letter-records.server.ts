/**
 * Letters in the exchange format (app/domain/letter-record.ts), in and out of the database: the
 * demo seed, the file importer (letter-file-import.server.ts) and the tests' factories write them
 * through the one letter writer (letter-writer.server.ts), so a record is held to the same rules as
 * a staff form and gets the same history. Call inside one transaction.
 *
 * Updates: the importer matches letters by slug and brings an existing letter in line with the
 * file. It never deletes facts: questions and responses missing from a file are kept; senders,
 * recipients and tags (attributes of the letter) are replaced as a whole when they differ.
 */
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.server";
import { committees, letters, questions, responses } from "../../db/schema";
import { factDateText } from "~/domain/approximate-date";
import type { CalendarDate } from "~/domain/dates";
import { letterInputFromRecord, responseInputFromRecord } from "~/domain/letter-input";
import type { LetterRecord } from "~/domain/letter-record";
import { isNoCommittee } from "~/domain/people";
import { pairResponses } from "~/domain/response-matching";
import type { Actor } from "./audit.server";
import { letterRecipientsOf, letterSendersOf, letterTagsOf } from "./letter-parts.server";
import { writeLetter, writeResponse } from "./letter-writer.server";

// ---------------------------------------------------------------------------------------------
// Reading stored letters as records, to compare them with a file.

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
  /** The letter's version when read: every change of the letter or its parts moves it. */
  version: number;
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
        version: letters.version,
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
      .select({
        id: questions.id,
        n: questions.number,
        text: questions.text,
        kind: questions.kind,
        // The question it repeats (decision 0023), as the exchange format names it.
        repeatsLetter: sql<string | null>`(SELECT rl.slug FROM questions r JOIN letters rl ON rl.id = r.letter_id WHERE r.id = "questions"."repeats_question_id")`,
        repeatsN: sql<number | null>`(SELECT r.number FROM questions r WHERE r.id = "questions"."repeats_question_id")`,
      })
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
    // A month-only date is compared, matched and written back as the file gives it: `2025-06`.
    const receivedOn = (row: (typeof responseRows)[number]) => factDateText(row.receivedOn, row.receivedPrecision);
    const keys = responseKeys(responseRows.map((row) => ({ received_on: receivedOn(row), from: row.from })));
    found.set(slug, {
      id: letter.id,
      version: letter.version,
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
        questions: questionRows.map(({ n, text, kind, repeatsLetter, repeatsN }) => ({
          n,
          text,
          kind,
          ...(repeatsLetter !== null && repeatsN !== null ? { repeats: { letter: repeatsLetter, n: repeatsN } } : {}),
        })),
        follows_up: followsUp,
        responses: responseRows.map((row) => ({
          received_on: receivedOn(row),
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
    questions: [...record.questions]
      .sort((a, b) => a.n - b.n)
      .map(({ n, text, kind, repeats }) => ({ n, text, kind, repeats: repeats ? `${repeats.letter}#${repeats.n}` : null })),
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
 * Writes new letters, each with its responses, through the one writer: letters a file follows up
 * come first, so a follow-up link always finds its letter. Returns the slugs created, in file order.
 */
export function createLetterRecords({
  tx,
  records,
  actor,
  summary,
  today,
  onWritten,
}: {
  tx: DbOrTx;
  records: readonly LetterRecord[];
  actor: Actor;
  summary: (record: LetterRecord) => string;
  today?: CalendarDate;
  /** Called after each letter is written (the import's progress). */
  onWritten?: () => void;
}): string[] {
  const pending = new Map(records.map((record) => [record.id, record]));
  const write = (record: LetterRecord) => {
    const { id } = writeLetter({ tx, input: letterInputFromRecord(record), actor, summary: summary(record), today });
    for (const response of record.responses) {
      writeResponse({ tx, letterId: id, input: responseInputFromRecord(response), actor, summary: "Imported", today });
    }
    onWritten?.();
  };
  for (const record of records) {
    // Walk up the chain of letters of the file this one follows up, then write from its top down.
    // (A circle stops the walk; the writer then refuses the link it cannot resolve.)
    const chain: LetterRecord[] = [];
    const onChain = new Set<string>();
    for (let next = pending.get(record.id); next && !onChain.has(next.id); next = next.follows_up ? pending.get(next.follows_up) : undefined) {
      chain.push(next);
      onChain.add(next.id);
    }
    for (const letter of chain.reverse()) {
      pending.delete(letter.id);
      write(letter);
    }
  }
  return records.map((record) => record.id);
}

/**
 * Brings a stored letter in line with `record` (already merged with the stored facts the file does
 * not carry; see mergeWithStored in letter-file-check.server.ts). Questions are matched by number,
 * responses by date and sender, a reply's date refined from month to day (or back) counting as
 * the same reply (pairResponses). Returns the changed fields.
 */
export function updateLetterFromRecord({
  tx,
  stored,
  record,
  actor,
  summary,
  today,
}: {
  tx: DbOrTx;
  stored: StoredLetter;
  record: LetterRecord;
  actor: Actor;
  summary: string;
  today?: CalendarDate;
}): ComparableField[] {
  const fields = changedFields(stored.record, record);
  if (fields.length === 0) return fields;
  writeLetter({ tx, letterId: stored.id, input: letterInputFromRecord(record, stored.questionIds), actor, summary, today });
  if (fields.includes("responses")) {
    // The stored responses' ids in the stored order; each of the record's responses updates the one it is.
    const storedIds = responseKeys(stored.record.responses).map((key) => stored.responseIds.get(key));
    const pairs = pairResponses(stored.record.responses, record.responses);
    record.responses.forEach((response, index) => {
      const pair = pairs[index];
      const responseId = pair === null || pair === undefined ? undefined : storedIds[pair];
      writeResponse({ tx, letterId: stored.id, responseId, input: responseInputFromRecord(response), actor, summary, today });
    });
  }
  return fields;
}
