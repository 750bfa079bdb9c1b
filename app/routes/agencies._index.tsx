import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AsOfBanner, ProblemsNotice } from "~/components/as-of-banner";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireUser } from "~/utils/permissions.server";
import { AgencyTable, withAsOfFor } from "~/components/figures";
import { formatDate, today } from "~/domain/dates";
import { parseAsOf, effectiveAsOf } from "~/domain/filters";
import { MIN_LETTERS_TO_RATE } from "~/domain/statistics";
import { Pagination } from "~/components/pagination";
import { parseScorecardPage, parseScorecardSort, SCORECARDS_PER_PAGE, scorecardRow } from "~/domain/scorecards";
import { figuresFor } from "~/models/figure-store.server";
import dashboardStyles from "~/styles/dashboard.css";
import { TableScroll } from "~/components/table-scroll";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardStyles }];

export const meta: MetaFunction = () => [{ title: "Agencies · Oversight Letter Tracker" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  const params = new URL(request.url).searchParams;
  const { asOf: asOfParam, problem } = parseAsOf(params);
  const { sort, problem: sortProblem } = parseScorecardSort(params);
  const { page: pageParam, problem: pageProblem } = parseScorecardPage(params);
  const asOf = effectiveAsOf({ asOf: asOfParam });
  const computed = await figuresFor("agencyScorecards", { asOf, sort }, { context, shared: asOf === today() });
  const ranked = computed.value;
  const pageCount = Math.max(1, Math.ceil(ranked.length / SCORECARDS_PER_PAGE));
  // A page past the last shows the last.
  const page = Math.min(pageParam, pageCount);
  const offset = (page - 1) * SCORECARDS_PER_PAGE;
  return {
    asOf,
    today: today(),
    sort,
    problems: [problem, sortProblem, pageProblem].filter((p): p is string => p !== null),
    // Only this page's rows, and of each only what the table shows.
    agencies: ranked.slice(offset, offset + SCORECARDS_PER_PAGE).map(scorecardRow),
    figuresComputedAt: computed.stale ? computed.computedAt : null,
    total: ranked.length,
    page,
    pageCount,
    offset,
  };
}

export default function AgenciesPage() {
  const { asOf, today, sort, problems, agencies, figuresComputedAt, total, page, pageCount, offset } = useLoaderData<typeof loader>();
  const withAsOf = withAsOfFor(asOf, today);
  const hrefFor = (column: typeof sort, toPage = 1) => {
    const params = new URLSearchParams();
    if (column !== "letters") params.set("sort", column);
    if (toPage > 1) params.set("page", String(toPage));
    const search = params.toString();
    return withAsOf(`/agencies${search ? `?${search}` : ""}`);
  };
  return (
    <>
      <h1>Agency scorecards</h1>
      <AsOfBanner asOf={asOf} today={today} figuresComputedAt={figuresComputedAt} />
      <ProblemsNotice problems={problems} />
      <p>
        How the agencies written to have answered, as of {formatDate(asOf)}. <strong>Answered</strong>: letters with a
        substantive response (full, partial or refusal). <strong>Median days</strong>: Kaplan–Meier estimate, counting
        letters still waiting up to today rather than leaving them out. <strong>On time</strong>: first substantive
        response on or before the effective deadline, among letters that had a deadline and a response. Rates from fewer
        than {MIN_LETTERS_TO_RATE} letters are not shown; every rate gives its n.
      </p>
      {agencies.length === 0 ? (
        <p className="empty">No letters yet.</p>
      ) : (
        <TableScroll label="Agencies">
          <AgencyTable agencies={agencies} withAsOf={withAsOf} ranking={{ sort, hrefFor: (column) => hrefFor(column), offset }} />
        </TableScroll>
      )}
      {pageCount > 1 ? (
        <p className="small muted" data-testid="agency-range">
          Agencies {offset + 1}–{offset + agencies.length} of {total}
        </p>
      ) : null}
      <Pagination page={page} pageCount={pageCount} hrefFor={(toPage) => hrefFor(sort, toPage)} />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
