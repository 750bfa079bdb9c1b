import { Link } from "@remix-run/react";
import { formatDate } from "~/domain/dates";
import type { AgencyRef } from "~/models/letters.server";
import { AgencyNames } from "./agency-names";

export interface OverdueRow {
  slug: string;
  title: string;
  sentOn: string;
  agencies: AgencyRef[];
  effectiveDeadline: string;
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
            <td className="nowrap" data-label="Deadline">
              {formatDate(letter.effectiveDeadline)}
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
