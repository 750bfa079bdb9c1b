/**
 * Who gets answered (issue 13, item 6): one figure per axis (majority or minority, the
 * administration's party, bipartisan, chair or ranking member), each a server-rendered table (the
 * truth: every group's n, rates and median, by Congress or by administration) and a drawing of the
 * whole selection's answered and on-time rates (an enhancement, inert; recharts draws nothing on
 * the server).
 */
import { Link } from "@remix-run/react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFigure } from "./chart-figure";
import { MedianText, RateText } from "./figures";
import { enoughLetters, SIDE_AXES, SIDE_AXIS_LABELS, SIDE_VALUE_LABELS, type SideAxis, type SidePeriodKind } from "~/domain/political-sides";
import type { SenderSideFigures, SideFigures, SidePeriodFigures } from "~/models/answered.server";

const valueLabel = (axis: SideAxis, value: string) => (SIDE_VALUE_LABELS[axis] as Record<string, string>)[value] ?? value;

/** Percent of a rate with enough letters; null (no bar) otherwise. */
const percent = ({ count, n }: { count: number; n: number }) => (enoughLetters(n) ? Math.round((count / n) * 1000) / 10 : null);

function SideRateChart({ axis, groups }: { axis: SideAxis; groups: SideFigures[] }) {
  const data = groups
    .filter((group) => enoughLetters(group.n))
    .map((group) => ({ side: valueLabel(axis, group.value), answered: percent(group.answered), onTime: percent(group.onTime) }));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="side" fontSize={11} interval={0} />
        <YAxis domain={[0, 100]} unit="%" fontSize={11} width={40} />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="answered" name="Answered" fill="#1d3557" isAnimationActive={false} />
        <Bar dataKey="onTime" name="On time" fill="#2a9d8f" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

function PeriodRows({ axis, period, testId }: { axis: SideAxis; period: SidePeriodFigures; testId: string }) {
  return (
    <tbody data-testid={testId} data-period={period.key}>
      <tr>
        <th scope="rowgroup" colSpan={5} className="period-heading">
          {`${period.label}: ${period.letters} letter${period.letters === 1 ? "" : "s"}`}
        </th>
      </tr>
      {period.axes[axis].map((group) => (
        <tr key={group.value} data-testid="side-row" data-side={group.value}>
          <th scope="row">{valueLabel(axis, group.value)}</th>
          <td className="number">{group.n}</td>
          <td>
            <RateText rate={group.answered} />
          </td>
          <td>
            <MedianText median={group.medianDays} n={group.n} rated={group.medianRated} />
          </td>
          <td>
            <RateText rate={group.onTime} />
          </td>
        </tr>
      ))}
    </tbody>
  );
}

/** The four figures for a selection; `by` picks the periods the tables list under "All letters". */
export function SenderSides({
  figures,
  by,
  idPrefix,
  byHref,
}: {
  figures: SenderSideFigures;
  by: SidePeriodKind;
  /** Keeps ids unique when a page shows more than one set. */
  idPrefix: string;
  /** The address of the same figures by the other period kind. */
  byHref: (by: SidePeriodKind) => string;
}) {
  const periods = by === "congress" ? figures.byCongress : figures.byAdministration;
  return (
    <>
      <p className="small" data-testid="sides-by">
        {by === "congress" ? (
          <>
            By Congress · <Link to={byHref("administration")}>by administration</Link>
          </>
        ) : (
          <>
            <Link to={byHref("congress")}>By Congress</Link> · by administration
          </>
        )}
      </p>
      <div className="chart-grid">
        {SIDE_AXES.map((axis) => {
          const groups = figures.all.axes[axis];
          const rated = groups.filter((group) => enoughLetters(group.n));
          const id = `${idPrefix}-${axis}`;
          return (
            <ChartFigure
              key={axis}
              id={id}
              wide
              title={SIDE_AXIS_LABELS[axis].title}
              reading={SIDE_AXIS_LABELS[axis].description}
              chart={rated.length > 0 ? () => <SideRateChart axis={axis} groups={groups} /> : null}
            >
              <table className="compact numbers sides-table" data-testid={`sides-${axis}`}>
                <caption className="visually-hidden">{`${SIDE_AXIS_LABELS[axis].title}, ${by === "congress" ? "by Congress" : "by administration"}`}</caption>
                <thead>
                  <tr>
                    <th scope="col">Senders</th>
                    <th scope="col" className="number">Letters</th>
                    <th scope="col">Answered</th>
                    <th scope="col">Median days</th>
                    <th scope="col">On time</th>
                  </tr>
                </thead>
                <PeriodRows axis={axis} period={figures.all} testId="sides-all" />
                {periods.map((period) => (
                  <PeriodRows key={period.key} axis={axis} period={period} testId="sides-period" />
                ))}
              </table>
            </ChartFigure>
          );
        })}
      </div>
    </>
  );
}
