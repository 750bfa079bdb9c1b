/**
 * The dashboard's drawings (recharts). They only render in the browser, inside ChartFigure's
 * fixed-size box; every number they show is also in the figure's table.
 */
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { LETTER_STATUS_LABELS, LETTER_STATUSES, type LetterStatus } from "~/domain/vocabulary";
import { decodeCurvePoints } from "~/domain/statistics";

export const STATUS_COLORS: Record<LetterStatus, string> = {
  awaiting: "#4a5568",
  overdue: "#b42318",
  partial: "#d97706",
  refused: "#7a271a",
  answered: "#067647",
  closed: "#98a2b3",
};

const SERIES_COLORS = ["#1d3557", "#e63946", "#2a9d8f", "#f4a261", "#6a4c93", "#8d99ae"];

/** Letters sent per period (a month or a year), stacked by status. */
export function MonthlyStatusChart({
  periods,
}: {
  periods: Array<{ period: string; counts: Record<LetterStatus, number> }>;
}) {
  const data = periods.map((period) => ({ month: period.period, ...period.counts }));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="month" fontSize={11} minTickGap={12} />
        <YAxis allowDecimals={false} fontSize={11} width={32} />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {LETTER_STATUSES.map((status) => (
          <Bar
            key={status}
            dataKey={status}
            name={LETTER_STATUS_LABELS[status]}
            stackId="status"
            fill={STATUS_COLORS[status]}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

/**
 * A category label that stays readable on a phone: on two lines, split at its last space ("181–365
 * days" as "181–365" over "days"); where even that is wider than its slot (seven buckets at 390 px),
 * slanted, so that neighbours never overlap.
 */
function BucketTick({
  x,
  y,
  payload,
  width,
  visibleTicksCount,
}: {
  x?: number | string;
  y?: number | string;
  payload?: { value?: unknown };
  width?: number | string;
  visibleTicksCount?: number;
}) {
  const label = String(payload?.value ?? "");
  const slot = Number(width ?? 0) / Math.max(1, visibleTicksCount ?? 1);
  if (slot > 0 && slot < 64) {
    return (
      <text x={x} y={y} dy="0.7em" textAnchor="end" fontSize={11} fill="#5a6470" className="tick-label" transform={`rotate(-35 ${x} ${y})`}>
        {label}
      </text>
    );
  }
  const split = label.lastIndexOf(" ");
  const lines = split > 0 ? [label.slice(0, split), label.slice(split + 1)] : [label];
  return (
    <text x={x} y={y} textAnchor="middle" fontSize={11} fill="#5a6470" className="tick-label">
      {lines.map((line, index) => (
        <tspan key={index} x={x} dy={index === 0 ? "0.9em" : "1.15em"}>
          {line}
        </tspan>
      ))}
    </text>
  );
}

export function BucketChart({
  buckets,
  label,
  color = "#1d3557",
}: {
  buckets: Array<{ label: string; count: number }>;
  label: string;
  color?: string;
}) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={buckets} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" interval={0} height={64} tick={<BucketTick />} />
        <YAxis allowDecimals={false} fontSize={11} width={32} />
        <Tooltip />
        <Bar dataKey="count" name={label} fill={color} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export interface CurveSeries {
  name: string;
  /** encodeCurvePoints' text (app/domain/statistics.ts). */
  points: string;
}

/** Kaplan–Meier curves as step lines: percent of letters still unanswered by day. */
export function SurvivalChart({ series: encoded }: { series: CurveSeries[] }) {
  const series = encoded.map((entry) => ({ name: entry.name, points: decodeCurvePoints(entry.points) }));
  const lastDay = Math.max(30, ...series.flatMap((entry) => entry.points.map(([day]) => day)));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart margin={{ top: 8, right: 12, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis type="number" dataKey="day" domain={[0, lastDay]} fontSize={11} unit=" d" />
        <YAxis type="number" domain={[0, 100]} fontSize={11} width={40} unit="%" />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {series.map((entry, index) => (
          <Line
            key={entry.name}
            data={entry.points.map(([day, percent]) => ({ day, percent }))}
            dataKey="percent"
            name={entry.name}
            type="stepAfter"
            stroke={SERIES_COLORS[index % SERIES_COLORS.length]}
            strokeWidth={index === 0 ? 3 : 1.5}
            dot={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

/** Median days to respond per agency, horizontal bars. */
export function AgencyMedianChart({ agencies }: { agencies: Array<{ name: string; medianDays: number | null }> }) {
  const data = agencies.filter((agency) => agency.medianDays !== null);
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" allowDecimals={false} fontSize={11} unit=" d" />
        <YAxis type="category" dataKey="name" fontSize={11} width={110} />
        <Tooltip />
        <Bar dataKey="medianDays" name="Median days" fill="#1d3557" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
