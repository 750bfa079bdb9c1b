/**
 * app/domain/dates.ts works out calendar dates with plain arithmetic (date-fns's parse and format
 * cost 10–25 µs a call, and pages make hundreds of calls). These tests hold it to date-fns's own
 * answers, the functions it used to call, for every day from 1899 to 2101 and for malformed input.
 */
import { addDays, differenceInCalendarDays, format, isValid, parse } from "date-fns";
import { describe, expect, it } from "vitest";
import { addCalendarDays, daysBetween, formatDate, formatLongDate, isCalendarDate, today, toDate } from "~/domain/dates";

const reference = new Date(2000, 0, 1);
const oracle = {
  toDate: (value: string) => parse(value, "yyyy-MM-dd", reference),
  isCalendarDate: (value: string) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
    const parsed = parse(value, "yyyy-MM-dd", reference);
    return isValid(parsed) && format(parsed, "yyyy-MM-dd") === value;
  },
  daysBetween: (from: string, to: string) => differenceInCalendarDays(oracle.toDate(to), oracle.toDate(from)),
  addCalendarDays: (value: string, days: number) => format(addDays(oracle.toDate(value), days), "yyyy-MM-dd"),
};

/**
 * Every day from 1899-12-01 to 2101-01-31, counted in UTC: a calendar day is one whatever the
 * server's zone (TZ). Where a zone skipped a whole local day (Pacific/Apia skipped 2011-12-30, its
 * midnight included), date-fns, which works in local time, has no such day: it refuses it, and it
 * counts days across it one short. Those days (`localGaps`) are left out of the comparisons with
 * date-fns, and held to the plain count instead (attack 17: under TZ=Pacific/Apia these tests
 * failed on date-fns's answers, where the arithmetic is right).
 */
const everyDay: string[] = [];
for (let time = Date.UTC(1899, 11, 1); time < Date.UTC(2101, 1, 1); time += 86_400_000) everyDay.push(new Date(time).toISOString().slice(0, 10));
const localGaps = everyDay.filter((day) => !oracle.isCalendarDate(day));
/** Whether a local day date-fns cannot see lies from `a` to `b` (either way round). */
const acrossGap = (a: string, b: string) => localGaps.some((gap) => (a <= gap && gap <= b) || (b <= gap && gap <= a));

describe("dates against date-fns, every day 1899–2101", () => {
  it("has the days it should (no gap, no repeat), and date-fns has them all but a zone's skipped days", () => {
    expect(everyDay.length).toBe(73_476);
    expect(new Set(everyDay).size).toBe(everyDay.length);
    expect(localGaps.length).toBeLessThanOrEqual(2);
  });

  it("toDate gives the same local midnight, isCalendarDate accepts every day", () => {
    for (const day of everyDay) {
      if (!localGaps.includes(day)) expect(toDate(day).getTime(), day).toBe(oracle.toDate(day).getTime());
      expect(isCalendarDate(day), day).toBe(true);
    }
  });

  it("daysBetween and addCalendarDays agree, forwards and backwards, across leap days and years", () => {
    const anchors = ["1900-02-28", "2000-02-29", "2024-02-29", "2025-03-09", "2025-11-02", "2026-12-03"];
    for (const [index, day] of everyDay.entries()) {
      // The plain count, whatever the zone: the next day is one day on, and back again.
      const next = everyDay[index + 1];
      if (next) {
        expect(addCalendarDays(day, 1), `${day} + 1`).toBe(next);
        expect(addCalendarDays(next, -1), `${next} - 1`).toBe(day);
        expect(daysBetween(day, next), `${day} → ${next}`).toBe(1);
      }
      const anchor = anchors[index % anchors.length] as string;
      if (!acrossGap(day, anchor)) {
        expect(daysBetween(day, anchor), `${day} → ${anchor}`).toBe(oracle.daysBetween(day, anchor));
        expect(daysBetween(anchor, day), `${anchor} → ${day}`).toBe(oracle.daysBetween(anchor, day));
      }
      // Every day a step forward and back; every fifth day the longer shifts too.
      for (const shift of index % 5 === 0 ? [1, -1, 30, -30, 365, -366, 1461] : [1, -1]) {
        const shifted = addCalendarDays(day, shift);
        expect(daysBetween(day, shifted), `${day} + ${shift}`).toBe(shift);
        if (!acrossGap(day, shifted)) expect(shifted, `${day} + ${shift}`).toBe(oracle.addCalendarDays(day, shift));
      }
    }
  });

  it("formatDate and formatLongDate say the same day", () => {
    for (const day of everyDay.filter((day, index) => index % 7 === 0 && !localGaps.includes(day))) {
      expect(formatDate(day)).toBe(format(oracle.toDate(day), "d MMM yyyy"));
      expect(formatLongDate(day)).toBe(format(oracle.toDate(day), "EEEE d MMMM yyyy"));
    }
  });
});

describe("dates against date-fns in zones whose clocks change (the machine's own zone may be UTC)", () => {
  // toDate is local midnight, as date-fns's parse; daysBetween and addCalendarDays are arithmetic on
  // the date's parts, where date-fns counted local days. Under UTC (this machine's zone) a daylight
  // saving change is never met, so the anchors above on the US changes of 2025 test nothing
  // special. Node reads TZ again whenever it is set.
  const zones = ["America/New_York", "America/Sao_Paulo", "Europe/London", "Australia/Lord_Howe"];
  it.each(zones)("%s", (zone) => {
    const saved = process.env.TZ;
    process.env.TZ = zone;
    try {
      // The zone is in force: its clocks changed in 2015 (all four had summer time then).
      expect(new Date(2015, 0, 15).getTimezoneOffset(), zone).not.toBe(new Date(2015, 6, 15).getTimezoneOffset());
      for (const [index, day] of everyDay.entries()) {
        if (index % 3 !== 0) continue;
        expect(toDate(day).getTime(), `${zone} ${day}`).toBe(oracle.toDate(day).getTime());
        expect(daysBetween(day, "2025-03-09"), `${zone} ${day}`).toBe(oracle.daysBetween(day, "2025-03-09"));
        expect(addCalendarDays(day, 1), `${zone} ${day} + 1`).toBe(oracle.addCalendarDays(day, 1));
      }
      expect(today(new Date(2026, 2, 29, 0, 30))).toBe(format(new Date(2026, 2, 29, 0, 30), "yyyy-MM-dd"));
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe("dates against date-fns, years 1 to 1899, every 37th day", () => {
  it("agrees on what is a date and on the next day", () => {
    const first = new Date(0);
    first.setUTCFullYear(1, 0, 1);
    for (let time = first.getTime(); new Date(time).getUTCFullYear() < 1900; time += 37 * 86_400_000) {
      const date = new Date(time);
      const day = `${String(date.getUTCFullYear()).padStart(4, "0")}-${String(date.getUTCMonth() + 1).padStart(2, "0")}-${String(date.getUTCDate()).padStart(2, "0")}`;
      expect(isCalendarDate(day), day).toBe(oracle.isCalendarDate(day));
      expect(addCalendarDays(day, 1), day).toBe(oracle.addCalendarDays(day, 1));
      expect(daysBetween(day, "2026-12-03"), day).toBe(oracle.daysBetween(day, "2026-12-03"));
    }
  });
});

describe("dates on malformed input, as date-fns answered", () => {
  const malformed = ["", "2025-02-30", "2025-02-29", "2024-13-01", "2024-00-10", "2024-01-00", "2024-01-32", "0000-01-01", "0100-02-29", "1900-02-29", "2025-04", "2025-04-01T00:00", " 2025-04-01", "2025/04/01", "abcd-ef-gh"];
  it.each(malformed)("%j is not a calendar date, and counts no days", (value) => {
    expect(isCalendarDate(value)).toBe(false);
    expect(oracle.isCalendarDate(value)).toBe(false);
    expect(Number.isNaN(toDate(value).getTime())).toBe(true);
    expect(Number.isNaN(daysBetween(value, "2025-01-01"))).toBe(true);
    expect(() => addCalendarDays(value, 1)).toThrow(RangeError);
    expect(() => oracle.addCalendarDays(value, 1)).toThrow(RangeError);
  });

  // date-fns's parse read these leniently (one-digit days, two-digit years, a trailing newline);
  // isCalendarDate refused them before and after, and every date the app stores or reads from a
  // form or an address has passed it: arithmetic on them now fails loudly instead of guessing.
  it.each(["2025-04-1", "25-04-01", "2025-04-01\n"])("%j, which date-fns read leniently, is refused outright", (value) => {
    expect(isCalendarDate(value)).toBe(false);
    expect(oracle.isCalendarDate(value)).toBe(false);
    expect(Number.isNaN(daysBetween(value, "2025-01-01"))).toBe(true);
    expect(() => addCalendarDays(value, 1)).toThrow(RangeError);
    // What a page shows is read as leniently as before: a stored oddity is shown, not a 500.
    expect(formatDate(value)).toBe(format(oracle.toDate(value), "d MMM yyyy"));
  });

  it("a shift that is not a number, or too large for a date, throws as date-fns did", () => {
    for (const shift of [Number.NaN, Number.POSITIVE_INFINITY, 1e12]) {
      expect(() => addCalendarDays("2025-01-01", shift), String(shift)).toThrow(RangeError);
      expect(() => oracle.addCalendarDays("2025-01-01", shift), String(shift)).toThrow(RangeError);
    }
  });

  it("a fraction of a day is dropped as Date's setDate drops it", () => {
    for (const shift of [0.5, -0.5, 1.9, -1.9, 31.2, -31.2]) {
      for (const day of ["2025-01-01", "2025-01-31", "2024-02-29", "2025-03-15"]) {
        expect(addCalendarDays(day, shift), `${day} + ${shift}`).toBe(oracle.addCalendarDays(day, shift));
      }
    }
  });
});

describe("today", () => {
  it.each([new Date(2026, 11, 3, 0, 0, 0), new Date(2026, 11, 3, 23, 59, 59), new Date(2024, 1, 29, 12), new Date(999, 0, 5, 8)])("%s", (now) => {
    expect(today(now)).toBe(format(now, "yyyy-MM-dd"));
  });
  it("throws on an invalid time, as format did", () => {
    expect(() => today(new Date(Number.NaN))).toThrow(RangeError);
  });
});
