import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { FollowForm } from "~/components/follow-form";
import { Link, useLoaderData } from "@remix-run/react";
import { AsOfBanner, ProblemsNotice } from "~/components/as-of-banner";
import { ChartFigure } from "~/components/chart-figure";
import { SurvivalChart } from "~/components/charts";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { SenderSides } from "~/components/sender-sides";
import { parseSidePeriodKind } from "~/domain/political-sides";
import { requireUser } from "~/utils/permissions.server";
import { curveReading, MedianText, RateText, SurvivalTable, withAsOfFor } from "~/components/figures";
import { Pagination } from "~/components/pagination";
import { LetterTable, OpenQuestionList, QuestionCountsLine, StatusCounts } from "~/components/selection-summary";
import { formatDate, today } from "~/domain/dates";
import { effectiveAsOf, parseLetterFilters } from "~/domain/filters";
import { figuresFor } from "~/models/figure-store.server";
import dashboardStyles from "~/styles/dashboard.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.agency.name ?? "Agency"} · Oversight Letter Tracker` },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  const search = new URL(request.url).searchParams;
  const { filters, problems: filterProblems } = parseLetterFilters(search);
  const { by, problem: byProblem } = parseSidePeriodKind(search);
  const problems = byProblem ? [...filterProblems, byProblem] : filterProblems;
  const asOf = effectiveAsOf(filters);
  const computed = await figuresFor("agencyPage", { slug: params.slug ?? "", asOf, filters }, { context });
  if (!computed.value) throw new Response("There is no agency at this address.", { status: 404 });
  return {
    asOf,
    today: today(),
    problems,
    by,
    figuresComputedAt: computed.stale ? computed.computedAt : null,
    ...computed.value,
  };
}

export default function AgencyPage() {
  const { asOf, today, problems, by, agency, components, officials, figures, curve, questions, counts, letters, openQuestions, sides, figuresComputedAt } =
    useLoaderData<typeof loader>();
  const withAsOf = withAsOfFor(asOf, today);
  return (
    <>
      <p className="breadcrumb muted small">
        <Link to={withAsOf("/agencies")}>Agencies</Link> › {agency.acronym ?? agency.name}
      </p>
      <h1>{agency.name}</h1>
      <AsOfBanner asOf={asOf} today={today} figuresComputedAt={figuresComputedAt} />
      <ProblemsNotice problems={problems} />
      {agency.parent ? (
        <p data-testid="agency-parent">
          Part of <Link to={withAsOf(`/agencies/${agency.parent.slug}`)}>{agency.parent.name}</Link>
        </p>
      ) : null}
      {components.length > 0 ? (
        <details data-testid="agency-components">
          <summary>Components ({components.length})</summary>
          <ul>
            {components.map((component) => (
              <li key={component.slug}>
                <Link to={withAsOf(`/agencies/${component.slug}`)}>{component.name}</Link>
                {component.acronym ? <span className="muted"> ({component.acronym})</span> : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {officials.length > 0 ? (
        <p className="muted">Officials written to: {officials.map((official) => `${official.name} (${official.title})`).join("; ")}</p>
      ) : null}

      <section aria-labelledby="figures-heading">
        <h2 id="figures-heading">Figures as of {formatDate(asOf)}</h2>
        {figures === null ? (
          <p className="muted">No letters to this agency yet.</p>
        ) : (
          <ul className="figures" data-testid="agency-figures">
            <li data-testid="figure-letters">
              <span className="figure">{figures.letters}</span> letters received
            </li>
            <li data-testid="figure-answered">
              <span className="figure">
                <RateText rate={figures.answered} />
              </span>{" "}
              answered
            </li>
            <li data-testid="figure-median">
              <span className="figure">
                <MedianText median={figures.medianDays} n={figures.letters} rated={figures.medianRated} />
              </span>{" "}
              median to a first substantive response
            </li>
            <li data-testid="figure-ontime">
              <span className="figure">
                <RateText rate={figures.onTime} />
              </span>{" "}
              on time
            </li>
            <li data-testid="figure-open-questions">
              <span className="figure">{figures.openQuestions}</span> open questions
            </li>
            <li data-testid="figure-overdue">
              <span className="figure">{figures.overdue}</span> overdue letters
            </li>
          </ul>
        )}
        <StatusCounts counts={counts} linkFor={(status) => withAsOf(`/letters?agency=${agency.slug}&status=${status}`)} />
        <QuestionCountsLine counts={questions} />
      </section>

      {curve ? (
        <div className="chart-grid">
          <ChartFigure
            id="survival"
            title="Share of letters still unanswered, by days since sending"
            reading={curveReading(curve, `the letters to ${agency.acronym ?? agency.name}`)}
            chart={curve.rated ? () => <SurvivalChart series={[curve]} /> : null}
          >
            <SurvivalTable series={[curve]} />
          </ChartFigure>
        </div>
      ) : null}

      {sides.letters > 0 ? (
        <section aria-labelledby="sides-heading" data-testid="agency-sides">
          <h2 id="sides-heading">Who gets answered</h2>
          <p className="small muted">
            These letters by their senders&apos; side when each was sent, as on{" "}
            <Link to={withAsOf("/answered")}>Who gets answered</Link> for every agency.
          </p>
          <SenderSides
            figures={sides}
            by={by}
            idPrefix="agency-sides"
            byHref={(kind) => withAsOf(`/agencies/${agency.slug}${kind === "congress" ? "" : `?by=${kind}`}`)}
          />
        </section>
      ) : null}

      <section aria-labelledby="open-heading">
        <h2 id="open-heading">Open questions</h2>
        {openQuestions.total === 0 ? (
          <p className="muted">No open questions.</p>
        ) : (
          <>
            <OpenQuestionList questions={openQuestions.questions} withAsOf={withAsOf} />
            <p className="screen-only">
              <Link to={withAsOf(`/questions?agency=${agency.slug}`)}>All {openQuestions.total} open questions</Link> ·{" "}
              <Link to={withAsOf(`/briefing?agency=${agency.slug}`)}>Printable briefing</Link>
            </p>
          </>
        )}
      </section>

      <section aria-labelledby="letters-heading">
        <h2 id="letters-heading">Letters</h2>
        <LetterTable letters={letters.letters} withAsOf={withAsOf} />
        <Pagination
          page={letters.page}
          pageCount={letters.pageCount}
          hrefFor={(page) => withAsOf(`/agencies/${agency.slug}${page > 1 ? `?page=${page}` : ""}`)}
        />
      </section>
      <FollowForm kind="agency" subjectKey={agency.slug} label={agency.name} />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
