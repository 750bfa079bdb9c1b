/**
 * Builders of letters in the exchange format, shared by tests and (later) the synthetic seed.
 * Each call gives a fresh, valid letter; pass overrides for what a test is about.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.server";
import { writeSyntheticData } from "../db/synthetic.server";
import { letters, questionAssessments, questions, responses } from "../db/schema";
import { letterRecordSchema, type LetterRecord, type LetterRecordInput } from "~/domain/letter-record";
import type { Verdict } from "~/domain/vocabulary";
import { SYSTEM_ACTOR } from "~/models/audit.server";
import { createLetterRecords } from "~/models/letter-records.server";
import { writeClosing, writeExtension, writeResponse } from "~/models/letter-writer.server";

let sequence = 0;

export function buildLetterRecord(overrides: Partial<LetterRecordInput> = {}): LetterRecord {
  sequence += 1;
  const input: LetterRecordInput = {
    id: `test-letter-${sequence}`,
    title: `Test letter ${sequence}`,
    sent_on: "2025-01-10",
    chamber: "House",
    committee: "House Committee on Oversight and Accountability",
    senders: [{ name: "Jamie Raskin", party: "D", state: "MD", role: "Ranking Member, House Judiciary" }],
    recipients: [{ name: "Marco Rubio", title: "Secretary of State", agency: "U.S. Department of State" }],
    deadline: null,
    topic_tags: ["test"],
    questions: [
      { n: 1, text: "First question?", kind: "question" },
      { n: 2, text: "Second question?", kind: "document_request" },
    ],
    follows_up: null,
    responses: [],
    source: null,
    notes: null,
    ...overrides,
  };
  return letterRecordSchema.parse(input);
}

/** Saves a letter built from `overrides` and returns its database id. */
export function createLetter(db: Db, overrides: Partial<LetterRecordInput> = {}): { id: number; slug: string } {
  const record = buildLetterRecord(overrides);
  db.transaction((tx) => createLetterRecords({ tx, records: [record], actor: SYSTEM_ACTOR, summary: () => "Made by a test factory" }), { behavior: "immediate" });
  const row = db.select({ id: letters.id }).from(letters).where(eq(letters.slug, record.id)).get();
  if (!row) throw new Error(`factory: letter ${record.id} was not saved`);
  return { id: row.id, slug: record.id };
}

// The factories below write through the one letter writer, as the app does.

export function addResponse(
  db: Db,
  letterId: number,
  response: { receivedOn: string; completeness: "full" | "partial" | "refusal" | "acknowledgment"; from?: string },
): number {
  return db.transaction(
    (tx) =>
      writeResponse({
        tx,
        letterId,
        actor: SYSTEM_ACTOR,
        input: { from: response.from ?? "Agency", receivedOn: response.receivedOn, completeness: response.completeness, summary: null, sourceUrl: null, notes: null },
      }).id,
    { behavior: "immediate" },
  );
}

export function addAssessment(
  db: Db,
  letterId: number,
  assessment: { responseId: number; questionNumber: number; verdict: Verdict },
): void {
  db.transaction(
    (tx) => {
      const question = tx.select({ id: questions.id }).from(questions).where(eq(questions.letterId, letterId)).orderBy(questions.number).all().at(assessment.questionNumber - 1);
      if (!question) throw new Error(`factory: letter ${letterId} has no question ${assessment.questionNumber}`);
      const response = tx.select().from(responses).where(eq(responses.id, assessment.responseId)).get();
      if (!response) throw new Error(`factory: no response ${assessment.responseId}`);
      const verdicts = tx
        .select({ questionId: questionAssessments.questionId, verdict: questionAssessments.verdict })
        .from(questionAssessments)
        .where(eq(questionAssessments.responseId, assessment.responseId))
        .all();
      writeResponse({
        tx,
        letterId,
        responseId: assessment.responseId,
        actor: SYSTEM_ACTOR,
        input: { ...response, verdicts: [...verdicts, { questionId: question.id, verdict: assessment.verdict }] },
      });
    },
    { behavior: "immediate" },
  );
}

export function addExtension(db: Db, letterId: number, change: { newDeadline: string; grantedOn: string }): void {
  db.transaction((tx) => writeExtension({ tx, letterId, values: { ...change, reason: null }, actor: SYSTEM_ACTOR }), { behavior: "immediate" });
}

export function closeLetter(db: Db, letterId: number, closedOn: string, closedReason = "Closed in test"): void {
  db.transaction((tx) => writeClosing({ tx, letterId, closing: { closedOn, reason: closedReason }, actor: SYSTEM_ACTOR }), { behavior: "immediate" });
}

/**
 * Fills a migrated, empty database with `letters` synthetic letters (app/domain/synthetic.ts), the
 * same generator and writer as `npm run seed:synthetic`.
 */
export function seedSyntheticLetters(db: Db, { letters: count, seed = 1, endDate = "2026-06-30" }: { letters: number; seed?: number; endDate?: string }) {
  return writeSyntheticData({ db, options: { letters: count, seed, endDate } });
}
