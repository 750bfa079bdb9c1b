import { Link } from "@remix-run/react";
import { formatDate } from "~/domain/dates";
import type { AgencyRef } from "~/models/letters.server";
import type { DeadlineSource } from "~/domain/vocabulary";
import { AgencyNames } from "./agency-names";
import { DeadlineText } from "./deadline-text";

export interface OverdueRow {
  slug: string;
  title: string;
  sentOn: string;
  agencies: AgencyRef[];
  effectiveDeadline: string;
  deadlineSource: DeadlineSource | null;
  daysOverdue: number;
}

/**
 * Overdue letters: title, agencies, deadline, days overdue. The overview adds each letter's sent
 * date; the briefing prints a compact table.
 */
export function OverdueTable({
  letters,
  withAsOf,
  rowTestId,
  compact = false,
}: {
  letters: OverdueRow[];
  withAsOf: (path: string) => string;
  rowTestId: string;
  compact?: boolean;
}) {
  return (
    <table className={compact ? "compact" : "cards"}>
      <thead>
        <tr>
          <th scope="col">Letter</th>
          <th scope="col">To</th>
          <th scope="col">Deadline</th>
          <th scope="col" className="number">
            Days overdue
          </th>
        </tr>
      </thead>
      <tbody>
        {letters.map((letter) => (
          <tr key={letter.slug} data-testid={rowTestId}>
            <td className="card-title">
              <Link to={withAsOf(`/letters/${letter.slug}`)}>{letter.title}</Link>
              {compact ? null : <div className="muted small">sent {formatDate(letter.sentOn)}</div>}
            </td>
            <td data-label="To">
              <AgencyNames agencies={letter.agencies} />
            </td>
            <td data-label="Deadline">
              <DeadlineText date={letter.effectiveDeadline} source={letter.deadlineSource} />
            </td>
            <td className="number card-days" data-label="Days overdue">
              {letter.daysOverdue}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
