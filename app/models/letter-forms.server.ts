/**
 * What the staff forms show: the choices of their pickers, and a stored letter or response as form
 * values with the version they were read at (a save against an older version is refused).
 * Writing is app/models/letter-writer.server.ts.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import { agencies, committees, deadlineChanges, letters, members, officials, questionAssessments, questions, responses } from "../../db/schema";
import { memberLabel } from "~/domain/people";
import { letterRecipientsOf, letterSendersOf, letterTagsOf } from "./letter-parts.server";
import { currentSlug } from "./letter-slugs.server";

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
      version: letters.version,
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
    .where(eq(letters.slug, currentSlug(db, slug)))
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
  const { id: _id, version, ...fields } = letter;
  return {
    letterId: letter.id,
    version,
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
    .select({ id: letters.id, slug: letters.slug, title: letters.title, sentOn: letters.sentOn, version: letters.version })
    .from(letters)
    .where(eq(letters.slug, currentSlug(db, letterSlug)))
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
      version: response.version,
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
      version: letters.version,
      title: letters.title,
      sentOn: letters.sentOn,
      deadline: letters.deadline,
      effectiveDeadline: letters.effectiveDeadline,
      closedOn: letters.closedOn,
      closedReason: letters.closedReason,
    })
    .from(letters)
    .where(eq(letters.slug, currentSlug(db, slug)))
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
