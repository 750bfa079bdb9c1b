/**
 * The exchange format for letters: the shape of db/letters.seed.json (see the shared data README),
 * validated with zod. The seed and, later, the importer read it; problems name the letter id and
 * the field.
 */
import { z } from "zod";
import { approximateFactDateProblems, monthOf, readFactDate } from "./approximate-date";
import { isCalendarDate, type CalendarDate } from "./dates";
import { letterProblems, MAX_QUESTIONS_PER_LETTER, TEXT_LIMITS } from "./letter-rules";
import { RESERVED_LETTER_SLUGS } from "./slug";
import { CHAMBERS, COMPLETENESS, listOfValues, PARTIES, QUESTION_KINDS } from "./vocabulary";

const calendarDate = z
  .string({ error: "must be a date (YYYY-MM-DD)" })
  .refine(isCalendarDate, { error: "must be a real date in YYYY-MM-DD form" });

/** A response's date: the day, or `YYYY-MM` when the record gives only the month (decision 0007). */
const factDate = z
  .string({ error: "is required: a date (YYYY-MM-DD), or the month (YYYY-MM) when the record gives only the month" })
  .trim()
  .min(1, { error: "is required: a date (YYYY-MM-DD), or the month (YYYY-MM) when the record gives only the month", abort: true })
  .refine((value) => readFactDate(value) !== null, { error: "must be a real date in YYYY-MM-DD form, or a month in YYYY-MM form" });

const longText = (max: number) => z.string().trim().max(max, { error: `must be at most ${max} characters` }).nullish();

const nonEmpty = (what: string, max = 1_000) =>
  z.string({ error: `${what} is required` }).trim().min(1, { error: `${what} must not be empty` }).max(max, { error: `must be at most ${max} characters` });

const url = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(TEXT_LIMITS.sourceUrl, { error: `must be at most ${TEXT_LIMITS.sourceUrl} characters` });

export const senderRecordSchema = z.object({
  name: nonEmpty("name", TEXT_LIMITS.name),
  party: z.enum(PARTIES, { error: `must be ${listOfValues(PARTIES)}` }),
  state: z
    .string()
    .regex(/^[A-Z]{2}$/, { error: "must be a two-letter state code such as NY" }),
  role: z.string().trim().max(TEXT_LIMITS.role, { error: `must be at most ${TEXT_LIMITS.role} characters` }).nullish(),
  lead: z.boolean().optional(),
});

export const recipientRecordSchema = z.object({
  name: nonEmpty("name", TEXT_LIMITS.name),
  title: nonEmpty("title", TEXT_LIMITS.officialTitle),
  agency: nonEmpty("agency", TEXT_LIMITS.agency),
});

export const questionRecordSchema = z.object({
  n: z.number().int().min(1, { error: "must be 1 or more" }),
  text: nonEmpty("text", TEXT_LIMITS.questionText),
  kind: z
    .enum(QUESTION_KINDS, { error: `must be ${listOfValues(QUESTION_KINDS)}` })
    .default("question"),
  /**
   * The earlier question this one asks again (decision 0023): the id (slug) of a letter this one
   * follows up, directly or through earlier follow-ups, and that question's number there.
   */
  repeats: z
    .object({
      letter: nonEmpty("letter", TEXT_LIMITS.slug),
      n: z.number().int().min(1, { error: "must be 1 or more" }),
    })
    .nullish(),
});

export const responseRecordSchema = z.object({
  received_on: factDate,
  from: nonEmpty("from", TEXT_LIMITS.responseFrom),
  completeness: z.enum(COMPLETENESS, { error: `must be ${listOfValues(COMPLETENESS)}` }),
  summary: longText(TEXT_LIMITS.summary),
  source: url.nullish(),
  notes: longText(TEXT_LIMITS.responseNotes),
});

export const letterRecordSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
        error: "must be a slug: lowercase letters, digits and single hyphens",
      })
      .max(TEXT_LIMITS.slug, { error: `must be at most ${TEXT_LIMITS.slug} characters` })
      // The letter's page is /letters/<id>: "new" is the new-letter form's address.
      .refine((id) => !RESERVED_LETTER_SLUGS.has(id), { error: (issue) => `must not be "${String(issue.input)}": /letters/${String(issue.input)} is a page of the tracker itself` }),
    title: nonEmpty("title", TEXT_LIMITS.title),
    sent_on: calendarDate,
    chamber: z.enum(CHAMBERS, { error: `must be ${listOfValues(CHAMBERS)}` }),
    committee: longText(TEXT_LIMITS.committee),
    senders: z.array(senderRecordSchema).min(1, { error: "needs at least one sender" }),
    recipients: z.array(recipientRecordSchema).min(1, { error: "needs at least one recipient" }),
    deadline: calendarDate.nullish(),
    topic_tags: z
      .array(z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: "must be a slug" }))
      // The form edits topics as one "a, b, c" text of limited length.
      .refine((tags) => tags.join(", ").length <= TEXT_LIMITS.topics, { error: `must be at most ${TEXT_LIMITS.topics} characters in all` })
      .default([]),
    questions: z.array(questionRecordSchema).max(MAX_QUESTIONS_PER_LETTER, { error: `may have at most ${MAX_QUESTIONS_PER_LETTER} questions` }).default([]),
    follows_up: z.string().nullish(),
    responses: z.array(responseRecordSchema).default([]),
    source: url.nullish(),
    notes: longText(TEXT_LIMITS.notes),
    summary: longText(TEXT_LIMITS.summary),
  })
  .superRefine((letter, ctx) => {
    if (letter.deadline && letter.deadline < letter.sent_on) {
      ctx.addIssue({ code: "custom", path: ["deadline"], message: "is before sent_on" });
    }
    const numbers = new Set<number>();
    letter.questions.forEach((question, index) => {
      if (numbers.has(question.n)) {
        ctx.addIssue({
          code: "custom",
          path: ["questions", index, "n"],
          message: `question number ${question.n} appears twice`,
        });
      }
      numbers.add(question.n);
    });
    letter.responses.forEach((response, index) => {
      const received = readFactDate(response.received_on);
      if (received?.precision === "day" && received.date < letter.sent_on) {
        ctx.addIssue({
          code: "custom",
          path: ["responses", index, "received_on"],
          message: "is before the letter's sent_on",
        });
      }
      if (received?.precision === "month" && received.month < monthOf(letter.sent_on)) {
        ctx.addIssue({
          code: "custom",
          path: ["responses", index, "received_on"],
          message: "is before the month of the letter's sent_on",
        });
      }
    });
    if (letter.follows_up === letter.id) {
      ctx.addIssue({ code: "custom", path: ["follows_up"], message: "cannot be the letter itself" });
    }
  });

export type LetterRecord = z.output<typeof letterRecordSchema>;
export type LetterRecordInput = z.input<typeof letterRecordSchema>;

export interface RecordProblem {
  letterId: string;
  field: string;
  message: string;
}

export type ParseLettersResult =
  | { ok: true; letters: LetterRecord[] }
  | { ok: false; problems: RecordProblem[] };

/** Validates a whole file: every letter, unique ids, and follow-up links that resolve. */
export function parseLetterFile(input: unknown): ParseLettersResult {
  const problems: RecordProblem[] = [];
  if (typeof input !== "object" || input === null || !Array.isArray((input as { letters?: unknown }).letters)) {
    return { ok: false, problems: [{ letterId: "(file)", field: "letters", message: "must be a list of letters" }] };
  }
  const rawLetters = (input as { letters: unknown[] }).letters;
  const letters: LetterRecord[] = [];
  rawLetters.forEach((raw, index) => {
    const rawId = (raw as { id?: unknown } | null)?.id;
    const letterId = typeof rawId === "string" && rawId ? rawId : `#${index + 1}`;
    const result = letterRecordSchema.safeParse(raw);
    if (result.success) {
      letters.push(result.data);
    } else {
      for (const issue of result.error.issues) {
        problems.push({ letterId, field: issue.path.join(".") || "(letter)", message: issue.message });
      }
    }
  });
  const ids = new Set<string>();
  for (const letter of letters) {
    if (ids.has(letter.id)) {
      problems.push({ letterId: letter.id, field: "id", message: "appears more than once" });
    }
    ids.add(letter.id);
  }
  for (const letter of letters) {
    if (letter.follows_up && !ids.has(letter.follows_up)) {
      problems.push({
        letterId: letter.id,
        field: "follows_up",
        message: `refers to "${letter.follows_up}", which is not in the file`,
      });
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, letters };
}

export function formatProblems(problems: RecordProblem[]): string {
  return problems
    .map((problem) => `letter ${problem.letterId}: ${problem.field}: ${problem.message}`)
    .join("\n");
}

/**
 * The one writer's rules (app/domain/letter-rules.ts) applied to a record, with problems named by
 * the record's own fields: an import reports every such problem before it writes anything.
 */
export function recordRuleProblems(record: LetterRecord, today: CalendarDate): Array<{ field: string; message: string }> {
  const recordField: Record<string, string> = { sentOn: "sent_on", deadline: "deadline", questions: "questions" };
  const sorted = [...record.questions].sort((a, b) => a.n - b.n);
  const problems = letterProblems({ sentOn: record.sent_on, deadline: record.deadline, questionNumbers: sorted.map((question) => question.n) }, today).map(
    (problem) => {
      const question = /^questions\[(\d+)\]/.exec(problem.field);
      return { field: question ? `questions.${record.questions.indexOf(sorted[Number(question[1])]!)}.n` : (recordField[problem.field] ?? problem.field), message: problem.message };
    },
  );
  record.responses.forEach((response, index) => {
    for (const problem of approximateFactDateProblems({ field: "received_on", label: "Received date", value: response.received_on, sentOn: record.sent_on, today })) {
      problems.push({ field: `responses.${index}.received_on`, message: problem.message });
    }
  });
  return problems;
}
