/**
 * Questions repeated in a follow-up letter are counted once, at their latest ask (decision 0023):
 * the open list, its count, the overdue flag, agency and member figures and the API's letters leave
 * out a question a later letter asks again; its days open run from the first ask; the writer
 * refuses a repeat of a question outside the letter's follow-up chain, naming the field.
 */
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { questions } from "../../db/schema";
import { today } from "~/domain/dates";
import { parseQuestionFilters } from "~/domain/filters";
import { letterInputFromForm } from "~/domain/letter-input";
import { letterFormSchema } from "~/domain/forms";
import { SYSTEM_ACTOR } from "~/models/audit.server";
import { agencyFigures, questionCounts } from "~/models/dashboard.server";
import { getLetterDetail, listLetters } from "~/models/letters.server";
import { letterDetailJson } from "~/models/api.server";
import { listQuestions } from "~/models/questions.server";
import { withStateSnapshot } from "~/models/state-snapshot.server";
import { deleteLetter, saveLetter } from "~/models/letter-writer.server";
import { letterFormValues } from "~/models/letter-forms.server";
import { parseLetterFilters } from "~/domain/filters";
import { addResponse, createLetter } from "../factories";
import { freshDatabase } from "../support/database";
import { staleRepeatGuards } from "../support/derived-columns";
import { queryPlans } from "../support/query-plans";

let db: Db;

// Every write in these tests keeps each letter's repeat guard (letters.questions_repeated_from) current.
afterEach(() => {
  if (db) expect(staleRepeatGuards(db)).toEqual([]);
});
let first: { id: number; slug: string };
let followUp: { id: number; slug: string };
let other: { id: number; slug: string };

const questionIdsOf = (letterId: number) =>
  db.select({ id: questions.id }).from(questions).where(eq(questions.letterId, letterId)).orderBy(questions.number).all().map((row) => row.id);
const stored = (letterId: number) =>
  db
    .select({ number: questions.number, repeats: questions.repeatsQuestionId, repeatedOn: questions.repeatedOn, firstAskedOn: questions.firstAskedOn })
    .from(questions)
    .where(eq(questions.letterId, letterId))
    .orderBy(questions.number)
    .all();

const openList = (asOf: string, search = "") => listQuestions({ filters: parseQuestionFilters(new URLSearchParams(search)).filters, asOf });
const stateOpen = (asOf: string) => agencyFigures({ asOf }).find((agency) => agency.slug === "u-s-department-of-state")!.openQuestions;

/** Form values as a form posts them: no nulls. */
const posted = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null));

/** A follow-up of `slug` as the new-letter form would post it, its questions repeating `repeats`. */
function followUpForm(slug: string, repeats: Array<number | undefined>, sentOn = "2025-05-01") {
  const form = letterFormValues({ slug })!;
  const values = letterFormSchema.parse({
    ...posted(form.values),
    slug: undefined,
    title: `Follow-up: ${form.values.title}`,
    sentOn,
    deadline: undefined,
    followsUp: slug,
    questions: repeats.map((id, index) => ({ text: `Asked again ${index + 1}?`, kind: "question", ...(id ? { repeats: String(id) } : {}) })),
  });
  return letterInputFromForm(values);
}

beforeAll(() => {
  db = freshDatabase();
  // Two questions, no deadline (implied: overdue 30 days later); the follow-up, by the exchange
  // format (the import's path), asks question 1 again and adds one of its own.
  first = createLetter(db, { sent_on: "2025-01-10" });
  followUp = createLetter(db, {
    sent_on: "2025-03-01",
    follows_up: first.slug,
    questions: [
      { n: 1, text: "First question, again?", kind: "question", repeats: { letter: first.slug, n: 1 } },
      { n: 2, text: "A new question?", kind: "question" },
    ],
  });
  other = createLetter(db, { sent_on: "2025-02-01" });
});

describe("a question repeated in a follow-up", () => {
  it("is stored with its link, the date it was asked again and the first ask's date", () => {
    const [q1] = questionIdsOf(first.id);
    expect(stored(followUp.id)[0]).toMatchObject({ repeats: q1, firstAskedOn: "2025-01-10", repeatedOn: null });
    expect(stored(first.id)[0]).toMatchObject({ repeats: null, repeatedOn: "2025-03-01", firstAskedOn: null });
    expect(stored(first.id)[1]).toMatchObject({ repeatedOn: null });
  });

  it("is counted once: before the follow-up both of the first letter's questions, after it three not four", () => {
    // The other letter's two questions are open throughout.
    expect(openList("2025-02-15").total).toBe(4);
    expect(stateOpen("2025-02-15")).toBe(4);
    for (const asOf of ["2025-06-01", today()]) {
      const list = openList(asOf);
      expect(list.total, asOf).toBe(5);
      expect(list.questions).toHaveLength(5);
      expect(list.questions.some((q) => q.letterSlug === first.slug && q.number === 1), asOf).toBe(false);
      expect(list.questions.some((q) => q.letterSlug === followUp.slug && q.number === 1), asOf).toBe(true);
      expect(stateOpen(asOf), asOf).toBe(5);
      // With a filter the count is a count of questions, not the letters' sums: the same answer.
      expect(openList(asOf, "kind=question").total, asOf).toBe(openList(asOf, "kind=question").questions.length);
    }
    // Every status at once is every question, repeats included.
    expect(openList("2025-06-01", "status=all").total).toBe(6);
    // A member's figures: the repeated question counted at its latest ask only.
    const counts = questionCounts({ asOf: "2025-06-01", selection: { member: "jamie-raskin" } as never });
    expect(counts.open).toBe(5);
  });

  it("is counted once over a snapshot of every letter's state (the overview of a past date)", () => {
    expect(withStateSnapshot({ asOf: "2025-06-01", run: () => stateOpen("2025-06-01") })).toBe(5);
    expect(withStateSnapshot({ asOf: "2025-02-15", run: () => stateOpen("2025-02-15") })).toBe(4);
  });

  it("runs its days unanswered from the first ask", () => {
    const repeat = openList("2025-06-01").questions.find((q) => q.letterSlug === followUp.slug && q.number === 1)!;
    expect(repeat.daysOpen).toBe(142); // 10 January to 1 June 2025
    const fresh = openList("2025-06-01").questions.find((q) => q.letterSlug === followUp.slug && q.number === 2)!;
    expect(fresh.daysOpen).toBe(92); // 1 March to 1 June 2025
  });

  it("gives the letters' open counts (the API's questions_open) without the repeated question", () => {
    const rows = listLetters({ filters: parseLetterFilters(new URLSearchParams("")).filters, asOf: "2025-06-01" }).letters;
    expect(rows.find((row) => row.slug === first.slug)!.questionsOpen).toBe(1);
    expect(rows.find((row) => row.slug === followUp.slug)!.questionsOpen).toBe(2);
  });

  it("shows the link both ways on the letters' pages", () => {
    const original = getLetterDetail({ slug: first.slug, asOf: today() })!;
    expect(original.questions[0]!.repeatedBy).toMatchObject({ number: 1, letterSlug: followUp.slug, sentOn: "2025-03-01" });
    expect(getLetterDetail({ slug: first.slug, asOf: "2025-02-01" })!.questions[0]!.repeatedBy).toBeNull();
    const repeat = getLetterDetail({ slug: followUp.slug, asOf: today() })!;
    expect(repeat.questions[0]!.repeats).toMatchObject({ number: 1, letterSlug: first.slug, sentOn: "2025-01-10" });
  });

  it("gives the links in the API's letter", () => {
    const json = letterDetailJson(getLetterDetail({ slug: followUp.slug, asOf: today() })!) as { questions: Array<Record<string, unknown>> };
    expect(json.questions[0]).toMatchObject({ repeats: { letter: first.slug, number: 1 }, repeated_by: null });
    const original = letterDetailJson(getLetterDetail({ slug: first.slug, asOf: today() })!) as { questions: Array<Record<string, unknown>> };
    expect(original.questions[0]).toMatchObject({ repeats: null, repeated_by: { letter: followUp.slug, number: 1 } });
  });

  it("refuses a repeat of a question outside the letter's follow-up chain, naming the field", () => {
    const [foreign] = questionIdsOf(other.id);
    const saved = saveLetter({ input: followUpForm(first.slug, [undefined, foreign]), actor: SYSTEM_ACTOR });
    expect(saved.ok).toBe(false);
    if (saved.ok) return;
    expect(Object.keys(saved.fieldErrors)).toEqual(["questions[1].repeats"]);
    expect(saved.fieldErrors["questions[1].repeats"]![0]).toMatch(/^Repeats: question 1 of "test-letter-\d+" is not on a letter this one follows up/);
    // A question id that does not exist.
    const missing = saveLetter({ input: followUpForm(first.slug, [999_999]), actor: SYSTEM_ACTOR });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.fieldErrors["questions[0].repeats"]![0]).toMatch(/^Repeats: there is no question 999999/);
  });

  it("refuses a second repeat of a question already asked again (a chain is one line)", () => {
    const [q1] = questionIdsOf(first.id);
    const saved = saveLetter({ input: followUpForm(first.slug, [q1]), actor: SYSTEM_ACTOR });
    expect(saved.ok).toBe(false);
    if (!saved.ok) expect(saved.fieldErrors["questions[0].repeats"]![0]).toMatch(/already asked again by .* question 1; repeat that one/);
  });

  it("counts the chain at its latest ask through a third letter, and answered when the latest ask is", () => {
    const [, fq1] = [undefined, questionIdsOf(followUp.id)[0]];
    const third = saveLetter({ input: followUpForm(followUp.slug, [fq1], "2025-05-01"), actor: SYSTEM_ACTOR });
    expect(third.ok).toBe(true);
    if (!third.ok) return;
    const thirdId = getLetterDetail({ slug: third.value.slug, asOf: today() })!.id;
    expect(stored(thirdId)[0]).toMatchObject({ firstAskedOn: "2025-01-10" });
    // other 2 + first's q2 + follow-up's q2 + the third's q1.
    expect(openList("2025-06-01").total).toBe(5);
    expect(openList("2025-06-01").questions.some((q) => q.letterSlug === followUp.slug && q.number === 1)).toBe(false);
    // The agency answers the latest ask in full: the chain is answered, the original not counted.
    addResponse(db, thirdId, { receivedOn: "2025-05-20", completeness: "full" });
    expect(openList("2025-06-01").total).toBe(4);
    expect(stateOpen("2025-06-01")).toBe(4);
    // Deleting the third letter: the follow-up's question is the latest ask again.
    const removed = deleteLetter({ slug: third.value.slug, actor: SYSTEM_ACTOR });
    expect(removed.ok).toBe(true);
    expect(stored(followUp.id)[0]).toMatchObject({ repeatedOn: null, firstAskedOn: "2025-01-10" });
    expect(openList("2025-06-01").total).toBe(5);
  });

  it("an edit of the follow-up keeps the link, whether the form carries it or not", () => {
    const form = letterFormValues({ slug: followUp.slug })!;
    expect(form.values.questions[0]).toMatchObject({ repeats: String(questionIdsOf(first.id)[0]) });
    const kept = saveLetter({
      slug: followUp.slug,
      input: letterInputFromForm(letterFormSchema.parse({ ...posted(form.values), summary: "Edited" })),
      actor: SYSTEM_ACTOR,
      expectedVersion: form.version,
    });
    expect(kept.ok).toBe(true);
    expect(stored(followUp.id)[0]!.repeats).toBe(questionIdsOf(first.id)[0]);
    expect(stored(first.id)[0]!.repeatedOn).toBe("2025-03-01");
    // A form without the hidden field (merged after a conflict): the stored link stays.
    const again = letterFormValues({ slug: followUp.slug })!;
    const withoutLink = {
      ...posted(again.values),
      summary: "Edited again",
      questions: again.values.questions.map(({ repeats: _repeats, ...question }) => question),
    };
    expect(saveLetter({ slug: followUp.slug, input: letterInputFromForm(letterFormSchema.parse(withoutLink)), actor: SYSTEM_ACTOR, expectedVersion: again.version }).ok).toBe(true);
    expect(stored(followUp.id)[0]!.repeats).toBe(questionIdsOf(first.id)[0]);
  });

  it("reads the letters' repeated open questions through the partial index", () => {
    const plans = queryPlans(db, () => agencyFigures({ asOf: today() }), /repeated_on/);
    expect(plans.length).toBeGreaterThan(0);
    for (const plan of plans) expect(plan).toMatch(/questions_repeated_idx/);
  });
});
