/**
 * The import format's `repeats` (decision 0023): a JSON file's follow-up names the question it asks
 * again by letter and number; importing it links them and counts the chain once; importing it again
 * changes nothing; a CSV of the same letters keeps the link; a repeat from another chain is refused,
 * nothing written, with the field named.
 */
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { letters, questions } from "../../db/schema";
import { buildLetterRecord } from "../factories";
import { freshDatabase } from "../support/database";
import { staleRepeatGuards } from "../support/derived-columns";
import { importLetterFile } from "~/models/letter-file-import.server";
import type { Actor } from "~/models/audit.server";

const EDITOR: Actor = { id: null, email: null, name: "import test" };
let db: Db;

// Every write in these tests keeps each letter's repeat guard (letters.questions_repeated_from) current.
afterEach(() => {
  if (db) expect(staleRepeatGuards(db)).toEqual([]);
});

const original = buildLetterRecord({ id: "repeats-original", sent_on: "2025-01-10" });
const followUp = buildLetterRecord({
  id: "repeats-follow-up",
  sent_on: "2025-03-01",
  follows_up: original.id,
  questions: [
    { n: 1, text: "First question, again?", kind: "question", repeats: { letter: original.id, n: 2 } },
    { n: 2, text: "Something new?", kind: "question" },
  ],
});
const stranger = buildLetterRecord({
  id: "repeats-stranger",
  sent_on: "2025-04-01",
  questions: [{ n: 1, text: "Not in the chain?", kind: "question", repeats: { letter: original.id, n: 1 } }],
});

const importJson = (records: unknown[]) =>
  importLetterFile({ content: Buffer.from(JSON.stringify({ letters: records })), fileName: "letters.json", dryRun: false, actor: EDITOR });

const repeatsOf = (slug: string) =>
  db
    .select({ number: questions.number, repeats: questions.repeatsQuestionId, repeatedOn: questions.repeatedOn })
    .from(questions)
    .innerJoin(letters, eq(letters.id, questions.letterId))
    .where(eq(letters.slug, slug))
    .orderBy(questions.number)
    .all();

beforeAll(() => {
  db = freshDatabase();
});

describe("importing repeated questions", () => {
  it("links the follow-up's question to the one it repeats", async () => {
    const report = await importJson([original, followUp]);
    expect(report.problems).toEqual([]);
    expect(report.created).toEqual([original.id, followUp.id]);
    const [, second] = repeatsOf(original.id);
    expect(repeatsOf(followUp.id)[0]!.repeats).toBe(db.select({ id: questions.id }).from(questions).where(eq(questions.text, "Second question?")).get()!.id);
    expect(second!.repeatedOn).toBe("2025-03-01");
  });

  it("changes nothing when the same file is imported again", async () => {
    const report = await importJson([original, followUp]);
    expect(report.ok).toBe(true);
    expect(report.updated).toEqual([]);
    expect(report.unchanged).toEqual([original.id, followUp.id]);
  });

  it("keeps the link when the file leaves `repeats` out, and clears it with null", async () => {
    const without = { ...followUp, questions: followUp.questions.map(({ repeats: _repeats, ...question }) => question) };
    expect((await importJson([without])).ok).toBe(true);
    expect(repeatsOf(followUp.id)[0]!.repeats).not.toBeNull();
    const cleared = { ...followUp, questions: followUp.questions.map((question) => ({ ...question, repeats: null })) };
    const report = await importJson([cleared]);
    expect(report.ok).toBe(true);
    expect(report.updated.map((each) => each.letterId)).toEqual([followUp.id]);
    expect(repeatsOf(followUp.id)[0]!.repeats).toBeNull();
    expect(repeatsOf(original.id)[1]!.repeatedOn).toBeNull();
  });

  it("refuses a repeat of a question outside the letter's chain, naming the field, and writes nothing", async () => {
    const report = await importJson([stranger]);
    expect(report.ok).toBe(false);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]!.column).toBe("questions[0].repeats");
    expect(report.problems[0]!.reason).toMatch(/Repeats: question 1 of "repeats-original" is not on a letter this one follows up/);
    expect(db.select().from(letters).where(eq(letters.slug, stranger.id)).get()).toBeUndefined();
  });

  it("refuses a repeat of a question the named letter does not have", async () => {
    const bad = { ...followUp, questions: [{ n: 1, text: "Again?", kind: "question", repeats: { letter: original.id, n: 9 } }] };
    const report = await importJson([bad]);
    expect(report.ok).toBe(false);
    expect(report.problems[0]!.reason).toMatch(/Repeats: the letter "repeats-original" has no question 9/);
  });
});

describe("a follow-up that no longer follows up", () => {
  it("imported again without its follows_up and repeats: the earlier letter's question counts as open again", async () => {
    const first = buildLetterRecord({ id: "unlinked-original", sent_on: "2025-01-10", questions: [{ n: 1, text: "Asked first?", kind: "question" }] });
    const second = buildLetterRecord({
      id: "unlinked-follow-up",
      sent_on: "2025-03-01",
      follows_up: first.id,
      questions: [{ n: 1, text: "Asked again?", kind: "question", repeats: { letter: first.id, n: 1 } }],
    });
    expect((await importJson([first, second])).problems).toEqual([]);
    expect(repeatsOf(first.id)[0]!.repeatedOn).toBe("2025-03-01");
    const unlinked = { ...second, follows_up: null, questions: [{ n: 1, text: "Asked again?", kind: "question", repeats: null }] };
    const report = await importJson([unlinked]);
    expect(report.problems).toEqual([]);
    expect(report.updated).toHaveLength(1);
    expect(repeatsOf(second.id)[0]!.repeats).toBeNull();
    // Nothing asks it again any more: not left out of the open counts.
    expect(repeatsOf(first.id)[0]!.repeatedOn).toBeNull();
    expect(repeatsOf(second.id)[0]!.repeats).toBeNull();
  });
});
