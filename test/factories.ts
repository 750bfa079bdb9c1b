/**
 * Builders of letters in the exchange format, shared by tests and (later) the synthetic seed.
 * Each call gives a fresh, valid letter; pass overrides for what a test is about.
 */
import { eq } from "drizzle-orm";
import type { DbOrTx, Db } from "../db/client.server";
import { writeSyntheticData } from "../db/synthetic.server";
import { deadlineChanges, letters, questionAssessments, questions, responses } from "../db/schema";
import { letterRecordSchema, type LetterRecord, type LetterRecordInput } from "~/domain/letter-record";
import type { Verdict } from "~/domain/vocabulary";
import { saveLetterRecords } from "~/models/letter-import.server";
import { refreshLetterState } from "~/models/letter-state.server";

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
  db.transaction((tx) => saveLetterRecords({ tx, records: [record] }), { behavior: "immediate" });
  const row = db.select({ id: letters.id }).from(letters).where(eq(letters.slug, record.id)).get();
  if (!row) throw new Error(`factory: letter ${record.id} was not saved`);
  return { id: row.id, slug: record.id };
}

function refreshed<T>(tx: DbOrTx, letterId: number, result: T): T {
  refreshLetterState({ tx, letterIds: [letterId] });
  return result;
}

export function addResponse(
  db: Db,
  letterId: number,
  response: { receivedOn: string; completeness: "full" | "partial" | "refusal" | "acknowledgment"; from?: string },
): number {
  return db.transaction((tx) => {
    const id = tx
      .insert(responses)
      .values({ letterId, from: response.from ?? "Agency", ...response })
      .returning({ id: responses.id })
      .get().id;
    return refreshed(tx, letterId, id);
  });
}

export function addAssessment(
  db: Db,
  letterId: number,
  assessment: { responseId: number; questionNumber: number; verdict: Verdict },
): void {
  db.transaction((tx) => {
    const question = tx
      .select({ id: questions.id })
      .from(questions)
      .where(eq(questions.letterId, letterId))
      .all()
      .at(assessment.questionNumber - 1);
    if (!question) throw new Error(`factory: letter ${letterId} has no question ${assessment.questionNumber}`);
    tx.insert(questionAssessments)
      .values({ responseId: assessment.responseId, questionId: question.id, verdict: assessment.verdict })
      .run();
    refreshed(tx, letterId, undefined);
  });
}

export function addExtension(db: Db, letterId: number, change: { newDeadline: string; grantedOn: string }): void {
  db.transaction((tx) => {
    tx.insert(deadlineChanges).values({ letterId, ...change }).run();
    refreshed(tx, letterId, undefined);
  });
}

export function closeLetter(db: Db, letterId: number, closedOn: string, closedReason = "Closed in test"): void {
  db.update(letters).set({ closedOn, closedReason }).where(eq(letters.id, letterId)).run();
}

/**
 * Fills a migrated, empty database with `letters` synthetic letters (app/domain/synthetic.ts), the
 * same generator and writer as `npm run seed:synthetic`.
 */
export function seedSyntheticLetters(db: Db, { letters: count, seed = 1, endDate = "2026-06-30" }: { letters: number; seed?: number; endDate?: string }) {
  return writeSyntheticData({ db, options: { letters: count, seed, endDate } });
}
