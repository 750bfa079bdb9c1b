/**
 * Attack on letters.questions_repeated_from (migration 0024, decision 0024): after every write that
 * can move a question's repeated_on (a follow-up's sent date moved, a repeated question removed, a
 * follow-up that no longer follows up, a letter of the chain deleted) the guard equals the earliest
 * repeated_on of the letter's questions, and every open-question count (the /questions total, the
 * overview's question counts, agency figures, the letters list's questions_open) equals a count
 * made from the facts alone (a question is open unless a later letter sent by then asks it again)
 * and the same count with the guard forced to probe every letter.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { today } from "~/domain/dates";
import { parseLetterFilters, parseQuestionFilters } from "~/domain/filters";
import { letterFormSchema } from "~/domain/forms";
import { letterInputFromForm } from "~/domain/letter-input";
import { SYSTEM_ACTOR } from "~/models/audit.server";
import { agencyFigures, questionCounts } from "~/models/dashboard.server";
import { letterFormValues } from "~/models/letter-forms.server";
import { deleteLetter, saveLetter } from "~/models/letter-writer.server";
import { listLetters } from "~/models/letters.server";
import { listQuestions } from "~/models/questions.server";
import { createLetter } from "../factories";
import { freshDatabase } from "../support/database";
import { staleRepeatGuards } from "../support/derived-columns";

let db: Db;
const DATES = ["2025-01-20", "2025-02-10", "2025-02-20", "2025-03-15", "2025-04-15", "2025-06-01", today()];

const posted = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null));

/** Open questions as of `asOf` from the facts alone: every question of a letter sent by then (none answered here), less those a letter sent by then asks again. */
function factCount(asOf: string): number {
  return db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM questions q JOIN letters l ON l.id = q.letter_id
    WHERE l.sent_on <= ${asOf}
      AND NOT EXISTS (SELECT 1 FROM questions r JOIN letters rl ON rl.id = r.letter_id WHERE r.repeats_question_id = q.id AND rl.sent_on <= ${asOf})`)!.n;
}

function appCounts(asOf: string) {
  return {
    list: listQuestions({ filters: parseQuestionFilters(new URLSearchParams("")).filters, asOf }).total,
    counts: questionCounts({ asOf }).open,
    agencies: agencyFigures({ asOf }).reduce((sum, agency) => sum + agency.openQuestions, 0),
    letters: listLetters({ filters: parseLetterFilters(new URLSearchParams("")).filters, asOf, pageSize: 1000 } as never).letters.reduce(
      (sum: number, row: { questionsOpen: number }) => sum + row.questionsOpen,
      0,
    ),
  };
}

/** The same counts with every letter's guard set so that each is probed (as before decision 0024). */
function unguardedCounts(asOf: string) {
  const client = db.$client;
  client.exec("SAVEPOINT unguarded");
  try {
    client.exec("UPDATE letters SET questions_repeated_from = '0000-01-01'");
    return appCounts(asOf);
  } finally {
    client.exec("ROLLBACK TO unguarded");
    client.exec("RELEASE unguarded");
  }
}

function checkAll(step: string) {
  expect(staleRepeatGuards(db), step).toEqual([]);
  for (const asOf of DATES) {
    const expected = factCount(asOf);
    const counts = appCounts(asOf);
    expect(counts, `${step}, as of ${asOf}`).toEqual({ list: expected, counts: expected, agencies: expected, letters: expected });
    expect(unguardedCounts(asOf), `${step}, as of ${asOf}, guard forced`).toEqual(counts);
  }
}

function edit(
  slug: string,
  change: (values: Record<string, unknown>) => Record<string, unknown>,
  changeInput: (input: ReturnType<typeof letterInputFromForm>) => ReturnType<typeof letterInputFromForm> = (input) => input,
) {
  const form = letterFormValues({ slug })!;
  const values = change({ ...posted(form.values as unknown as Record<string, unknown>), summary: "Edited by attack-11b" });
  const input = changeInput(letterInputFromForm(letterFormSchema.parse(values)));
  const saved = saveLetter({ slug, input, actor: SYSTEM_ACTOR, expectedVersion: form.version });
  expect(saved.ok, JSON.stringify(saved)).toBe(true);
}

let first: { id: number; slug: string };
let second: { id: number; slug: string };
let third: { id: number; slug: string };

function chain() {
  db = freshDatabase();
  first = createLetter(db, { sent_on: "2025-01-10" });
  second = createLetter(db, {
    sent_on: "2025-03-01",
    follows_up: first.slug,
    questions: [
      { n: 1, text: "First question, again?", kind: "question", repeats: { letter: first.slug, n: 1 } },
      { n: 2, text: "A new question?", kind: "question" },
    ],
  });
  third = createLetter(db, {
    sent_on: "2025-04-01",
    follows_up: second.slug,
    questions: [{ n: 1, text: "First question, a third time?", kind: "question", repeats: { letter: second.slug, n: 1 } }],
  });
}

describe("the repeat guard after each write of a follow-up chain", () => {
  beforeAll(chain);

  it("holds as written", () => checkAll("as written"));

  it("holds when the follow-up's sent date moves earlier, then later", () => {
    edit(second.slug, (values) => ({ ...values, sentOn: "2025-02-15" }));
    checkAll("second moved to 15 February");
    edit(second.slug, (values) => ({ ...values, sentOn: "2025-03-10" }));
    checkAll("second moved to 10 March");
  });

  it("holds when the third letter's sent date moves", () => {
    edit(third.slug, (values) => ({ ...values, sentOn: "2025-05-01" }));
    checkAll("third moved to 1 May");
  });

  it("holds when the follow-up's repeated question is removed", () => {
    edit(second.slug, (values) => ({ ...values, questions: (values.questions as unknown[]).slice(1) }));
    checkAll("second's repeated question removed");
  });
});

describe("the repeat guard when a letter no longer follows up, or is deleted", () => {
  beforeAll(chain);

  it("holds when the third letter no longer follows up", () => {
    // The form cannot clear a stored repeat (its hidden field absent keeps it): the exchange
    // format's null does, as an import would.
    edit(
      third.slug,
      ({ followsUp: _followsUp, ...rest }) => rest,
      (input) => ({ ...input, questions: input.questions.map((question) => ({ ...question, repeats: null })) }),
    );
    checkAll("third no longer follows up");
  });

  it("holds when the follow-up is deleted", () => {
    expect(deleteLetter({ slug: second.slug, actor: SYSTEM_ACTOR }).ok).toBe(true);
    checkAll("second deleted");
  });
});

describe("the repeat guard when the first letter of a chain is deleted", () => {
  beforeAll(chain);

  it("holds", () => {
    expect(deleteLetter({ slug: first.slug, actor: SYSTEM_ACTOR }).ok).toBe(true);
    checkAll("first deleted");
    expect(deleteLetter({ slug: third.slug, actor: SYSTEM_ACTOR }).ok).toBe(true);
    checkAll("third deleted");
  });
});
