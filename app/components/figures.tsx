import { Link } from "@remix-run/react";
import { formatRate, MIN_LETTERS_TO_RATE, rate as rateOf, type CurveSummary } from "~/domain/statistics";
import { SCORECARD_SORT_LABELS, type RateCount, type ScorecardRow, type ScorecardSort } from "~/domain/scorecards";

/** A rate with its n, or "too few letters to rate". */
export function RateText({ rate: { count, n } }: { rate: RateCount }) {
  const rate = rateOf(count, n);
  if (rate.rate === null) {
    return <span className="muted small">{`too few letters to rate (n = ${rate.n})`}</span>;
  }
  return <>{formatRate(rate)}</>;
}

// Text as one string: React marks each join of text parts in the HTML, and a ranking has hundreds.
export function MedianText({ median, n, rated = true }: { median: number | null; n: number; rated?: boolean }) {
  if (!rated) return <span className="muted small">{`too few letters to rate (n = ${n})`}</span>;
  if (median === null) return <span className="muted small">{`not reached (n = ${n})`}</span>;
  return (
    <>
      {`${median} d `}
      <span className="muted small">{`(n = ${n})`}</span>
    </>
  );
}

/**
 * What a survival chart's one-line reading says of a curve: its median, that it is not reached, or
 * (the small-n rule) that there are too few letters for either.
 */
export function curveReading(curve: CurveSummary, letters: string): string {
  if (!curve.rated) return `Too few ${letters} (n = ${curve.n}) for a median or a curve: at least ${MIN_LETTERS_TO_RATE} are needed.`;
  if (curve.median !== null) return `Half of ${letters} got a substantive response within ${curve.median} days.`;
  return `More than half of ${letters} (n = ${curve.n}) are still without a substantive response.`;
}

/** The curves a chart draws: those with enough letters (the small-n rule). */
export function drawnCurves<T extends CurveSummary>(series: readonly T[]): T[] {
  return series.filter((curve) => curve.rated);
}

/** The numbers behind survival curves. */
export function SurvivalTable({ series }: { series: CurveSummary[] }) {
  const days = series[0]?.checkpoints.map((checkpoint) => checkpoint.day) ?? [];
  return (
    <table className="compact numbers cards figure-cards">
      <caption className="visually-hidden">Share of letters still unanswered, by days since sending</caption>
      <thead>
        <tr>
          <th scope="col">Letters to</th>
          <th scope="col" className="number">Letters</th>
          <th scope="col" className="number">Answered</th>
          <th scope="col" className="number">Median days</th>
          {days.map((day) => (
            <th key={day} scope="col" className="number">
              {`Unanswered at ${day} d`}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {series.map((entry) => (
          <tr key={entry.name} data-testid="survival-row">
            <th scope="row">{entry.name}</th>
            <td data-label="Letters">{entry.n}</td>
            <td data-label="Answered">{entry.events}</td>
            <td data-label="Median days">
              {entry.rated ? (entry.median ?? "not reached") : <span className="muted small">{`too few letters to rate (n = ${entry.n})`}</span>}
            </td>
            {entry.checkpoints.map((checkpoint) => (
              <td key={checkpoint.day} data-label={`Unanswered at ${checkpoint.day} d`}>
                {checkpoint.percent === null ? "–" : `${checkpoint.percent}%`}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** An agency's row of a scorecard table: what it shows (see scorecardRow in domain/scorecards). */
export type AgencyRow = ScorecardRow & {
  /** On member and committee pages: how many of the page's letters went to this agency. */
  lettersFromSelection?: number;
};

/**
 * Agency scorecard rows; `withAsOf` adds the page's asOf to links. With `ranking` (/agencies) the
 * rows are numbered and the column headers sort the table.
 */
export function AgencyTable({
  agencies,
  withAsOf,
  lettersLabel = SCORECARD_SORT_LABELS.letters,
  selectionLabel,
  ranking,
}: {
  agencies: AgencyRow[];
  withAsOf: (path: string) => string;
  lettersLabel?: string;
  /** Heading of the lettersFromSelection column; the column shows only when given. */
  selectionLabel?: string;
  /** `offset`: rows ranked on earlier pages. */
  ranking?: { sort: ScorecardSort; hrefFor: (column: ScorecardSort) => string; offset?: number };
}) {
  const header = (column: ScorecardSort, label: string = SCORECARD_SORT_LABELS[column]) => {
    const className = column === "letters" || column === "open" ? "number" : undefined;
    if (!ranking) {
      return (
        <th scope="col" className={className}>
          {label}
        </th>
      );
    }
    const sorted = ranking.sort === column;
    return (
      <th scope="col" className={className} aria-sort={sorted ? "descending" : undefined}>
        <Link to={ranking.hrefFor(column)}>
          {label}
          {sorted ? " ▼" : ""}
        </Link>
      </th>
    );
  };
  return (
    <table className="scorecard cards figure-cards">
      <thead>
        <tr>
          <th scope="col">Agency</th>
          {selectionLabel ? <th scope="col" className="number">{selectionLabel}</th> : null}
          {header("letters", lettersLabel)}
          {header("answered")}
          {header("median")}
          {header("ontime")}
          {header("open")}
        </tr>
      </thead>
      <tbody>
        {agencies.map((agency, index) => (
          <tr key={agency.slug} data-testid="agency-row" data-agency={agency.slug}>
            <th scope="row">
              {ranking ? <span className="muted small">{`${(ranking.offset ?? 0) + index + 1}. `}</span> : null}
              <Link to={withAsOf(`/agencies/${agency.slug}`)}>{agency.name}</Link>
            </th>
            {selectionLabel ? (
              <td className="number" data-label={selectionLabel}>
                {agency.lettersFromSelection ?? 0}
              </td>
            ) : null}
            <td className="number" data-label={lettersLabel}>
              {agency.letters}
            </td>
            <td data-label={SCORECARD_SORT_LABELS.answered}>
              <RateText rate={agency.answered} />
            </td>
            <td data-label={SCORECARD_SORT_LABELS.median}>
              <MedianText median={agency.medianDays} n={agency.letters} rated={agency.medianRated} />
            </td>
            <td data-label={SCORECARD_SORT_LABELS.ontime}>
              <RateText rate={agency.onTime} />
            </td>
            <td className="number" data-label={SCORECARD_SORT_LABELS.open}>
              {agency.openQuestions}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function withAsOfFor(asOf: string, today: string) {
  return (path: string) => (asOf === today ? path : `${path}${path.includes("?") ? "&" : "?"}asOf=${asOf}`);
}
