/**
 * The one writer of letters and their parts. Staff forms, the importer, the demo seed and the tests'
 * factories all write through it (the synthetic bulk writer keeps a fast path, held to the same
 * rules and to identical rows by test/integration/one-write-path.test.ts). Every write:
 * - checks the rules of app/domain/letter-rules.ts (real dates, none in the future, nothing before
 *   the sent date, questions numbered 1..n, one verdict per question, unique slugs);
 * - keeps question ids when questions are edited, moved or renumbered, so verdicts stay on them;
 * - refuses a save made against an older version of the letter (or response) than the stored one;
 * - moves the letter's version, refreshes its derived state and writes its history, in the same
 *   transaction as the change.
 *
 * The `write*` functions run inside a caller's transaction and throw WriteRefused; the `save*`,
 * `delete*` and `set*` wrappers run one immediate transaction and return a WriteResult.
 */
import { and, desc, eq, inArray, ne, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "../../db/client.server";
import {
  agencies,
  auditEvents,
  committees,
  deadlineChanges,
  documents,
  letterDocuments,
  letterRecipients,
  letterSenders,
  letterTags,
  letters,
  memberNames,
  members,
  officials,
  questionAssessments,
  questions,
  responseDocuments,
  responses,
  tags,
} from "../../db/schema";
import { approximateFactDateProblems, factDateText, keptMonthDay, resolveFactDate } from "~/domain/approximate-date";
import { today as serverToday, type CalendarDate } from "~/domain/dates";
import type { CommitteeRef, LetterInput, MemberRef, OfficialRef, ResponseInput } from "~/domain/letter-input";
import type { ChangeSince, Conflict } from "~/domain/edit-merge";
import { INTERNAL_NOTES_ENTITY } from "~/domain/permissions";
import { extensionProblems, factDateProblems, letterProblems, verdictProblems, type RuleProblem } from "~/domain/letter-rules";
import { agencyKey, nameKey } from "~/domain/identity-match";
import { knownAcronym, memberLabel } from "~/domain/people";
import { reservedLetterSlugProblem, RESERVED_LETTER_SLUGS, slugify } from "~/domain/slug";
import { historyFieldLabel } from "~/domain/vocabulary";
import { writeAudit, type Actor } from "./audit.server";
import { collectDocuments } from "./documents.server";
import { letterRecipientsOf, letterSendersOf, letterTagsOf } from "./letter-parts.server";
import { currentSlug, recordSlugChange } from "./letter-slugs.server";
import { recordLetterEvent, recordOverdueOnWrite, questionsAnsweredBy } from "./letter-events.server";
import { refreshLetterState } from "./letter-state.server";
import { prepared, preparedSql } from "./prepared.server";
import { refreshRepeats, repeatChainOf, repeatProblems, resolveRepeat } from "./question-repeats.server";
import { noteRefusedByGate, WRITE_GATE_MESSAGE, writeGateClosed } from "~/utils/write-gate.server";

/** A value bound when a prepared statement runs (see prepared.server.ts). */
const p = sql.placeholder;
/** A placeholder as an UPDATE's new value (drizzle types `set` without placeholders; the columns set so are text and integers). */
const v = (name: string) => sql`${p(name)}`;

export type FieldErrors = Record<string, string[]>;
export type { ChangeSince, Conflict };


export type WriteResult<T> =
  | { ok: true; value: T }
  | { ok: false; fieldErrors: FieldErrors; conflict?: Conflict };

/** A write the rules refuse: nothing of the transaction is kept. */
export class WriteRefused extends Error {
  constructor(
    readonly problems: RuleProblem[],
    readonly conflict?: Conflict,
  ) {
    super(problems.map((problem) => `${problem.field || "(letter)"}: ${problem.message}`).join("; "));
  }
}

function refuse(field: string, message: string): never {
  throw new WriteRefused([{ field, message }]);
}
function refuseAll(problems: RuleProblem[]): void {
  if (problems.length > 0) throw new WriteRefused(problems);
}

/**
* Documents a write detached (from a letter or response it changed or deleted), to be removed once
 * the write has committed if nothing else refers to them. Transactions are synchronous, so the
 * one running transaction owns this set.
 */
let detachedDocuments: Set<string> | null = null;

function noteDetached(hashes: Iterable<string>): void {
  if (!detachedDocuments) return; // a caller's own transaction: the start-up sweep collects them
  for (const hash of hashes) detachedDocuments.add(hash);
}

/**
 * Runs `work` in one immediate transaction; a refusal rolls everything back and becomes form errors.
 * While an import is being written (the bulk-write gate, app/utils/write-gate.server.ts) nothing
 * starts: the form comes back with the staffer's input and a message (503, Retry-After).
 * After a commit, documents the write detached and nothing refers to any more are removed (rows,
 * then files: a file is never deleted for a write that did not happen).
 */
export function writeTransaction<T>(work: (tx: DbOrTx) => T): WriteResult<T> {
  if (writeGateClosed()) {
    noteRefusedByGate();
    return { ok: false, fieldErrors: { "": [WRITE_GATE_MESSAGE] } };
  }
  const detached = new Set<string>();
  try {
    detachedDocuments = detached;
    const value = getDb().transaction(work, { behavior: "immediate" });
    detachedDocuments = null;
    if (detached.size > 0) collectDocuments(detached);
    return { ok: true, value };
  } catch (error) {
    detachedDocuments = null;
    if (!(error instanceof WriteRefused)) throw error;
    const fieldErrors: FieldErrors = {};
    for (const problem of error.problems) (fieldErrors[problem.field] ??= []).push(problem.message);
    return { ok: false, fieldErrors, ...(error.conflict ? { conflict: error.conflict } : {}) };
  }
}

// ---------------------------------------------------------------------------------------------
// Versions and history

interface LetterRow {
  id: number;
  slug: string;
  title: string;
  sentOn: string;
  version: number;
}

const letterRowColumns = { id: letters.id, slug: letters.slug, title: letters.title, sentOn: letters.sentOn, version: letters.version };

function letterRow(tx: DbOrTx, where: { slug: string } | { id: number }): LetterRow {
  const row =
    "slug" in where
      ? prepared(tx, "letterRow.bySlug", (db) => db.select(letterRowColumns).from(letters).where(eq(letters.slug, p("slug"))).prepare())
          // A form made before the letter's slug changed still finds it, and its version check speaks.
          .get({ slug: currentSlug(tx, where.slug) })
      : prepared(tx, "letterRow.byId", (db) => db.select(letterRowColumns).from(letters).where(eq(letters.id, p("id"))).prepare()).get({ id: where.id });
  if (!row) refuse("", "This letter no longer exists: someone may have deleted it.");
  return row;
}

const changeColumns = { at: auditEvents.at, actorName: auditEvents.actorName, summary: auditEvents.summary, before: auditEvents.before, after: auditEvents.after };

function asChange(row: { at: number; actorName: string | null; summary: string; before: string | null; after: string | null }): ChangeSince {
  return {
    ...row,
    before: row.before ? (JSON.parse(row.before) as Record<string, unknown>) : null,
    after: row.after ? (JSON.parse(row.after) as Record<string, unknown>) : null,
  };
}

/** The history entries of a letter after `version`, oldest first. */
function changesSince(tx: DbOrTx, letterId: number, version: number): ChangeSince[] {
  return tx
    .select(changeColumns)
    .from(auditEvents)
    .where(and(eq(auditEvents.letterId, letterId), sql`${auditEvents.letterVersion} > ${version}`))
    .orderBy(auditEvents.id)
    .all()
    .map(asChange);
}

/**
 * A response's history entries after `version`: each change of a response moves its version by one
 * and writes one "update" entry, so they are its last (current - version) updates. (Responses
 * logged before history existed, or by the bulk writer, have no "create" entry to count from.)
 */
function responseChangesSince(tx: DbOrTx, letterId: number, responseId: number, version: number, current: number): ChangeSince[] {
  if (current <= version) return [];
  return tx
    .select(changeColumns)
    .from(auditEvents)
    // By letter first: audit_events_letter_idx narrows the search to this letter's history.
    .where(and(eq(auditEvents.letterId, letterId), eq(auditEvents.entity, "response"), eq(auditEvents.entityId, responseId), eq(auditEvents.action, "update")))
    .orderBy(desc(auditEvents.id))
    .limit(current - version)
    .all()
    .reverse()
    .map(asChange);
}

/** Refuses a write made against an older version than the stored one (optimistic concurrency). */
function checkVersion(tx: DbOrTx, letter: LetterRow, expected: number | undefined, what = "letter"): void {
  if (expected === undefined || expected === letter.version) return;
  throw new WriteRefused(
    [{ field: "", message: `Someone else changed this ${what} after you opened it. Nothing was saved: review their changes below, then save yours again.` }],
    { version: letter.version, changes: changesSince(tx, letter.id, expected) },
  );
}

/** Moves the letter's version; returns the new one, for the history entry of this change. */
/**
 * A change to a letter: its version moves, and if the change leaves it open past its deadline, its
 * followers hear it is overdue (decision 0016), as the daily pass would have told them.
 */
function bumpVersion(tx: DbOrTx, letterId: number): number {
  recordOverdueOnWrite(tx, letterId, serverToday());
  return prepared(tx, "bumpVersion", (db) =>
    db
      .update(letters)
      .set({ version: sql`${letters.version} + 1`, updatedAt: v("now") })
      .where(eq(letters.id, p("letterId")))
      .returning({ version: letters.version })
      .prepare(),
  ).get({ now: Date.now(), letterId })!.version;
}

type Snapshot = Record<string, unknown>;

/** Only the keys whose values differ, before and after. */
function diffSnapshots(before: Snapshot, after: Snapshot): { before: Snapshot; after: Snapshot; keys: string[] } {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null),
  );
  return {
    before: Object.fromEntries(keys.map((key) => [key, before[key] ?? null])),
    after: Object.fromEntries(keys.map((key) => [key, after[key] ?? null])),
    keys,
  };
}

/** What the history shows of a letter: its fields and lists, by name rather than by id. */
function letterSnapshot(tx: DbOrTx, letterId: number): Snapshot {
  const letter = prepared(tx, "letterSnapshot", (db) => db
    .select({
      title: letters.title,
      slug: letters.slug,
      sentOn: letters.sentOn,
      chamber: letters.chamber,
      committee: committees.name,
      deadline: letters.deadline,
      summary: letters.summary,
      notes: letters.notes,
      internalNotes: letters.internalNotes,
      sourceUrl: letters.sourceUrl,
      followsUp: sql<string | null>`(SELECT p.slug FROM letters p WHERE p.id = ${letters.followsUpId})`,
    })
    .from(letters)
    .leftJoin(committees, eq(committees.id, letters.committeeId))
    .where(eq(letters.id, p("letterId")))
    .prepare()).get({ letterId })!;
  const senders = letterSendersOf({ db: tx, letterId }).map(
    (sender) => `${memberLabel(sender)}${sender.role ? `, ${sender.role}` : ""}${sender.isLead ? " (lead)" : ""}`,
  );
  const recipients = letterRecipientsOf({ db: tx, letterId }).map(
    (recipient) => `${recipient.name}, ${recipient.title} (${recipient.agency.name})`,
  );
  const tagSlugs = letterTagsOf({ db: tx, letterId }).map((tag) => tag.slug);
  const questionList = prepared(tx, "letterSnapshot.questions", (db) =>
    db
      .select({
        number: questions.number,
        kind: questions.kind,
        text: questions.text,
        repeats: sql<string | null>`(SELECT rl.slug || ' question ' || r.number FROM questions r JOIN letters rl ON rl.id = r.letter_id WHERE r.id = "questions"."repeats_question_id")`,
      })
      .from(questions)
      .where(eq(questions.letterId, p("letterId")))
      .orderBy(questions.number)
      .prepare(),
  )
    .all({ letterId })
    // A repeat names what it repeats (decision 0023); other questions read as they always have.
    .map((question) => `${question.number}. [${question.kind}] ${question.text}${question.repeats ? ` (repeats ${question.repeats})` : ""}`);
  const documentNames = tx
    .select({ name: documents.originalName })
    .from(letterDocuments)
    .innerJoin(documents, eq(documents.sha256, letterDocuments.documentSha256))
    .where(eq(letterDocuments.letterId, letterId))
    .orderBy(letterDocuments.position)
    .all()
    .map((row) => row.name);
  // Only a letter with documents has the key: the history of letters without any stays as it was.
  return { ...letter, senders, recipients, tags: tagSlugs, questions: questionList, ...(documentNames.length > 0 ? { documents: documentNames } : {}) };
}

/**
 * The other letters whose history snapshot names letter `letterId`: its follow-ups ("letter
 * followed up" gives its slug) and the letters with a question repeating one of its questions
 * ("(repeats slug question N)", decision 0023). A write that renames, renumbers or deletes it
 * changes what they show, so it writes their history too (relatedHistory).
 */
function relatedLetters(tx: DbOrTx, letterId: number): number[] {
  return preparedSql(
    tx,
    "writer.relatedLetters",
    () => sql`SELECT id FROM letters WHERE follows_up_id = ${p("letterId")}
      UNION SELECT q.letter_id FROM questions r JOIN questions q ON q.repeats_question_id = r.id
        WHERE r.letter_id = ${p("letterId")} AND q.letter_id <> ${p("letterId")}`,
  )
    .all<{ id: number }>({ letterId })
    .map((row) => row.id);
}

/** The snapshots of `ids` before a change (relatedLetters), for relatedHistory after it. */
function relatedSnapshots(tx: DbOrTx, ids: readonly number[]): Map<number, Snapshot> {
  return new Map(ids.map((id) => [id, letterSnapshot(tx, id)]));
}

/**
 * Writes the history of each related letter whose snapshot the change moved (a repeat link gone
 * with a deleted question or letter, a renamed or renumbered original), as a change of its own:
 * its version moves (a form opened on it before is told what changed), and the entry says why.
 */
function relatedHistory(tx: DbOrTx, actor: Actor, before: ReadonlyMap<number, Snapshot>, why: string): void {
  for (const [id, snapshot] of before) {
    const exists = tx.select({ id: letters.id }).from(letters).where(eq(letters.id, id)).get();
    if (!exists) continue;
    const change = diffSnapshots(snapshot, letterSnapshot(tx, id));
    if (change.keys.length === 0) continue;
    const version = bumpVersion(tx, id);
    writeAudit({
      tx, actor, action: "update", entity: "letter", entityId: id, letterId: id, letterVersion: version,
      summary: `Edited: ${change.keys.map(historyFieldLabel).join(", ")} (${why})`,
      before: change.before, after: change.after,
    });
  }
}

/**
 * Sets the documents of a letter or a response to `hashes`, in order. Every hash must be a stored
 * document (an upload the form carried): otherwise the write is refused, naming the field.
 */
function writeDocumentLinks(tx: DbOrTx, owner: { letterId: number } | { responseId: number }, hashes: string[] | undefined): void {
  if (hashes === undefined) return;
  const wanted = [...new Set(hashes)];
  if (wanted.length > 0) {
    const stored = new Set(tx.select({ sha256: documents.sha256 }).from(documents).where(inArray(documents.sha256, wanted)).all().map((row) => row.sha256));
    const missing = wanted.findIndex((hash) => !stored.has(hash));
    if (missing !== -1) refuse("documents", "A document on this form is no longer stored (it was removed meanwhile): upload it again");
  }
  if ("letterId" in owner) {
    const before = tx.select({ sha256: letterDocuments.documentSha256 }).from(letterDocuments).where(eq(letterDocuments.letterId, owner.letterId)).all().map((row) => row.sha256);
    tx.delete(letterDocuments).where(eq(letterDocuments.letterId, owner.letterId)).run();
    wanted.forEach((sha256, index) => tx.insert(letterDocuments).values({ letterId: owner.letterId, documentSha256: sha256, position: index + 1, role: "letter" }).run());
    noteDetached(before.filter((hash) => !wanted.includes(hash)));
  } else {
    const before = tx.select({ sha256: responseDocuments.documentSha256 }).from(responseDocuments).where(eq(responseDocuments.responseId, owner.responseId)).all().map((row) => row.sha256);
    tx.delete(responseDocuments).where(eq(responseDocuments.responseId, owner.responseId)).run();
    wanted.forEach((sha256, index) => tx.insert(responseDocuments).values({ responseId: owner.responseId, documentSha256: sha256, position: index + 1, role: "reply" }).run());
    noteDetached(before.filter((hash) => !wanted.includes(hash)));
  }
}

/** Every document of a letter and of its responses (before deleting them). */
function documentsOfLetter(tx: DbOrTx, letterId: number): string[] {
  return tx
    .all<{ sha256: string }>(sql`SELECT document_sha256 AS sha256 FROM letter_documents WHERE letter_id = ${letterId}
      UNION SELECT rd.document_sha256 FROM response_documents rd JOIN responses r ON r.id = rd.response_id WHERE r.letter_id = ${letterId}`)
    .map((row) => row.sha256);
}

/** Splits a snapshot into what every reader may see and the internal notes (staff only). */
function splitInternal(snapshot: Snapshot): { shown: Snapshot; internal: Snapshot } {
  const { internalNotes, ...shown } = snapshot;
  return { shown, internal: internalNotes === undefined ? {} : { internalNotes } };
}

// ---------------------------------------------------------------------------------------------
// People, places and topics: found by their identity, created once

const sluggedTables = { members, committees, agencies, letters };

function freeSlug(tx: DbOrTx, tableName: keyof typeof sluggedTables, base: string): string {
  const table = sluggedTables[tableName];
  const taken = prepared(tx, `freeSlug.${tableName}`, (db) => db.select({ id: table.id }).from(table).where(eq(table.slug, p("slug"))).prepare());
  const start = base || "item";
  let slug = start;
  // A letter's slug never names a page under /letters/ ("new"): it takes a number like a taken one.
  const reserved = (candidate: string) => tableName === "letters" && RESERVED_LETTER_SLUGS.has(candidate);
  for (let n = 2; reserved(slug) || taken.get({ slug }); n++) slug = `${start}-${n}`;
  return slug;
}

/**
 * An agency by name, else by an alias of the directory ("U.S. Department of Homeland Security",
 * "DHS": see app/models/roster.server.ts); a directory agency first, then the lowest id. No match: a new agency.
 */
function agencyId(tx: DbOrTx, name: string): number {
  const found = prepared(tx, "agency.byName", (db) => db.select({ id: agencies.id }).from(agencies).where(eq(agencies.name, p("name"))).prepare()).get({ name });
  if (found) return found.id;
  const key = agencyKey(name);
  const aliased =
    key === ""
      ? undefined
      : tx
          .select({ id: agencies.id })
          .from(agencies)
          .where(sql`${agencies.id} IN (SELECT agency_id FROM agency_aliases WHERE key = ${key})`)
          .orderBy(sql`${agencies.directorySlug} IS NULL`, agencies.id)
          .get();
  if (aliased) return aliased.id;
  return prepared(tx, "agency.insert", (db) =>
    db.insert(agencies).values({ name: p("name"), slug: p("slug"), acronym: p("acronym") }).returning({ id: agencies.id }).prepare(),
  ).get({ name, slug: freeSlug(tx, "agencies", slugify(name)), acronym: knownAcronym(name) })!.id;
}

function officialRow(tx: DbOrTx, ref: OfficialRef, field: string): { officialId: number; agencyId: number; title: string } {
  if ("id" in ref) {
    const found = prepared(tx, "official.byId", (db) =>
      db.select({ officialId: officials.id, agencyId: officials.agencyId, title: officials.title }).from(officials).where(eq(officials.id, p("id"))).prepare(),
    ).get({ id: ref.id });
    if (!found) refuse(field, "That official no longer exists; pick another");
    return found;
  }
  const agency = agencyId(tx, ref.agency);
  const found = prepared(tx, "official.byName", (db) =>
    db.select({ id: officials.id }).from(officials).where(and(eq(officials.name, p("name")), eq(officials.agencyId, p("agencyId")))).prepare(),
  ).get({ name: ref.name, agencyId: agency });
  const officialId =
    found?.id ??
    prepared(tx, "official.insert", (db) =>
      db.insert(officials).values({ name: p("name"), title: p("title"), agencyId: p("agencyId") }).returning({ id: officials.id }).prepare(),
    ).get({ name: ref.name, title: ref.title, agencyId: agency })!.id;
  return { officialId, agencyId: agency, title: ref.title };
}

/**
 * A member by slug, or by identity: two members can share a name, so a name matches only with the
 * same state, and among several the one of the same party and chamber. No match: a new member.
 */
function memberId(tx: DbOrTx, ref: MemberRef, field: string): number {
  if ("slug" in ref) {
    const found = prepared(tx, "member.bySlug", (db) => db.select({ id: members.id }).from(members).where(eq(members.slug, p("slug"))).prepare()).get({ slug: ref.slug });
    if (!found) refuse(field, "That member no longer exists; pick another");
    return found.id;
  }
  const candidates = prepared(tx, "member.byName", (db) =>
    db
      .select({ id: members.id, party: members.party, chamber: members.chamber })
      .from(members)
      .where(and(eq(members.name, p("name")), eq(members.state, p("state"))))
      .prepare(),
  ).all({ name: ref.name, state: ref.state });
  const exact = candidates.filter((member) => member.party === ref.party && member.chamber === ref.chamber);
  if (exact.length > 0) return exact[0]!.id;
  if (candidates.length === 1) return candidates[0]!.id;
  // Another name of a roster member ("Gregory Meeks" for Gregory W. Meeks), in the same state.
  const key = nameKey(ref.name);
  if (candidates.length === 0 && key !== "") {
    const known = tx
      .select({ id: members.id, party: members.party, chamber: members.chamber })
      .from(memberNames)
      .innerJoin(members, eq(members.id, memberNames.memberId))
      .where(and(eq(memberNames.key, key), eq(members.state, ref.state)))
      .orderBy(members.id)
      .all();
    const same = known.filter((member) => member.chamber === ref.chamber);
    const found = same[0] ?? known[0];
    if (found) return found.id;
  }
  return prepared(tx, "member.insert", (db) =>
    db
      .insert(members)
      .values({ name: p("name"), party: p("party"), state: p("state"), chamber: p("chamber"), slug: p("slug") })
      .returning({ id: members.id })
      .prepare(),
  ).get({ name: ref.name, party: ref.party, state: ref.state, chamber: ref.chamber, slug: freeSlug(tx, "members", slugify(ref.name)) })!.id;
}

function committeeId(tx: DbOrTx, ref: CommitteeRef): number {
  if ("slug" in ref) {
    const found = prepared(tx, "committee.bySlug", (db) => db.select({ id: committees.id }).from(committees).where(eq(committees.slug, p("slug"))).prepare()).get({ slug: ref.slug });
    if (!found) refuse("committee", "That committee no longer exists; pick another");
    return found.id;
  }
  const found = prepared(tx, "committee.byName", (db) => db.select({ id: committees.id }).from(committees).where(eq(committees.name, p("name"))).prepare()).get({ name: ref.name });
  if (found) return found.id;
  return prepared(tx, "committee.insert", (db) =>
    db.insert(committees).values({ name: p("name"), chamber: p("chamber"), slug: p("slug") }).returning({ id: committees.id }).prepare(),
  ).get({ name: ref.name, chamber: ref.chamber, slug: freeSlug(tx, "committees", slugify(ref.name)) })!.id;
}

function tagId(tx: DbOrTx, slug: string): number {
  const found = prepared(tx, "tag.bySlug", (db) => db.select({ id: tags.id }).from(tags).where(eq(tags.slug, p("slug"))).prepare()).get({ slug });
  if (found) return found.id;
  return prepared(tx, "tag.insert", (db) => db.insert(tags).values({ slug: p("slug"), name: p("name") }).returning({ id: tags.id }).prepare()).get({
    slug,
    name: slug.replace(/-/g, " "),
  })!.id;
}

// ---------------------------------------------------------------------------------------------
// Letters

function checkLetterInput(tx: DbOrTx, input: LetterInput, letterId: number | null, today: CalendarDate): void {
  refuseAll(
    letterProblems(
      {
        sentOn: input.sentOn,
        deadline: input.deadline,
        questionNumbers: input.questions.map((question, index) => question.number ?? index + 1),
        title: input.title,
        questionTexts: input.questions.map((question) => question.text),
      },
      today,
    ),
  );
  if (letterId !== null) {
    // Facts already recorded must still follow the letter: a sent date moved later may not pass them.
    const id = p("letterId");
    const facts = preparedSql(tx, "letterFacts", () => sql`
      SELECT 'the first response (received ' || min(received_on) || ')' AS what, min(received_on) AS date FROM responses WHERE letter_id = ${id}
      UNION ALL SELECT 'an extension granted on ' || min(granted_on), min(granted_on) FROM deadline_changes WHERE letter_id = ${id}
      UNION ALL SELECT 'an extension to ' || min(new_deadline), min(new_deadline) FROM deadline_changes WHERE letter_id = ${id}
      UNION ALL SELECT 'its closing (' || closed_on || ')', closed_on FROM letters WHERE id = ${id}
      UNION ALL SELECT 'a follow-up letter sent on ' || min(sent_on), min(sent_on) FROM letters WHERE follows_up_id = ${id}`).all<{ what: string | null; date: string | null }>({ letterId });
    const passed = facts.filter((fact) => fact.date !== null && fact.date < input.sentOn).sort((a, b) => (a.date! < b.date! ? -1 : 1))[0];
    if (passed) refuse("sentOn", `Sent date cannot be after ${passed.what}`);
  }
}

function resolveFollowsUp(tx: DbOrTx, input: LetterInput, letterId: number | null): number | null {
  if (!input.followsUp) return null;
  const target = prepared(tx, "followsUp.target", (db) => db.select({ id: letters.id, sentOn: letters.sentOn }).from(letters).where(eq(letters.slug, p("slug"))).prepare()).get({
    slug: input.followsUp,
  });
  if (!target) refuse("followsUp", `The letter this follows up ("${input.followsUp}") does not exist`);
  if (target.id === letterId) refuse("followsUp", "A letter cannot follow up itself");
  if (letterId !== null) {
    // Following up a letter that (through its own chain) follows up this one would make a circle.
    const circle = preparedSql(tx, "followsUp.circle", () => sql`
      WITH RECURSIVE chain(id, depth) AS (
        SELECT follows_up_id, 1 FROM letters WHERE id = ${p("targetId")}
        UNION ALL SELECT l.follows_up_id, c.depth + 1 FROM letters l JOIN chain c ON l.id = c.id WHERE c.depth < 10000
      ) SELECT 1 AS found FROM chain WHERE id = ${p("letterId")} LIMIT 1`).get<{ found: number }>({ targetId: target.id, letterId });
    if (circle) refuse("followsUp", `"${input.followsUp}" already follows up this letter (directly or through others): a letter cannot follow up its own follow-up`);
  }
  if (target.sentOn > input.sentOn) refuse("sentOn", "A follow-up cannot be sent before the letter it follows up");
  return target.id;
}

/** The ids of a letter's questions. */
function questionIdsOf(tx: DbOrTx, letterId: number): number[] {
  return prepared(tx, "questions.ofLetter", (db) => db.select({ id: questions.id }).from(questions).where(eq(questions.letterId, p("letterId"))).prepare())
    .all({ letterId })
    .map((row) => row.id);
}

/** Writes senders, recipients, topics and questions; returns whether any question row was removed or added. */
function writeParts(tx: DbOrTx, letterId: number, input: LetterInput): boolean {
  prepared(tx, "senders.delete", (db) => db.delete(letterSenders).where(eq(letterSenders.letterId, p("letterId"))).prepare()).run({ letterId });
  const insertSender = prepared(tx, "senders.insert", (db) =>
    db.insert(letterSenders).values({ letterId: p("letterId"), memberId: p("memberId"), role: p("role"), isLead: p("isLead"), position: p("position") }).prepare(),
  );
  const hasLead = input.senders.some((sender) => sender.isLead);
  const senderIds = new Set<number>();
  input.senders.forEach((sender, index) => {
    const id = memberId(tx, sender.member, `senders[${index}].member`);
    if (senderIds.has(id)) refuse(`senders[${index}].member`, "This member is already listed as a sender");
    senderIds.add(id);
    insertSender.run({ letterId, memberId: id, role: sender.role, isLead: hasLead ? sender.isLead : index === 0, position: index + 1 });
  });

  prepared(tx, "recipients.delete", (db) => db.delete(letterRecipients).where(eq(letterRecipients.letterId, p("letterId"))).prepare()).run({ letterId });
  const insertRecipient = prepared(tx, "recipients.insert", (db) =>
    db
      .insert(letterRecipients)
      .values({ letterId: p("letterId"), officialId: p("officialId"), agencyId: p("agencyId"), title: p("title"), position: p("position") })
      .prepare(),
  );
  const officialIds = new Set<number>();
  input.recipients.forEach((recipient, index) => {
    const row = officialRow(tx, recipient.official, `recipients[${index}].official`);
    if (officialIds.has(row.officialId)) refuse(`recipients[${index}].official`, "This official is already listed as a recipient");
    officialIds.add(row.officialId);
    insertRecipient.run({ letterId, officialId: row.officialId, agencyId: row.agencyId, title: row.title, position: index + 1 });
  });

  prepared(tx, "tags.delete", (db) => db.delete(letterTags).where(eq(letterTags.letterId, p("letterId"))).prepare()).run({ letterId });
  const insertTag = prepared(tx, "tags.insert", (db) => db.insert(letterTags).values({ letterId: p("letterId"), tagId: p("tagId") }).prepare());
  for (const slug of new Set(input.tags)) insertTag.run({ letterId, tagId: tagId(tx, slug) });

  // Questions keep their ids (and so their verdicts) when edited or moved; numbers follow the order.
  const stored = new Set(questionIdsOf(tx, letterId));
  const kept = new Set<number>();
  input.questions.forEach((question, index) => {
    if (question.id === undefined) return;
    if (!stored.has(question.id)) refuse(`questions[${index}].text`, "This question is no longer on the letter: someone may have removed it. Reload the page.");
    if (kept.has(question.id)) refuse(`questions[${index}].text`, "This question is listed twice");
    kept.add(question.id);
  });
  const removed = [...stored].filter((id) => !kept.has(id));
  if (removed.length > 0) tx.delete(questions).where(inArray(questions.id, removed)).run();
  // (letter, number) is unique and numbers must stay >= 1: park the kept questions above any
  // number a letter can have, then give each its place.
  prepared(tx, "questions.park", (db) =>
    db.update(questions).set({ number: sql`${questions.number} + 1000000` }).where(eq(questions.letterId, p("letterId"))).prepare(),
  ).run({ letterId });
  const updateQuestion = prepared(tx, "questions.update", (db) =>
    db.update(questions).set({ number: v("number"), text: v("text"), kind: v("kind") }).where(eq(questions.id, p("id"))).prepare(),
  );
  const insertQuestion = prepared(tx, "questions.insert", (db) =>
    db.insert(questions).values({ letterId: p("letterId"), number: p("number"), text: p("text"), kind: p("kind") }).prepare(),
  );
  const setRepeats = prepared(tx, "questions.setRepeats", (db) =>
    db.update(questions).set({ repeatsQuestionId: sql`${p("repeats")}` }).where(eq(questions.id, p("id"))).prepare(),
  );
  // The questions repeated (decision 0023): undefined keeps what is stored, null clears.
  const repeats = input.questions.map((question, index) => {
    if (question.repeats === undefined || question.repeats === null) return question.repeats;
    const resolved = resolveRepeat(tx, question.repeats, `questions[${index}].repeats`);
    if (typeof resolved !== "number") refuseAll([resolved]);
    return resolved as number;
  });
  let repeatsChanged = false;
  const storedRepeats = new Map(
    tx
      .select({ id: questions.id, repeats: questions.repeatsQuestionId })
      .from(questions)
      .where(eq(questions.letterId, letterId))
      .all()
      .map((row) => [row.id, row.repeats]),
  );
  input.questions.forEach((question, index) => {
    let id = question.id;
    if (id !== undefined) {
      updateQuestion.run({ number: index + 1, text: question.text, kind: question.kind, id });
    } else {
      id = Number(insertQuestion.run({ letterId, number: index + 1, text: question.text, kind: question.kind }).lastInsertRowid);
    }
    const wanted = repeats[index];
    if (wanted !== undefined && wanted !== (storedRepeats.get(id) ?? null)) {
      setRepeats.run({ repeats: wanted, id });
      repeatsChanged = true;
    }
  });
  refuseAll(repeatProblems(tx, letterId, (index) => `questions[${index}].repeats`));
  writeDocumentLinks(tx, { letterId }, input.documents);
  return removed.length > 0 || repeatsChanged || input.questions.some((question) => question.id === undefined);
}

/** A letter's own columns as the form or record gives them (internal notes apart: a record has none). */
function letterColumns(tx: DbOrTx, input: LetterInput, followsUpId: number | null) {
  return {
    title: input.title,
    sentOn: input.sentOn,
    chamber: input.chamber,
    committeeId: input.committee ? committeeId(tx, input.committee) : null,
    deadline: input.deadline,
    summary: input.summary,
    notes: input.notes,
    sourceUrl: input.sourceUrl,
    followsUpId,
  };
}

const letterColumnPlaceholders = {
  title: p("title"),
  sentOn: p("sentOn"),
  chamber: p("chamber"),
  committeeId: p("committeeId"),
  deadline: p("deadline"),
  summary: p("summary"),
  notes: p("notes"),
  sourceUrl: p("sourceUrl"),
  followsUpId: p("followsUpId"),
} satisfies Record<keyof ReturnType<typeof letterColumns>, unknown>;
const letterColumnValues = Object.fromEntries(Object.keys(letterColumnPlaceholders).map((key) => [key, v(key)]));

/** Whether another letter than `letterId` (0: any) has `slug`. */
function slugTaken(tx: DbOrTx, slug: string, letterId: number): boolean {
  return Boolean(
    prepared(tx, "letter.slugTaken", (db) =>
      db.select({ id: letters.id }).from(letters).where(and(eq(letters.slug, p("slug")), ne(letters.id, p("letterId")))).prepare(),
    ).get({ slug, letterId }),
  );
}

/** Writes the history of a letter change: public fields in one entry, internal notes in their own. */
function writeLetterHistory({
  tx,
  actor,
  action,
  letterId,
  version,
  summary,
  before,
  after,
}: {
  tx: DbOrTx;
  actor: Actor;
  action: "create" | "update" | "delete";
  letterId: number;
  version: number;
  summary: string;
  before: Snapshot | null;
  after: Snapshot | null;
}): void {
  const b = before ? splitInternal(before) : null;
  const a = after ? splitInternal(after) : null;
  if (action === "update") {
    const shown = diffSnapshots(b!.shown, a!.shown);
    if (shown.keys.length > 0) {
      writeAudit({ tx, actor, action, entity: "letter", entityId: letterId, letterId, letterVersion: version, summary: `${summary}: ${shown.keys.map(historyFieldLabel).join(", ")}`, before: shown.before, after: shown.after });
    }
  } else {
    writeAudit({ tx, actor, action, entity: "letter", entityId: letterId, letterId, letterVersion: version, summary, before: b?.shown ?? null, after: a?.shown ?? null });
  }
  const internal = diffSnapshots(b?.internal ?? {}, a?.internal ?? {});
  if (internal.keys.length > 0) {
    writeAudit({
      tx, actor, action: action === "create" ? "create" : action === "delete" ? "delete" : "update",
      entity: INTERNAL_NOTES_ENTITY, entityId: letterId, letterId, letterVersion: version,
      summary: "Changed the internal notes", before: internal.before, after: internal.after,
    });
  }
}


export interface WriteLetterOptions {
  tx: DbOrTx;
  input: LetterInput;
  actor: Actor;
  /** The stored letter to change; absent: a new letter. */
  letterId?: number;
  /** The version the change was made against (edit forms); absent: no check (imports). */
  expectedVersion?: number;
  /** Where the change came from, for the history, e.g. "Imported from letters.csv". */
  summary?: string;
  /** The server's today, for the "not in the future" rules; a parameter so tests can fix it. */
  today?: CalendarDate;
}

/** Creates or changes a letter and its parts. Throws WriteRefused. */
export function writeLetter({ tx, input, actor, letterId, expectedVersion, summary, today = serverToday() }: WriteLetterOptions): {
  id: number;
  slug: string;
  version: number;
  changed: boolean;
} {
  if (letterId === undefined) {
    checkLetterInput(tx, input, null, today);
    const reserved = input.slug ? reservedLetterSlugProblem(input.slug) : null;
    if (reserved) refuse("slug", reserved);
    if (input.slug && slugTaken(tx, input.slug, 0)) {
      refuse("slug", `Slug "${input.slug}" is already used by another letter`);
    }
    const slug = input.slug ?? freeSlug(tx, "letters", `${slugify(input.title).slice(0, 60).replace(/-+$/, "")}-${input.sentOn}`);
    const followsUpId = resolveFollowsUp(tx, input, null);
    const id = prepared(tx, "letter.insert", (db) =>
      db
        .insert(letters)
        .values({ slug: p("slug"), ...letterColumnPlaceholders, internalNotes: p("internalNotes") })
        .returning({ id: letters.id })
        .prepare(),
    ).get({ slug, ...letterColumns(tx, input, followsUpId), internalNotes: input.internalNotes ?? null })!.id;
    recordSlugChange(tx, { letterId: id, from: null, to: slug });
    writeParts(tx, id, input);
    refreshRepeats(tx, repeatChainOf(tx, id));
    refreshLetterState({ tx, letterIds: [id] });
    writeLetterHistory({ tx, actor, action: "create", letterId: id, version: 1, summary: summary ?? "Logged the letter", before: null, after: letterSnapshot(tx, id) });
    // For followers (decision 0016), in this transaction: the letter, and the follow-up it is.
    recordLetterEvent(tx, { kind: "letter_logged", letterId: id, details: { sentOn: input.sentOn, deadline: input.deadline ?? null } });
    recordOverdueOnWrite(tx, id, today);
    if (followsUpId !== null) {
      recordLetterEvent(tx, { kind: "follow_up_sent", letterId: followsUpId, details: { sentOn: input.sentOn, followUpSlug: slug, followUpTitle: input.title } });
    }
    return { id, slug, version: 1, changed: true };
  }

  const letter = letterRow(tx, { id: letterId });
  checkVersion(tx, letter, expectedVersion);
  checkLetterInput(tx, input, letter.id, today);
  const slug = input.slug ?? letter.slug;
  // Also a letter stored with such a slug before it was refused: its next save must move it.
  const reserved = reservedLetterSlugProblem(slug);
  if (reserved) refuse("slug", reserved);
  if (slugTaken(tx, slug, letter.id)) {
    refuse("slug", `Slug "${slug}" is already used by another letter`);
  }
  const followsUpId = resolveFollowsUp(tx, input, letter.id);
  const before = letterSnapshot(tx, letter.id);
  // The chain as it was: a letter that no longer follows up an earlier one leaves that letter's
  // questions with no later ask, and they must count as open again.
  const chainBefore = repeatChainOf(tx, letter.id);
  // Letters whose history names this one (follow-ups, repeats of its questions): as they were.
  const related = relatedSnapshots(tx, relatedLetters(tx, letter.id));
  const columns = letterColumns(tx, input, followsUpId);
  if (input.internalNotes === undefined) {
    prepared(tx, "letter.update", (db) =>
      db.update(letters).set({ slug: v("slug"), ...letterColumnValues }).where(eq(letters.id, p("id"))).prepare(),
    ).run({ slug, ...columns, id: letter.id });
  } else {
    prepared(tx, "letter.updateWithInternalNotes", (db) =>
      db.update(letters).set({ slug: v("slug"), ...letterColumnValues, internalNotes: v("internalNotes") }).where(eq(letters.id, p("id"))).prepare(),
    ).run({ slug, ...columns, internalNotes: input.internalNotes, id: letter.id });
  }
  recordSlugChange(tx, { letterId: letter.id, from: letter.slug, to: slug });
  const questionRowsChanged = writeParts(tx, letter.id, input);
  // A moved sent date, or questions repeated, removed or added, move the chain's repeat columns.
  refreshRepeats(tx, [...new Set([...chainBefore, ...repeatChainOf(tx, letter.id)])]);
  const after = letterSnapshot(tx, letter.id);
  const visible = diffSnapshots(before, after).keys.length > 0;
  if (!visible && !questionRowsChanged) {
    // Nothing changed: no new version, no history, and the derived state is as it was.
    return { id: letter.id, slug, version: letter.version, changed: false };
  }
  refreshLetterState({ tx, letterIds: [letter.id] });
  const version = bumpVersion(tx, letter.id);
  relatedHistory(tx, actor, related, `the letter "${letter.title}" was changed`);
  if (visible) {
    writeLetterHistory({ tx, actor, action: "update", letterId: letter.id, version, summary: summary ?? "Edited", before, after });
  } else {
    // The same text, but new rows: a question removed and added again lost its verdicts.
    writeAudit({
      tx, actor, action: "update", entity: "letter", entityId: letter.id, letterId: letter.id, letterVersion: version,
      summary: `${summary ?? "Edited"}: questions (removed and added again as new, without their verdicts)`,
    });
  }
  return { id: letter.id, slug, version, changed: true };
}

export function saveLetter({
  slug,
  ...options
}: Omit<WriteLetterOptions, "tx" | "letterId"> & { slug?: string }): WriteResult<{ slug: string; version: number }> {
  return writeTransaction((tx) => {
    const letterId = slug === undefined ? undefined : letterRow(tx, { slug }).id;
    const saved = writeLetter({ ...options, tx, letterId });
    return { slug: saved.slug, version: saved.version };
  });
}

export function deleteLetter({ slug, actor, expectedVersion }: { slug: string; actor: Actor; expectedVersion?: number }): WriteResult<null> {
  return writeTransaction((tx) => {
    const letter = letterRow(tx, { slug });
    checkVersion(tx, letter, expectedVersion);
    const before = letterSnapshot(tx, letter.id);
    // Its follow-ups lose the link, and questions repeating its questions lose theirs (ON DELETE
    // SET NULL): say so in their own history, as a change.
    const related = relatedSnapshots(tx, relatedLetters(tx, letter.id));
    // Its documents and its responses' go with it (ON DELETE CASCADE); removed after the commit if
    // nothing else refers to them.
    noteDetached(documentsOfLetter(tx, letter.id));
    // The letters whose questions' repeat columns its questions moved (decision 0023).
    const chain = repeatChainOf(tx, letter.id).filter((id) => id !== letter.id);
    tx.delete(letters).where(eq(letters.id, letter.id)).run();
    refreshRepeats(tx, chain);
    relatedHistory(tx, actor, related, `the letter "${letter.title}" was deleted`);
    // The id is never reused (AUTOINCREMENT), so this history stays with the deleted letter alone.
    writeLetterHistory({ tx, actor, action: "delete", letterId: letter.id, version: letter.version + 1, summary: `Deleted the letter "${letter.title}"`, before, after: null });
    return null;
  });
}

// ---------------------------------------------------------------------------------------------
// Responses and verdicts

function responseSnapshot(tx: DbOrTx, responseId: number): Snapshot | null {
  const row = prepared(tx, "response.byId", (db) => db.select().from(responses).where(eq(responses.id, p("id"))).prepare()).get({ id: responseId });
  if (!row) return null;
  const verdicts = prepared(tx, "response.verdicts", (db) =>
    db
      .select({ number: questions.number, verdict: questionAssessments.verdict })
      .from(questionAssessments)
      .innerJoin(questions, eq(questions.id, questionAssessments.questionId))
      .where(eq(questionAssessments.responseId, p("responseId")))
      .orderBy(questions.number)
      .prepare(),
  )
    .all({ responseId })
    .map((verdict) => `${verdict.number}: ${verdict.verdict}`);
  const documentNames = tx
    .select({ name: documents.originalName })
    .from(responseDocuments)
    .innerJoin(documents, eq(documents.sha256, responseDocuments.documentSha256))
    .where(eq(responseDocuments.responseId, responseId))
    .orderBy(responseDocuments.position)
    .all()
    .map((document) => document.name);
  return {
    receivedOn: factDateText(row.receivedOn, row.receivedPrecision),
    from: row.from,
    completeness: row.completeness,
    summary: row.summary,
    sourceUrl: row.sourceUrl,
    notes: row.notes,
    verdicts,
    ...(documentNames.length > 0 ? { documents: documentNames } : {}),
  };
}

const responseFieldPlaceholders = {
  receivedOn: p("receivedOn"),
  from: p("from"),
  completeness: p("completeness"),
  summary: p("summary"),
  sourceUrl: p("sourceUrl"),
  notes: p("notes"),
};

const responseFieldValues = Object.fromEntries(Object.keys(responseFieldPlaceholders).map((key) => [key, v(key)]));

export interface WriteResponseOptions {
  tx: DbOrTx;
  letterId: number;
  input: ResponseInput;
  actor: Actor;
  /** The stored response to change; absent: a new one. */
  responseId?: number;
  /** The response's version the form was loaded with; absent: no check. */
  expectedVersion?: number;
  summary?: string;
  today?: CalendarDate;
}

/** Logs or changes a response and its verdicts. Throws WriteRefused. */
export function writeResponse({ tx, letterId, input, actor, responseId, expectedVersion, summary, today = serverToday() }: WriteResponseOptions): {
  id: number;
  changed: boolean;
} {
  const letter = letterRow(tx, { id: letterId });
  // A day, or a month-only date stored as the day it counts as (app/domain/approximate-date.ts).
  refuseAll(approximateFactDateProblems({ field: "receivedOn", label: "Received date", value: input.receivedOn, sentOn: letter.sentOn, today }));
  let received = resolveFactDate(input.receivedOn, today)!;
  if (input.verdicts) {
    const questionIds = new Set(questionIdsOf(tx, letter.id));
    refuseAll(verdictProblems(input.verdicts.map((verdict) => verdict.questionId), questionIds));
  }
  const fields = () => ({
    receivedOn: received.date,
    receivedPrecision: received.precision,
    from: input.from,
    completeness: input.completeness,
    summary: input.summary,
    sourceUrl: input.sourceUrl,
    notes: input.notes,
  });
  let id: number;
  let before: Snapshot | null = null;
  if (responseId === undefined) {
    id = tx.insert(responses).values({ letterId: letter.id, ...fields() }).returning({ id: responses.id }).get().id;
  } else {
    const existing = tx
      .select({ id: responses.id, version: responses.version, date: responses.receivedOn, precision: responses.receivedPrecision })
      .from(responses)
      .where(and(eq(responses.id, responseId), eq(responses.letterId, letter.id)))
      .get();
    if (!existing) refuse("", "This response no longer exists: someone may have deleted it.");
    if (expectedVersion !== undefined && expectedVersion !== existing.version) {
      throw new WriteRefused(
        [{ field: "", message: "Someone else changed this response after you opened it. Nothing was saved: review their changes below, then save yours again." }],
        { version: existing.version, changes: responseChangesSince(tx, letter.id, responseId, expectedVersion, existing.version) },
      );
    }
    before = responseSnapshot(tx, responseId)!;
    received = keptMonthDay(received, existing);
    tx.update(responses).set(fields()).where(eq(responses.id, responseId)).run();
    if (input.verdicts) tx.delete(questionAssessments).where(eq(questionAssessments.responseId, responseId)).run();
    id = responseId;
  }
  for (const verdict of input.verdicts ?? []) {
    prepared(tx, "verdicts.insert", (db) =>
      db.insert(questionAssessments).values({ responseId: p("responseId"), questionId: p("questionId"), verdict: p("verdict") }).prepare(),
    ).run({ responseId: id, questionId: verdict.questionId, verdict: verdict.verdict });
  }
  writeDocumentLinks(tx, { responseId: id }, input.documents);
  const after = responseSnapshot(tx, id)!;
  if (before !== null) {
    const change = diffSnapshots(before, after);
    if (change.keys.length === 0) return { id, changed: false };
    prepared(tx, "response.bumpVersion", (db) =>
      db.update(responses).set({ version: sql`${responses.version} + 1`, updatedAt: v("now") }).where(eq(responses.id, p("id"))).prepare(),
    ).run({ now: Date.now(), id });
    refreshLetterState({ tx, letterIds: [letter.id] });
    const version = bumpVersion(tx, letter.id);
    writeAudit({
      tx, actor, action: "update", entity: "response", entityId: id, letterId: letter.id, letterVersion: version,
      summary: `${summary ?? "Edited"} the response of ${input.receivedOn}: ${change.keys.map(historyFieldLabel).join(", ")}`, before: change.before, after: change.after,
    });
    return { id, changed: true };
  }
  refreshLetterState({ tx, letterIds: [letter.id] });
  const version = bumpVersion(tx, letter.id);
  writeAudit({
    tx, actor, action: "create", entity: "response", entityId: id, letterId: letter.id, letterVersion: version,
    summary: `${summary ?? "Logged"} a ${input.completeness} response of ${input.receivedOn}`, after,
  });
  const { answered, total } = questionsAnsweredBy(tx, id);
  recordLetterEvent(tx, {
    kind: "response_logged",
    letterId: letter.id,
    details: { responseId: id, receivedOn: input.receivedOn, from: input.from ?? null, completeness: input.completeness, questionsAnswered: answered, questionsTotal: total },
  });
  return { id, changed: true };
}

export function saveResponse({
  letterSlug,
  ...options
}: Omit<WriteResponseOptions, "tx" | "letterId"> & { letterSlug: string }): WriteResult<{ responseId: number }> {
  return writeTransaction((tx) => ({ responseId: writeResponse({ ...options, tx, letterId: letterRow(tx, { slug: letterSlug }).id }).id }));
}

export function deleteResponse({
  letterSlug,
  responseId,
  actor,
  expectedVersion,
}: {
  letterSlug: string;
  responseId: number;
  actor: Actor;
  expectedVersion?: number;
}): WriteResult<null> {
  return writeTransaction((tx) => {
    const letter = letterRow(tx, { slug: letterSlug });
    const existing = tx.select({ version: responses.version }).from(responses).where(and(eq(responses.id, responseId), eq(responses.letterId, letter.id))).get();
    if (!existing) refuse("", "This response no longer exists: someone may have deleted it.");
    if (expectedVersion !== undefined && expectedVersion !== existing.version) {
      refuse("", "Someone else changed this response after you opened it. Nothing was deleted: reload the page and look again.");
    }
    const before = responseSnapshot(tx, responseId)!;
    noteDetached(
      tx.select({ sha256: responseDocuments.documentSha256 }).from(responseDocuments).where(eq(responseDocuments.responseId, responseId)).all().map((row) => row.sha256),
    );
    tx.delete(responses).where(eq(responses.id, responseId)).run();
    refreshLetterState({ tx, letterIds: [letter.id] });
    const version = bumpVersion(tx, letter.id);
    writeAudit({ tx, actor, action: "delete", entity: "response", entityId: responseId, letterId: letter.id, letterVersion: version, summary: `Deleted the response of ${String(before.receivedOn)}`, before });
    return null;
  });
}

// ---------------------------------------------------------------------------------------------
// Extensions and closing

export function writeExtension({
  tx,
  letterId,
  values,
  actor,
  today = serverToday(),
}: {
  tx: DbOrTx;
  letterId: number;
  values: { newDeadline: string; grantedOn: string; reason: string | null };
  actor: Actor;
  today?: CalendarDate;
}): number {
  const letter = letterRow(tx, { id: letterId });
  refuseAll(extensionProblems({ newDeadline: values.newDeadline, grantedOn: values.grantedOn, sentOn: letter.sentOn, today }));
  const id = tx.insert(deadlineChanges).values({ letterId: letter.id, ...values }).returning({ id: deadlineChanges.id }).get().id;
  refreshLetterState({ tx, letterIds: [letter.id] });
  // The event before the version: an extension already passed then reads "extended", "overdue".
  recordLetterEvent(tx, { kind: "deadline_extended", letterId: letter.id, details: { newDeadline: values.newDeadline, grantedOn: values.grantedOn, reason: values.reason } });
  const version = bumpVersion(tx, letter.id);
  writeAudit({ tx, actor, action: "create", entity: "deadline_change", entityId: id, letterId: letter.id, letterVersion: version, summary: `Deadline extended to ${values.newDeadline}`, after: values });
  return id;
}

export function addDeadlineChange({
  letterSlug,
  values,
  actor,
}: {
  letterSlug: string;
  values: { newDeadline: CalendarDate; grantedOn: CalendarDate; reason?: string };
  actor: Actor;
}): WriteResult<{ id: number }> {
  return writeTransaction((tx) => ({
    id: writeExtension({ tx, letterId: letterRow(tx, { slug: letterSlug }).id, values: { ...values, reason: values.reason ?? null }, actor }),
  }));
}

export function deleteDeadlineChange({ letterSlug, changeId, actor }: { letterSlug: string; changeId: number; actor: Actor }): WriteResult<null> {
  return writeTransaction((tx) => {
    const letter = letterRow(tx, { slug: letterSlug });
    const existing = tx.select().from(deadlineChanges).where(and(eq(deadlineChanges.id, changeId), eq(deadlineChanges.letterId, letter.id))).get();
    if (!existing) refuse("", "This extension no longer exists: someone may have removed it.");
    tx.delete(deadlineChanges).where(eq(deadlineChanges.id, changeId)).run();
    refreshLetterState({ tx, letterIds: [letter.id] });
    const version = bumpVersion(tx, letter.id);
    writeAudit({
      tx, actor, action: "delete", entity: "deadline_change", entityId: changeId, letterId: letter.id, letterVersion: version,
      summary: `Removed the extension to ${existing.newDeadline}`,
      before: { newDeadline: existing.newDeadline, grantedOn: existing.grantedOn, reason: existing.reason },
    });
    return null;
  });
}

export function writeClosing({
  tx,
  letterId,
  closing,
  actor,
  expectedVersion,
  today = serverToday(),
}: {
  tx: DbOrTx;
  letterId: number;
  closing: { closedOn: string; reason: string } | null;
  actor: Actor;
  expectedVersion?: number;
  today?: CalendarDate;
}): void {
  const letter = letterRow(tx, { id: letterId });
  checkVersion(tx, letter, expectedVersion);
  if (closing) refuseAll(factDateProblems({ field: "closedOn", label: "Closing date", date: closing.closedOn, sentOn: letter.sentOn, today }));
  const before = tx.select({ closedOn: letters.closedOn, closedReason: letters.closedReason }).from(letters).where(eq(letters.id, letter.id)).get()!;
  const after = { closedOn: closing?.closedOn ?? null, closedReason: closing?.reason ?? null };
  if (before.closedOn === after.closedOn && before.closedReason === after.closedReason) return;
  tx.update(letters).set(after).where(eq(letters.id, letter.id)).run();
  // The event before the version: a reopened letter past its deadline then reads "reopened", "overdue".
  recordLetterEvent(tx, closing
    ? { kind: "letter_closed", letterId: letter.id, details: { closedOn: closing.closedOn, reason: closing.reason } }
    : { kind: "letter_reopened", letterId: letter.id });
  const version = bumpVersion(tx, letter.id);
  writeAudit({
    tx, actor, action: "update", entity: "letter", entityId: letter.id, letterId: letter.id, letterVersion: version,
    summary: closing ? `Closed: ${closing.reason}` : "Reopened", before, after,
  });
}

export function setLetterClosed({
  letterSlug,
  closing,
  actor,
  expectedVersion,
}: {
  letterSlug: string;
  closing: { closedOn: CalendarDate; reason: string } | null;
  actor: Actor;
  expectedVersion?: number;
}): WriteResult<null> {
  return writeTransaction((tx) => {
    writeClosing({ tx, letterId: letterRow(tx, { slug: letterSlug }).id, closing, actor, expectedVersion });
    return null;
  });
}
