import { describe, expect, it } from "vitest";
import {
  decodeCurvePoints,
  encodeCurvePoints,
  AGE_BUCKETS,
  countByBucket,
  formatRate,
  groupedMedian,
  kaplanMeier,
  rate,
  RESPONSE_DAY_BUCKETS,
  summarizeCurve,
  isRated,
  curvePoints,
  CURVE_STEP_PERCENT,
  MAX_CURVE_POINTS,
  MAX_MONTHLY_PERIODS,
  sentPeriods,
  survivalAt,
  type DurationGroup,
} from "~/domain/statistics";

const g = (time: number, events: number, censored: number): DurationGroup => ({ time, events, censored });

describe("kaplanMeier", () => {
  // Each case worked by hand: S(t) = product over event times ≤ t of (1 - d / n at risk).
  it.each([
    {
      name: "ties of events and a censoring at the same time",
      // 7 letters: answered on day 2; open at day 3; two answered and one open at day 5;
      // answered on day 8; open at day 10.
      groups: [g(2, 1, 0), g(3, 0, 1), g(5, 2, 1), g(8, 1, 0), g(10, 0, 1)],
      steps: [
        { time: 2, atRisk: 7, survival: 6 / 7 },
        { time: 3, atRisk: 6, survival: 6 / 7 },
        { time: 5, atRisk: 5, survival: (6 / 7) * (3 / 5) }, // 18/35 = 0.514
        { time: 8, atRisk: 2, survival: (18 / 35) * (1 / 2) }, // 9/35 = 0.257
        { time: 10, atRisk: 1, survival: 9 / 35 },
      ],
      n: 7,
      events: 4,
      median: 8,
    },
    {
      name: "all censored: nobody answered, the curve stays at 1 and there is no median",
      groups: [g(5, 0, 3), g(9, 0, 1)],
      steps: [
        { time: 5, atRisk: 4, survival: 1 },
        { time: 9, atRisk: 1, survival: 1 },
      ],
      n: 4,
      events: 0,
      median: null,
    },
    {
      name: "no letters at all",
      groups: [],
      steps: [],
      n: 0,
      events: 0,
      median: null,
    },
    {
      name: "no censoring: the curve is the plain share unanswered, median where it reaches exactly 1/2",
      groups: [g(4, 1, 0), g(1, 1, 0), g(3, 1, 0), g(2, 1, 0)],
      steps: [
        { time: 1, atRisk: 4, survival: 0.75 },
        { time: 2, atRisk: 3, survival: 0.5 },
        { time: 3, atRisk: 2, survival: 0.25 },
        { time: 4, atRisk: 1, survival: 0 },
      ],
      n: 4,
      events: 4,
      median: 2,
    },
    {
      name: "split rows for the same time are added together; early censoring shrinks the risk set",
      // 5 letters: 2 open at day 0 (sent today); answered day 10 (one row each); open at day 20.
      groups: [g(0, 0, 2), g(10, 1, 0), g(10, 1, 0), g(20, 0, 1)],
      steps: [
        { time: 0, atRisk: 5, survival: 1 },
        { time: 10, atRisk: 3, survival: 1 / 3 },
        { time: 20, atRisk: 1, survival: 1 / 3 },
      ],
      n: 5,
      events: 2,
      median: 10,
    },
    {
      name: "the curve never falls to one half: no median",
      // 4 letters: answered day 3, three open at day 30. S = 3/4.
      groups: [g(3, 1, 0), g(30, 0, 3)],
      steps: [
        { time: 3, atRisk: 4, survival: 0.75 },
        { time: 30, atRisk: 3, survival: 0.75 },
      ],
      n: 4,
      events: 1,
      median: null,
    },
  ])("$name", ({ groups, steps, n, events, median }) => {
    const curve = kaplanMeier(groups);
    expect(curve.n).toBe(n);
    expect(curve.events).toBe(events);
    expect(curve.median).toBe(median);
    expect(curve.steps.map((step) => ({ time: step.time, atRisk: step.atRisk }))).toEqual(
      steps.map((step) => ({ time: step.time, atRisk: step.atRisk })),
    );
    curve.steps.forEach((step, index) => expect(step.survival).toBeCloseTo(steps[index]!.survival, 10));
  });

  // The median is the first day the estimate is at most one half, decided on exact counts: a float
  // product that lands a hair above an exact 1/2 must not move it to the next answer.
  it.each([
    // 12 letters answered on days 1 to 6, 6 still open: S(6) = 6/12 exactly.
    { name: "12 letters, 6 answered on days 1-6, 6 open", groups: [1, 2, 3, 4, 5, 6].map((day) => g(day, 1, 0)).concat([g(30, 0, 6)]), median: 6 },
    // 48 letters, one answered a day for 24 days, the rest open: S(24) = 24/48.
    { name: "48 letters, 24 answered one a day", groups: Array.from({ length: 24 }, (_, i) => g(i + 1, 1, 0)).concat([g(100, 0, 24)]), median: 24 },
    // With censoring between answers: 10 letters; answered day 1; open at 2; answered 3 and 4;
    // open at 5 (2); 2 answered day 6: S(4) = 9/10 * 7/8 * 6/7 = 0.675, S(6) = 0.675 * 2/4.
    { name: "censoring between answers", groups: [g(1, 1, 0), g(2, 0, 1), g(3, 1, 0), g(4, 1, 0), g(5, 0, 2), g(6, 2, 0), g(9, 0, 2)], median: 6 },
    // 10 letters: 4 answered day 1 (6/10), 1 of the 6 left on day 2: 6/10 * 5/6 = 1/2 exactly.
    { name: "one half through tenths and sixths", groups: [g(1, 4, 0), g(2, 1, 0), g(5, 0, 5)], median: 2 },
  ])("median exactly: $name", ({ groups, median }) => {
    expect(kaplanMeier(groups).median).toBe(median);
  });

  it("agrees with an exact-fraction Kaplan–Meier on many random samples", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let sample = 0; sample < 400; sample++) {
      const groups: DurationGroup[] = [];
      const size = 4 + Math.floor(random() * 60);
      for (let i = 0; i < size; i++) groups.push(g(1 + Math.floor(random() * 20), random() < 0.6 ? 1 : 0, 0));
      for (const group of groups) if (group.events === 0) group.censored = 1;
      // Independent: exact fractions over the sorted times, answers before censorings at a tie.
      const times = [...new Set(groups.map((group) => group.time))].sort((a, b) => a - b);
      let atRisk = groups.length;
      let num = 1n;
      let den = 1n;
      let expected: number | null = null;
      for (const time of times) {
        const here = groups.filter((group) => group.time === time);
        const events = here.reduce((sum, group) => sum + group.events, 0);
        const censored = here.reduce((sum, group) => sum + group.censored, 0);
        if (events > 0) {
          num *= BigInt(atRisk - events);
          den *= BigInt(atRisk);
          if (expected === null && 2n * num <= den) expected = time;
        }
        atRisk -= events + censored;
      }
      expect(kaplanMeier(groups).median, JSON.stringify(groups)).toBe(expected);
    }
  });

  it("reads the curve at any day", () => {
    const curve = kaplanMeier([g(2, 1, 0), g(3, 0, 1), g(5, 2, 1), g(8, 1, 0), g(10, 0, 1)]);
    expect(survivalAt(curve, 0)).toBe(1);
    expect(survivalAt(curve, 1)).toBe(1);
    expect(survivalAt(curve, 4)).toBeCloseTo(6 / 7, 10);
    expect(survivalAt(curve, 7)).toBeCloseTo(18 / 35, 10);
    expect(survivalAt(curve, 365)).toBeCloseTo(9 / 35, 10);
  });
});

describe("rates", () => {
  it.each([
    { count: 3, n: 4, rate: null, text: "too few letters to rate (n = 4)" },
    { count: 0, n: 0, rate: null, text: "too few letters to rate (n = 0)" },
    { count: 4, n: 5, rate: 0.8, text: "80% (4 of 5)" },
    { count: 2, n: 6, rate: 1 / 3, text: "33% (2 of 6)" },
  ])("$count of $n", ({ count, n, rate: expected, text }) => {
    expect(rate(count, n).rate).toBe(expected);
    expect(formatRate(rate(count, n))).toBe(text);
  });

});

describe("buckets", () => {
  it.each([
    [0, "0–30 days"],
    [30, "0–30 days"],
    [31, "31–60 days"],
    [60, "31–60 days"],
    [61, "61–90 days"],
    [90, "61–90 days"],
    [91, "91–180 days"],
    [180, "91–180 days"],
    [181, "Over 180 days"],
    [5000, "Over 180 days"],
  ])("an open letter %i days old is in %s", (days, label) => {
    const counts = countByBucket([{ days, count: 1 }], AGE_BUCKETS);
    expect(counts.filter((bucket) => bucket.count === 1).map((bucket) => bucket.label)).toEqual([label]);
  });

  it("adds grouped rows and keeps empty buckets", () => {
    const counts = countByBucket(
      [
        { days: 3, count: 2 },
        { days: 30, count: 1 },
        { days: 200, count: 4 },
        { days: -1, count: 9 }, // sent after asOf: in no bucket
      ],
      AGE_BUCKETS,
    );
    expect(counts.map((bucket) => bucket.count)).toEqual([3, 0, 0, 0, 4]);
    expect(countByBucket([], RESPONSE_DAY_BUCKETS).map((bucket) => bucket.count)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it.each([
    [[], null],
    [[{ days: 7, count: 1 }], 7],
    [[{ days: 10, count: 1 }, { days: 2, count: 1 }], 2],
    [[{ days: 1, count: 2 }, { days: 9, count: 1 }], 1],
    [[{ days: 1, count: 1 }, { days: 5, count: 1 }, { days: 9, count: 3 }], 9],
  ])("grouped median of %j is %s", (rows, median) => {
    expect(groupedMedian(rows)).toBe(median);
  });
});

describe("encodeCurvePoints and decodeCurvePoints", () => {
  it.each([
    ["no points", [], ""],
    ["one point", [{ day: 0, percent: 100 }], "0:100"],
    ["decimals and whole numbers", [{ day: 0, percent: 100 }, { day: 9, percent: 98.9 }, { day: 365, percent: 37 }], "0:100 9:98.9 365:37"],
  ])("%s round-trips through one text", (_name, points, text) => {
    expect(encodeCurvePoints(points)).toBe(text);
    expect(decodeCurvePoints(text)).toEqual(points.map(({ day, percent }) => [day, percent]));
  });

  it("leaves out a malformed pair rather than drawing NaN", () => {
    expect(decodeCurvePoints("0:100 x:5 7 9:50")).toEqual([
      [0, 100],
      [9, 50],
    ]);
  });
});

describe("summarizeCurve", () => {
  it("gives checkpoints only within the observed time, and step points from 100%", () => {
    // 5 letters: answered on days 0 and 10, open at days 20 (two) and 100.
    const curve = kaplanMeier([g(0, 1, 0), g(10, 1, 0), g(20, 0, 2), g(100, 0, 1)]);
    const summary = summarizeCurve("All", curve);
    // S(0) = 4/5; S(10) = 4/5 * 3/4 = 3/5.
    expect(summary).toMatchObject({ name: "All", n: 5, events: 2, median: null });
    // Day 20 repeats 60% and is dropped; the last point stays to show how far the curve runs.
    // As one text of day:percent pairs.
    expect(summary.points).toBe("0:80 10:60 100:60");
    expect(decodeCurvePoints(summary.points)).toEqual([
      [0, 80],
      [10, 60],
      [100, 60],
    ]);
    expect(summary.checkpoints).toEqual([
      { day: 30, percent: 60 },
      { day: 90, percent: 60 },
      { day: 180, percent: null },
      { day: 365, percent: null },
    ]);
  });
});

describe("curvePoints at national scale", () => {
  it("keeps at most MAX_CURVE_POINTS, starting at day 0 and ending at the last day", () => {
    // 20,000 letters answered one per day over 20,000 days: 20,000 distinct steps.
    const curve = kaplanMeier(Array.from({ length: 20_000 }, (_, day) => g(day + 1, 1, 0)));
    const points = curvePoints(curve);
    expect(points.length).toBeLessThanOrEqual(MAX_CURVE_POINTS);
    expect(points[0]).toEqual({ day: 0, percent: 100 });
    expect(points.at(-1)).toEqual({ day: 20_000, percent: 0 });
    const percents = points.map((point) => point.percent);
    expect(percents).toEqual([...percents].sort((a, b) => b - a));
  });

  it("draws the steps where the curve falls, never more than CURVE_STEP_PERCENT above it", () => {
    // Half the letters answered in the first 30 days, the rest over the following 19 years.
    const early = Array.from({ length: 30 }, (_, day) => g(day + 1, 100, 0));
    const late = Array.from({ length: 3000 }, (_, index) => g(31 + index * 2, 1, 0));
    const curve = kaplanMeier([...early, ...late]);
    const points = curvePoints(curve);
    expect(points.length).toBeLessThanOrEqual(MAX_CURVE_POINTS);
    // Every one of the first 30 days falls by 1.6 points: each is drawn.
    expect(points.slice(0, 31).map((point) => point.day)).toEqual(Array.from({ length: 31 }, (_, day) => day));
    for (const step of curve.steps) {
      const drawn = [...points].reverse().find((point) => point.day <= step.time)!;
      const percent = step.survival * 100;
      expect(drawn.percent - percent).toBeLessThan(CURVE_STEP_PERCENT + 0.05);
      expect(drawn.percent - percent).toBeGreaterThanOrEqual(-0.05);
    }
  });

  it("keeps every step of a curve over a few letters", () => {
    const curve = kaplanMeier([g(3, 1, 0), g(5, 1, 1), g(9, 1, 0), g(12, 0, 1)]);
    expect(curvePoints(curve)).toEqual([
      { day: 0, percent: 100 },
      { day: 3, percent: 80 },
      { day: 5, percent: 60 },
      { day: 9, percent: 30 },
      { day: 12, percent: 30 },
    ]);
  });
});

describe("sentPeriods", () => {
  const month = (key: string, open: number, done: number) => ({ month: key, counts: { open, done }, total: open + done });

  it("keeps months up to MAX_MONTHLY_PERIODS", () => {
    const months = [month("2025-01", 1, 0), month("2025-02", 0, 0), month("2025-03", 2, 3)];
    expect(sentPeriods(months)).toEqual({
      unit: "month",
      periods: [
        { period: "2025-01", counts: { open: 1, done: 0 }, total: 1 },
        { period: "2025-02", counts: { open: 0, done: 0 }, total: 0 },
        { period: "2025-03", counts: { open: 2, done: 3 }, total: 5 },
      ],
    });
  });

  it("adds up years over a longer span, every count and the total", () => {
    const months = Array.from({ length: MAX_MONTHLY_PERIODS + 1 }, (_, index) => {
      const year = 2020 + Math.floor(index / 12);
      return month(`${year}-${String((index % 12) + 1).padStart(2, "0")}`, 1, index % 2);
    });
    const { unit, periods } = sentPeriods(months);
    expect(unit).toBe("year");
    expect(periods).toEqual([
      { period: "2020", counts: { open: 12, done: 6 }, total: 18 },
      { period: "2021", counts: { open: 12, done: 6 }, total: 18 },
      { period: "2022", counts: { open: 12, done: 6 }, total: 18 },
      { period: "2023", counts: { open: 1, done: 0 }, total: 1 },
    ]);
    // The months are left as they were.
    expect(months[0]!.counts).toEqual({ open: 1, done: 0 });
  });
});

describe("the small-n rule (isRated): fewer than 5 letters, no rate, no median, no curve; n shown", () => {
  it.each([
    [0, false],
    [1, false],
    [4, false],
    [5, true],
    [48, true],
  ])("n = %i: rated %s", (n, rated) => {
    expect(isRated(n)).toBe(rated);
    expect(rate(1, n).rate === null).toBe(!rated);
  });

  it.each([
    // The FBI of the overview: 4 letters, answered on days 2, 8, 9 and 30; the estimate's median is 8.
    ["4 letters: n only", [g(2, 1, 0), g(8, 1, 0), g(9, 1, 0), g(30, 1, 0)], { n: 4, rated: false, median: null }, 0],
    ["2 letters: n only", [g(5, 1, 0), g(6, 1, 0)], { n: 2, rated: false, median: null }, 0],
    ["5 letters: the median and the curve", [g(2, 1, 0), g(8, 1, 0), g(9, 1, 0), g(30, 1, 0), g(31, 1, 0)], { n: 5, rated: true, median: 9 }, 6],
  ])("%s", (_name, groups, expected, points) => {
    const curve = kaplanMeier(groups);
    const summary = summarizeCurve("FBI", curve);
    expect(summary).toMatchObject(expected);
    expect(decodeCurvePoints(summary.points)).toHaveLength(points);
    if (!expected.rated) {
      expect(curve.median).not.toBeNull();
      expect(summary.checkpoints.every((checkpoint) => checkpoint.percent === null)).toBe(true);
    }
  });
});
