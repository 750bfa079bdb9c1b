import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AgencyNames } from "~/components/agency-names";
import { AsOfBanner, ProblemsNotice } from "~/components/as-of-banner";
import { ChartFigure } from "~/components/chart-figure";
import { AgencyMedianChart, BucketChart, MonthlyStatusChart, SurvivalChart } from "~/components/charts";
import { DeadlineText, useDefaultResponseDays } from "~/components/deadline-text";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { OverdueTable } from "~/components/overdue-table";
import { requireUser } from "~/utils/permissions.server";
import { AgencyTable, drawnCurves, SurvivalTable, withAsOfFor } from "~/components/figures";
import { StatusBadge } from "~/components/status-badge";
import { formatFactDate } from "~/domain/approximate-date";
import { formatDate, today } from "~/domain/dates";
import { effectiveAsOf, parseAsOf } from "~/domain/filters";
import { scorecardRow } from "~/domain/scorecards";
import { sentPeriods } from "~/domain/statistics";
import { COMPLETENESS_TERMS, LETTER_STATUS_LABELS, LETTER_STATUSES } from "~/domain/vocabulary";
import { figuresFor } from "~/models/figure-store.server";
import type { AgencyRef } from "~/models/letters.server";
import dashboardStyles from "~/styles/dashboard.css";
import { TableScroll } from "~/components/table-scroll";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardStyles }];

export const meta: MetaFunction = () => [{ title: "Overview · Oversight Letter Tracker" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  const { asOf: asOfParam, problem } = parseAsOf(new URL(request.url).searchParams);
  const asOf = effectiveAsOf({ asOf: asOfParam });
  // In the read pool; after a write, the previous figures (labelled) while new ones are computed.
  const computed = await figuresFor("overview", { asOf }, { context, shared: asOf === today() });
  const { months, agencies, upcoming, overdue, ...figures } = computed.value;
  // The hydration data (turbo-stream) sends an object it has already sent as a reference: a letter
  // on both the unanswered and the overdue list (most of the oldest are both) and an agency named on
  // many rows are sent once, which keeps the overview under 60 kB at 20,000 letters (light-pages).
  // Copies: the figures may be a cached object that other requests share.
  const agency = sharedAgencies();
  const unanswered = figures.unanswered.map((letter) => ({ ...letter, agencies: letter.agencies.map(agency) }));
  const unansweredBySlug = new Map(unanswered.map((letter) => [letter.slug, letter]));
  const overdueLetters = overdue.letters.slice(0, OVERVIEW_OVERDUE).map((letter) => {
    const same = unansweredBySlug.get(letter.slug);
    return same ? Object.assign(same, letter, { agencies: same.agencies }) : { ...letter, agencies: letter.agencies.map(agency) };
  });
  const shown = upcoming.slice(0, OVERVIEW_UPCOMING).map((letter) => ({ ...letter, agencies: letter.agencies.map(agency) }));
  return {
    asOf,
    today: today(),
    figuresComputedAt: computed.stale ? computed.computedAt : null,
    problems: problem ? [problem] : [],
    ...figures,
    unanswered,
    overdue: { ...overdue, letters: overdueLetters },
    // Per month, or per year over a long span: what the chart draws and its table lists.
    sent: sentPeriods(months),
    // The agencies with most letters, with what their table shows; /agencies ranks them all (a
    // national tracker has hundreds).
    agencies: agencies.slice(0, OVERVIEW_AGENCIES).map(scorecardRow),
    agencyCount: agencies.length,
    // The nearest deadlines; the list of letters sorted by deadline has them all.
    upcoming: shown,
    moreUpcoming: upcoming.length > OVERVIEW_UPCOMING,
  };
}

/**
 * Rows of the overview's lists: a page to glance at (under 60 kB at 100,000 letters), with links to
 * the full lists. The ten oldest letters without an answer lead (figures' unansweredLetters); the
 * overdue and upcoming lists below them keep five each, so the page stays light (decision 0014).
 */
const OVERVIEW_AGENCIES = 10;
const OVERVIEW_OVERDUE = 5;
const OVERVIEW_UPCOMING = 5;

/** One object per agency (by slug) across the lists' rows, so the hydration data names each once. */
function sharedAgencies(): (agency: AgencyRef) => AgencyRef {
  const bySlug = new Map<string, AgencyRef>();
  return (agency) => {
    const known = bySlug.get(agency.slug);
    if (known && known.name === agency.name && known.acronym === agency.acronym) return known;
    bySlug.set(agency.slug, agency);
    return agency;
  };
}

export default function Overview() {
  const data = useLoaderData<typeof loader>();
  const { asOf, today, problems, counts, total, overdue, unanswered, upcoming, latest, sent, responseDays, ages, survival, agencies, figuresComputedAt } =
    data;
  const unansweredTotal = counts.awaiting + counts.overdue;
  const defaultResponseDays = useDefaultResponseDays();
  const withAsOf = withAsOfFor(asOf, today);
  const overall = survival[0]!;
  const periods = sent.periods;
  const unit = sent.unit;
  const busiest = periods.reduce<(typeof periods)[number] | undefined>(
    (best, period) => (best === undefined || period.total > best.total ? period : best),
    undefined,
  );
  const oldOpen = ages.buckets.at(-1)?.count ?? 0;
  const ratedMedians = agencies.filter((agency) => agency.medianRated && agency.medianDays !== null);
  const fastest = agencies
    .filter((agency) => agency.medianRated && agency.medianDays !== null)
    .sort((a, b) => a.medianDays! - b.medianDays!)[0];

  return (
    <>
      <h1>Overview</h1>
      <AsOfBanner asOf={asOf} today={today} figuresComputedAt={figuresComputedAt} />
      <ProblemsNotice problems={problems} />
      <section aria-labelledby="unanswered-heading" data-testid="unanswered">
        <h2 id="unanswered-heading">
          {unansweredTotal === 1 ? "1 letter" : `${unansweredTotal} letters`} without an answer, oldest first
        </h2>
        <p className="muted small" data-testid="unanswered-summary">
          {`${counts.overdue} overdue, ${counts.awaiting} still within their deadline. `}
          {defaultResponseDays > 0
            ? `A letter that sets no deadline is due ${defaultResponseDays} days after sending.`
            : "A letter that sets no deadline is never overdue."}
        </p>
        {unanswered.length === 0 ? (
          <p className="muted">Every letter has had a substantive response or was closed.</p>
        ) : (
          <div className="table-scroll" role="region" aria-labelledby="unanswered-heading" tabIndex={0}>
            <table className="cards">
              <thead>
                <tr>
                  <th scope="col" className="number">
                    Days outstanding
                  </th>
                  <th scope="col">Letter</th>
                  <th scope="col">Status</th>
                  <th scope="col">Deadline</th>
                </tr>
              </thead>
              <tbody>
                {unanswered.map((letter) => (
                  <tr key={letter.slug} data-testid="unanswered-row">
                    <td className="number card-days" data-label="Days outstanding">
                      {letter.daysOutstanding}
                    </td>
                    <td className="card-title">
                      <Link to={withAsOf(`/letters/${letter.slug}`)}>{letter.title}</Link>
                      <div className="muted small">
                        {`sent ${formatDate(letter.sentOn)} · `}
                        <AgencyNames agencies={letter.agencies} />
                      </div>
                    </td>
                    <td className="card-status">
                      <StatusBadge status={letter.status} />
                      {letter.daysOverdue !== null ? <div className="muted small">{`${letter.daysOverdue} days overdue`}</div> : null}
                    </td>
                    <td data-label="Deadline">
                      <DeadlineText date={letter.effectiveDeadline} source={letter.deadlineSource} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {unansweredTotal > unanswered.length ? (
          <p>
            <Link to={withAsOf("/letters?status=awaiting&status=overdue&sort=sent&dir=asc")}>All {unansweredTotal} letters without an answer</Link>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="status-heading">
        <h2 id="status-heading">
          {total} letters by status <span className="muted small">as of {formatDate(asOf)}</span>
        </h2>
        <ul className="status-counts">
          {LETTER_STATUSES.map((status) => (
            <li key={status} data-testid={`count-${status}`}>
              <Link to={withAsOf(`/letters?status=${status}`)}>
                <span className="count">{counts[status]}</span>
                <StatusBadge status={status} />
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <div className="dashboard-columns">
        <section aria-labelledby="overdue-heading">
          <h2 id="overdue-heading">Overdue letters, longest overdue first</h2>
          {overdue.total === 0 ? (
            <p className="muted">No letter is past its deadline without a substantive response.</p>
          ) : (
            <TableScroll label="Overdue letters">
              <OverdueTable letters={overdue.letters} withAsOf={withAsOf} rowTestId="overdue-row" />
            </TableScroll>
          )}
          {overdue.total > overdue.letters.length ? (
            <p>
              <Link to={withAsOf("/letters?status=overdue&sort=deadline")}>All {overdue.total} overdue letters</Link>
            </p>
          ) : null}
        </section>

        <section aria-labelledby="upcoming-heading">
          <h2 id="upcoming-heading">Deadlines in the next 14 days</h2>
          <p className="small">
            <a href="/calendar.ics">Subscribe to the deadline calendar</a>
          </p>
          {upcoming.length === 0 ? (
            <p className="muted" data-testid="no-upcoming">
              No letter awaiting a reply has a deadline between {formatDate(asOf)} and 14 days later.
            </p>
          ) : (
            <ul className="plain-list">
              {upcoming.map((letter) => (
                <li key={letter.slug} data-testid="upcoming-row">
                  <Link to={withAsOf(`/letters/${letter.slug}`)}>{letter.title}</Link>
                  <div className="muted small">
                    <AgencyNames agencies={letter.agencies} />
                    {" · due "}
                    <DeadlineText date={letter.effectiveDeadline} source={letter.deadlineSource} />
                    {` (${letter.daysLeft === 0 ? "today" : letter.daysLeft === 1 ? "in 1 day" : `in ${letter.daysLeft} days`})`}
                  </div>
                </li>
              ))}
            </ul>
          )}
          {data.moreUpcoming ? (
            <p>
              <Link to={withAsOf("/letters?status=awaiting&sort=deadline")}>All letters awaiting a reply, by deadline</Link>
            </p>
          ) : null}

          <h2 id="latest-heading">Latest responses</h2>
          <p className="small">
            <a href="/feed.xml">Feed of new letters and responses</a>
          </p>
          {latest.length === 0 ? (
            <p className="muted">No response has been received yet.</p>
          ) : (
            <ul className="plain-list">
              {latest.map((response) => (
                <li key={response.id} data-testid="latest-response">
                  <Link to={withAsOf(`/letters/${response.letterSlug}`)}>{response.letterTitle}</Link>
                  <div className="muted small">
                    {formatFactDate(response.receivedOn, response.receivedPrecision)} · {COMPLETENESS_TERMS.labelOf(response.completeness)}{" "}
                    from {response.from}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      <h2>How agencies answer</h2>
      <div className="chart-grid">
        <ChartFigure
          id="months"
          wide
          title={`Letters sent per ${unit}, by current status`}
          reading={
            busiest
              ? `${total} letters sent from ${periods[0]!.period} to ${periods.at(-1)!.period}; the busiest ${unit} was ${busiest.period} with ${busiest.total}.`
              : "No letters yet."
          }
          chart={() => <MonthlyStatusChart periods={periods} />}
        >
          <table className="compact numbers">
            <thead>
              <tr>
                <th scope="col">{unit === "month" ? "Month" : "Year"}</th>
                {LETTER_STATUSES.map((status) => (
                  <th key={status} scope="col" className="number">
                    {LETTER_STATUS_LABELS[status]}
                  </th>
                ))}
                <th scope="col" className="number">Total</th>
              </tr>
            </thead>
            <tbody>
              {periods
                .filter((period) => period.total > 0)
                .map((period) => (
                  <tr key={period.period} data-testid={`${unit}-row`}>
                    <th scope="row">{period.period}</th>
                    {LETTER_STATUSES.map((status) => (
                      <td key={status}>{period.counts[status]}</td>
                    ))}
                    <td>{period.total}</td>
                  </tr>
                ))}
            </tbody>
          </table>
          <p className="muted small">
            {unit === "month" ? "Months" : "Years"} without letters are left out of the table.
            {unit === "year" ? " Over more than three years the chart counts years." : ""}
          </p>
        </ChartFigure>

        <ChartFigure
          id="response-days"
          title="Days to the first substantive response"
          reading={
            responseDays.answered === 0
              ? "No letter has had a substantive response yet."
              : `${responseDays.answered} letters got a substantive response; half of them within ${responseDays.medianDays} days of sending.`
          }
          chart={() => <BucketChart buckets={responseDays.buckets} label="Letters" />}
        >
          <BucketTable buckets={responseDays.buckets} label="Days to first substantive response" />
        </ChartFigure>

        <ChartFigure
          id="survival"
          title="Share of letters still unanswered, by days since sending"
          reading={
            overall.median !== null
              ? `Half of all letters got a substantive response within ${overall.median} days (Kaplan–Meier estimate; letters still waiting count up to ${formatDate(asOf)}).`
              : `More than half of all ${overall.n} letters are still without a substantive response${
                  overall.checkpoints[0]?.percent != null ? `; ${overall.checkpoints[0].percent}% were still unanswered after 30 days` : ""
                }. Letters still waiting count up to ${formatDate(asOf)}.`
          }
          chart={drawnCurves(survival).length > 0 ? () => <SurvivalChart series={drawnCurves(survival)} /> : null}
          height={300}
        >
          <SurvivalTable series={survival} />
          <p className="muted small">The five agencies with the most letters, and all letters together.</p>
        </ChartFigure>

        <ChartFigure
          id="agency-medians"
          wide
          title="Median days to respond and on-time rate, by agency"
          reading={
            fastest
              ? `${fastest.name} has the shortest median, ${fastest.medianDays} days. Rates from fewer than 5 letters are not shown.`
              : "No agency has a median yet: it takes at least 5 letters, half of them answered. The table gives every figure with its n."
          }
          chart={ratedMedians.length > 0 ? () => <AgencyMedianChart agencies={ratedMedians} /> : null}
        >
          <AgencyTable agencies={agencies} withAsOf={withAsOf} />
          {data.agencyCount > agencies.length ? (
            <p className="small">
              The {agencies.length} agencies with the most letters.{" "}
              <Link to={withAsOf("/agencies")}>All {data.agencyCount} agencies</Link>
            </p>
          ) : null}
        </ChartFigure>

        <ChartFigure
          id="ages"
          title="Open letters by age"
          reading={
            ages.open === 0
              ? "No letter is waiting for a substantive response."
              : `${ages.open} letters are waiting for a substantive response; ${oldOpen} of them for over 180 days.`
          }
          chart={() => <BucketChart buckets={ages.buckets} label="Open letters" color="#b42318" />}
        >
          <BucketTable buckets={ages.buckets} label="Days since sending" />
        </ChartFigure>
      </div>
    </>
  );
}

function BucketTable({ buckets, label }: { buckets: Array<{ label: string; count: number }>; label: string }) {
  return (
    <table className="compact numbers">
      <thead>
        <tr>
          <th scope="col">{label}</th>
          <th scope="col" className="number">Letters</th>
        </tr>
      </thead>
      <tbody>
        {buckets.map((bucket) => (
          <tr key={bucket.label} data-testid="bucket-row">
            <th scope="row">{bucket.label}</th>
            <td>{bucket.count}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
