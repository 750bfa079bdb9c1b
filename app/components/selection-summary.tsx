/** The parts of the member, committee and agency pages that describe a set of letters. */
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { AgencyNames } from "./agency-names";
import { DeadlineText } from "./deadline-text";
import { QuestionStatusBadge, StatusBadge } from "./status-badge";
import { formatDate } from "~/domain/dates";
import type { LetterSort } from "~/domain/filters";
import { ASKED_AGAIN_LABEL, CLOSED_UNANSWERED_LABEL, LETTER_STATUSES, type LetterStatus } from "~/domain/vocabulary";
import type { LetterListItem } from "~/models/letters.server";
import type { QuestionListItem } from "~/models/questions.server";

/** Letters by status, each linking to the filtered letter list. */
export function StatusCounts({
  counts,
  linkFor,
}: {
  counts: Record<LetterStatus, number>;
  linkFor: (status: LetterStatus) => string;
}) {
  return (
    <ul className="status-counts">
      {LETTER_STATUSES.map((status) => (
        <li key={status} data-testid={`count-${status}`}>
          <Link to={linkFor(status)}>
            <span className="count">{counts[status]}</span>
            <StatusBadge status={status} />
          </Link>
        </li>
      ))}
    </ul>
  );
}

export function QuestionCountsLine({
  counts,
}: {
  counts: { open: number; partial: number; refused: number; answered: number; closedUnanswered: number; askedAgain: number; total: number };
}) {
  return (
    <p data-testid="question-counts">
      {counts.total} questions: <strong>{counts.open} open</strong>, {counts.partial} partly answered, {counts.refused}{" "}
      refused, {counts.answered} answered
      {counts.closedUnanswered > 0 ? `, ${counts.closedUnanswered} ${CLOSED_UNANSWERED_LABEL}` : ""}
      {counts.askedAgain > 0 ? `, ${counts.askedAgain} ${ASKED_AGAIN_LABEL}` : ""}.
    </p>
  );
}

/**
 * Letters as /letters lists them. `sortHeader` (the letter list) makes the column headers sort the
 * list; elsewhere they are plain.
 */
export function LetterTable({
  letters,
  withAsOf,
  sortHeader,
}: {
  letters: LetterListItem[];
  withAsOf: (path: string) => string;
  sortHeader?: (column: LetterSort, label: string) => ReactNode;
}) {
  const header = (column: LetterSort, label: string) => (sortHeader ? sortHeader(column, label) : <th scope="col">{label}</th>);
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Letters">
      <table className="letters-table cards">
        <thead>
          <tr>
            {header("title", "Letter")}
            {header("status", "Status")}
            {header("sent", "Sent")}
            <th scope="col">To</th>
            {header("deadline", "Deadline")}
            {header("outstanding", "Days outstanding")}
          </tr>
        </thead>
        <tbody>
          {letters.map((letter) => (
            <tr key={letter.slug} data-testid="letter-row">
              <td className="card-title">
                <Link to={withAsOf(`/letters/${letter.slug}`)}>{letter.title}</Link>
                {letter.committee ? <div className="muted small">{letter.committee}</div> : null}
              </td>
              <td className="card-status">
                <StatusBadge status={letter.status} />
              </td>
              <td className="nowrap" data-label="Sent">
                {formatDate(letter.sentOn)}
              </td>
              <td data-label="To">
                <AgencyNames agencies={letter.agencies} />
              </td>
              <td data-label="Deadline">
                <DeadlineText date={letter.effectiveDeadline} source={letter.deadlineSource} />
                {letter.deadline && letter.effectiveDeadline !== letter.deadline ? (
                  <div className="muted small">extended from {formatDate(letter.deadline)}</div>
                ) : null}
              </td>
              <td className="number card-days" data-label="Days outstanding">
                {letter.daysOutstanding ?? <span className="muted small">answered in {letter.responseDays} d</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function OpenQuestionList({
  questions,
  withAsOf,
}: {
  questions: QuestionListItem[];
  withAsOf: (path: string) => string;
}) {
  return (
    <ol className="plain-list">
      {questions.map((question) => (
        <li key={question.id} data-testid="open-question">
          <p className="question-text">
            {question.text} <QuestionStatusBadge status={question.status} />
          </p>
          <div className="muted small">
            Question {question.number} of <Link to={withAsOf(`/letters/${question.letterSlug}`)}>{question.letterTitle}</Link>{" "}
            · <AgencyNames agencies={question.agencies} /> · sent {formatDate(question.sentOn)} · open {question.daysOpen} days
            {question.overdue ? <span className="overdue-note"> · past deadline</span> : null}
          </div>
        </li>
      ))}
    </ol>
  );
}
