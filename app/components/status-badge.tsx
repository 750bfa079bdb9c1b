import { LETTER_STATUS_LABELS, QUESTION_STATUS_LABELS, type LetterStatus, type QuestionStatus } from "~/domain/vocabulary";

export function StatusBadge({ status }: { status: LetterStatus }) {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      {LETTER_STATUS_LABELS[status]}
    </span>
  );
}

export function QuestionStatusBadge({ status }: { status: QuestionStatus }) {
  return (
    <span className={`badge badge-q-${status}`} data-status={status}>
      {QUESTION_STATUS_LABELS[status]}
    </span>
  );
}
