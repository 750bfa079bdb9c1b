/**
 * A staffer removes a repeat link from the letter edit form ("Not a repeat", decision 0023
 * addendum): through the one writer, the question kept, the link and the earlier question's
 * "asked again" date gone, the counts moved back, and the change in the letter's history.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { questions } from "../../db/schema";
import { today } from "~/domain/dates";
import { letterFormSchema } from "~/domain/forms";
import { letterInputFromForm } from "~/domain/letter-input";
import { letterHistory, SYSTEM_ACTOR } from "~/models/audit.server";
import { questionCounts } from "~/models/dashboard.server";
import { letterFormValues } from "~/models/letter-forms.server";
import { getLetterDetail } from "~/models/letters.server";
import { deleteLetter, saveLetter } from "~/models/letter-writer.server";
import { createLetter } from "../factories";
import { freshDatabase } from "../support/database";

let db: Db;
let first: { id: number; slug: string };
let followUp: { id: number; slug: string };

const stored = (letterId: number) =>
  db
    .select({ id: questions.id, number: questions.number, text: questions.text, repeats: questions.repeatsQuestionId, repeatedOn: questions.repeatedOn, firstAskedOn: questions.firstAskedOn })
    .from(questions)
    .where(eq(questions.letterId, letterId))
    .orderBy(questions.number)
    .all();

/** Form values as a form posts them: no nulls. */
const posted = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null));

/** The edit form of `slug` as posted, with question `index`'s "Not a repeat" box as given. */
function editForm(slug: string, index: number, notRepeat: string | undefined) {
  const form = letterFormValues({ slug })!;
  const values = posted(form.values);
  const questionsPosted = (form.values.questions as Array<Record<string, unknown>>).map((question, i) =>
    i === index && notRepeat !== undefined ? { ...question, notRepeat } : question,
  );
  return { input: letterInputFromForm(letterFormSchema.parse({ ...values, questions: questionsPosted })), version: form.version };
}

beforeAll(() => {
  db = freshDatabase();
  first = createLetter(db, { sent_on: "2025-01-10" });
  followUp = createLetter(db, {
    sent_on: "2025-03-01",
    follows_up: first.slug,
    questions: [
      { n: 1, text: "First question, again?", kind: "question", repeats: { letter: first.slug, n: 1 } },
      { n: 2, text: "A new question?", kind: "question" },
    ],
  });
});

describe("Not a repeat, on the letter edit form", () => {
  it("leaves the link alone when unchecked", () => {
    const { input, version } = editForm(followUp.slug, 0, undefined);
    const before = letterHistory({ letterId: followUp.id }).length;
    const saved = saveLetter({ slug: followUp.slug, input, actor: SYSTEM_ACTOR, expectedVersion: version });
    expect(saved.ok).toBe(true);
    expect(stored(followUp.id)[0]!.repeats).toBe(stored(first.id)[0]!.id);
    // Nothing changed: no history entry.
    expect(letterHistory({ letterId: followUp.id })).toHaveLength(before);
    expect(questionCounts({ asOf: today() })).toMatchObject({ open: 3, askedAgain: 1, total: 4 });
  });

  it("removes the link when checked, keeping the question, and writes the change to the history", () => {
    const { input, version } = editForm(followUp.slug, 0, "on");
    expect(input.questions[0]!.repeats).toBeNull();
    const saved = saveLetter({ slug: followUp.slug, input, actor: SYSTEM_ACTOR, expectedVersion: version });
    expect(saved.ok).toBe(true);
    expect(stored(followUp.id)[0]).toMatchObject({ text: "First question, again?", repeats: null, firstAskedOn: null });
    expect(stored(first.id)[0]).toMatchObject({ repeatedOn: null });
    // The earlier question is open on its own letter again; the two are two questions now.
    expect(getLetterDetail({ slug: first.slug, asOf: today() })!.questionCounts).toMatchObject({ open: 2, askedAgain: 0 });
    expect(questionCounts({ asOf: today() })).toMatchObject({ open: 4, askedAgain: 0, total: 4 });
    const [latest] = letterHistory({ letterId: followUp.id });
    expect(latest).toMatchObject({ action: "update", actorName: SYSTEM_ACTOR.name });
    expect(latest!.summary).toBe("Edited: questions");
    expect(JSON.stringify(latest!.before)).toContain(`(repeats ${first.slug} question 1)`);
    expect(JSON.stringify(latest!.after)).not.toContain("(repeats ");
    // The form no longer offers the link.
    expect(letterFormValues({ slug: followUp.slug })!.values.questions[0]).not.toHaveProperty("repeats");
  });
});

describe("a follow-up's history when the question it repeats changes with its own letter", () => {
  let original: { id: number; slug: string };
  let repeat: { id: number; slug: string };
  const latest = (letterId: number) => letterHistory({ letterId })[0]!;
  const versionOf = (slug: string) => letterFormValues({ slug })!.version;

  beforeAll(() => {
    original = createLetter(db, {
      sent_on: "2025-02-01",
      questions: [
        { n: 1, text: "Kept question?", kind: "question" },
        { n: 2, text: "Question to remove?", kind: "question" },
      ],
    });
    repeat = createLetter(db, {
      sent_on: "2025-04-01",
      follows_up: original.slug,
      questions: [
        { n: 1, text: "Kept question, again?", kind: "question", repeats: { letter: original.slug, n: 1 } },
        { n: 2, text: "Question to remove, again?", kind: "question", repeats: { letter: original.slug, n: 2 } },
      ],
    });
  });

  it("records a renamed original's new name in the follow-up's history", () => {
    const form = letterFormValues({ slug: original.slug })!;
    const before = versionOf(repeat.slug);
    const renamed = `${original.slug}-renamed`;
    const input = letterInputFromForm(letterFormSchema.parse({ ...posted(form.values), slug: renamed }));
    expect(saveLetter({ slug: original.slug, input, actor: SYSTEM_ACTOR, expectedVersion: form.version }).ok).toBe(true);
    const entry = latest(repeat.id);
    expect(entry.summary).toBe(`Edited: letter followed up, questions (the letter "${form.values.title}" was changed)`);
    expect(entry.before).toMatchObject({ followsUp: original.slug });
    expect(entry.after).toMatchObject({ followsUp: renamed });
    expect(JSON.stringify(entry.before)).toContain(`(repeats ${original.slug} question 1)`);
    expect(JSON.stringify(entry.after)).toContain(`(repeats ${renamed} question 1)`);
    expect(versionOf(repeat.slug)).toBe(before + 1);
    original = { ...original, slug: renamed };
  });

  it("records a repeat link lost with a question removed from the original", () => {
    const form = letterFormValues({ slug: original.slug })!;
    const values = posted(form.values);
    const input = letterInputFromForm(letterFormSchema.parse({ ...values, questions: (form.values.questions as unknown[]).slice(0, 1) }));
    expect(saveLetter({ slug: original.slug, input, actor: SYSTEM_ACTOR, expectedVersion: form.version }).ok).toBe(true);
    expect(stored(repeat.id)[1]!.repeats).toBeNull();
    const entry = latest(repeat.id);
    expect(entry.summary).toBe(`Edited: questions (the letter "${form.values.title}" was changed)`);
    expect(entry.before).toEqual({ questions: [`1. [question] Kept question, again? (repeats ${original.slug} question 1)`, `2. [question] Question to remove, again? (repeats ${original.slug} question 2)`] });
    expect(entry.after).toEqual({ questions: [`1. [question] Kept question, again? (repeats ${original.slug} question 1)`, "2. [question] Question to remove, again?"] });
  });

  it("records the links lost with a deleted original", () => {
    const title = letterFormValues({ slug: original.slug })!.values.title;
    expect(deleteLetter({ slug: original.slug, actor: SYSTEM_ACTOR, expectedVersion: versionOf(original.slug) }).ok).toBe(true);
    expect(stored(repeat.id)[0]!.repeats).toBeNull();
    const entry = latest(repeat.id);
    expect(entry.summary).toBe(`Edited: letter followed up, questions (the letter "${title}" was deleted)`);
    expect(entry.before).toMatchObject({ followsUp: original.slug });
    expect(entry.after).toEqual({ followsUp: null, questions: ["1. [question] Kept question, again?", "2. [question] Question to remove, again?"] });
  });
});
