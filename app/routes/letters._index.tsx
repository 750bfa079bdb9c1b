import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { FollowForm } from "~/components/follow-form";
import { useLoaderData } from "@remix-run/react";
import { AsOfBanner, ProblemsNotice } from "~/components/as-of-banner";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { SortableHeader } from "~/components/sortable-header";
import { requireUser } from "~/utils/permissions.server";
import { LetterFiltersForm } from "~/components/letter-filters-form";
import { Pagination } from "~/components/pagination";
import { withAsOfFor } from "~/components/figures";
import { LetterTable } from "~/components/selection-summary";
import { today } from "~/domain/dates";
import {
  effectiveAsOf,
  letterFiltersToSearch,
  parseLetterFilters,
  type LetterSort,
} from "~/domain/filters";
import { resolveSelectionPicks } from "~/models/pickers.server";
import { readInPool } from "~/utils/read-pool.server";
import { listTotal } from "~/models/list-totals.server";

export const meta: MetaFunction = () => [{ title: "Letters · Oversight Letter Tracker" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  // Agency, committee, member and topic may come as typed names (the filter form without JavaScript).
  const { params, picks, canonicalSearch } = resolveSelectionPicks(new URL(request.url).searchParams);
  // Names that each found their one match: on to the usual address, with slugs.
  if (canonicalSearch !== null) throw redirect(`/letters${canonicalSearch}`);
  const { filters, problems } = parseLetterFilters(params);
  const asOf = effectiveAsOf(filters);
  return {
    filters,
    problems,
    asOf,
    today: today(),
    result: await readInPool("listLetters", { filters, asOf, total: await listTotal("letters", filters, asOf, { context, request }) }, { context, request }),
    picks,
  };
}

export default function LettersPage() {
  const { filters, problems, asOf, today, result, picks } = useLoaderData<typeof loader>();

  const sortHeader = (column: LetterSort, label: string) => (
    <SortableHeader
      column={column}
      label={label}
      sort={filters.sort}
      dir={filters.dir}
      hrefFor={(sort, dir) => `/letters${letterFiltersToSearch(filters, { sort, dir, page: 1 })}`}
    />
  );

  return (
    <>
      <h1>Letters</h1>
      <AsOfBanner asOf={asOf} today={today} />
      <ProblemsNotice problems={problems} />
      <LetterFiltersForm filters={filters} picks={picks} />
      <p className="result-count" data-testid="letter-count">
        {result.total === 1 ? "1 letter" : `${result.total} letters`}
      </p>
      <p className="small screen-only" data-testid="export-links">
        {/* Plain links: these are downloads, not pages. The page parameter is left out: all pages. */}
        <a href={`/export/letters.csv${letterFiltersToSearch(filters, { page: 1 })}`} download>
          Export CSV
        </a>
        {" ("}
        <a href={`/export/letters.xlsx${letterFiltersToSearch(filters, { page: 1 })}`} download>
          <abbr title="Excel workbook">.xlsx</abbr>
          <span className="visually-hidden"> spreadsheet of the letters</span>
        </a>
        {")"}
        {" · "}
        <a href={`/export/letters-questions.csv${letterFiltersToSearch(filters, { page: 1 })}`} download>
          with questions
        </a>
        {" ("}
        <a href={`/export/letters-questions.xlsx${letterFiltersToSearch(filters, { page: 1 })}`} download>
          <abbr title="Excel workbook">.xlsx</abbr>
          <span className="visually-hidden"> spreadsheet of the letters with questions</span>
        </a>
        {")"}
        {" · "}
        <a href={`/export/responses.csv${letterFiltersToSearch(filters, { page: 1 })}`} download>
          responses
        </a>
        {" ("}
        <a href={`/export/responses.xlsx${letterFiltersToSearch(filters, { page: 1 })}`} download>
          <abbr title="Excel workbook">.xlsx</abbr>
          <span className="visually-hidden"> spreadsheet of the responses</span>
        </a>
        {")"}
        {" · "}
        <a href={`/calendar.ics${letterFiltersToSearch(filters, { page: 1 })}`}>deadline calendar</a>
      </p>
      <details className="follow-details">
        <summary>Follow by email</summary>
        <FollowForm kind="search" subjectKey={`/letters${letterFiltersToSearch({ ...filters, asOf: null }, { page: 1 })}`} label="this search" />
        {filters.tag ? <FollowForm kind="topic" subjectKey={filters.tag} label="this topic" /> : null}
      </details>
      {result.letters.length === 0 ? (
        <p className="empty">No letters match these filters.</p>
      ) : (
        <LetterTable letters={result.letters} withAsOf={withAsOfFor(asOf, today)} sortHeader={sortHeader} />
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
