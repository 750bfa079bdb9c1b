import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AgencyNames } from "~/components/agency-names";
import { AsOfBanner, ProblemsNotice } from "~/components/as-of-banner";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireReader } from "~/models/auth.server";
import { StatusBadge } from "~/components/status-badge";
import { formatDate, today } from "~/domain/dates";
import { effectiveAsOf, parseAsOf } from "~/domain/filters";
import { LETTER_STATUSES } from "~/domain/status";
import { countLettersByStatus, listOverdueLetters } from "~/models/letters.server";

export const meta: MetaFunction = () => [{ title: "Overview · Oversight Letter Tracker" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireReader(request);
  const { asOf: asOfParam, problem } = parseAsOf(new URL(request.url).searchParams);
  const asOf = effectiveAsOf({ asOf: asOfParam });
  const counts = countLettersByStatus({ asOf });
  return {
    asOf,
    today: today(),
    problems: problem ? [problem] : [],
    counts,
    total: Object.values(counts).reduce((sum, n) => sum + n, 0),
    overdue: listOverdueLetters({ asOf, limit: 10 }),
  };
}

export default function Overview() {
  const { asOf, today, problems, counts, total, overdue } = useLoaderData<typeof loader>();
  const withAsOf = (search: string) =>
    asOf === today ? search : `${search}${search ? "&" : "?"}asOf=${asOf}`;

  return (
    <>
      <h1>Overview</h1>
      <AsOfBanner asOf={asOf} today={today} />
      <ProblemsNotice problems={problems} />
      <section aria-labelledby="status-heading">
        <h2 id="status-heading">
          {total} letters by status <span className="muted small">as of {formatDate(asOf)}</span>
        </h2>
        <ul className="status-counts">
          {LETTER_STATUSES.map((status) => (
            <li key={status} data-testid={`count-${status}`}>
              <Link to={`/letters${withAsOf(`?status=${status}`)}`}>
                <span className="count">{counts[status]}</span>
                <StatusBadge status={status} />
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="overdue-heading">
        <h2 id="overdue-heading">Overdue letters, longest overdue first</h2>
        {overdue.total === 0 ? (
          <p className="muted">No letter is past its deadline without a substantive response.</p>
        ) : (
          <div className="table-scroll">
            <table>
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
                {overdue.letters.map((letter) => (
                  <tr key={letter.slug} data-testid="overdue-row">
                    <td>
                      <Link to={`/letters/${letter.slug}${withAsOf("")}`}>{letter.title}</Link>
                      <div className="muted small">sent {formatDate(letter.sentOn)}</div>
                    </td>
                    <td>
                      <AgencyNames agencies={letter.agencies} />
                    </td>
                    <td className="nowrap">{formatDate(letter.effectiveDeadline)}</td>
                    <td className="number">{letter.daysOverdue}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {overdue.total > overdue.letters.length ? (
          <p>
            <Link to={`/letters${withAsOf("?status=overdue&sort=deadline")}`}>
              All {overdue.total} overdue letters
            </Link>
          </p>
        ) : null}
      </section>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
