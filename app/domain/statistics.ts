/**
 * Pure statistics for the dashboard and scorecards. The database aggregates (durations grouped
 * with their counts, letters grouped by age); these functions turn those few rows into figures.
 */

/** Letters observed for `time` days: `events` were answered that day, `censored` were still open. */
export interface DurationGroup {
  time: number;
  events: number;
  censored: number;
}

export interface SurvivalStep {
  /** Days after sending. */
  time: number;
  /** Letters still unanswered and observed just before `time`. */
  atRisk: number;
  events: number;
  censored: number;
  /** Estimated share of letters still unanswered after `time` days. */
  survival: number;
}

export interface SurvivalCurve {
  /** Letters in the estimate. */
  n: number;
  /** Letters answered (the rest are censored). */
  events: number;
  /** One step per distinct time with an event or a censoring, in time order. */
  steps: SurvivalStep[];
  /** The first time the estimate falls to 50% or below; null when it never does. */
  median: number | null;
}

/**
 * Kaplan–Meier estimate of the share of letters still unanswered N days after sending. Letters not
 * yet answered are censored (they count as at risk up to their time, then leave), never dropped.
 * At a tied time, answers are counted before censorings, the usual convention: a letter censored on
 * day t was still at risk of an answer on day t.
 */
export function kaplanMeier(groups: readonly DurationGroup[]): SurvivalCurve {
  const byTime = new Map<number, { events: number; censored: number }>();
  for (const group of groups) {
    if (group.time < 0 || (group.events === 0 && group.censored === 0)) continue;
    const entry = byTime.get(group.time) ?? { events: 0, censored: 0 };
    entry.events += group.events;
    entry.censored += group.censored;
    byTime.set(group.time, entry);
  }
  const times = [...byTime.keys()].sort((a, b) => a - b);
  let atRisk = 0;
  let events = 0;
  for (const entry of byTime.values()) {
    atRisk += entry.events + entry.censored;
    events += entry.events;
  }
  const n = atRisk;
  let survival = 1;
  let median: number | null = null;
  const steps: SurvivalStep[] = [];
  // The factors (survivors, at risk) of every event time so far: whether the estimate has reached
  // one half is decided on them exactly, since a float product lands a hair off an exact 1/2.
  const factors: Array<readonly [number, number]> = [];
  for (const time of times) {
    const entry = byTime.get(time)!;
    if (entry.events > 0) {
      survival *= 1 - entry.events / atRisk;
      factors.push([atRisk - entry.events, atRisk]);
    }
    steps.push({ time, atRisk, events: entry.events, censored: entry.censored, survival });
    if (median === null && entry.events > 0 && survival <= 0.5 + NEAR_HALF && productAtMostHalf(factors)) median = time;
    atRisk -= entry.events + entry.censored;
  }
  return { n, events, steps, median };
}

/**
 * How close to one half a float estimate must be for the median to be decided on exact counts.
 * A float product of a few thousand factors is off by far less (about 1e-12 at most).
 */
const NEAR_HALF = 1e-6;

/** Whether the product of survivors / at risk over `factors` is at most 1/2, in integers. */
function productAtMostHalf(factors: ReadonlyArray<readonly [number, number]>): boolean {
  let survivors = 1n;
  let atRisk = 1n;
  for (const [kept, of] of factors) {
    survivors *= BigInt(kept);
    atRisk *= BigInt(of);
  }
  return 2n * survivors <= atRisk;
}

/** The estimated share still unanswered after `time` days (1 before the first step). */
export function survivalAt(curve: SurvivalCurve, time: number): number {
  let survival = 1;
  for (const step of curve.steps) {
    if (step.time > time) break;
    survival = step.survival;
  }
  return survival;
}

/** Rates from fewer letters than this are not shown as a rate. */
export const MIN_LETTERS_TO_RATE = 5;

/**
 * The small-n rule, the one every table, curve and page follows: from fewer than
 * MIN_LETTERS_TO_RATE letters no rate, no median and no curve is shown, only n.
 */
export function isRated(n: number): boolean {
  return n >= MIN_LETTERS_TO_RATE;
}

export interface Rate {
  /** Letters that meet the condition. */
  count: number;
  /** Letters the rate is computed from. */
  n: number;
  /** count / n, or null when n is below MIN_LETTERS_TO_RATE. */
  rate: number | null;
}

export function rate(count: number, n: number): Rate {
  return { count, n, rate: isRated(n) ? count / n : null };
}

/** "67% (4 of 6)" or "too few letters to rate (n = 3)": every rate carries its n. */
export function formatRate(value: Rate): string {
  if (value.rate === null) return `too few letters to rate (n = ${value.n})`;
  return `${Math.round(value.rate * 100)}% (${value.count} of ${value.n})`;
}

export interface Bucket {
  label: string;
  /** Inclusive lower bound in days. */
  min: number;
  /** Inclusive upper bound in days; null for "and over". */
  max: number | null;
}

/** How long open letters have waited. */
export const AGE_BUCKETS: readonly Bucket[] = [
  { label: "0–30 days", min: 0, max: 30 },
  { label: "31–60 days", min: 31, max: 60 },
  { label: "61–90 days", min: 61, max: 90 },
  { label: "91–180 days", min: 91, max: 180 },
  { label: "Over 180 days", min: 181, max: null },
];

/** How long answered letters waited for their first substantive response. */
export const RESPONSE_DAY_BUCKETS: readonly Bucket[] = [
  { label: "0–14 days", min: 0, max: 14 },
  { label: "15–30 days", min: 15, max: 30 },
  { label: "31–60 days", min: 31, max: 60 },
  { label: "61–90 days", min: 61, max: 90 },
  { label: "91–180 days", min: 91, max: 180 },
  { label: "181–365 days", min: 181, max: 365 },
  { label: "Over a year", min: 366, max: null },
];

export function bucketOf(days: number, buckets: readonly Bucket[]): Bucket | undefined {
  return buckets.find((bucket) => days >= bucket.min && (bucket.max === null || days <= bucket.max));
}

/** Adds up rows grouped by day count (from SQL) into buckets, keeping every bucket, even empty. */
export function countByBucket(
  rows: readonly { days: number; count: number }[],
  buckets: readonly Bucket[],
): Array<Bucket & { count: number }> {
  const counts = buckets.map((bucket) => ({ ...bucket, count: 0 }));
  for (const row of rows) {
    const index = buckets.findIndex((bucket) => bucket === bucketOf(row.days, buckets));
    if (index >= 0) counts[index]!.count += row.count;
  }
  return counts;
}

/**
 * More months than this and the letters-sent chart counts years: a bar per month would be too thin
 * to read, and its table too long to scan (twenty years of letters are 240 months).
 */
export const MAX_MONTHLY_PERIODS = 36;

/** Letters sent in a month ("2025-03") or a year ("2025"), by status. */
export interface SentPeriod<K extends string> {
  period: string;
  counts: Record<K, number>;
  total: number;
}

/** Letters sent per month, or per year when there are more than MAX_MONTHLY_PERIODS months. */
export function sentPeriods<K extends string>(
  months: ReadonlyArray<{ month: string; counts: Record<K, number>; total: number }>,
): { unit: "month" | "year"; periods: SentPeriod<K>[] } {
  if (months.length <= MAX_MONTHLY_PERIODS) {
    return { unit: "month", periods: months.map(({ month, counts, total }) => ({ period: month, counts, total })) };
  }
  const years = new Map<string, SentPeriod<K>>();
  for (const month of months) {
    const period = month.month.slice(0, 4);
    let year = years.get(period);
    if (!year) {
      year = { period, counts: { ...month.counts }, total: 0 };
      for (const key of Object.keys(year.counts) as K[]) year.counts[key] = 0;
      years.set(period, year);
    }
    for (const key of Object.keys(month.counts) as K[]) year.counts[key] += month.counts[key];
    year.total += month.total;
  }
  return { unit: "year", periods: [...years.values()] };
}

/** The median of grouped values (lower median for an even count); null when empty. */
export function groupedMedian(rows: readonly { days: number; count: number }[]): number | null {
  const sorted = [...rows].filter((row) => row.count > 0).sort((a, b) => a.days - b.days);
  const total = sorted.reduce((sum, row) => sum + row.count, 0);
  if (total === 0) return null;
  const target = Math.ceil(total / 2);
  let seen = 0;
  for (const row of sorted) {
    seen += row.count;
    if (seen >= target) return row.days;
  }
  return null;
}

/**
 * How far a drawn curve may run above the estimate, in percentage points: a point is drawn once the
 * curve has fallen this far below the last point drawn. A 300-pixel chart shows 1 point as 3 pixels.
 */
export const CURVE_STEP_PERCENT = 1;

/** The most points a drawn curve has: each drawn step falls at least CURVE_STEP_PERCENT, from 100%. */
export const MAX_CURVE_POINTS = Math.ceil(100 / CURVE_STEP_PERCENT) + 2;

/**
 * Points of a survival curve for a step chart: percent still unanswered (one decimal), from day 0
 * to the last step. A step is drawn once the curve has fallen CURVE_STEP_PERCENT below the last one
 * drawn, and the last point always, to show how far the curve runs. So a curve over a few letters
 * keeps every step, and one over 100,000 letters and twenty years keeps the points where it falls
 * (the first months), not one per stretch of days.
 */
export function curvePoints(curve: SurvivalCurve): Array<{ day: number; percent: number }> {
  const all = [{ day: 0, percent: 100 }];
  for (const step of curve.steps) {
    const percent = Math.round(step.survival * 1000) / 10;
    if (step.time === 0) all[0] = { day: 0, percent };
    else all.push({ day: step.time, percent });
  }
  const last = all.at(-1)!;
  const drawn = [all[0]!];
  for (const point of all.slice(1)) {
    if (point === last || drawn.at(-1)!.percent - point.percent >= CURVE_STEP_PERCENT) drawn.push(point);
  }
  return drawn;
}

export const CHECKPOINT_DAYS = [30, 90, 180, 365] as const;

export interface CurveSummary {
  name: string;
  n: number;
  events: number;
  /** Enough letters for a median and a curve (isRated); when not, median, checkpoints and points are empty. */
  rated: boolean;
  /** Null when not reached, or not rated. */
  median: number | null;
  /** Percent still unanswered at each checkpoint day; null past the last observation. */
  checkpoints: Array<{ day: number; percent: number | null }>;
  /**
   * curvePoints as one text (encodeCurvePoints): pages send hundreds of points to the client's
   * chart, and Remix's hydration data spends about 20 bytes on each pair, 6 on each point here.
   */
  points: string;
}

/**
 * Points of a drawn curve as one text, "day:percent" separated by spaces ("0:100 9:98.9"):
 * decodeCurvePoints gives them back.
 */
export function encodeCurvePoints(points: ReadonlyArray<{ day: number; percent: number }>): string {
  return points.map(({ day, percent }) => `${day}:${percent}`).join(" ");
}

/** The [day, percent] pairs of encodeCurvePoints' text; a malformed pair is left out. */
export function decodeCurvePoints(text: string): Array<[day: number, percent: number]> {
  if (text === "") return [];
  return text.split(" ").flatMap((pair) => {
    const [day, percent] = pair.split(":").map(Number);
    return Number.isFinite(day) && Number.isFinite(percent) ? [[day, percent] as [number, number]] : [];
  });
}

/** What a page needs of a curve: its figures for the table and its points for the drawing. */
export function summarizeCurve(name: string, curve: SurvivalCurve): CurveSummary {
  // Too few letters: n only (the small-n rule), no median, no checkpoints, no curve to draw.
  if (!isRated(curve.n)) {
    return { name, n: curve.n, events: curve.events, rated: false, median: null, checkpoints: CHECKPOINT_DAYS.map((day) => ({ day, percent: null })), points: "" };
  }
  const lastTime = curve.steps.at(-1)?.time ?? -1;
  return {
    name,
    n: curve.n,
    events: curve.events,
    rated: true,
    median: curve.median,
    checkpoints: CHECKPOINT_DAYS.map((day) => ({
      day,
      percent: day <= lastTime ? Math.round(survivalAt(curve, day) * 1000) / 10 : null,
    })),
    points: encodeCurvePoints(curvePoints(curve)),
  };
}
