/**
 * What a follow-up letter drafted from an earlier one (`/letters/new?followUp=<slug>`) asks again
 * (decision 0023): each question still open and not already asked again by a later letter, linked
 * to it (`repeats`, the earlier question's id) so that the chain is counted once.
 */
import type { QuestionKind, QuestionStatus } from "./vocabulary";

export interface EarlierQuestion {
  /** The stored question's id (a form value: text). */
  id: string;
  text: string;
  kind: QuestionKind;
  status: QuestionStatus;
  /** Whether a later letter already asks it again: the follow-up of that letter drafts it. */
  repeated: boolean;
}

export function followUpQuestions(earlier: readonly EarlierQuestion[]): Array<{ text: string; kind: QuestionKind; repeats: string }> {
  return earlier.filter((question) => question.status === "open" && !question.repeated).map(({ id, text, kind }) => ({ text, kind, repeats: id }));
}
