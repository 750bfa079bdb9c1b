/**
 * The tracker's data model. Migrations in ../migrations are generated from this file
 * (`npm run db:generate`); never edit a generated migration by hand without reading it.
 *
 * Conventions: calendar dates are `YYYY-MM-DD` text (compared as strings, which sorts correctly);
 * timestamps are integer milliseconds since the epoch.
 */
import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from "drizzle-orm/sqlite-core";

// The vocabulary (values and their labels) is defined once, in app/domain/vocabulary.ts; the column
// enums and CHECK constraints below read it. A relative path: drizzle-kit loads this file itself.
// QUESTION_STATUSES here keeps the order the questions_status_check constraint was generated with.
import {
  AGENCY_SOURCES,
  ANSWER_STATUSES,
  AUDIT_ACTIONS,
  CADENCES,
  CHAMBERS,
  COMMITTEE_SIDES,
  COMPLETENESS,
  DATE_PRECISIONS,
  DEADLINE_SOURCES,
  DOCUMENT_JOB_STATES,
  FOLLOW_SUBJECT_KINDS,
  LETTER_EVENT_KINDS,
  MESSAGE_KINDS,
  OUTBOX_STATES,
  MEMBER_CHAMBERS,
  PARTIES,
  QUESTION_KINDS,
  QUESTION_STATUSES_IN_CHECK_ORDER as QUESTION_STATUSES,
  REMINDER_SCOPES,
  ROLES,
  TERM_TYPES,
  VERDICTS,
} from "../app/domain/vocabulary";
export {
  AGENCY_SOURCES,
  ANSWER_STATUSES,
  AUDIT_ACTIONS,
  CHAMBERS,
  COMPLETENESS,
  DOCUMENT_JOB_STATES,
  MEMBER_CHAMBERS,
  PARTIES,
  QUESTION_KINDS,
  QUESTION_STATUSES,
  ROLES,
  VERDICTS,
};

const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;
const isDate = (column: string) =>
  sql.raw(`${column} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`);
const oneOf = (column: string, values: readonly string[]) =>
  sql.raw(`${column} IN (${values.map((v) => `'${v}'`).join(", ")})`);

export const members = sqliteTable(
  "members",
  {
    id: integer("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    party: text("party", { enum: PARTIES }).notNull(),
    state: text("state").notNull(),
    chamber: text("chamber", { enum: MEMBER_CHAMBERS }).notNull(),
    // From the roster (db/reference/roster.json, `npm run roster:update`); null for a member the
    // roster lacks (e.g. one who left Congress), who keeps working with the columns above.
    bioguideId: text("bioguide_id"),
    firstName: text("first_name"),
    lastName: text("last_name"),
    /** The roster's `official_full`, e.g. "Gregory W. Meeks". */
    officialName: text("official_name"),
    /** The current House district (0 at large); null for a senator or a member the roster lacks. */
    district: integer("district"),
  },
  (t) => [
    uniqueIndex("members_slug_unique").on(t.slug),
    uniqueIndex("members_bioguide_unique").on(t.bioguideId),
    // Signers named by last name ("Rep. Raskin", "Chairman Comer").
    index("members_last_name_idx").on(t.lastName),
    index("members_name_idx").on(t.name),
    check("members_party_check", oneOf("party", PARTIES)),
    check("members_chamber_check", oneOf("chamber", MEMBER_CHAMBERS)),
  ],
);

export const committees = sqliteTable(
  "committees",
  {
    id: integer("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    chamber: text("chamber", { enum: CHAMBERS }).notNull(),
    /** The roster's committee id ("HSJU"; a subcommittee appends its own: "HSJU01"); null for a typed one. */
    thomasId: text("thomas_id"),
    /** A subcommittee's committee. */
    parentId: integer("parent_id").references((): AnySQLiteColumn => committees.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("committees_slug_unique").on(t.slug),
    uniqueIndex("committees_name_unique").on(t.name),
    uniqueIndex("committees_thomas_unique").on(t.thomasId),
    index("committees_parent_idx").on(t.parentId),
    check("committees_chamber_check", oneOf("chamber", CHAMBERS)),
  ],
);

export const agencies = sqliteTable(
  "agencies",
  {
    id: integer("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    acronym: text("acronym"),
    /** The department a component belongs to (ICE -> Department of Homeland Security). */
    parentId: integer("parent_id").references((): AnySQLiteColumn => agencies.id, { onDelete: "set null" }),
    /** ecfr, supplement or local (AGENCY_SOURCES); checked by the loader, not a CHECK (no table rebuild). */
    source: text("source", { enum: AGENCY_SOURCES }).notNull().default("local"),
    /** The directory's key (the eCFR or supplement slug) of a canonical agency; the row's own slug may differ. */
    directorySlug: text("directory_slug"),
  },
  (t) => [
    uniqueIndex("agencies_slug_unique").on(t.slug),
    uniqueIndex("agencies_name_unique").on(t.name),
    uniqueIndex("agencies_directory_slug_unique").on(t.directorySlug),
    index("agencies_parent_idx").on(t.parentId),
  ],
);

/**
 * The names a member may be written as, for matching signers and typed names: the official name,
 * "first last", nickname forms, with and without middle initial and suffix, "Last, First". `key` is
 * nameKey() of app/domain/identity-match.ts (lower case, no accents or punctuation). Titles ("Rep.",
 * "Senator", "Chairman") are stripped by the matcher, not stored.
 */
export const memberNames = sqliteTable(
  "member_names",
  {
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    name: text("name").notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.memberId] }), index("member_names_member_idx").on(t.memberId)],
);

/** A member's terms of office, from the roster. */
export const memberTerms = sqliteTable(
  "member_terms",
  {
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    type: text("type", { enum: TERM_TYPES }).notNull(),
    state: text("state").notNull(),
    district: integer("district"),
    party: text("party").notNull(),
    startOn: text("start_on").notNull(),
    endOn: text("end_on").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.startOn] }),
    check("member_terms_type_check", oneOf("type", TERM_TYPES)),
    check("member_terms_start_on_check", isDate("start_on")),
    check("member_terms_end_on_check", isDate("end_on")),
  ],
);

/** Who sits on which committee, from the roster: side, rank and title ("Chairman", "Ranking Member"). */
export const committeeRoles = sqliteTable(
  "committee_roles",
  {
    committeeId: integer("committee_id")
      .notNull()
      .references(() => committees.id, { onDelete: "cascade" }),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    side: text("side", { enum: COMMITTEE_SIDES }).notNull(),
    rank: integer("rank"),
    title: text("title"),
  },
  (t) => [
    primaryKey({ columns: [t.committeeId, t.memberId] }),
    index("committee_roles_member_idx").on(t.memberId),
    check("committee_roles_side_check", oneOf("side", COMMITTEE_SIDES)),
  ],
);

/**
 * Other names of an agency: acronyms and common names ("DHS", "Homeland Security", "U.S.
 * Department of Homeland Security"). `key` is nameKey(); one key may name several agencies.
 */
export const agencyAliases = sqliteTable(
  "agency_aliases",
  {
    agencyId: integer("agency_id")
      .notNull()
      .references(() => agencies.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    alias: text("alias").notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.agencyId] }), index("agency_aliases_agency_idx").on(t.agencyId)],
);

export const officials = sqliteTable(
  "officials",
  {
    id: integer("id").primaryKey(),
    name: text("name").notNull(),
    /** The official's current title; the title at the time of a letter is on letter_recipients. */
    title: text("title").notNull(),
    agencyId: integer("agency_id")
      .notNull()
      .references(() => agencies.id, { onDelete: "restrict" }),
  },
  (t) => [
    uniqueIndex("officials_name_agency_unique").on(t.name, t.agencyId),
    // An agency's page lists its officials by name.
    index("officials_agency_idx").on(t.agencyId, t.name),
  ],
);

/**
 * A letter's derived state (decision 1): stored on `letters` as of today and, interval by interval,
 * in `letter_state_history` (decision 13). One definition, so that a column added here is added to
 * both tables by the next generated migration; LETTER_STATE_COLUMNS
 * (app/models/letter-state.server.ts) lists the same columns for the SQL that reads and writes them.
 */
function letterStateColumns() {
  return {
    effectiveDeadline: text("effective_deadline"),
    /** Where effective_deadline comes from: letter, extension or implied (DEFAULT_RESPONSE_DAYS); NULL: none. */
    deadlineSource: text("deadline_source", { enum: DEADLINE_SOURCES }),
    firstResponseOn: text("first_response_on"),
    latestResponseOn: text("latest_response_on"),
    latestCompleteness: text("latest_completeness", { enum: COMPLETENESS }),
    answerStatus: text("answer_status", { enum: ANSWER_STATUSES }),
    questionsTotal: integer("questions_total").notNull().default(0),
    questionsOpen: integer("questions_open").notNull().default(0),
    /**
     * How many of its questions are answered, partly answered and refused (decision 0035): with
     * questions_open they add up to questions_total, so figures over many letters count questions
     * by status from one row a letter instead of every question's.
     */
    questionsAnswered: integer("questions_answered").notNull().default(0),
    questionsPartial: integer("questions_partial").notNull().default(0),
    questionsRefused: integer("questions_refused").notNull().default(0),
  };
}

export const letters = sqliteTable(
  "letters",
  {
    // AUTOINCREMENT: a deleted letter's id is never given to another (history and links refer to it).
    id: integer("id").primaryKey({ autoIncrement: true }),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    sentOn: text("sent_on").notNull(),
    chamber: text("chamber", { enum: CHAMBERS }).notNull(),
    committeeId: integer("committee_id").references(() => committees.id, {
      onDelete: "set null",
    }),
    /** The deadline the letter itself asks for. Extensions live in deadline_changes. */
    deadline: text("deadline"),
    summary: text("summary"),
    /** Public notes, e.g. "date inferred from ...": always shown. */
    notes: text("notes"),
    /** Staff-only notes. */
    internalNotes: text("internal_notes"),
    sourceUrl: text("source_url"),
    followsUpId: integer("follows_up_id").references((): AnySQLiteColumn => letters.id, {
      onDelete: "set null",
    }),
    closedOn: text("closed_on"),
    closedReason: text("closed_reason"),
    /**
     * The earliest `repeated_on` of the letter's questions (decision 0023): from then on a later letter
     * asks one of them again. Kept by refreshRepeats. Counts of open questions look up repeated
     * questions only for letters where it is set and not after their date: a probe per letter cost a
     * third of every whole-tracker figure (decision 0024).
     */
    questionsRepeatedFrom: text("questions_repeated_from"),
    /** Moves on every change to the letter or its parts: an edit form saved against an older one is refused. */
    version: integer("version").notNull().default(1),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),

    // Derived state as of today, rewritten by refreshLetterState() in the same transaction as any
    // write to the letter's questions, responses, assessments or deadline changes. It makes lists,
    // counts and charts over 100k letters cheap; past dates (`asOf`) read letter_state_history.
    ...letterStateColumns(),
  },
  (t) => [
    uniqueIndex("letters_slug_unique").on(t.slug),
    index("letters_sent_on_idx").on(t.sentOn),
    index("letters_committee_idx").on(t.committeeId, t.sentOn),
    index("letters_follows_up_idx").on(t.followsUpId),
    index("letters_effective_deadline_idx").on(t.effectiveDeadline),
    // /questions sorted by deadline walks letters in deadline order (a letter without one last),
    // ascending or descending, instead of sorting every open question (0.7 s a page at 100,000 letters).
    index("letters_deadline_asc_order_idx").on(sql`coalesce(${t.effectiveDeadline}, '9999-12-31')`),
    index("letters_deadline_desc_order_idx").on(sql`coalesce(${t.effectiveDeadline}, '0000-00-00')`),
    // The calendar as of a past date: letters whose own deadline falls in its window.
    index("letters_deadline_idx").on(t.deadline),
    index("letters_answer_status_idx").on(t.answerStatus, t.effectiveDeadline),
    index("letters_first_response_idx").on(t.firstResponseOn),
    index("letters_closed_on_idx").on(t.closedOn),
    index("letters_created_at_idx").on(t.createdAt),
    // Lists sorted by title (letters, and questions letter by letter) walk it: ORDER BY title
    // COLLATE NOCASE, slug.
    index("letters_title_idx").on(sql`${t.title} COLLATE NOCASE`, t.slug),
    check("letters_chamber_check", oneOf("chamber", CHAMBERS)),
    check("letters_sent_on_check", isDate("sent_on")),
    check("letters_deadline_check", sql`deadline IS NULL OR ${isDate("deadline")}`),
    check("letters_closed_on_check", sql`closed_on IS NULL OR ${isDate("closed_on")}`),
    check("letters_not_own_follow_up", sql`follows_up_id IS NULL OR follows_up_id <> id`),
  ],
);

/**
 * Addresses a letter had before its slug was changed: old links and forms still find it. A live
 * slug always wins over a former one (the writer removes a former slug that comes into use).
 */
export const letterFormerSlugs = sqliteTable(
  "letter_former_slugs",
  {
    slug: text("slug").primaryKey(),
    letterId: integer("letter_id")
      .notNull()
      .references(() => letters.id, { onDelete: "cascade" }),
  },
  (t) => [index("letter_former_slugs_letter_idx").on(t.letterId)],
);

export const letterSenders = sqliteTable(
  "letter_senders",
  {
    letterId: integer("letter_id")
      .notNull()
      .references(() => letters.id, { onDelete: "cascade" }),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "restrict" }),
    /** The member's role when the letter was sent, e.g. "Ranking Member, House Judiciary". */
    role: text("role"),
    isLead: integer("is_lead", { mode: "boolean" }).notNull().default(false),
    position: integer("position").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.letterId, t.memberId] }),
    index("letter_senders_member_idx").on(t.memberId, t.letterId),
  ],
);

export const letterRecipients = sqliteTable(
  "letter_recipients",
  {
    letterId: integer("letter_id")
      .notNull()
      .references(() => letters.id, { onDelete: "cascade" }),
    officialId: integer("official_id")
      .notNull()
      .references(() => officials.id, { onDelete: "restrict" }),
    agencyId: integer("agency_id")
      .notNull()
      .references(() => agencies.id, { onDelete: "restrict" }),
    /** The official's title when the letter was sent. */
    title: text("title").notNull(),
    position: integer("position").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.letterId, t.officialId] }),
    index("letter_recipients_agency_idx").on(t.agencyId, t.letterId),
    index("letter_recipients_official_idx").on(t.officialId),
  ],
);

export const questions = sqliteTable(
  "questions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    letterId: integer("letter_id")
      .notNull()
      .references(() => letters.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    text: text("text").notNull(),
    kind: text("kind", { enum: QUESTION_KINDS }).notNull().default("question"),
    /** Derived: status as of today, kept by refreshLetterState(). */
    status: text("status", { enum: QUESTION_STATUSES }).notNull().default("open"),
    /** Derived: the date of the response that gave the current status; null while open. */
    statusOn: text("status_on"),
    /**
     * The question of an earlier letter in the follow-up chain that this one asks again (decision
     * 0023); null for a first ask. Cleared if that question or its letter is deleted.
     */
    repeatsQuestionId: integer("repeats_question_id").references((): AnySQLiteColumn => questions.id, { onDelete: "set null" }),
    /**
     * Derived, kept by the letter writer (refreshRepeats): the sent date of the earliest later
     * letter whose question repeats this one; null while none does. As of a date on or after it the
     * question is counted at its latest ask, not here.
     */
    repeatedOn: text("repeated_on"),
    /** Derived, kept by the letter writer: the sent date of the chain's first ask; null for a first ask. */
    firstAskedOn: text("first_asked_on"),
  },
  (t) => [
    uniqueIndex("questions_letter_number_unique").on(t.letterId, t.number),
    index("questions_repeats_idx").on(t.repeatsQuestionId).where(sql`repeats_question_id IS NOT NULL`),
    index("questions_repeated_idx").on(t.letterId, t.repeatedOn).where(sql`repeated_on IS NOT NULL`),
    index("questions_status_idx").on(t.status, t.letterId),
    index("questions_kind_idx").on(t.kind),
    check("questions_kind_check", oneOf("kind", QUESTION_KINDS)),
    check("questions_status_check", oneOf("status", QUESTION_STATUSES)),
    check("questions_number_check", sql`number >= 1`),
  ],
);

export const responses = sqliteTable(
  "responses",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    letterId: integer("letter_id")
      .notNull()
      .references(() => letters.id, { onDelete: "cascade" }),
    /**
     * The day the response counts as received. A month-only date ("a June 2025 reply") is stored
     * as the month's last day (today while that month is still running), so every status rule,
     * figure and index reads one full date; see receivedPrecision and decision 0007.
     */
    receivedOn: text("received_on").notNull(),
    /**
     * 'day' or 'month' (DATE_PRECISIONS): whether the record gives the day or only the month.
     * Validated by the writer, not by a CHECK: adding a CHECK would make drizzle-kit rebuild the
     * responses table (migration 0012 only adds the column).
     */
    receivedPrecision: text("received_precision", { enum: DATE_PRECISIONS }).notNull().default("day"),
    from: text("from").notNull(),
    completeness: text("completeness", { enum: COMPLETENESS }).notNull(),
    summary: text("summary"),
    sourceUrl: text("source_url"),
    notes: text("notes"),
    /** Moves on every edit of the response: an edit form saved against an older one is refused. */
    version: integer("version").notNull().default(1),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [
    index("responses_letter_received_idx").on(t.letterId, t.receivedOn),
    index("responses_received_idx").on(t.receivedOn),
    // The news feed walks the most recently logged responses.
    index("responses_created_at_idx").on(t.createdAt),
    check("responses_completeness_check", oneOf("completeness", COMPLETENESS)),
    check("responses_received_on_check", isDate("received_on")),
  ],
);

export const questionAssessments = sqliteTable(
  "question_assessments",
  {
    id: integer("id").primaryKey(),
    responseId: integer("response_id")
      .notNull()
      .references(() => responses.id, { onDelete: "cascade" }),
    questionId: integer("question_id")
      .notNull()
      .references(() => questions.id, { onDelete: "cascade" }),
    verdict: text("verdict", { enum: VERDICTS }).notNull(),
  },
  (t) => [
    uniqueIndex("question_assessments_response_question_unique").on(t.responseId, t.questionId),
    index("question_assessments_question_idx").on(t.questionId),
    check("question_assessments_verdict_check", oneOf("verdict", VERDICTS)),
  ],
);

export const deadlineChanges = sqliteTable(
  "deadline_changes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    letterId: integer("letter_id")
      .notNull()
      .references(() => letters.id, { onDelete: "cascade" }),
    newDeadline: text("new_deadline").notNull(),
    grantedOn: text("granted_on").notNull(),
    reason: text("reason"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [
    index("deadline_changes_letter_granted_idx").on(t.letterId, t.grantedOn),
    // The calendar as of a past date: letters extended to a deadline in its window.
    index("deadline_changes_new_deadline_idx").on(t.newDeadline),
    check("deadline_changes_new_deadline_check", isDate("new_deadline")),
    check("deadline_changes_granted_on_check", isDate("granted_on")),
  ],
);

export const tags = sqliteTable(
  "tags",
  {
    id: integer("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
  },
  (t) => [uniqueIndex("tags_slug_unique").on(t.slug)],
);

export const letterTags = sqliteTable(
  "letter_tags",
  {
    letterId: integer("letter_id")
      .notNull()
      .references(() => letters.id, { onDelete: "cascade" }),
    tagId: integer("tag_id")
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.letterId, t.tagId] }),
    index("letter_tags_tag_idx").on(t.tagId, t.letterId),
  ],
);

export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey(),
    /** Stored lower-cased; sign-in compares lower-cased. */
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role", { enum: ROLES }).notNull().default("viewer"),
    passwordHash: text("password_hash").notNull(),
    /** Set for generated one-time passwords: the next sign-in must choose a new one. */
    mustChangePassword: integer("must_change_password", { mode: "boolean" }).notNull().default(false),
    disabledAt: integer("disabled_at"),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("users_email_unique").on(t.email),
    check("users_role_check", oneOf("role", ROLES)),
  ],
);

export const sessions = sqliteTable(
  "sessions",
  {
    /** SHA-256 of the session token: the cookie holds the token, the database only its hash. */
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull().default(now),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);

export const loginAttempts = sqliteTable(
  "login_attempts",
  {
    id: integer("id").primaryKey(),
    email: text("email").notNull(),
    ip: text("ip").notNull(),
    attemptedAt: integer("attempted_at").notNull(),
    succeeded: integer("succeeded", { mode: "boolean" }).notNull(),
  },
  (t) => [
    index("login_attempts_email_idx").on(t.email, t.attemptedAt),
    index("login_attempts_ip_idx").on(t.ip, t.attemptedAt),
  ],
);

/** Every create, update and delete, written in the same transaction as the change. */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey(),
    at: integer("at").notNull().default(now),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    /** Copied at the time, so history survives a user's removal. */
    actorEmail: text("actor_email"),
    actorName: text("actor_name"),
    action: text("action", { enum: AUDIT_ACTIONS }).notNull(),
    /** What changed: letter, question, response, deadline_change, user, ... */
    entity: text("entity").notNull(),
    entityId: integer("entity_id"),
    /** The letter the change belongs to; no foreign key so a deleted letter keeps its history. */
    letterId: integer("letter_id"),
    /** The letter's version after this change: "what changed since version v" for a stale form. */
    letterVersion: integer("letter_version"),
    summary: text("summary").notNull(),
    /** JSON of the row before and after (null for create and delete respectively). */
    before: text("before"),
    after: text("after"),
  },
  (t) => [
    index("audit_events_letter_idx").on(t.letterId, t.at),
    index("audit_events_at_idx").on(t.at),
    check("audit_events_action_check", oneOf("action", AUDIT_ACTIONS)),
  ],
);

/**
 * A counter of changes to the tracker's data: letters and everything that describes them (people,
 * agencies, questions, responses, verdicts, extensions, topics). Triggers (migration 0005) bump it
 * on every insert, update and delete of those tables, in the same transaction, from any process.
 * Cached figures (app/models/figure-cache.server.ts) stay valid until it moves, so sign-ins,
 * sessions, user changes and audit rows do not make the next reader recompute the overview.
 */
export const dataRevision = sqliteTable(
  "data_revision",
  {
    id: integer("id").primaryKey(),
    revision: integer("revision").notNull().default(0),
    /** Moved only by writes to what search finds (text, names, dates, documents): search results are kept until it moves. */
    searchRevision: integer("search_revision").notNull().default(0),
    /**
     * Moved by writes that can change letter pages other than the written letter's own: names
     * (people, agencies, committees, topics), a letter's title, address, date or follow-up link, a
     * question that repeats another, documents, letters added or removed (decision 0029).
     */
    letterPagesRevision: integer("letter_pages_revision").notNull().default(0),
  },
  (table) => [check("data_revision_one_row", sql`${table.id} = 1`)],
);

/**
 * How many times each letter's own rows changed (the letter, its senders, recipients, topics,
 * questions, responses, verdicts, extensions, documents and history), counted by triggers
 * (migration 0026): with data_revision.letter_pages_revision and the day, what a letter's page
 * shows, so that a save leaves every other letter's kept page alone (decision 0029). No foreign
 * key: a deleted letter's count stays, and ids are never reused.
 */
export const letterPageRevisions = sqliteTable("letter_page_revisions", {
  letterId: integer("letter_id").primaryKey(),
  revision: integer("revision").notNull().default(0),
});

/**
 * What pages of a past date show (decision 0031): a page as of day D shows letters sent on or
 * before D, so a change to one letter's own rows can only alter pages of dates from the day it was
 * sent. Triggers (migration 0028) mark each change here: a letter's own change under its sent date,
 * a change that can alter any page (names, titles, dates, links, letters added or removed) under
 * `0000-00-00`. Every mark takes a number above every other, so the history revision of day D, the
 * highest number marked on or before D, moves exactly when a change could alter D's pages. One row
 * per day: the table stays as small as the number of distinct sent dates.
 */
export const historyMarks = sqliteTable(
  "history_marks",
  {
    fromDay: text("from_day").primaryKey(),
    revision: integer("revision").notNull(),
  },
  (t) => [index("history_marks_revision_idx").on(t.revision)],
);

/**
 * Settings the stored derived state was computed with (`default_response_days`: the
 * DEFAULT_RESPONSE_DAYS of the implied deadlines in letters.effective_deadline). At start, a
 * setting that differs from the environment's recomputes the stored state (syncStateSettings in
 * app/models/letter-state.server.ts). Writing here does not move data_revision; the recomputed
 * letters do.
 */
export const stateSettings = sqliteTable("state_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/**
 * Background jobs and shared work: a job (or a recomputation) runs in one process at a time, the
 * one holding its lease. A lease expires on its own, so a process that died does not hold it for
 * ever (app/models/leases.server.ts).
 */
export const jobLeases = sqliteTable("job_leases", {
  name: text("name").primaryKey(),
  holder: text("holder").notNull(),
  expiresAt: integer("expires_at").notNull(),
});

/**
 * Whole-tracker figures computed off the request thread, shared by every app process: the newest
 * computation of each key, with the data revision and day it was computed for. A reader whose
 * revision has moved on serves the stored figures (labelled with computed_at) while one process
 * recomputes them (app/models/figure-store.server.ts). Writing here does not move data_revision.
 */
export const figureSnapshots = sqliteTable("figure_snapshots", {
  key: text("key").primaryKey(),
  revision: integer("revision").notNull(),
  day: text("day").notNull(),
  computedAt: integer("computed_at").notNull(),
  payload: text("payload").notNull(),
});

/**
 * Documents kept with letters and responses (a committee's PDF, the agency's reply): stored once
 * per content, by SHA-256, under FILES_PATH/ab/cd/<sha256> (app/models/documents.server.ts). The
 * row says what the bytes are (sniffed from the content, never the name) and the name the first
 * upload had. A document no letter or response refers to any more is removed, rows and file.
 */
export const documents = sqliteTable(
  "documents",
  {
    sha256: text("sha256").primaryKey(),
    mediaType: text("media_type").notNull(),
    byteSize: integer("byte_size").notNull(),
    /** Null until its text has been extracted. */
    pageCount: integer("page_count"),
    originalName: text("original_name").notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [
    check("documents_sha256_check", sql`length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'`),
    check("documents_byte_size_check", sql`byte_size >= 0`),
  ],
);

/** The text of each page of a document, searchable through the FTS5 table document_pages_fts (triggers). */
export const documentPages = sqliteTable(
  "document_pages",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    documentSha256: text("document_sha256")
      .notNull()
      .references(() => documents.sha256, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    text: text("text").notNull(),
    /** "text": the PDF's text layer (or the file's text); "ocr": read from the page's image. */
    source: text("source").notNull().default("text"),
  },
  (t) => [
    uniqueIndex("document_pages_document_number_unique").on(t.documentSha256, t.number),
    check("document_pages_number_check", sql`number >= 1`),
  ],
);

/** A letter's documents, in order; `role` says what the document is ("letter": the letter itself). */
export const letterDocuments = sqliteTable(
  "letter_documents",
  {
    letterId: integer("letter_id")
      .notNull()
      .references(() => letters.id, { onDelete: "cascade" }),
    documentSha256: text("document_sha256")
      .notNull()
      .references(() => documents.sha256, { onDelete: "restrict" }),
    position: integer("position").notNull(),
    role: text("role").notNull().default("letter"),
  },
  (t) => [
    primaryKey({ columns: [t.letterId, t.documentSha256] }),
    index("letter_documents_document_idx").on(t.documentSha256),
  ],
);

/** A response's documents, in order ("reply": the agency's reply). */
export const responseDocuments = sqliteTable(
  "response_documents",
  {
    responseId: integer("response_id")
      .notNull()
      .references(() => responses.id, { onDelete: "cascade" }),
    documentSha256: text("document_sha256")
      .notNull()
      .references(() => documents.sha256, { onDelete: "restrict" }),
    position: integer("position").notNull(),
    role: text("role").notNull().default("reply"),
  },
  (t) => [
    primaryKey({ columns: [t.responseId, t.documentSha256] }),
    index("response_documents_document_idx").on(t.documentSha256),
  ],
);

/**
 * The extraction of an uploaded document's text, run off the request thread by one process at a
 * time: the process that claims a job holds it until `lease_expires_at` and renews it while it
 * works; a job whose holder died (lease expired while running) is claimed again
 * (app/models/document-jobs.server.ts). Progress (stage, page of pages) is for the upload page.
 */
export const documentJobs = sqliteTable(
  "document_jobs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    documentSha256: text("document_sha256")
      .notNull()
      .references(() => documents.sha256, { onDelete: "cascade" }),
    state: text("state", { enum: DOCUMENT_JOB_STATES }).notNull().default("queued"),
    stage: text("stage"),
    page: integer("page").notNull().default(0),
    pages: integer("pages").notNull().default(0),
    /** Why the extraction failed, for the user. */
    error: text("error"),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    holder: text("holder"),
    leaseExpiresAt: integer("lease_expires_at"),
    attempts: integer("attempts").notNull().default(0),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [
    index("document_jobs_state_idx").on(t.state, t.leaseExpiresAt),
    index("document_jobs_document_idx").on(t.documentSha256),
    check("document_jobs_state_check", oneOf("state", DOCUMENT_JOB_STATES)),
  ],
);

/**
 * The derived state of each letter over time (decision 13): one row per interval of dates
 * [valid_from, valid_to) over which the letter's letter_state columns are constant. The state only
 * changes on the dates of the letter's own facts (responses received, extensions granted), so a
 * letter has a few rows; the first starts at 0000-01-01, the last ends at 9999-12-31 and holds the
 * state stored on `letters`. Rewritten by refreshLetterState() with the stored state, in the same
 * transaction. "The state of letter L on date D" is one seek of letter_state_history_at:
 * letter_id = L AND valid_to > D, whose first row starts on or before D.
 */
export const letterStateHistory = sqliteTable(
  "letter_state_history",
  {
    letterId: integer("letter_id")
      .notNull()
      .references(() => letters.id, { onDelete: "cascade" }),
    validFrom: text("valid_from").notNull(),
    validTo: text("valid_to").notNull(),
    ...letterStateColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.letterId, t.validTo] }),
    check("letter_state_history_interval", sql`valid_from < valid_to`),
  ],
);

/** Each question's status over time, as letter_state_history (decision 13). */
export const questionStateHistory = sqliteTable(
  "question_state_history",
  {
    questionId: integer("question_id")
      .notNull()
      .references(() => questions.id, { onDelete: "cascade" }),
    letterId: integer("letter_id").notNull(),
    validFrom: text("valid_from").notNull(),
    validTo: text("valid_to").notNull(),
    status: text("status", { enum: QUESTION_STATUSES }).notNull(),
    statusOn: text("status_on"),
  },
  (t) => [
    primaryKey({ columns: [t.questionId, t.validTo] }),
    check("question_state_history_interval", sql`valid_from < valid_to`),
  ],
);

// ---------------------------------------------------------------------------------------------
// Follows, events and the outbox (decision 0016)

/**
 * Secrets the app makes for itself on first use and keeps in the database, so every process signs
 * alike (e.g. `mail-token`, the HMAC key of follow links, unless MAIL_TOKEN_SECRET is set).
 */
export const appSecrets = sqliteTable("app_secrets", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  createdAt: integer("created_at").notNull().default(now),
});

/**
 * Someone following a letter, an agency, a member, a committee, a topic or a search, by email and
 * without an account. Nothing but the confirmation is sent before `confirmed_at`; an unsubscribed
 * follow keeps its row (and so its address is never confirmed again without a new confirmation).
 * `secret` goes into every token of this follow: a follow removed and made again has new links.
 */
export const follows = sqliteTable(
  "follows",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Lower-cased; shown to nobody but its owner (in the messages sent to it) and admins' outbox. */
    email: text("email").notNull(),
    subjectKind: text("subject_kind", { enum: FOLLOW_SUBJECT_KINDS }).notNull(),
    /** A slug, or for a search its filter address (`/letters?agency=...`). */
    subjectKey: text("subject_key").notNull(),
    /** What the messages call it ("the letter \"...\"", "U.S. Department of State"). */
    subjectLabel: text("subject_label").notNull(),
    cadence: text("cadence", { enum: CADENCES }).notNull().default("immediate"),
    /** The hour (the tracker's time zone: the server's, TZ; 0-23) a daily or weekly digest is written. */
    digestHour: integer("digest_hour").notNull().default(8),
    /** The day of the week (0 Sunday … 6 Saturday) a weekly digest is written; Monday by default (decision 0025). */
    digestWeekday: integer("digest_weekday").notNull().default(1),
    secret: text("secret").notNull(),
    createdAt: integer("created_at").notNull().default(now),
    confirmedAt: integer("confirmed_at"),
    unsubscribedAt: integer("unsubscribed_at"),
    /** When its last digest was written (digests collect what came after). */
    lastDigestAt: integer("last_digest_at"),
  },
  (t) => [
    uniqueIndex("follows_subscription_unique").on(t.email, t.subjectKind, t.subjectKey),
    index("follows_subject_idx").on(t.subjectKind, t.subjectKey),
    check("follows_subject_kind_check", oneOf("subject_kind", FOLLOW_SUBJECT_KINDS)),
    check("follows_cadence_check", oneOf("cadence", CADENCES)),
    check("follows_digest_hour_check", sql`digest_hour BETWEEN 0 AND 23`),
    check("follows_digest_weekday_check", sql`digest_weekday BETWEEN 0 AND 6`),
  ],
);

/**
 * What happened to a letter, written by the letter writer in the same transaction as the change
 * (app/models/letter-writer.server.ts), or by the daily pass for date-driven events. No foreign
 * key: a deleted letter's events stay. `fanned_out` turns 1 when the sender has matched it to its
 * followers (follow_deliveries), in one transaction.
 */
export const letterEvents = sqliteTable(
  "letter_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: LETTER_EVENT_KINDS }).notNull(),
    letterId: integer("letter_id").notNull(),
    letterSlug: text("letter_slug").notNull(),
    letterTitle: text("letter_title").notNull(),
    at: integer("at").notNull().default(now),
    /** JSON: what changed (completeness, questions answered, new deadline, reason, ...). */
    details: text("details").notNull().default("{}"),
    /** For date-driven events: one per letter and date (`overdue:<id>:<deadline>`). */
    dedupeKey: text("dedupe_key"),
    fannedOut: integer("fanned_out", { mode: "boolean" }).notNull().default(false),
    /**
     * What caused it, when many events share one cause (`import:<uuid>` for one import file,
     * `overdue:<day>` for one daily pass); null for a single change. An "as it happens" follower
     * gets one message per cause (decision 0021).
     */
    cause: text("cause"),
    /** Fan-out progress: the follows up to this id have their delivery (bounded batches, decision 0021). */
    fanCursor: integer("fan_cursor").notNull().default(0),
  },
  (t) => [
    uniqueIndex("letter_events_dedupe_unique").on(t.dedupeKey),
    index("letter_events_pending_idx").on(t.fannedOut, t.id),
    index("letter_events_letter_idx").on(t.letterId, t.id),
    check("letter_events_kind_check", oneOf("kind", LETTER_EVENT_KINDS)),
  ],
);

/**
 * Whether every letter's history has been written (decision 13). A database that had letters
 * before letter_state_history existed is backfilled at start, in batches, on the write thread
 * (backfillStateHistory); until `complete`, past dates are computed from the facts as before.
 * One row. Writing here does not move data_revision.
 */
export const stateHistoryProgress = sqliteTable(
  "state_history_progress",
  {
    id: integer("id").primaryKey(),
    /** Letters with an id up to this one have been backfilled. */
    backfilledThrough: integer("backfilled_through").notNull().default(0),
    complete: integer("complete").notNull().default(0),
  },
  (table) => [check("state_history_progress_one_row", sql`${table.id} = 1`)],
);

/**
 * A message to send: written whole (subject, both parts, headers, Message-ID) before the first
 * try, so a crash between sending and recording sends the same message again, never another.
 * `dedupe_key` makes one message per (follow, event), (follow, digest period) or confirmation.
 */
export const outbox = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: MESSAGE_KINDS }).notNull(),
    followId: integer("follow_id").references(() => follows.id, { onDelete: "set null" }),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body").notNull(),
    /** JSON of extra headers (List-Unsubscribe, List-Unsubscribe-Post, ...). */
    headers: text("headers").notNull().default("{}"),
    messageId: text("message_id").notNull(),
    dedupeKey: text("dedupe_key").notNull(),
    state: text("state", { enum: OUTBOX_STATES }).notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull().default(now),
    /** Why the last try failed (the server's answer), or why the sender gave up. */
    lastError: text("last_error"),
    /** The server's answer to the send that worked, or the .eml file written. */
    lastResponse: text("last_response"),
    sentAt: integer("sent_at"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("outbox_message_id_unique").on(t.messageId),
    uniqueIndex("outbox_dedupe_unique").on(t.dedupeKey),
    index("outbox_due_idx").on(t.state, t.nextAttemptAt),
    index("outbox_created_idx").on(t.createdAt),
    check("outbox_kind_check", oneOf("kind", MESSAGE_KINDS)),
    check("outbox_state_check", oneOf("state", OUTBOX_STATES)),
  ],
);

/** Which follower an event reaches, and (once written) in which message. */
export const followDeliveries = sqliteTable(
  "follow_deliveries",
  {
    followId: integer("follow_id")
      .notNull()
      .references(() => follows.id, { onDelete: "cascade" }),
    eventId: integer("event_id")
      .notNull()
      .references(() => letterEvents.id, { onDelete: "cascade" }),
    outboxId: integer("outbox_id").references(() => outbox.id, { onDelete: "set null" }),
  },
  (t) => [
    primaryKey({ columns: [t.followId, t.eventId] }),
    index("follow_deliveries_waiting_idx").on(t.followId, t.outboxId),
    // Only the deliveries still waiting for their message: the alert step finds its next followers here.
    index("follow_deliveries_unsent_idx").on(t.followId).where(sql`outbox_id IS NULL`),
  ],
);

/** Confirmation requests, counted per address and per client (app/domain/throttle.ts). */
export const followRequests = sqliteTable(
  "follow_requests",
  {
    id: integer("id").primaryKey(),
    email: text("email").notNull(),
    client: text("client").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("follow_requests_email_idx").on(t.email, t.at), index("follow_requests_client_idx").on(t.client, t.at)],
);

/**
 * A staffer's deadline reminders (decision 0020): which letters (those they logged, their
 * committee's, all), how many days before the deadline (`days_before`, a JSON array such as
 * [7,1]), whether on the morning a letter becomes overdue, and from which hour (server time).
 * No row: no reminders. `stopped_at` is set by the one-click unsubscribe in every reminder;
 * `secret` goes into its signed links. Each reminder is an outbox row whose dedupe_key
 * (`reminder:<user>:<letter>:<deadline>:<days before | overdue>`) makes it once only.
 */
export const staffReminderSettings = sqliteTable(
  "staff_reminder_settings",
  {
    userId: integer("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    scope: text("scope", { enum: REMINDER_SCOPES }).notNull().default("logged"),
    committeeId: integer("committee_id").references(() => committees.id, { onDelete: "set null" }),
    daysBefore: text("days_before").notNull().default("[7,1]"),
    onOverdue: integer("on_overdue", { mode: "boolean" }).notNull().default(true),
    hour: integer("hour").notNull().default(8),
    secret: text("secret").notNull(),
    stoppedAt: integer("stopped_at"),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [
    check("staff_reminder_settings_scope_check", oneOf("scope", REMINDER_SCOPES)),
    check("staff_reminder_settings_hour_check", sql`hour BETWEEN 0 AND 23`),
    check("staff_reminder_settings_days_check", sql`json_valid(days_before) AND json_type(days_before) = 'array'`),
  ],
);
