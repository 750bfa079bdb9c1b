import { redirect, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { FollowForm } from "~/components/follow-form";
import { Link, useLoaderData } from "@remix-run/react";
import { AgencyNames } from "~/components/agency-names";
import { DeadlineText } from "~/components/deadline-text";
import { AsOfBanner, ProblemsNotice } from "~/components/as-of-banner";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { SortableHeader } from "~/components/sortable-header";
import { requireUser } from "~/utils/permissions.server";
import { withAsOfFor } from "~/components/figures";
import { Pagination } from "~/components/pagination";
import { QuestionFiltersForm } from "~/components/question-filters-form";
import { QUESTION_KIND_TERMS } from "~/domain/vocabulary";
import { QuestionStatusBadge } from "~/components/status-badge";
import { formatDate, today } from "~/domain/dates";
import {
  effectiveAsOf,
  parseQuestionFilters,
  questionFiltersToSearch,
  type QuestionSort,
} from "~/domain/filters";
import { resolveSelectionPicks } from "~/models/pickers.server";
import { readInPool } from "~/utils/read-pool.server";
import dashboardStyles from "~/styles/dashboard.css";
import { listTotal } from "~/models/list-totals.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardStyles }];

export const meta: MetaFunction = () => [{ title: "Questions · Oversight Letter Tracker" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  // Agency, committee, member and topic may come as typed names (the filter form without JavaScript).
  const { params, picks, canonicalSearch } = resolveSelectionPicks(new URL(request.url).searchParams);
  // Names that each found their one match: on to the usual address, with slugs.
  if (canonicalSearch !== null) throw redirect(`/questions${canonicalSearch}`);
  const { filters, problems } = parseQuestionFilters(params);
  const asOf = effectiveAsOf(filters);
  return {
    filters,
    problems,
    asOf,
    today: today(),
    result: await readInPool("listQuestions", { filters, asOf, total: await listTotal("questions", filters, asOf, { context, request }) }, { context, request }),
    picks,
  };
}

export default function QuestionsPage() {
  const { filters, problems, asOf, today, result, picks } = useLoaderData<typeof loader>();
  const withAsOf = withAsOfFor(asOf, today);
  const onlyOpen = filters.statuses.length === 1 && filters.statuses[0] === "open";

  const sortHeader = (column: QuestionSort, label: string, className?: string) => (
    <SortableHeader
      column={column}
      label={label}
      sort={filters.sort}
      dir={filters.dir}
      className={className}
      hrefFor={(sort, dir) => `/questions${questionFiltersToSearch(filters, { sort, dir, page: 1 })}`}
    />
  );

  return (
    <>
      <h1>{onlyOpen ? "Unanswered questions" : "Questions"}</h1>
      <AsOfBanner asOf={asOf} today={today} />
      <ProblemsNotice problems={problems} />
      <QuestionFiltersForm filters={filters} picks={picks} action="/questions" />
      <div className="page-actions">
        <p className="result-count" data-testid="question-count">
          {result.total === 1 ? "1 question" : `${result.total} questions`}
        </p>
        <Link to={`/briefing${questionFiltersToSearch(filters, { page: 1 })}`}>Printable briefing of this selection</Link>
        <span>
          <a href={`/export/questions.csv${questionFiltersToSearch(filters, { page: 1 })}`} download data-testid="export-questions">
            Export CSV
          </a>
          {" ("}
          <a href={`/export/questions.xlsx${questionFiltersToSearch(filters, { page: 1 })}`} download data-testid="export-questions-xlsx">
            <abbr title="Excel workbook">.xlsx</abbr>
            <span className="visually-hidden"> spreadsheet of the questions</span>
          </a>
          {")"}
        </span>
      </div>
      <details className="follow-details">
        <summary>Follow by email</summary>
        <FollowForm kind="search" subjectKey={`/questions${questionFiltersToSearch({ ...filters, asOf: null }, { page: 1 })}`} label="this search" />
      </details>
      {result.questions.length === 0 ? (
        <p className="empty">No questions match these filters.</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Questions">
          <table className="questions-table cards">
            <thead>
              <tr>
                <th scope="col">Question</th>
                {sortHeader("letter", "Letter")}
                <th scope="col">Agency</th>
                {sortHeader("sent", "Sent")}
                {sortHeader("deadline", "Deadline")}
                <th scope="col">Status</th>
                {sortHeader("open", "Days open", "number")}
              </tr>
            </thead>
            <tbody>
              {result.questions.map((question) => (
                <tr key={question.id} data-testid="question-row">
                  <td className="question-text card-title">
                    <span className="question-number">{question.number}.</span> {question.text}
                    {question.kind !== "question" ? (
                      <div className="kind">{QUESTION_KIND_TERMS.labelOf(question.kind)}</div>
                    ) : null}
                  </td>
                  <td data-label="Letter">
                    <Link to={withAsOf(`/letters/${question.letterSlug}`)}>{question.letterTitle}</Link>
                  </td>
                  <td data-label="Agency">
                    <AgencyNames agencies={question.agencies} />
                  </td>
                  <td className="nowrap" data-label="Sent">
                    {formatDate(question.sentOn)}
                  </td>
                  <td className="print-nowrap" data-label="Deadline">
                    <DeadlineText date={question.effectiveDeadline} source={question.deadlineSource} />
                    {question.overdue ? <div className="small overdue-note">past deadline</div> : null}
                  </td>
                  <td className="card-status">
                    <QuestionStatusBadge status={question.status} />
                  </td>
                  <td className="number card-days" data-label="Days open">
                    {question.daysOpen}
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
        hrefFor={(page) => `/questions${questionFiltersToSearch(filters, { page })}`}
      />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
