/**
 * The rules every stored letter obeys, whoever writes it (staff forms, the importer, the demo seed,
 * the synthetic bulk writer). Pure: the one writer (app/models/letter-writer.server.ts) calls them
 * inside its transaction, so no caller can store a letter the pages would contradict (a response
 * "received" in 2099 counted as an answer today while the letter page says overdue).
 *
 * Problems name the field the way the staff forms do (`questions[2].text`), so a form shows the
 * message next to the field and the importer can translate the name to its own column.
 */
import { isCalendarDate, type CalendarDate } from "./dates";

export interface RuleProblem {
  field: string;
  message: string;
}

/** The most questions one letter may hold: far above any real letter, low enough to bound work. */
export const MAX_QUESTIONS_PER_LETTER = 500;

/**
 * The longest texts a letter may hold, in characters. The staff forms and the import format both
 * take them from here, so whatever is imported can be edited through the form.
 */
export const TEXT_LIMITS = {
  title: 300,
  questionText: 4_000,
  summary: 10_000,
  notes: 2_000,
  internalNotes: 10_000,
  role: 200,
  name: 120,
  officialTitle: 200,
  agency: 200,
  committee: 200,
  responseFrom: 300,
  responseNotes: 10_000,
  slug: 120,
  sourceUrl: 2_000,
  /** All of a letter's topics, written "a, b, c". */
  topics: 500,
} as const;

export interface LetterFacts {
  sentOn: string;
  deadline?: string | null;
  closedOn?: string | null;
  /** Question numbers in the order given; each must be its position (1..n). */
  questionNumbers: readonly number[];
  title?: string;
  questionTexts?: readonly string[];
}

function dateProblem(field: string, label: string, value: string, today: CalendarDate, mayBeFuture: boolean): RuleProblem | null {
  if (!isCalendarDate(value)) return { field, message: `${label} must be a real date (YYYY-MM-DD)` };
  if (!mayBeFuture && value > today) return { field, message: `${label} cannot be in the future (today is ${today})` };
  return null;
}

/** Problems with a letter's own fields and question numbering, as of `today`. */
export function letterProblems(letter: LetterFacts, today: CalendarDate): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const sent = dateProblem("sentOn", "Sent date", letter.sentOn, today, false);
  if (sent) problems.push(sent);
  if (letter.deadline != null) {
    // A deadline is a promise about the future: it may lie ahead, not before the letter.
    const deadline = dateProblem("deadline", "Deadline", letter.deadline, today, true);
    if (deadline) problems.push(deadline);
    else if (!sent && letter.deadline < letter.sentOn) {
      problems.push({ field: "deadline", message: `Deadline cannot be before the sent date (${letter.sentOn})` });
    }
  }
  if (letter.closedOn != null) problems.push(...factDateProblems({ field: "closedOn", label: "Closing date", date: letter.closedOn, sentOn: letter.sentOn, today }));
  if (letter.questionNumbers.length > MAX_QUESTIONS_PER_LETTER) {
    problems.push({ field: "questions", message: `A letter may have at most ${MAX_QUESTIONS_PER_LETTER} questions` });
  }
  if (letter.title !== undefined && (letter.title.trim() === "" || letter.title.length > TEXT_LIMITS.title)) {
    problems.push({ field: "title", message: `Title is required and may have at most ${TEXT_LIMITS.title} characters` });
  }
  letter.questionTexts?.forEach((text, index) => {
    if (text.trim() === "" || text.length > TEXT_LIMITS.questionText) {
      problems.push({ field: `questions[${index}].text`, message: `Question text is required and may have at most ${TEXT_LIMITS.questionText} characters` });
    }
  });
  letter.questionNumbers.forEach((number, index) => {
    if (number !== index + 1) {
      problems.push({ field: `questions[${index}].number`, message: `Question numbers must run 1, 2, 3…: question ${index + 1} is numbered ${number}` });
    }
  });
  return problems;
}

/**
 * A fact about a letter (a response received, an extension granted, a closing): a real date, not
 * in the future (stored state counts every fact as of today), and not before the letter was sent.
 */
export function factDateProblems({
  field,
  label,
  date,
  sentOn,
  today,
}: {
  field: string;
  label: string;
  date: string;
  sentOn: string;
  today: CalendarDate;
}): RuleProblem[] {
  const problem = dateProblem(field, label, date, today, false);
  if (problem) return [problem];
  if (date < sentOn) return [{ field, message: `${label} cannot be before the letter was sent (${sentOn})` }];
  return [];
}

/** A new deadline granted by an extension: a real date, not before the letter; it may lie ahead. */
export function extensionProblems({
  newDeadline,
  grantedOn,
  sentOn,
  today,
}: {
  newDeadline: string;
  grantedOn: string;
  sentOn: string;
  today: CalendarDate;
}): RuleProblem[] {
  const problems = factDateProblems({ field: "grantedOn", label: "Date granted", date: grantedOn, sentOn, today });
  const deadline = dateProblem("newDeadline", "New deadline", newDeadline, today, true);
  if (deadline) problems.push(deadline);
  else if (newDeadline < sentOn) problems.push({ field: "newDeadline", message: `New deadline cannot be before the letter was sent (${sentOn})` });
  return problems;
}

/** One verdict per question in a response; every question must belong to the letter. */
export function verdictProblems(verdictQuestionIds: readonly number[], letterQuestionIds: ReadonlySet<number>): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const seen = new Set<number>();
  verdictQuestionIds.forEach((questionId, index) => {
    if (!letterQuestionIds.has(questionId)) {
      problems.push({ field: `verdicts[${index}].verdict`, message: "Verdict: this question is not on the letter (removed since the form was opened); leave this verdict out to save the rest" });
    } else if (seen.has(questionId)) {
      problems.push({ field: `verdicts[${index}].verdict`, message: "This question already has a verdict in this response" });
    }
    seen.add(questionId);
  });
  return problems;
}
