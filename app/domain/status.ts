/**
 * The status rules of the tracker, as pure functions. Everything takes an `asOf` date: facts dated
 * after it (letters sent, responses received, extensions granted, closings) are ignored, so the
 * state of play on any past date can be shown.
 *
 * The same rules run in SQL for lists and counts (app/models/letter-state.server.ts); an
 * integration test checks that both agree on every demo letter at several dates.
 */
import { addCalendarDays, daysBetween, type CalendarDate } from "./dates";
import type { AnswerStatus, Completeness, DeadlineSource, LetterStatus, QuestionStatus, Verdict } from "./vocabulary";

export interface ResponseFact {
  id: number;
  receivedOn: CalendarDate;
  completeness: Completeness;
}

export interface AssessmentFact {
  questionId: number;
  responseId: number;
  verdict: Verdict;
}

export interface DeadlineChangeFact {
  id: number;
  newDeadline: CalendarDate;
  grantedOn: CalendarDate;
}

export interface LetterFacts {
  sentOn: CalendarDate;
  deadline: CalendarDate | null;
  closedOn: CalendarDate | null;
  questionIds: number[];
  responses: ResponseFact[];
  assessments: AssessmentFact[];
  deadlineChanges: DeadlineChangeFact[];
}

/** Later date first, then the later-entered row: the order in which facts supersede each other. */
function byLatest<T extends { id: number }>(dateOf: (item: T) => string) {
  return (a: T, b: T) => dateOf(b).localeCompare(dateOf(a)) || b.id - a.id;
}

/**
 * What a response of this completeness says of the letter as a whole (and, by default, of each of
 * its questions); nothing for an acknowledgment.
 */
export function answerOf(completeness: Completeness): AnswerStatus | undefined {
  switch (completeness) {
    case "full":
      return "answered";
    case "partial":
      return "partial";
    case "refusal":
      return "refused";
    case "acknowledgment":
      return undefined;
  }
}

export function isSubstantive(completeness: Completeness): boolean {
  return completeness !== "acknowledgment";
}

/** A letter's effective deadline as of a date, and where it comes from. */
export interface EffectiveDeadline {
  date: CalendarDate;
  source: DeadlineSource;
}

/**
 * The deadline in force as of `asOf`: the latest extension granted on or before it, else the
 * letter's own deadline, else (a letter that sets none) the implied one, `defaultResponseDays`
 * after sending (DEFAULT_RESPONSE_DAYS; 0: none). Null when there is none.
 */
export function deadlineInForce(
  letter: Pick<LetterFacts, "sentOn" | "deadline" | "deadlineChanges">,
  asOf: CalendarDate,
  defaultResponseDays: number,
): EffectiveDeadline | null {
  const granted = letter.deadlineChanges
    .filter((change) => change.grantedOn <= asOf)
    .sort(byLatest((change) => change.grantedOn));
  const extension = granted[0]?.newDeadline;
  if (extension !== undefined) return { date: extension, source: "extension" };
  if (letter.deadline !== null) return { date: letter.deadline, source: "letter" };
  if (defaultResponseDays > 0) return { date: addCalendarDays(letter.sentOn, defaultResponseDays), source: "implied" };
  return null;
}

/** The date of deadlineInForce, or null. */
export function effectiveDeadline(
  letter: Pick<LetterFacts, "sentOn" | "deadline" | "deadlineChanges">,
  asOf: CalendarDate,
  defaultResponseDays: number,
): CalendarDate | null {
  return deadlineInForce(letter, asOf, defaultResponseDays)?.date ?? null;
}

function substantiveResponses(responses: ResponseFact[], asOf: CalendarDate): ResponseFact[] {
  return responses
    .filter((response) => response.receivedOn <= asOf && isSubstantive(response.completeness))
    .sort(byLatest((response) => response.receivedOn));
}

export function latestSubstantiveResponse(
  responses: ResponseFact[],
  asOf: CalendarDate,
): ResponseFact | undefined {
  return substantiveResponses(responses, asOf)[0];
}

export function firstSubstantiveResponse(
  responses: ResponseFact[],
  asOf: CalendarDate,
): ResponseFact | undefined {
  return substantiveResponses(responses, asOf).at(-1);
}

/** The latest verdict on one question from responses received on or before `asOf`. */
function latestVerdict(
  questionId: number,
  letter: Pick<LetterFacts, "responses" | "assessments">,
  asOf: CalendarDate,
): Verdict | undefined {
  const responsesById = new Map(letter.responses.map((response) => [response.id, response]));
  const dated = letter.assessments
    .filter((assessment) => assessment.questionId === questionId)
    .map((assessment) => ({ assessment, response: responsesById.get(assessment.responseId) }))
    .filter(
      (entry): entry is { assessment: AssessmentFact; response: ResponseFact } =>
        entry.response !== undefined && entry.response.receivedOn <= asOf,
    )
    .sort(
      (a, b) =>
        b.response.receivedOn.localeCompare(a.response.receivedOn) ||
        b.response.id - a.response.id,
    );
  return dated[0]?.assessment.verdict;
}

export function questionStatus(
  questionId: number,
  letter: Pick<LetterFacts, "responses" | "assessments">,
  asOf: CalendarDate,
): QuestionStatus {
  const verdict = latestVerdict(questionId, letter, asOf);
  if (verdict !== undefined) return verdict === "not_addressed" ? "open" : verdict;
  const latest = latestSubstantiveResponse(letter.responses, asOf);
  if (latest?.completeness === "full") return "answered";
  if (latest?.completeness === "refusal") return "refused";
  return "open";
}

/**
 * Where one question is counted as of a date (the one rule, decision 0023 addendum; mirrored in SQL
 * by questionOpenSql and dashboard's questionCounts): an open question a later letter sent by then
 * asks again is `askedAgain` (counted open at that latest ask), whether or not its letter is closed;
 * else an open question of a letter closed by then is `closedUnanswered`; else its status.
 */
export type QuestionTally = QuestionStatus | "askedAgain" | "closedUnanswered";

export function questionTally(question: { status: QuestionStatus; askedAgain: boolean }, letterClosed: boolean): QuestionTally {
  if (question.status !== "open") return question.status;
  if (question.askedAgain) return "askedAgain";
  return letterClosed ? "closedUnanswered" : "open";
}

/** A letter's questions counted by questionTally: what its page's heading says. */
export function letterQuestionCounts(
  questions: ReadonlyArray<{ status: QuestionStatus; askedAgain: boolean }>,
  letterClosed: boolean,
): Record<QuestionTally, number> & { total: number } {
  const counts = { open: 0, answered: 0, partial: 0, refused: 0, askedAgain: 0, closedUnanswered: 0, total: questions.length };
  for (const question of questions) counts[questionTally(question, letterClosed)] += 1;
  return counts;
}

/**
 * What the responses say, ignoring dates and closing: per-question verdicts when any question has
 * been assessed and they decide it, else the latest substantive response; undefined when nothing
 * substantive has come.
 */
export function answerStatus(letter: LetterFacts, asOf: CalendarDate): AnswerStatus | undefined {
  const assessed = letter.questionIds.some(
    (questionId) => latestVerdict(questionId, letter, asOf) !== undefined,
  );
  if (assessed) {
    const statuses = letter.questionIds.map((questionId) =>
      questionStatus(questionId, letter, asOf),
    );
    if (statuses.every((status) => status === "answered")) return "answered";
    if (statuses.some((status) => status === "answered" || status === "partial")) return "partial";
    if (statuses.some((status) => status === "refused")) return "refused";
  }
  const latest = latestSubstantiveResponse(letter.responses, asOf);
  return latest ? answerOf(latest.completeness) : undefined;
}

export function letterStatus(letter: LetterFacts, asOf: CalendarDate, defaultResponseDays: number): LetterStatus {
  if (letter.closedOn !== null && letter.closedOn <= asOf) return "closed";
  const answered = answerStatus(letter, asOf);
  if (answered) return answered;
  const deadline = effectiveDeadline(letter, asOf, defaultResponseDays);
  return deadline !== null && asOf > deadline ? "overdue" : "awaiting";
}

/** Days since sending while no substantive response has come; null once one has (or before sending). */
export function daysOutstanding(
  letter: Pick<LetterFacts, "sentOn" | "responses">,
  asOf: CalendarDate,
): number | null {
  if (letter.sentOn > asOf) return null;
  if (firstSubstantiveResponse(letter.responses, asOf)) return null;
  return daysBetween(letter.sentOn, asOf);
}

/** Days from sending to the first substantive response; null while none has come. */
export function responseDays(
  letter: Pick<LetterFacts, "sentOn" | "responses">,
  asOf: CalendarDate,
): number | null {
  const first = firstSubstantiveResponse(letter.responses, asOf);
  return first ? daysBetween(letter.sentOn, first.receivedOn) : null;
}

/** Days past the effective deadline for an overdue letter; null otherwise. */
export function daysOverdue(letter: LetterFacts, asOf: CalendarDate, defaultResponseDays: number): number | null {
  if (letterStatus(letter, asOf, defaultResponseDays) !== "overdue") return null;
  const deadline = effectiveDeadline(letter, asOf, defaultResponseDays);
  return deadline === null ? null : daysBetween(deadline, asOf);
}
