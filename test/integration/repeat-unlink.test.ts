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
import { saveLetter } from "~/models/letter-writer.server";
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
