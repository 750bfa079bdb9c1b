import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AsOfBanner, ProblemsNotice } from "~/components/as-of-banner";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { OverdueTable } from "~/components/overdue-table";
import { requireUser } from "~/utils/permissions.server";
import { qrCodeSvg } from "~/utils/qr-code.server";
import { env } from "~/env.server";
import { withAsOfFor } from "~/components/figures";
import { formatDate, today } from "~/domain/dates";
import { effectiveAsOf, parseQuestionFilters, questionFiltersToSearch } from "~/domain/filters";
import { ASKED_AGAIN_LABEL, CLOSED_UNANSWERED_LABEL, LETTER_STATUS_LABELS, LETTER_STATUSES, QUESTION_KIND_LABELS, QUESTION_STATUS_LABELS } from "~/domain/vocabulary";
import { BRIEFING_QUESTIONS } from "~/models/briefing.server";
import { figuresFor } from "~/models/figure-store.server";
import dashboardStyles from "~/styles/dashboard.css";
import briefingStyles from "~/styles/briefing.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: dashboardStyles },
  { rel: "stylesheet", href: briefingStyles },
];

export const meta: MetaFunction = () => [{ title: "Briefing · Oversight Letter Tracker" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  const url = new URL(request.url);
  const { filters, problems } = parseQuestionFilters(url.searchParams);
  const asOf = effectiveAsOf(filters);
  const madeOn = today();
  const briefingFigures = async () => {
    const computed = await figuresFor("briefing", { filters, asOf }, { context });
    return { ...computed.value, figuresComputedAt: computed.stale ? computed.computedAt : null };
  };
  const search = questionFiltersToSearch(filters, { page: 1 });
  // Paper has no address bar: the live view's absolute address (PUBLIC_URL, never the Host header)
  // is printed, and as a QR code.
  const liveUrl = `${env.PUBLIC_URL}/briefing${search}`;
  return {
    filters,
    problems,
    asOf,
    today: madeOn,
    search,
    liveUrl,
    liveQrSvg: await qrCodeSvg(liveUrl),
    ...(await briefingFigures()),
  };
}

export default function BriefingPage() {
  const data = useLoaderData<typeof loader>();
  const { filters, problems, asOf, today, search, liveUrl, liveQrSvg, names, letterCounts, questionCounts, overdue, questionTotal, groups } = data;
  const withAsOf = withAsOfFor(asOf, today);
  const letterTotal = LETTER_STATUSES.reduce((sum, status) => sum + letterCounts[status], 0);
  const statusWords =
    filters.statuses.length === 0 ? "All" : filters.statuses.map((status) => QUESTION_STATUS_LABELS[status]).join(" or ");
  const about = [
    names.agency && `to ${names.agency}`,
    names.committee && `from ${names.committee}`,
    names.member && `signed by ${names.member}`,
    names.tag && `on ${names.tag}`,
    filters.kinds.length > 0 && `${filters.kinds.map((kind) => QUESTION_KIND_LABELS[kind]).join(" or ")} only`,
    filters.sentFrom && `sent from ${formatDate(filters.sentFrom)}`,
    filters.sentTo && `sent until ${formatDate(filters.sentTo)}`,
    filters.q && `mentioning “${filters.q}”`,
  ].filter(Boolean);

  return (
    <article className="briefing">
      <header className="briefing-header">
        <div className="briefing-heading">
          <p className="briefing-kicker">Oversight Letter Tracker · Briefing</p>
          <h1>
            {statusWords} questions{about.length > 0 ? ` ${about.join(", ")}` : ", all letters"}
          </h1>
          <p data-testid="briefing-made">
            Made on <strong>{formatDate(today)}</strong>
            {asOf !== today ? (
              <>
                , showing the state of play on <strong>{formatDate(asOf)}</strong>
              </>
            ) : null}
            .
          </p>
          <p data-testid="briefing-live">
            Live view:{" "}
            <a href={liveUrl} className="wrap-anywhere">
              {liveUrl}
            </a>
          </p>
        </div>
        {/* The same address as a QR code, for a phone held over the paper (the text above says it for everyone else). */}
        <div className="briefing-qr" data-testid="briefing-qr" dangerouslySetInnerHTML={{ __html: liveQrSvg }} />
      </header>
      <div className="page-actions">
        <Link to={`/questions${search}`}>Back to the question list</Link>
        <span className="muted small">Print this page (A4 or Letter): the navigation is left off.</span>
      </div>
      <AsOfBanner asOf={asOf} today={today} figuresComputedAt={data.figuresComputedAt} />
      <ProblemsNotice problems={problems} />

      <section aria-labelledby="counts-heading">
        <h2 id="counts-heading">In numbers</h2>
        <table className="compact briefing-counts" data-testid="briefing-counts">
          <tbody>
            <tr>
              <th scope="row">Letters</th>
              <td>
                <strong>{letterTotal}</strong>:{" "}
                {LETTER_STATUSES.filter((status) => letterCounts[status] > 0)
                  .map((status) => `${letterCounts[status]} ${LETTER_STATUS_LABELS[status].toLowerCase()}`)
                  .join(", ") || "none"}
              </td>
            </tr>
            <tr>
              <th scope="row">Questions</th>
              <td>
                <strong>{questionCounts.total}</strong>: {questionCounts.open} open, {questionCounts.partial} partly answered,{" "}
                {questionCounts.refused} refused, {questionCounts.answered} answered
                {questionCounts.closedUnanswered > 0 ? `, ${questionCounts.closedUnanswered} ${CLOSED_UNANSWERED_LABEL}` : ""}
                {questionCounts.askedAgain > 0 ? `, ${questionCounts.askedAgain} ${ASKED_AGAIN_LABEL}` : ""}
              </td>
            </tr>
          </tbody>
        </table>
      </section>

      <section aria-labelledby="overdue-heading">
        <h2 id="overdue-heading">Overdue letters ({overdue.total})</h2>
        {overdue.total === 0 ? (
          <p className="muted">None: no letter in this selection is past its deadline without a substantive response.</p>
        ) : (
          <OverdueTable letters={overdue.letters} withAsOf={withAsOf} rowTestId="briefing-overdue" compact />
        )}
      </section>

      <section aria-labelledby="questions-heading">
        <h2 id="questions-heading">
          {statusWords} questions by agency ({questionTotal})
        </h2>
        {questionTotal > BRIEFING_QUESTIONS ? (
          <p className="notice">
            The first {BRIEFING_QUESTIONS} of {questionTotal} questions, newest letters first. Narrow the filters for a
            complete briefing.
          </p>
        ) : null}
        {groups.length === 0 ? <p className="muted">No questions match.</p> : null}
        {groups.map((group) => (
          <section key={group.agencies} className="briefing-group" data-testid="briefing-group">
            <h3>
              {group.agencies} <span className="muted small">({group.questions.length})</span>
            </h3>
            {/* The numbers are boxes of their own that grow with their digits: a list marker hung in a
                fixed gutter, and printing clipped "10." to "0.". */}
            <ol className="briefing-questions">
              {group.questions.map((question, index) => (
                <li key={question.id} data-testid="briefing-question">
                  <span className="briefing-number" aria-hidden="true">
                    {index + 1}.
                  </span>
                  <span>
                    {question.text}{" "}
                    <span className="muted small">
                      (Q{question.number}, {question.letterTitle}, sent {formatDate(question.sentOn)}
                      {question.effectiveDeadline ? `, due ${formatDate(question.effectiveDeadline)}` : ""}; open {question.daysOpen}{" "}
                      days)
                    </span>
                  </span>
                </li>
              ))}
            </ol>
          </section>
        ))}
      </section>
    </article>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
