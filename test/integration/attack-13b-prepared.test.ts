/**
 * Attack on the letter page's reads prepared once per connection (decision 0030): the repeat links
 * (statementReader, by SQL text) and the history (a named prepared query) must read what was written
 * after they were prepared, inside a transaction too, and keep to the history's limit per call.
 */
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { auditEvents, questions } from "../../db/schema";
import { getLetterDetail } from "~/models/letters.server";
import { letterHistory } from "~/models/audit.server";
import { statementReader } from "~/models/prepared.server";
import { createLetter } from "../factories";
import { freshDatabase } from "../support/database";

let db: Db;
const ASOF = "2026-01-01";

type Question = { id: number; repeats: { letterSlug: string } | null; repeatedBy: { letterSlug: string } | null };
const questionsOf = (slug: string, asOf = ASOF) => (getLetterDetail({ slug, asOf }) as unknown as { questions: Question[] }).questions;

describe("the letter page's prepared reads", () => {
  let first: { id: number; slug: string };
  let second: { id: number; slug: string };
  beforeAll(() => {
    db = freshDatabase();
    first = createLetter(db, { sent_on: "2025-01-10" });
    second = createLetter(db, { sent_on: "2025-03-10" });
  });

  it("see a repeat link written after the statement was prepared, on both letters, and its removal", () => {
    expect(questionsOf(first.slug).every((q) => q.repeatedBy === null)).toBe(true);
    expect(questionsOf(second.slug).every((q) => q.repeats === null)).toBe(true);
    const [target] = db.select({ id: questions.id }).from(questions).where(eq(questions.letterId, first.id)).orderBy(questions.number).all();
    const [repeat] = db.select({ id: questions.id }).from(questions).where(eq(questions.letterId, second.id)).orderBy(questions.number).all();
    db.update(questions).set({ repeatsQuestionId: target!.id }).where(eq(questions.id, repeat!.id)).run();
    expect(questionsOf(first.slug)[0]!.repeatedBy?.letterSlug).toBe(second.slug);
    expect(questionsOf(second.slug)[0]!.repeats?.letterSlug).toBe(first.slug);
    // Before the repeat was sent, it is not yet asked again (asOf is a bound value of the same text).
    expect(questionsOf(first.slug, "2025-02-01")[0]!.repeatedBy).toBeNull();
    expect(questionsOf(first.slug)[0]!.repeatedBy?.letterSlug).toBe(second.slug);
    db.update(questions).set({ repeatsQuestionId: null }).where(eq(questions.id, repeat!.id)).run();
    expect(questionsOf(first.slug)[0]!.repeatedBy).toBeNull();
  });

  it("inside a transaction, read the transaction's own uncommitted writes and then the rollback", () => {
    const [target] = db.select({ id: questions.id }).from(questions).where(eq(questions.letterId, first.id)).orderBy(questions.number).all();
    const [repeat] = db.select({ id: questions.id }).from(questions).where(eq(questions.letterId, second.id)).orderBy(questions.number).all();
    expect(() =>
      db.transaction((tx) => {
        tx.update(questions).set({ repeatsQuestionId: target!.id }).where(eq(questions.id, repeat!.id)).run();
        const rows = statementReader(tx)<{ n: number }>(sql`SELECT repeats_question_id AS n FROM questions WHERE id = ${repeat!.id}`);
        expect(rows[0]!.n).toBe(target!.id);
        expect(questionsOf(first.slug)[0]!.repeatedBy?.letterSlug).toBe(second.slug);
        throw new Error("roll back");
      }),
    ).toThrow("roll back");
    expect(questionsOf(first.slug)[0]!.repeatedBy).toBeNull();
  });

  it("keeps the history's limit per call and reads events added later", () => {
    const before = letterHistory({ letterId: first.id }).length;
    for (let i = 0; i < 5; i++) db.insert(auditEvents).values({ action: "update", entity: "letter", entityId: first.id, letterId: first.id, summary: `edit ${i}`, at: Date.now() + 1_000_000 + i }).run();
    expect(letterHistory({ letterId: first.id })).toHaveLength(before + 5);
    expect(letterHistory({ letterId: first.id, limit: 2 }).map((e) => e.summary)).toEqual(["edit 4", "edit 3"]);
    expect(letterHistory({ letterId: first.id })).toHaveLength(before + 5);
    expect(letterHistory({ letterId: second.id }).every((e) => !e.summary.startsWith("edit"))).toBe(true);
  });
});
