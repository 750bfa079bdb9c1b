/**
 * What the one letter writer (app/models/letter-writer.server.ts) takes, and the two translations
 * into it: from the staff form's values and from the exchange format (import, demo seed). People,
 * committees and agencies come either as a reference to a stored row or by name (found or created
 * by the writer, the same way for every caller).
 */
import type { LetterFormValues, ResponseFormValues } from "./forms";
import type { LetterRecord } from "./letter-record";
import { inferCommitteeChamber, inferMemberChamber, isNoCommittee } from "./people";
import { parseTags } from "./forms";
import type { Chamber, Completeness, MemberChamber, Party, QuestionKind, Verdict } from "./vocabulary";


export type MemberRef = { slug: string } | { name: string; party: Party; state: string; chamber: MemberChamber };
export type OfficialRef = { id: number } | { name: string; title: string; agency: string };
export type CommitteeRef = { slug: string } | { name: string; chamber: Chamber };

export interface LetterInput {
  /** Null: made from the title and sent date. */
  slug: string | null;
  title: string;
  sentOn: string;
  chamber: Chamber;
  committee: CommitteeRef | null;
  deadline: string | null;
  summary: string | null;
  notes: string | null;
  /** Undefined: keep what is stored (the exchange format does not carry internal notes). */
  internalNotes?: string | null;
  sourceUrl: string | null;
  /** The slug of the letter this one follows up. */
  followsUp: string | null;
  senders: Array<{ member: MemberRef; role: string | null; isLead: boolean }>;
  recipients: Array<{ official: OfficialRef }>;
  tags: string[];
  /**
   * In order: a question's number is its position (a `number`, where the source states one, must
   * agree). `id` keeps a stored question, and so its verdicts, whatever its new position.
   */
  questions: Array<{ id?: number; number?: number; text: string; kind: QuestionKind; repeats?: QuestionRepeat }>;
  /**
   * The letter's documents (SHA-256 of stored documents), in order. Undefined: keep what is stored
   * (the exchange format does not carry documents).
   */
  documents?: string[];
}

/**
 * The earlier question a question asks again (decision 0023): a question id (the follow-up form),
 * or a letter's slug and the question's number there (the exchange format). `null` clears the
 * link; undefined keeps what is stored (a new question: none). The writer checks that the question
 * belongs to a letter this one follows up, directly or through earlier follow-ups.
 */
export type QuestionRepeat = number | { letter: string; number: number } | null | undefined;

export interface ResponseInput {
  /** `YYYY-MM-DD`, or `YYYY-MM` when the record gives only the month (app/domain/approximate-date.ts). */
  receivedOn: string;
  from: string;
  completeness: Completeness;
  summary: string | null;
  sourceUrl: string | null;
  notes: string | null;
  /** Undefined: keep the stored verdicts (an import does not carry them). */
  verdicts?: Array<{ questionId: number; verdict: Verdict }>;
  /** The response's documents (SHA-256), in order; undefined: keep what is stored. */
  documents?: string[];
}

export function letterInputFromForm(values: LetterFormValues): LetterInput {
  const lead = values.leadSender ?? 0;
  return {
    slug: values.slug ?? null,
    title: values.title,
    sentOn: values.sentOn,
    chamber: values.chamber,
    committee: values.committee
      ? { slug: values.committee }
      : values.newCommittee
        ? { name: values.newCommittee, chamber: inferCommitteeChamber(values.newCommittee, values.chamber) }
        : null,
    deadline: values.deadline ?? null,
    summary: values.summary ?? null,
    notes: values.notes ?? null,
    internalNotes: values.internalNotes ?? null,
    sourceUrl: values.sourceUrl ?? null,
    followsUp: values.followsUp ?? null,
    senders: values.senders.map((sender, index) => ({
      member: sender.member
        ? { slug: sender.member }
        : { name: sender.name!, party: sender.party!, state: sender.state!, chamber: sender.chamber! },
      role: sender.role ?? null,
      isLead: index === lead,
    })),
    recipients: values.recipients.map((recipient) => ({
      official: recipient.official
        ? { id: Number(recipient.official) }
        : { name: recipient.name!, title: recipient.title!, agency: recipient.agency! },
    })),
    tags: parseTags(values.tags),
    // A stored question without the hidden field keeps its link (a form merged after a conflict
    // may not carry it); "Not a repeat" checked removes it (null), the question kept.
    questions: values.questions.map((question) => ({
      id: question.id,
      text: question.text,
      kind: question.kind,
      repeats: question.notRepeat ? null : question.repeats,
    })),
    documents: values.documents,
  };
}

/**
 * A letter of the exchange format. `questionIds` maps a stored letter's question numbers to ids,
 * so that an import updating a letter keeps its questions (and their verdicts).
 */
export function letterInputFromRecord(record: LetterRecord, questionIds: ReadonlyMap<number, number> = new Map()): LetterInput {
  const hasLead = record.senders.some((sender) => sender.lead);
  return {
    slug: record.id,
    title: record.title,
    sentOn: record.sent_on,
    chamber: record.chamber,
    committee: isNoCommittee(record.committee)
      ? null
      : { name: record.committee!.trim(), chamber: inferCommitteeChamber(record.committee!, record.chamber) },
    deadline: record.deadline ?? null,
    summary: record.summary ?? null,
    notes: record.notes ?? null,
    sourceUrl: record.source ?? null,
    followsUp: record.follows_up ?? null,
    senders: record.senders.map((sender, index) => ({
      member: { name: sender.name, party: sender.party, state: sender.state, chamber: inferMemberChamber(sender.role, record.chamber) },
      role: sender.role ?? null,
      // The format lists the lead signer first unless it marks one.
      isLead: hasLead ? Boolean(sender.lead) : index === 0,
    })),
    recipients: record.recipients.map(({ name, title, agency }) => ({ official: { name, title, agency } })),
    tags: [...new Set(record.topic_tags)],
    questions: [...record.questions]
      .sort((a, b) => a.n - b.n)
      .map((question) => ({
        id: questionIds.get(question.n),
        number: question.n,
        text: question.text,
        kind: question.kind,
        // Absent: keep what is stored; null: no longer a repeat.
        repeats: question.repeats ? { letter: question.repeats.letter, number: question.repeats.n } : question.repeats,
      })),
  };
}

export function responseInputFromRecord(response: LetterRecord["responses"][number]): ResponseInput {
  return {
    receivedOn: response.received_on,
    from: response.from,
    completeness: response.completeness,
    summary: response.summary ?? null,
    sourceUrl: response.source ?? null,
    notes: response.notes ?? null,
  };
}

export function responseInputFromForm(values: ResponseFormValues): ResponseInput {
  return {
    receivedOn: values.receivedOn,
    from: values.from,
    completeness: values.completeness,
    summary: values.summary ?? null,
    sourceUrl: values.sourceUrl ?? null,
    notes: values.notes ?? null,
    // A question left without a verdict gets none.
    verdicts: values.verdicts.flatMap((verdict) => (verdict.verdict ? [{ questionId: verdict.questionId, verdict: verdict.verdict }] : [])),
    documents: values.documents,
  };
}
