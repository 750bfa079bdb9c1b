/**
 * The tracker's vocabulary: every closed list of values (letter and question statuses,
 * completeness, verdicts, question kinds, chambers, parties, roles, audit actions), each value
 * defined once here with its human label (and a description where one helps). Everything else
 * imports from this file: db/schema.ts (column enums and CHECK constraints), the status rules, the
 * filter model, the form and exchange-format schemas, CSV checks, and every page that shows a label.
 *
 * Adding a value means adding one entry here. For a stored value that also changes a CHECK
 * constraint: run `npm run db:generate` and read the migration (test/unit/vocabulary.test.ts holds
 * these lists to the CHECK constraints of the migrated database).
 *
 * Pure and dependency-free: db/schema.ts imports it with a relative path, and drizzle-kit loads
 * the schema with its own loader.
 */

export interface Term {
  /** What people read: option text, badges, table cells. */
  readonly label: string;
  /** A longer explanation, where the label alone does not say enough. */
  readonly description?: string;
}

export interface Vocabulary<K extends string> {
  /** The values, in the order they are offered and listed. */
  readonly values: readonly [K, ...K[]];
  readonly terms: { readonly [P in K]: Term };
  readonly labels: Readonly<Record<K, string>>;
  /** `[value, label]` pairs for a select. */
  readonly options: ReadonlyArray<readonly [K, string]>;
  /** Whether a string is one of the values. */
  has(value: unknown): value is K;
  /** The label of a value read from outside (the database, a file); an unknown value as it is. */
  labelOf(value: string): string;
}

function vocabulary<const T extends Record<string, Term>>(terms: T): Vocabulary<keyof T & string> {
  type K = keyof T & string;
  const values = Object.keys(terms) as K[];
  if (values.length === 0) throw new Error("a vocabulary needs at least one value");
  const known = new Set<string>(values);
  return {
    values: values as unknown as readonly [K, ...K[]],
    terms: terms as { readonly [P in K]: Term },
    labels: Object.fromEntries(values.map((value) => [value, terms[value]!.label])) as Record<K, string>,
    options: values.map((value) => [value, terms[value]!.label] as const),
    has: (value: unknown): value is K => typeof value === "string" && known.has(value),
    labelOf: (value: string) => (known.has(value) ? terms[value]!.label : value),
  };
}

/** "a, b or c": for messages that list what is allowed. */
export function listOfValues(values: readonly string[], conjunction = "or"): string {
  return values.length <= 1 ? values.join("") : `${values.slice(0, -1).join(", ")} ${conjunction} ${values.at(-1)}`;
}

// Letters -----------------------------------------------------------------------------------------

/**
 * A letter's status (rules in app/domain/status.ts), in the order of progress: lists sorted by
 * status and every count by status follow it.
 */
export const LETTER_STATUS_TERMS = vocabulary({
  awaiting: { label: "Awaiting reply", description: "No substantive response yet and the deadline has not passed (or there is none)" },
  overdue: { label: "Overdue", description: "No substantive response and the effective deadline has passed" },
  partial: { label: "Partly answered", description: "Some questions answered or partly answered" },
  refused: { label: "Refused", description: "The agency declined to answer" },
  answered: { label: "Answered", description: "Every question answered" },
  closed: { label: "Closed", description: "Closed by staff, whatever the responses say" },
});
export type LetterStatus = (typeof LETTER_STATUS_TERMS.values)[number];
export const LETTER_STATUSES = LETTER_STATUS_TERMS.values;
export const LETTER_STATUS_LABELS = LETTER_STATUS_TERMS.labels;

/**
 * The part of a letter's status that responses decide (stored in letters.answer_status);
 * overdue, awaiting and closed depend on the date.
 */
export const ANSWER_STATUSES = ["answered", "partial", "refused"] as const satisfies readonly LetterStatus[];
export type AnswerStatus = (typeof ANSWER_STATUSES)[number];

/** The statuses of a letter still waiting for an answer: "open letters" on every page. */
export const OPEN_LETTER_STATUSES = ["awaiting", "overdue"] as const satisfies readonly LetterStatus[];

export const CHAMBER_TERMS = vocabulary({
  House: { label: "House" },
  Senate: { label: "Senate" },
  Joint: { label: "Joint (both chambers)" },
});
export type Chamber = (typeof CHAMBER_TERMS.values)[number];
export const CHAMBERS = CHAMBER_TERMS.values;

/** A member sits in one chamber; only letters and committees can be joint. */
export const MEMBER_CHAMBER_TERMS = vocabulary({
  House: CHAMBER_TERMS.terms.House,
  Senate: CHAMBER_TERMS.terms.Senate,
});
export type MemberChamber = (typeof MEMBER_CHAMBER_TERMS.values)[number];
export const MEMBER_CHAMBERS = MEMBER_CHAMBER_TERMS.values;

export const PARTY_TERMS = vocabulary({
  D: { label: "D", description: "Democrat" },
  R: { label: "R", description: "Republican" },
  I: { label: "I", description: "Independent" },
});
export type Party = (typeof PARTY_TERMS.values)[number];
export const PARTIES = PARTY_TERMS.values;

// Reference data: the roster and the agency directory -----------------------------------------------

/** A member's term of office (congress-legislators `terms[].type`). */
export const TERM_TYPE_TERMS = vocabulary({
  rep: { label: "Representative" },
  sen: { label: "Senator" },
});
export type TermType = (typeof TERM_TYPE_TERMS.values)[number];
export const TERM_TYPES = TERM_TYPE_TERMS.values;

/** A member's side on a committee. */
export const COMMITTEE_SIDE_TERMS = vocabulary({
  majority: { label: "Majority" },
  minority: { label: "Minority" },
});
export type CommitteeSide = (typeof COMMITTEE_SIDE_TERMS.values)[number];
export const COMMITTEE_SIDES = COMMITTEE_SIDE_TERMS.values;

/** Where an agency comes from: the eCFR list, the curated supplement, or typed in the tracker. */
export const AGENCY_SOURCE_TERMS = vocabulary({
  ecfr: { label: "eCFR agency list" },
  supplement: { label: "Curated supplement" },
  local: { label: "Entered in the tracker" },
});
export type AgencySource = (typeof AGENCY_SOURCE_TERMS.values)[number];
export const AGENCY_SOURCES = AGENCY_SOURCE_TERMS.values;

// Questions ---------------------------------------------------------------------------------------

export const QUESTION_KIND_TERMS = vocabulary({
  question: { label: "Question" },
  document_request: { label: "Document request", description: "Asks for documents, records or communications" },
  briefing_request: { label: "Briefing request", description: "Asks for a briefing of staff or members" },
  testimony: { label: "Testimony", description: "Asks an official to testify, appear or sit for a transcribed interview" },
});
export type QuestionKind = (typeof QUESTION_KIND_TERMS.values)[number];
export const QUESTION_KINDS = QUESTION_KIND_TERMS.values;
export const QUESTION_KIND_LABELS = QUESTION_KIND_TERMS.labels;

/** A question's status (rules in app/domain/status.ts), still open first: the filters' order. */
export const QUESTION_STATUS_TERMS = vocabulary({
  open: { label: "Open", description: "Not answered, partly answered or refused yet" },
  partial: { label: "Partly answered" },
  refused: { label: "Refused" },
  answered: { label: "Answered" },
});
export type QuestionStatus = (typeof QUESTION_STATUS_TERMS.values)[number];
export const QUESTION_STATUSES = QUESTION_STATUS_TERMS.values;
export const QUESTION_STATUS_LABELS = QUESTION_STATUS_TERMS.labels;

/**
 * Questions of a letter closed without their answer: their status stays open, but they are no
 * longer waiting for one, so no count of open questions includes them (decision 0014 addendum).
 * How counts name them: "2 unanswered when their letter was closed".
 */
export const CLOSED_UNANSWERED_LABEL = "unanswered when their letter was closed";

/**
 * Open questions a later letter asks again: their openness moved to that latest ask, where they
 * are counted open (decision 0023 addendum). How counts name them: "2 asked again in a later
 * letter (counted there)".
 */
export const ASKED_AGAIN_LABEL = "asked again in a later letter (counted there)";

/**
 * QUESTION_STATUSES in the order the questions_status_check constraint was first generated with
 * (migrations/0000_init.sql). Reordering a CHECK would make drizzle-kit rebuild the table, so
 * db/schema.ts keeps this order; a value added above comes last.
 */
const QUESTION_STATUS_CHECK_ORDER: readonly string[] = ["answered", "partial", "refused", "open"];
const checkRank = (status: string) => {
  const rank = QUESTION_STATUS_CHECK_ORDER.indexOf(status);
  return rank === -1 ? Number.MAX_SAFE_INTEGER : rank;
};
export const QUESTION_STATUSES_IN_CHECK_ORDER = [...QUESTION_STATUSES].sort(
  (a, b) => checkRank(a) - checkRank(b),
) as unknown as readonly [QuestionStatus, ...QuestionStatus[]];

// Responses ---------------------------------------------------------------------------------------

/** How complete a response is. Every value but an acknowledgment is substantive (status.ts). */
export const COMPLETENESS_TERMS = vocabulary({
  full: { label: "Full answer" },
  partial: { label: "Partial answer" },
  refusal: { label: "Refusal" },
  acknowledgment: { label: "Acknowledgment only", description: "Confirms receipt; does not stop the clock" },
});
export type Completeness = (typeof COMPLETENESS_TERMS.values)[number];
export const COMPLETENESS = COMPLETENESS_TERMS.values;
export const COMPLETENESS_LABELS = COMPLETENESS_TERMS.labels;

/** A response's verdict on one question; `not_addressed` leaves the question open. */
export const VERDICT_TERMS = vocabulary({
  answered: { label: "Answered" },
  partial: { label: "Partly answered" },
  refused: { label: "Refused" },
  not_addressed: { label: "Not addressed" },
});
export type Verdict = (typeof VERDICT_TERMS.values)[number];
export const VERDICTS = VERDICT_TERMS.values;

/**
 * Where a letter's effective deadline comes from (letters.deadline_source): the date the letter
 * sets, an extension granted since, or, for a letter that sets none, the default response window
 * (DEFAULT_RESPONSE_DAYS after sending; decision 0014). No deadline at all: NULL.
 */
export const DEADLINE_SOURCE_TERMS = vocabulary({
  letter: { label: "Set by the letter" },
  extension: { label: "Extended" },
  implied: { label: "No deadline set; due by default", description: "The letter sets no deadline: it is due a default number of days after sending" },
});
export type DeadlineSource = (typeof DEADLINE_SOURCE_TERMS.values)[number];
export const DEADLINE_SOURCES = DEADLINE_SOURCE_TERMS.values;
export const DEADLINE_SOURCE_LABELS = DEADLINE_SOURCE_TERMS.labels;

/** The short form of an implied deadline, where space is short (lists on paper, calendar titles): "(implied)". */
export const IMPLIED_DEADLINE_SHORT = "implied";

/** "no deadline set; due 30 days after sending by default": how an implied deadline is shown. */
export function impliedDeadlineLabel(days: number): string {
  return `no deadline set; due ${days} ${days === 1 ? "day" : "days"} after sending by default`;
}

/**
 * How precisely the record dates a fact: the day, or only the month ("a June 2025 reply"). A
 * month-only date is stored as the day it counts as (app/domain/approximate-date.ts, decision 0007).
 */
export const DATE_PRECISION_TERMS = vocabulary({
  day: { label: "Exact day" },
  month: { label: "Month only", description: "The record gives only the month; counted as received on its last day" },
});
export type DatePrecision = (typeof DATE_PRECISION_TERMS.values)[number];
export const DATE_PRECISIONS = DATE_PRECISION_TERMS.values;

// Accounts and history ----------------------------------------------------------------------------

/** Roles, least to most trusted. */
export const ROLE_TERMS = vocabulary({
  viewer: { label: "Viewer", description: "reads, including internal notes" },
  editor: { label: "Editor", description: "logs and edits letters" },
  admin: { label: "Admin", description: "also manages users" },
});
export type Role = (typeof ROLE_TERMS.values)[number];
export const ROLES = ROLE_TERMS.values;

export const AUDIT_ACTION_TERMS = vocabulary({
  create: { label: "Created" },
  update: { label: "Updated" },
  delete: { label: "Deleted" },
});
export type AuditAction = (typeof AUDIT_ACTION_TERMS.values)[number];
export const AUDIT_ACTIONS = AUDIT_ACTION_TERMS.values;

// Documents ---------------------------------------------------------------------------------------

/** Where the extraction of an uploaded document's text stands (document_jobs.state). */
export const DOCUMENT_JOB_STATE_TERMS = vocabulary({
  queued: { label: "Waiting to start" },
  running: { label: "Reading the document" },
  done: { label: "Ready" },
  failed: { label: "Could not be read" },
});
export type DocumentJobState = (typeof DOCUMENT_JOB_STATE_TERMS.values)[number];
export const DOCUMENT_JOB_STATES = DOCUMENT_JOB_STATE_TERMS.values;

/** The stages of an extraction, as the progress bar names them. */
export const DOCUMENT_STAGE_LABELS: Readonly<Record<string, string>> = {
  reading: "Opening the file",
  text: "Reading the text",
  ocr: "Reading the scanned pages (OCR)",
};

/** The kinds of document kept, by stored media type. */
export const DOCUMENT_MEDIA_TYPE_LABELS: Readonly<Record<string, string>> = {
  "application/pdf": "PDF",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
  "text/plain": "Plain text",
  "text/plain; charset=utf-8": "Plain text",
};

export function documentTypeLabel(mediaType: string): string {
  return DOCUMENT_MEDIA_TYPE_LABELS[mediaType] ?? mediaType;
}

/** How the history names the fields of a letter, a response, an extension or a closing. */
export const HISTORY_FIELD_LABELS: Readonly<Record<string, string>> = {
  title: "title",
  slug: "address (slug)",
  sentOn: "sent date",
  chamber: "chamber",
  committee: "committee",
  deadline: "deadline",
  summary: "summary",
  notes: "public notes",
  internalNotes: "internal notes",
  sourceUrl: "source",
  followsUp: "letter followed up",
  senders: "senders",
  recipients: "recipients",
  tags: "topics",
  questions: "questions",
  receivedOn: "received date",
  from: "from",
  completeness: "completeness",
  verdicts: "verdicts",
  newDeadline: "new deadline",
  grantedOn: "date granted",
  reason: "reason",
  closedOn: "closing date",
  closedReason: "closing reason",
  documents: "documents",
};

export function historyFieldLabel(key: string): string {
  return HISTORY_FIELD_LABELS[key] ?? key;
}

/** A value before or after a change, as the history and the conflict notice show it. */
export function historyValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (Array.isArray(value)) return value.length === 0 ? "—" : value.map(String).join("; ");
  return String(value);
}

// Follows and email ------------------------------------------------------------------------------

/** What a follower follows (follows.subject_kind); a search is a /letters or /questions filter address. */
export const FOLLOW_SUBJECT_TERMS = vocabulary({
  letter: { label: "Letter" },
  agency: { label: "Agency" },
  member: { label: "Member" },
  committee: { label: "Committee" },
  topic: { label: "Topic" },
  search: { label: "Search" },
});
export type FollowSubjectKind = (typeof FOLLOW_SUBJECT_TERMS.values)[number];
export const FOLLOW_SUBJECT_KINDS = FOLLOW_SUBJECT_TERMS.values;

/** How often a follower hears (follows.cadence). */
export const CADENCE_TERMS = vocabulary({
  immediate: { label: "As it happens" },
  daily: { label: "Daily digest" },
  weekly: { label: "Weekly digest" },
});
export type Cadence = (typeof CADENCE_TERMS.values)[number];
export const CADENCES = CADENCE_TERMS.values;

/** What happened to a letter (letter_events.kind), written by the letter writer with the change. */
export const LETTER_EVENT_TERMS = vocabulary({
  letter_logged: { label: "Letter logged" },
  response_logged: { label: "Response logged" },
  deadline_extended: { label: "Deadline extended" },
  letter_closed: { label: "Letter closed" },
  letter_reopened: { label: "Letter reopened" },
  follow_up_sent: { label: "Follow-up letter sent" },
  letter_overdue: { label: "Letter overdue" },
});
export type LetterEventKind = (typeof LETTER_EVENT_TERMS.values)[number];
export const LETTER_EVENT_KINDS = LETTER_EVENT_TERMS.values;

/** Where a message in the outbox stands (outbox.state). */
export const OUTBOX_STATE_TERMS = vocabulary({
  queued: { label: "Waiting to be sent" },
  sent: { label: "Sent" },
  failed: { label: "Gave up" },
  cancelled: { label: "Cancelled", description: "Not sent: its reason no longer held when its turn came (last_error says why)" },
});
export type OutboxState = (typeof OUTBOX_STATE_TERMS.values)[number];
export const OUTBOX_STATES = OUTBOX_STATE_TERMS.values;

/** Why a message was written (outbox.kind). */
export const MESSAGE_KIND_TERMS = vocabulary({
  confirm: { label: "Confirmation" },
  alert: { label: "Alert" },
  digest: { label: "Digest" },
  reminder: { label: "Reminder", description: "A staffer's deadline reminder (decision 0020)" },
  manage: { label: "Manage link", description: "A fresh link to manage an address's alerts, or the note that it follows the most it may" },
});
export type MessageKind = (typeof MESSAGE_KIND_TERMS.values)[number];
export const MESSAGE_KINDS = MESSAGE_KIND_TERMS.values;

/** Which letters a staffer hears deadline reminders about (staff_reminder_settings.scope). */
export const REMINDER_SCOPE_TERMS = vocabulary({
  logged: { label: "Letters I logged" },
  committee: { label: "My committee's letters" },
  all: { label: "All letters" },
});
export type ReminderScope = (typeof REMINDER_SCOPE_TERMS.values)[number];
export const REMINDER_SCOPES = REMINDER_SCOPE_TERMS.values;
