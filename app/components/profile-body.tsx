import { Link } from "@remix-run/react";
import { ChartFigure } from "./chart-figure";
import { SurvivalChart } from "./charts";
import { AgencyTable, curveReading, SurvivalTable, type AgencyRow } from "./figures";
import { Pagination } from "./pagination";
import { LetterTable, OpenQuestionList, QuestionCountsLine, StatusCounts } from "./selection-summary";
import type { CurveSummary } from "~/domain/statistics";
import type { LetterStatus } from "~/domain/vocabulary";
import type { LetterPage } from "~/models/letters.server";
import type { QuestionListItem } from "~/models/questions.server";

/** Member and committee pages: letters sent, how they were answered, open questions, agencies. */
export function ProfileBody({
  data,
  scopeParam,
  withAsOf,
  pageHref,
  whose,
}: {
  data: {
    counts: Record<LetterStatus, number>;
    letters: LetterPage;
    openQuestions: { questions: QuestionListItem[]; total: number };
    questions: { open: number; partial: number; refused: number; answered: number; closedUnanswered: number; askedAgain: number; total: number };
    curve: CurveSummary;
    agencies: AgencyRow[];
    /** Whose letters the agencies' figures count (selectionProfile): all they received, or these. */
    agencyFiguresOver: "all letters" | "selection";
  };
  /** e.g. "member=jamie-raskin": the filter that selects these letters elsewhere. */
  scopeParam: string;
  withAsOf: (path: string) => string;
  pageHref: (page: number) => string;
  /** Possessive of the page's subject: "Jamie Raskin's", "this committee's". */
  whose: string;
}) {
  const total = data.letters.total;
  return (
    <>
      <section aria-labelledby="answered-heading">
        <h2 id="answered-heading">How {total === 1 ? "the letter was" : `the ${total} letters were`} answered</h2>
        <StatusCounts counts={data.counts} linkFor={(status) => withAsOf(`/letters?${scopeParam}&status=${status}`)} />
        <QuestionCountsLine counts={data.questions} />
      </section>

      <section aria-labelledby="agencies-heading">
        <h2 id="agencies-heading">Agencies written to</h2>
        <p>
          {data.agencyFiguresOver === "all letters"
            ? `Each agency's figures over all letters it received, and how many of ${whose} letters went to it.`
            : `Each agency's figures over ${whose} letters to it, as of that date; the agency's page has its figures over all letters it received then.`}
        </p>
        {data.agencies.length === 0 ? (
          <p className="muted">No letters yet.</p>
        ) : (
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Agencies written to">
            {data.agencyFiguresOver === "all letters" ? (
              <AgencyTable agencies={data.agencies} withAsOf={withAsOf} lettersLabel="All letters received" selectionLabel="Letters from here" />
            ) : (
              <AgencyTable agencies={data.agencies} withAsOf={withAsOf} lettersLabel="Letters from here" />
            )}
          </div>
        )}
        <div className="chart-grid">
          <ChartFigure
            id="survival"
            title="Share of these letters still unanswered, by days since sending"
            reading={curveReading(data.curve, "these letters")}
            chart={data.curve.rated ? () => <SurvivalChart series={[data.curve]} /> : null}
          >
            <SurvivalTable series={[data.curve]} />
          </ChartFigure>
        </div>
      </section>

      <section aria-labelledby="open-heading">
        <h2 id="open-heading">Open questions</h2>
        {data.openQuestions.total === 0 ? (
          <p className="muted">No open questions.</p>
        ) : (
          <>
            <OpenQuestionList questions={data.openQuestions.questions} withAsOf={withAsOf} />
            <p>
              <Link to={withAsOf(`/questions?${scopeParam}`)}>All {data.openQuestions.total} open questions</Link>
            </p>
          </>
        )}
      </section>

      <section aria-labelledby="letters-heading">
        <h2 id="letters-heading">Letters</h2>
        <LetterTable letters={data.letters.letters} withAsOf={withAsOf} />
        <Pagination page={data.letters.page} pageCount={data.letters.pageCount} hrefFor={pageHref} />
      </section>
    </>
  );
}
