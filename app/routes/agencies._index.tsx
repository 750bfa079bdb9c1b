import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AsOfBanner, ProblemsNotice } from "~/components/as-of-banner";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireUser } from "~/utils/permissions.server";
import { AgencyTable, withAsOfFor } from "~/components/figures";
import { formatDate, today } from "~/domain/dates";
import { parseAsOf, effectiveAsOf } from "~/domain/filters";
import { MIN_LETTERS_TO_RATE } from "~/domain/statistics";
import { parseScorecardSort } from "~/domain/scorecards";
import { figuresFor } from "~/models/figure-store.server";
import dashboardStyles from "~/styles/dashboard.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardStyles }];

export const meta: MetaFunction = () => [{ title: "Agencies · Oversight Letter Tracker" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  const params = new URL(request.url).searchParams;
  const { asOf: asOfParam, problem } = parseAsOf(params);
  const { sort, problem: sortProblem } = parseScorecardSort(params);
  const asOf = effectiveAsOf({ asOf: asOfParam });
  const scorecards = async () => {
    const computed = await figuresFor("agencyScorecards", { asOf, sort }, { context, shared: asOf === today() });
    return { agencies: computed.value, figuresComputedAt: computed.stale ? computed.computedAt : null };
  };
  return {
    asOf,
    today: today(),
    sort,
    problems: [problem, sortProblem].filter((p): p is string => p !== null),
    ...(await scorecards()),
  };
}

export default function AgenciesPage() {
  const { asOf, today, sort, problems, agencies, figuresComputedAt } = useLoaderData<typeof loader>();
  const withAsOf = withAsOfFor(asOf, today);
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
        <div className="table-scroll">
          <AgencyTable
            agencies={agencies}
            withAsOf={withAsOf}
            ranking={{ sort, hrefFor: (column) => withAsOf(column === "letters" ? "/agencies" : `/agencies?sort=${column}`) }}
          />
        </div>
      )}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
