/**
 * What the staff forms show: the choices of their pickers (and the names typed into them, resolved),
 * and a stored letter or response as form values with the version they were read at (a save
 * against an older version is refused).
 * Writing is app/models/letter-writer.server.ts.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import { committees, deadlineChanges, letters, questionAssessments, questions, responses } from "../../db/schema";
import { factDateText } from "~/domain/approximate-date";
import { PICK_CHOICE_PREFIX, pickProblem, type PickerItem } from "~/domain/pickers";
import { letterRecipientsOf, letterSendersOf, letterTagsOf } from "./letter-parts.server";
import { currentSlug } from "./letter-slugs.server";
import { letterDocumentsOf, responseDocumentsOf } from "./documents.server";
import { pickerItems, resolvePick } from "./pickers.server";

/**
 * Choices the letter form lists in full: committees (a few dozen). Members, officials and agencies
 * are searchable pickers (GET /pickers/:kind): the form is sent only the labels of what it shows as
 * picked (letterFormLabels).
 */
export function letterFormOptions() {
  const db = getDb();
  return {
    committees: db.select({ value: committees.slug, label: committees.name }).from(committees).orderBy(asc(committees.name)).all(),
  };
}

/** The labels of the members (by slug) and officials (by id) a letter form shows as picked. */
export interface LetterFormLabels {
  members: Record<string, string>;
  officials: Record<string, string>;
  /** What each repeated question (by id) is, for the questions that repeat one (decision 0023). */
  repeats?: Record<string, RepeatLabel>;
}

/** A repeated question as a follow-up's form and the letter page name it. */
export interface RepeatLabel {
  number: number;
  letterSlug: string;
  letterTitle: string;
  sentOn: string;
}

/** The question ids and what each is: its number, its letter's slug, title and sent date. */
export function repeatLabels(ids: readonly (string | number)[]): Record<string, RepeatLabel> {
  const numbers = [...new Set(ids.map(Number).filter((id) => Number.isInteger(id) && id > 0))].slice(0, 1000);
  if (numbers.length === 0) return {};
  const rows = getDb()
    .select({ id: questions.id, number: questions.number, letterSlug: letters.slug, letterTitle: letters.title, sentOn: letters.sentOn })
    .from(questions)
    .innerJoin(letters, eq(letters.id, questions.letterId))
    .where(inArray(questions.id, numbers))
    .all();
  return Object.fromEntries(rows.map(({ id, ...label }) => [String(id), label]));
}

/** Labels for the senders' members and the recipients' officials of form values (or a submission's payload). */
export function letterFormLabels(values: unknown): LetterFormLabels {
  const list = (key: string, field: string): string[] => {
    const items = values && typeof values === "object" ? (values as Record<string, unknown>)[key] : undefined;
    if (!Array.isArray(items)) return [];
    return items.flatMap((item) => {
      const value = item && typeof item === "object" ? (item as Record<string, unknown>)[field] : undefined;
      return typeof value === "string" ? [value] : [];
    });
  };
  const labels = (kind: "members" | "officials", values: string[]) =>
    Object.fromEntries([...pickerItems(kind, values)].map(([value, item]) => [value, item.label]));
  const repeats = repeatLabels(list("questions", "repeats"));
  return {
    members: labels("members", list("senders", "member")),
    officials: labels("officials", list("recipients", "official")),
    // Only a form with repeated questions has them (decision 0023).
    ...(Object.keys(repeats).length > 0 ? { repeats } : {}),
  };
}

const SENDER_MEMBER = /^senders\[(\d+)\]\.member$/;
const RECIPIENT_OFFICIAL = /^recipients\[(\d+)\]\.official$/;

/**
 * A letter form's senders and recipients as the writer takes them. Each picker field sends a
 * member's slug or an official's id, or, without JavaScript (or with nothing picked), the text that
 * was typed: a name found here the way the filters find one (app/models/pickers.server.ts). Returns
 * the form data with every such name replaced by its slug or id; a name that matches no one or
 * several is left as typed, with an error for its field that names the field. And the labels of
 * everything picked, for the form to show.
 */
export function resolveLetterFormPicks(formData: FormData): {
  formData: FormData;
  errors: Record<string, string[]>;
  labels: LetterFormLabels;
  /** Fields whose name matched several: the matches, each a choice for the form to offer. */
  choices: Record<string, PickerItem[]>;
} {
  const resolved = new FormData();
  const errors: Record<string, string[]> = {};
  const labels: LetterFormLabels = { members: {}, officials: {} };
  const choices: Record<string, PickerItem[]> = {};
  const chosen = new Map<string, string>();
  for (const [name, entry] of formData) {
    if (name.startsWith(PICK_CHOICE_PREFIX) && typeof entry === "string" && entry.trim() !== "") chosen.set(name.slice(PICK_CHOICE_PREFIX.length), entry);
  }
  for (const [name, entry] of formData) {
    if (name.startsWith(PICK_CHOICE_PREFIX)) continue;
    const sender = SENDER_MEMBER.exec(name);
    const recipient = RECIPIENT_OFFICIAL.exec(name);
    if (typeof entry !== "string" || (!sender && !recipient)) {
      resolved.append(name, entry);
      continue;
    }
    const kind = sender ? "members" : "officials";
    // One of the offered matches, picked: it stands for the name typed.
    const result = resolvePick(kind, chosen.get(name) ?? entry);
    if (result === null) {
      resolved.append(name, "");
    } else if (result.ok) {
      resolved.append(name, result.item.value);
      labels[kind][result.item.value] = result.item.label;
    } else {
      resolved.append(name, entry);
      if (result.matches.length > 1) choices[name] = result.matches;
      const position = Number((sender ?? recipient)![1]) + 1;
      errors[name] = [
        pickProblem({
          field: sender ? `Sender ${position}` : `Recipient ${position}`,
          kind,
          text: entry,
          matches: result.matches,
          more: result.more,
          advice: sender
            ? "or leave it empty and fill in the new member's name, party, state and chamber"
            : "or leave it empty and fill in the new official's name, title and agency",
        }),
      ];
    }
  }
  return { formData: resolved, errors, labels, choices };
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
    .select({ id: questions.id, text: questions.text, kind: questions.kind, status: questions.status, repeats: questions.repeatsQuestionId, repeatedOn: questions.repeatedOn })
    .from(questions)
    .where(eq(questions.letterId, letter.id))
    .orderBy(questions.number)
    .all();
  const storedDocuments = letterDocumentsOf(letter.id, db);
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
      questions: questionRows.map((question) => ({
        id: String(question.id),
        text: question.text,
        kind: question.kind,
        ...(question.repeats !== null ? { repeats: String(question.repeats) } : {}),
      })),
      documents: storedDocuments.map((document) => document.sha256),
    },
    questionStatuses: questionRows.map((question) => question.status),
    /** Whether a later letter already asks each question again (a follow-up drafts it from there). */
    questionsRepeated: questionRows.map((question) => question.repeatedOn !== null),
    documents: storedDocuments,
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
  if (responseId === undefined) return { letter, questions: questionRows, documents: [], response: null };
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
  const storedDocuments = responseDocumentsOf([response.id], db).get(response.id) ?? [];
  return {
    letter,
    questions: questionRows,
    documents: storedDocuments,
    response: {
      id: response.id,
      version: response.version,
      values: {
        // `2025-06` for a month-only date: an edit keeps its precision.
        receivedOn: factDateText(response.receivedOn, response.receivedPrecision),
        from: response.from,
        completeness: response.completeness,
        summary: response.summary ?? undefined,
        sourceUrl: response.sourceUrl ?? undefined,
        notes: response.notes ?? undefined,
        verdicts: questionRows.map((question) => ({ questionId: String(question.id), verdict: verdicts.get(question.id) ?? "" })),
        documents: storedDocuments.map((document) => document.sha256),
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
