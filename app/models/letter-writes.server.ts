/**
 * Changing letters: create, edit, delete, responses with per-question verdicts, extensions,
 * closing. Each change is one immediate transaction that also refreshes the letter's derived state
 * and writes the history, so a change, its status and its record stand or fall together.
 */
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { getDb, type Tx } from "../../db/client.server";
import {
  agencies,
  committees,
  deadlineChanges,
  letterRecipients,
  letterSenders,
  letterTags,
  letters,
  members,
  officials,
  questionAssessments,
  questions,
  responses,
} from "../../db/schema";
import type { CalendarDate } from "~/domain/dates";
import { parseTags, type LetterFormValues, type ResponseFormValues } from "~/domain/forms";
import { inferCommitteeChamber, memberLabel } from "~/domain/people";
import { slugify } from "~/domain/slug";
import { writeAudit, type Actor } from "./audit.server";
import { createLookups } from "./letter-import.server";
import { letterRecipientsOf, letterSendersOf, letterTagsOf } from "./letter-parts.server";
import { refreshLetterState } from "./letter-state.server";

export type FieldErrors = Record<string, string[]>;
export type WriteResult<T> = { ok: true; value: T } | { ok: false; fieldErrors: FieldErrors };

class FieldError extends Error {
  constructor(
    public field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Runs `work` in an immediate transaction; a FieldError rolls back and becomes a form error. */
function writeTransaction<T>(work: (tx: Tx) => T): WriteResult<T> {
  try {
    return { ok: true, value: getDb().transaction(work, { behavior: "immediate" }) };
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, fieldErrors: { [error.field]: [error.message] } };
    throw error;
  }
}

function letterBySlug(tx: Tx, slug: string) {
  const letter = tx
    .select({ id: letters.id, slug: letters.slug, sentOn: letters.sentOn, title: letters.title })
    .from(letters)
    .where(eq(letters.slug, slug))
    .get();
  if (!letter) throw new FieldError("", `There is no letter "${slug}".`);
  return letter;
}

/** What the history shows of a letter: its fields and lists, by name rather than by id. */
function letterSnapshot(tx: Tx, letterId: number) {
  const letter = tx
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
      closedOn: letters.closedOn,
      closedReason: letters.closedReason,
    })
    .from(letters)
    .leftJoin(committees, eq(committees.id, letters.committeeId))
    .where(eq(letters.id, letterId))
    .get()!;
  const senders = letterSendersOf({ db: tx, letterId }).map(
    (sender) => `${memberLabel(sender)}${sender.isLead ? " (lead)" : ""}`,
  );
  const recipients = letterRecipientsOf({ db: tx, letterId }).map(
    (recipient) => `${recipient.name}, ${recipient.title} (${recipient.agency.name})`,
  );
  const tagSlugs = letterTagsOf({ db: tx, letterId }).map((tag) => tag.slug);
  const questionList = tx
    .select({ number: questions.number, kind: questions.kind, text: questions.text })
    .from(questions)
    .where(eq(questions.letterId, letterId))
    .orderBy(questions.number)
    .all()
    .map((question) => `${question.number}. [${question.kind}] ${question.text}`);
  return { ...letter, senders, recipients, tags: tagSlugs, questions: questionList };
}

type Snapshot = Record<string, unknown>;

/** Only the keys whose values differ, before and after. */
export function diffSnapshots(before: Snapshot, after: Snapshot): { before: Snapshot; after: Snapshot; keys: string[] } {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null),
  );
  return {
    before: Object.fromEntries(keys.map((key) => [key, before[key] ?? null])),
    after: Object.fromEntries(keys.map((key) => [key, after[key] ?? null])),
    keys,
  };
}

/** Resolves pickers and "new ..." fields to ids, creating members, officials, agencies as needed. */
function resolveLetterParts(tx: Tx, values: LetterFormValues) {
  // The importer's finders-or-creators: one rule for matching people and agencies by name.
  const lookups = createLookups(tx);
  let committeeId: number | null = null;
  if (values.committee) {
    const found = tx.select({ id: committees.id }).from(committees).where(eq(committees.slug, values.committee)).get();
    if (!found) throw new FieldError("committee", "That committee no longer exists; pick another");
    committeeId = found.id;
  } else if (values.newCommittee) {
    committeeId = lookups.committeeId(
      JSON.stringify({ name: values.newCommittee, chamber: inferCommitteeChamber(values.newCommittee, values.chamber) }),
    );
  }

  const senderIds = values.senders.map((sender, index) => {
    if (sender.member) {
      const found = tx.select({ id: members.id }).from(members).where(eq(members.slug, sender.member)).get();
      if (!found) throw new FieldError(`senders[${index}].member`, "That member no longer exists; pick another");
      return found.id;
    }
    return lookups.memberId(JSON.stringify({ name: sender.name!, party: sender.party!, state: sender.state!, chamber: sender.chamber! }));
  });
  const duplicateSender = senderIds.findIndex((id, index) => senderIds.indexOf(id) !== index);
  if (duplicateSender >= 0) throw new FieldError(`senders[${duplicateSender}].member`, "This member is already listed as a sender");

  const recipientRows = values.recipients.map((recipient, index) => {
    if (recipient.official) {
      const found = tx
        .select({ officialId: officials.id, agencyId: officials.agencyId, title: officials.title })
        .from(officials)
        .where(eq(officials.id, Number(recipient.official)))
        .get();
      if (!found) throw new FieldError(`recipients[${index}].official`, "That official no longer exists; pick another");
      return found;
    }
    return {
      officialId: lookups.officialId(JSON.stringify({ name: recipient.name!, title: recipient.title!, agency: recipient.agency! })),
      agencyId: lookups.agencyId(recipient.agency!),
      title: recipient.title!,
    };
  });
  const officialIds = recipientRows.map((row) => row.officialId);
  const duplicateRecipient = officialIds.findIndex((id, index) => officialIds.indexOf(id) !== index);
  if (duplicateRecipient >= 0) throw new FieldError(`recipients[${duplicateRecipient}].official`, "This official is already listed as a recipient");

  const tagIds = parseTags(values.tags).map((slug) => lookups.tagId(slug));

  let followsUpId: number | null = null;
  if (values.followsUp) {
    const found = tx.select({ id: letters.id, sentOn: letters.sentOn }).from(letters).where(eq(letters.slug, values.followsUp)).get();
    if (!found) throw new FieldError("followsUp", "The letter this follows up no longer exists");
    if (found.sentOn > values.sentOn) throw new FieldError("sentOn", "A follow-up cannot be sent before the letter it follows up");
    followsUpId = found.id;
  }
  return { committeeId, senderIds, recipientRows, tagIds, followsUpId };
}

function writeLetterParts(tx: Tx, letterId: number, values: LetterFormValues, parts: ReturnType<typeof resolveLetterParts>) {
  tx.delete(letterSenders).where(eq(letterSenders.letterId, letterId)).run();
  const lead = values.leadSender ?? 0;
  parts.senderIds.forEach((memberId, index) => {
    tx.insert(letterSenders)
      .values({ letterId, memberId, role: values.senders[index]!.role ?? null, isLead: index === lead, position: index + 1 })
      .run();
  });
  tx.delete(letterRecipients).where(eq(letterRecipients.letterId, letterId)).run();
  parts.recipientRows.forEach((row, index) => {
    tx.insert(letterRecipients).values({ letterId, ...row, position: index + 1 }).run();
  });
  tx.delete(letterTags).where(eq(letterTags.letterId, letterId)).run();
  for (const tagId of parts.tagIds) tx.insert(letterTags).values({ letterId, tagId }).run();

  // Questions keep their ids (and so their verdicts) when edited or moved; numbers follow the order.
  const existing = tx.select({ id: questions.id }).from(questions).where(eq(questions.letterId, letterId)).all();
  const keptIds = new Set(values.questions.map((question) => question.id).filter((id): id is number => id !== undefined));
  for (const id of keptIds) {
    if (!existing.some((question) => question.id === id)) throw new FieldError("questions", "A question being edited no longer exists; reload the page");
  }
  const removed = existing.filter((question) => !keptIds.has(question.id)).map((question) => question.id);
  if (removed.length > 0) tx.delete(questions).where(inArray(questions.id, removed)).run();
  // Move kept questions out of the way first: (letter, number) is unique.
  tx.update(questions).set({ number: sql`-${questions.id}` }).where(eq(questions.letterId, letterId)).run();
  values.questions.forEach((question, index) => {
    if (question.id !== undefined) {
      tx.update(questions).set({ number: index + 1, text: question.text, kind: question.kind }).where(eq(questions.id, question.id)).run();
    } else {
      tx.insert(questions).values({ letterId, number: index + 1, text: question.text, kind: question.kind }).run();
    }
  });
}

function checkSlug(tx: Tx, slug: string, exceptLetterId: number | null) {
  const clash = tx
    .select({ id: letters.id })
    .from(letters)
    .where(exceptLetterId === null ? eq(letters.slug, slug) : and(eq(letters.slug, slug), ne(letters.id, exceptLetterId)))
    .get();
  if (clash) throw new FieldError("slug", `Slug "${slug}" is already used by another letter`);
}

function freeLetterSlug(tx: Tx, base: string): string {
  let slug = base;
  for (let n = 2; tx.select({ id: letters.id }).from(letters).where(eq(letters.slug, slug)).get(); n++) slug = `${base}-${n}`;
  return slug;
}

const letterColumns = (values: LetterFormValues, committeeId: number | null, followsUpId: number | null) => ({
  title: values.title,
  sentOn: values.sentOn,
  chamber: values.chamber,
  committeeId,
  deadline: values.deadline ?? null,
  summary: values.summary ?? null,
  notes: values.notes ?? null,
  internalNotes: values.internalNotes ?? null,
  sourceUrl: values.sourceUrl ?? null,
  followsUpId,
});

export function createLetter({ values, actor }: { values: LetterFormValues; actor: Actor }): WriteResult<{ slug: string }> {
  return writeTransaction((tx) => {
    const slug = values.slug ?? freeLetterSlug(tx, `${slugify(values.title).slice(0, 60).replace(/-+$/, "")}-${values.sentOn}`);
    if (values.slug) checkSlug(tx, slug, null);
    const parts = resolveLetterParts(tx, values);
    const letterId = tx
      .insert(letters)
      .values({ slug, ...letterColumns(values, parts.committeeId, parts.followsUpId) })
      .returning({ id: letters.id })
      .get().id;
    writeLetterParts(tx, letterId, values, parts);
    refreshLetterState({ tx, letterIds: [letterId] });
    writeAudit({ tx, actor, action: "create", entity: "letter", entityId: letterId, letterId, summary: "Logged the letter", after: letterSnapshot(tx, letterId) });
    return { slug };
  });
}

export function updateLetter({ slug, values, actor }: { slug: string; values: LetterFormValues; actor: Actor }): WriteResult<{ slug: string }> {
  return writeTransaction((tx) => {
    const letter = letterBySlug(tx, slug);
    const newSlug = values.slug ?? slug;
    checkSlug(tx, newSlug, letter.id);
    if (values.followsUp === slug) throw new FieldError("followsUp", "A letter cannot follow up itself");
    const parts = resolveLetterParts(tx, values);
    const before = letterSnapshot(tx, letter.id);
    tx.update(letters)
      .set({ slug: newSlug, ...letterColumns(values, parts.committeeId, parts.followsUpId), updatedAt: Date.now() })
      .where(eq(letters.id, letter.id))
      .run();
    writeLetterParts(tx, letter.id, values, parts);
    refreshLetterState({ tx, letterIds: [letter.id] });
    const change = diffSnapshots(before, letterSnapshot(tx, letter.id));
    if (change.keys.length > 0) {
      writeAudit({
        tx, actor, action: "update", entity: "letter", entityId: letter.id, letterId: letter.id,
        summary: `Edited ${change.keys.join(", ")}`, before: change.before, after: change.after,
      });
    }
    return { slug: newSlug };
  });
}

export function deleteLetter({ slug, actor }: { slug: string; actor: Actor }): WriteResult<null> {
  return writeTransaction((tx) => {
    const letter = letterBySlug(tx, slug);
    const before = letterSnapshot(tx, letter.id);
    tx.delete(letters).where(eq(letters.id, letter.id)).run();
    writeAudit({ tx, actor, action: "delete", entity: "letter", entityId: letter.id, letterId: letter.id, summary: `Deleted the letter "${letter.title}"`, before });
    return null;
  });
}

function checkFactDate(field: string, date: CalendarDate, sentOn: CalendarDate, what: string) {
  if (date < sentOn) throw new FieldError(field, `${what} cannot be before the letter was sent (${sentOn})`);
}

export function saveResponse({
  letterSlug,
  responseId,
  values,
  actor,
}: {
  letterSlug: string;
  responseId?: number;
  values: ResponseFormValues;
  actor: Actor;
}): WriteResult<{ responseId: number }> {
  return writeTransaction((tx) => {
    const letter = letterBySlug(tx, letterSlug);
    checkFactDate("receivedOn", values.receivedOn, letter.sentOn, "A response");
    const questionIds = new Set(
      tx.select({ id: questions.id }).from(questions).where(eq(questions.letterId, letter.id)).all().map((q) => q.id),
    );
    for (const [index, verdict] of values.verdicts.entries()) {
      if (!questionIds.has(verdict.questionId)) throw new FieldError(`verdicts[${index}].verdict`, "This question is not on this letter; reload the page");
    }
    const fields = {
      receivedOn: values.receivedOn,
      from: values.from,
      completeness: values.completeness,
      summary: values.summary ?? null,
      sourceUrl: values.sourceUrl ?? null,
      notes: values.notes ?? null,
    };
    const verdictsOf = (id: number) =>
      tx
        .select({ number: questions.number, verdict: questionAssessments.verdict })
        .from(questionAssessments)
        .innerJoin(questions, eq(questions.id, questionAssessments.questionId))
        .where(eq(questionAssessments.responseId, id))
        .orderBy(questions.number)
        .all()
        .map((row) => `${row.number}: ${row.verdict}`);
    let id: number;
    let before: Snapshot | null = null;
    if (responseId === undefined) {
      id = tx.insert(responses).values({ letterId: letter.id, ...fields }).returning({ id: responses.id }).get().id;
    } else {
      const existing = tx.select().from(responses).where(and(eq(responses.id, responseId), eq(responses.letterId, letter.id))).get();
      if (!existing) throw new FieldError("", "This response no longer exists");
      before = { ...pickResponse(existing), verdicts: verdictsOf(responseId) };
      tx.update(responses).set({ ...fields, updatedAt: Date.now() }).where(eq(responses.id, responseId)).run();
      tx.delete(questionAssessments).where(eq(questionAssessments.responseId, responseId)).run();
      id = responseId;
    }
    for (const verdict of values.verdicts) {
      if (verdict.verdict) tx.insert(questionAssessments).values({ responseId: id, questionId: verdict.questionId, verdict: verdict.verdict }).run();
    }
    refreshLetterState({ tx, letterIds: [letter.id] });
    const after = { ...fields, verdicts: verdictsOf(id) };
    if (before === null) {
      writeAudit({ tx, actor, action: "create", entity: "response", entityId: id, letterId: letter.id, summary: `Logged a ${values.completeness} response of ${values.receivedOn}`, after });
    } else {
      const change = diffSnapshots(before, after);
      if (change.keys.length > 0) {
        writeAudit({ tx, actor, action: "update", entity: "response", entityId: id, letterId: letter.id, summary: `Edited the response of ${values.receivedOn}: ${change.keys.join(", ")}`, before: change.before, after: change.after });
      }
    }
    return { responseId: id };
  });
}

function pickResponse(row: typeof responses.$inferSelect): Snapshot {
  return {
    receivedOn: row.receivedOn,
    from: row.from,
    completeness: row.completeness,
    summary: row.summary,
    sourceUrl: row.sourceUrl,
    notes: row.notes,
  };
}

export function deleteResponse({ letterSlug, responseId, actor }: { letterSlug: string; responseId: number; actor: Actor }): WriteResult<null> {
  return writeTransaction((tx) => {
    const letter = letterBySlug(tx, letterSlug);
    const existing = tx.select().from(responses).where(and(eq(responses.id, responseId), eq(responses.letterId, letter.id))).get();
    if (!existing) throw new FieldError("", "This response no longer exists");
    tx.delete(responses).where(eq(responses.id, responseId)).run();
    refreshLetterState({ tx, letterIds: [letter.id] });
    writeAudit({ tx, actor, action: "delete", entity: "response", entityId: responseId, letterId: letter.id, summary: `Deleted the response of ${existing.receivedOn}`, before: pickResponse(existing) });
    return null;
  });
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
  return writeTransaction((tx) => {
    const letter = letterBySlug(tx, letterSlug);
    checkFactDate("grantedOn", values.grantedOn, letter.sentOn, "An extension");
    checkFactDate("newDeadline", values.newDeadline, letter.sentOn, "A deadline");
    const row = { newDeadline: values.newDeadline, grantedOn: values.grantedOn, reason: values.reason ?? null };
    const id = tx.insert(deadlineChanges).values({ letterId: letter.id, ...row }).returning({ id: deadlineChanges.id }).get().id;
    refreshLetterState({ tx, letterIds: [letter.id] });
    writeAudit({ tx, actor, action: "create", entity: "deadline_change", entityId: id, letterId: letter.id, summary: `Deadline extended to ${values.newDeadline}`, after: row });
    return { id };
  });
}

export function deleteDeadlineChange({ letterSlug, changeId, actor }: { letterSlug: string; changeId: number; actor: Actor }): WriteResult<null> {
  return writeTransaction((tx) => {
    const letter = letterBySlug(tx, letterSlug);
    const existing = tx.select().from(deadlineChanges).where(and(eq(deadlineChanges.id, changeId), eq(deadlineChanges.letterId, letter.id))).get();
    if (!existing) throw new FieldError("", "This extension no longer exists");
    tx.delete(deadlineChanges).where(eq(deadlineChanges.id, changeId)).run();
    refreshLetterState({ tx, letterIds: [letter.id] });
    writeAudit({
      tx, actor, action: "delete", entity: "deadline_change", entityId: changeId, letterId: letter.id,
      summary: `Removed the extension to ${existing.newDeadline}`,
      before: { newDeadline: existing.newDeadline, grantedOn: existing.grantedOn, reason: existing.reason },
    });
    return null;
  });
}

export function setLetterClosed({
  letterSlug,
  closing,
  actor,
}: {
  letterSlug: string;
  closing: { closedOn: CalendarDate; reason: string } | null;
  actor: Actor;
}): WriteResult<null> {
  return writeTransaction((tx) => {
    const letter = letterBySlug(tx, letterSlug);
    if (closing) checkFactDate("closedOn", closing.closedOn, letter.sentOn, "A letter");
    const before = tx.select({ closedOn: letters.closedOn, closedReason: letters.closedReason }).from(letters).where(eq(letters.id, letter.id)).get()!;
    const after = { closedOn: closing?.closedOn ?? null, closedReason: closing?.reason ?? null };
    tx.update(letters).set({ ...after, updatedAt: Date.now() }).where(eq(letters.id, letter.id)).run();
    writeAudit({
      tx, actor, action: "update", entity: "letter", entityId: letter.id, letterId: letter.id,
      summary: closing ? `Closed: ${closing.reason}` : "Reopened", before, after,
    });
    return null;
  });
}

/** Choices for the letter form's pickers. */
export function letterFormOptions() {
  const db = getDb();
  return {
    members: db
      .select({ slug: members.slug, name: members.name, party: members.party, state: members.state })
      .from(members)
      .orderBy(asc(members.name))
      .all()
      .map((member) => ({ value: member.slug, label: memberLabel(member) })),
    committees: db.select({ value: committees.slug, label: committees.name }).from(committees).orderBy(asc(committees.name)).all(),
    officials: db
      .select({ id: officials.id, name: officials.name, title: officials.title, agency: agencies.name })
      .from(officials)
      .innerJoin(agencies, eq(agencies.id, officials.agencyId))
      .orderBy(asc(officials.name))
      .all()
      .map((official) => ({ value: String(official.id), label: `${official.name}, ${official.title} (${official.agency})` })),
    agencies: db.select({ name: agencies.name }).from(agencies).orderBy(asc(agencies.name)).all().map((agency) => agency.name),
  };
}

/** The letter as form values, for editing. */
export function letterFormValues({ slug }: { slug: string }) {
  const db = getDb();
  const letter = db
    .select({
      id: letters.id,
      title: letters.title,
      slug: letters.slug,
      sentOn: letters.sentOn,
      chamber: letters.chamber,
      committee: committees.slug,
      deadline: letters.deadline,
      summary: letters.summary,
      notes: letters.notes,
      internalNotes: letters.internalNotes,
      sourceUrl: letters.sourceUrl,
      followsUp: sql<string | null>`(SELECT p.slug FROM letters p WHERE p.id = ${letters.followsUpId})`,
    })
    .from(letters)
    .leftJoin(committees, eq(committees.id, letters.committeeId))
    .where(eq(letters.slug, slug))
    .get();
  if (!letter) return null;
  const senders = letterSendersOf({ db, letterId: letter.id }).map((sender) => ({
    member: sender.slug,
    role: sender.role,
    isLead: sender.isLead,
  }));
  const recipients = letterRecipientsOf({ db, letterId: letter.id }).map((recipient) => ({
    official: String(recipient.officialId),
  }));
  const tagSlugs = letterTagsOf({ db, letterId: letter.id });
  const questionRows = db
    .select({ id: questions.id, text: questions.text, kind: questions.kind, status: questions.status })
    .from(questions)
    .where(eq(questions.letterId, letter.id))
    .orderBy(questions.number)
    .all();
  const { id: _id, ...fields } = letter;
  return {
    letterId: letter.id,
    values: {
      ...fields,
      committee: fields.committee ?? undefined,
      senders: senders.map((sender) => ({ member: sender.member, role: sender.role ?? undefined })),
      leadSender: String(Math.max(0, senders.findIndex((sender) => sender.isLead))),
      recipients,
      tags: tagSlugs.map((tag) => tag.slug).join(", "),
      questions: questionRows.map((question) => ({ id: String(question.id), text: question.text, kind: question.kind })),
    },
    questionStatuses: questionRows.map((question) => question.status),
  };
}

/** What the response form needs: the letter, its questions, and the response being edited. */
export function responseFormData({ letterSlug, responseId }: { letterSlug: string; responseId?: number }) {
  const db = getDb();
  const letter = db
    .select({ id: letters.id, slug: letters.slug, title: letters.title, sentOn: letters.sentOn })
    .from(letters)
    .where(eq(letters.slug, letterSlug))
    .get();
  if (!letter) return null;
  const questionRows = db
    .select({ id: questions.id, number: questions.number, text: questions.text, status: questions.status })
    .from(questions)
    .where(eq(questions.letterId, letter.id))
    .orderBy(questions.number)
    .all();
  if (responseId === undefined) return { letter, questions: questionRows, response: null };
  const response = db
    .select()
    .from(responses)
    .where(and(eq(responses.id, responseId), eq(responses.letterId, letter.id)))
    .get();
  if (!response) return null;
  const verdicts = new Map(
    db
      .select({ questionId: questionAssessments.questionId, verdict: questionAssessments.verdict })
      .from(questionAssessments)
      .where(eq(questionAssessments.responseId, responseId))
      .all()
      .map((row) => [row.questionId, row.verdict]),
  );
  return {
    letter,
    questions: questionRows,
    response: {
      id: response.id,
      values: {
        receivedOn: response.receivedOn,
        from: response.from,
        completeness: response.completeness,
        summary: response.summary ?? undefined,
        sourceUrl: response.sourceUrl ?? undefined,
        notes: response.notes ?? undefined,
        verdicts: questionRows.map((question) => ({ questionId: String(question.id), verdict: verdicts.get(question.id) ?? "" })),
      },
    },
  };
}

/** The letter's deadline facts, for the extension and closing pages. */
export function letterDeadlineData({ slug }: { slug: string }) {
  const db = getDb();
  const letter = db
    .select({
      id: letters.id,
      slug: letters.slug,
      title: letters.title,
      sentOn: letters.sentOn,
      deadline: letters.deadline,
      effectiveDeadline: letters.effectiveDeadline,
      closedOn: letters.closedOn,
      closedReason: letters.closedReason,
    })
    .from(letters)
    .where(eq(letters.slug, slug))
    .get();
  if (!letter) return null;
  const changes = db
    .select({ id: deadlineChanges.id, newDeadline: deadlineChanges.newDeadline, grantedOn: deadlineChanges.grantedOn, reason: deadlineChanges.reason })
    .from(deadlineChanges)
    .where(eq(deadlineChanges.letterId, letter.id))
    .orderBy(deadlineChanges.grantedOn, deadlineChanges.id)
    .all();
  return { letter, changes };
}
