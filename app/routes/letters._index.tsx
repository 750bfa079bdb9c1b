import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AgencyNames } from "~/components/agency-names";
import { AsOfBanner, ProblemsNotice } from "~/components/as-of-banner";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { SortableHeader } from "~/components/sortable-header";
import { requireReader } from "~/models/auth.server";
import { LetterFiltersForm } from "~/components/letter-filters-form";
import { Pagination } from "~/components/pagination";
import { StatusBadge } from "~/components/status-badge";
import { formatDate, today } from "~/domain/dates";
import {
  effectiveAsOf,
  letterFiltersToSearch,
  parseLetterFilters,
  type LetterSort,
} from "~/domain/filters";
import { letterFilterOptions, listLetters } from "~/models/letters.server";

export const meta: MetaFunction = () => [{ title: "Letters · Oversight Letter Tracker" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireReader(request);
  const { filters, problems } = parseLetterFilters(new URL(request.url).searchParams);
  const asOf = effectiveAsOf(filters);
  return {
    filters,
    problems,
    asOf,
    today: today(),
    result: listLetters({ filters, asOf }),
    options: letterFilterOptions(),
  };
}

export default function LettersPage() {
  const { filters, problems, asOf, today, result, options } = useLoaderData<typeof loader>();

  const sortHeader = (column: LetterSort, label: string, className?: string) => (
    <SortableHeader
      column={column}
      label={label}
      sort={filters.sort}
      dir={filters.dir}
      className={className}
      hrefFor={(sort, dir) => `/letters${letterFiltersToSearch(filters, { sort, dir, page: 1 })}`}
    />
  );

  return (
    <>
      <h1>Letters</h1>
      <AsOfBanner asOf={asOf} today={today} />
      <ProblemsNotice problems={problems} />
      <LetterFiltersForm filters={filters} options={options} />
      <p className="result-count" data-testid="letter-count">
        {result.total === 1 ? "1 letter" : `${result.total} letters`}
      </p>
      <p className="small" data-testid="export-links">
        {/* Plain links: these are downloads, not pages. The page parameter is left out: all pages. */}
        <a href={`/export/letters.csv${letterFiltersToSearch(filters, { page: 1 })}`} download>
          Export CSV
        </a>
        {" · "}
        <a href={`/export/letters-questions.csv${letterFiltersToSearch(filters, { page: 1 })}`} download>
          with questions
        </a>
        {" · "}
        <a href={`/export/responses.csv${letterFiltersToSearch(filters, { page: 1 })}`} download>
          responses
        </a>
        {" · "}
        <a href={`/calendar.ics${letterFiltersToSearch(filters, { page: 1 })}`}>deadline calendar</a>
      </p>
      {result.letters.length === 0 ? (
        <p className="empty">No letters match these filters.</p>
      ) : (
        <div className="table-scroll">
          <table className="letters-table">
            <thead>
              <tr>
                {sortHeader("title", "Letter")}
                {sortHeader("status", "Status")}
                {sortHeader("sent", "Sent")}
                <th scope="col">To</th>
                {sortHeader("deadline", "Deadline")}
                {sortHeader("outstanding", "Days outstanding")}
              </tr>
            </thead>
            <tbody>
              {result.letters.map((letter) => (
                <tr key={letter.slug} data-testid="letter-row">
                  <td>
                    <Link to={`/letters/${letter.slug}${asOf === today ? "" : `?asOf=${asOf}`}`}>
                      {letter.title}
                    </Link>
                    {letter.committee ? <div className="muted small">{letter.committee}</div> : null}
                  </td>
                  <td>
                    <StatusBadge status={letter.status} />
                  </td>
                  <td className="nowrap">{formatDate(letter.sentOn)}</td>
                  <td>
                    <AgencyNames agencies={letter.agencies} />
                  </td>
                  <td className="nowrap">
                    {letter.effectiveDeadline ? formatDate(letter.effectiveDeadline) : <span className="muted">None set</span>}
                    {letter.deadline && letter.effectiveDeadline !== letter.deadline ? (
                      <div className="muted small">extended from {formatDate(letter.deadline)}</div>
                    ) : null}
                  </td>
                  <td className="number">
                    {letter.daysOutstanding ?? (
                      <span className="muted small">answered in {letter.responseDays} d</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination
        page={result.page}
        pageCount={result.pageCount}
        hrefFor={(page) => `/letters${letterFiltersToSearch(filters, { page })}`}
      />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
