/**
 * The vocabulary (app/domain/vocabulary.ts): every value has a label, and the lists agree with each
 * other and with the CHECK constraints of a database built by the real migrations.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "../../db/client.server";
import * as schema from "../../db/schema";
import {
  ANSWER_STATUSES,
  AUDIT_ACTION_TERMS,
  DOCUMENT_JOB_STATE_TERMS,
  CADENCE_TERMS,
  FOLLOW_SUBJECT_TERMS,
  LETTER_EVENT_TERMS,
  MESSAGE_KIND_TERMS,
  OUTBOX_STATE_TERMS,
  CHAMBER_TERMS,
  COMPLETENESS_TERMS,
  LETTER_STATUS_TERMS,
  listOfValues,
  MEMBER_CHAMBER_TERMS,
  OPEN_LETTER_STATUSES,
  PARTY_TERMS,
  QUESTION_KIND_TERMS,
  QUESTION_STATUS_TERMS,
  QUESTION_STATUSES_IN_CHECK_ORDER,
  ROLE_TERMS,
  VERDICT_TERMS,
  AGENCY_SOURCE_TERMS,
  COMMITTEE_SIDE_TERMS,
  TERM_TYPE_TERMS,
  type Vocabulary,
  REMINDER_SCOPE_TERMS,
} from "~/domain/vocabulary";
import { freshDatabase } from "../support/database";

const VOCABULARIES: Record<string, Vocabulary<string>> = {
  "letter status": LETTER_STATUS_TERMS,
  chamber: CHAMBER_TERMS,
  "member chamber": MEMBER_CHAMBER_TERMS,
  party: PARTY_TERMS,
  "question kind": QUESTION_KIND_TERMS,
  "question status": QUESTION_STATUS_TERMS,
  completeness: COMPLETENESS_TERMS,
  verdict: VERDICT_TERMS,
  role: ROLE_TERMS,
  "audit action": AUDIT_ACTION_TERMS,
  "term type": TERM_TYPE_TERMS,
  "committee side": COMMITTEE_SIDE_TERMS,
  "agency source": AGENCY_SOURCE_TERMS,
};

describe("every vocabulary", () => {
  it.each(Object.entries(VOCABULARIES))("%s: each value has a label of its own, and labels, options and has() agree", (_name, vocabulary) => {
    expect(vocabulary.values.length).toBeGreaterThan(0);
    expect(new Set(vocabulary.values).size).toBe(vocabulary.values.length);
    for (const value of vocabulary.values) {
      expect(vocabulary.terms[value]!.label.trim(), value).not.toBe("");
      expect(vocabulary.labels[value]).toBe(vocabulary.terms[value]!.label);
      expect(vocabulary.labelOf(value)).toBe(vocabulary.terms[value]!.label);
      expect(vocabulary.has(value)).toBe(true);
    }
    expect(Object.keys(vocabulary.labels)).toEqual([...vocabulary.values]);
    expect(vocabulary.options).toEqual(vocabulary.values.map((value) => [value, vocabulary.terms[value]!.label]));
    // Two values with one label could not be told apart on a page.
    expect(new Set(Object.values(vocabulary.labels)).size).toBe(vocabulary.values.length);
    expect(vocabulary.has("no-such-value")).toBe(false);
    expect(vocabulary.labelOf("no-such-value")).toBe("no-such-value");
  });
});

describe("the lists agree with each other", () => {
  it("the answer statuses are the letter statuses responses decide, and a question's statuses besides open", () => {
    for (const status of ANSWER_STATUSES) expect(LETTER_STATUS_TERMS.has(status)).toBe(true);
    // Open letters are the ones no response has answered and no one closed.
    expect([...OPEN_LETTER_STATUSES, ...ANSWER_STATUSES, "closed"].sort()).toEqual([...LETTER_STATUS_TERMS.values].sort());
    expect([...QUESTION_STATUS_TERMS.values].filter((status) => status !== "open").sort()).toEqual([...ANSWER_STATUSES].sort());
  });

  it("every verdict but not_addressed is a question status; member chambers are chambers", () => {
    expect(VERDICT_TERMS.values.filter((verdict) => verdict !== "not_addressed").sort()).toEqual([...ANSWER_STATUSES].sort());
    for (const chamber of MEMBER_CHAMBER_TERMS.values) {
      expect(CHAMBER_TERMS.terms[chamber]).toEqual(MEMBER_CHAMBER_TERMS.terms[chamber]);
    }
  });

  it("the question statuses in CHECK order are the same values", () => {
    expect([...QUESTION_STATUSES_IN_CHECK_ORDER].sort()).toEqual([...QUESTION_STATUS_TERMS.values].sort());
  });

  it("db/schema.ts re-exports the vocabulary's values", () => {
    expect(schema.CHAMBERS).toBe(CHAMBER_TERMS.values);
    expect(schema.MEMBER_CHAMBERS).toBe(MEMBER_CHAMBER_TERMS.values);
    expect(schema.PARTIES).toBe(PARTY_TERMS.values);
    expect(schema.QUESTION_KINDS).toBe(QUESTION_KIND_TERMS.values);
    expect(schema.QUESTION_STATUSES).toBe(QUESTION_STATUSES_IN_CHECK_ORDER);
    expect(schema.COMPLETENESS).toBe(COMPLETENESS_TERMS.values);
    expect(schema.VERDICTS).toBe(VERDICT_TERMS.values);
    expect(schema.ANSWER_STATUSES).toBe(ANSWER_STATUSES);
    expect(schema.ROLES).toBe(ROLE_TERMS.values);
    expect(schema.AUDIT_ACTIONS).toBe(AUDIT_ACTION_TERMS.values);
    expect(schema.AGENCY_SOURCES).toBe(AGENCY_SOURCE_TERMS.values);
  });

  it("listOfValues reads as a sentence", () => {
    expect(listOfValues(["House", "Senate", "Joint"])).toBe("House, Senate or Joint");
    expect(listOfValues(["a", "b"], "and")).toBe("a and b");
    expect(listOfValues(["a"])).toBe("a");
  });
});

describe("the migrated database's CHECK constraints", () => {
  /** `constraint name → values`, from every `CONSTRAINT "name" CHECK(column IN ('a', 'b'))` of the applied schema. */
  let checks: Map<string, string[]>;

  beforeAll(() => {
    const db = freshDatabase();
    const tables = db.$client.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL").all() as Array<{ sql: string }>;
    checks = new Map();
    for (const { sql } of tables) {
      for (const match of sql.matchAll(/CONSTRAINT "(\w+)" CHECK\(\w+ IN \(([^)]*)\)\)/g)) {
        checks.set(match[1]!, [...match[2]!.matchAll(/'([^']*)'/g)].map((value) => value[1]!));
      }
    }
  });
  afterAll(() => closeDb());

  it.each([
    ["committees_chamber_check", CHAMBER_TERMS.values],
    ["letters_chamber_check", CHAMBER_TERMS.values],
    ["members_chamber_check", MEMBER_CHAMBER_TERMS.values],
    ["members_party_check", PARTY_TERMS.values],
    ["questions_kind_check", QUESTION_KIND_TERMS.values],
    ["questions_status_check", QUESTION_STATUSES_IN_CHECK_ORDER],
    ["responses_completeness_check", COMPLETENESS_TERMS.values],
    ["question_assessments_verdict_check", VERDICT_TERMS.values],
    ["users_role_check", ROLE_TERMS.values],
    ["audit_events_action_check", AUDIT_ACTION_TERMS.values],
    ["member_terms_type_check", TERM_TYPE_TERMS.values],
    ["committee_roles_side_check", COMMITTEE_SIDE_TERMS.values],
    ["document_jobs_state_check", DOCUMENT_JOB_STATE_TERMS.values],
    ["follows_subject_kind_check", FOLLOW_SUBJECT_TERMS.values],
    ["follows_cadence_check", CADENCE_TERMS.values],
    ["letter_events_kind_check", LETTER_EVENT_TERMS.values],
    ["outbox_kind_check", MESSAGE_KIND_TERMS.values],
    ["outbox_state_check", OUTBOX_STATE_TERMS.values],
    ["staff_reminder_settings_scope_check", REMINDER_SCOPE_TERMS.values],
  ] as const)("%s allows exactly the vocabulary's values, in its order", (constraint, values) => {
    expect(checks.get(constraint)).toEqual([...values]);
  });

  it("every value list the database checks is one of the vocabulary's", () => {
    expect([...checks.keys()].sort()).toEqual(
      [
        "audit_events_action_check",
        "committee_roles_side_check",
        "committees_chamber_check",
        "document_jobs_state_check",
        "follows_cadence_check",
        "follows_subject_kind_check",
        "letter_events_kind_check",
        "outbox_kind_check",
        "outbox_state_check",
        "letters_chamber_check",
        "members_chamber_check",
        "member_terms_type_check",
        "members_party_check",
        "question_assessments_verdict_check",
        "questions_kind_check",
        "questions_status_check",
        "responses_completeness_check",
        "staff_reminder_settings_scope_check",
        "users_role_check",
      ].sort(),
    );
  });
});
