/** The pure rules behind serving without waits: admission to the read pool, the calendar's window, ETag matching. */
import { describe, expect, it } from "vitest";
import { AdmissionControl, DEEP_OFFSET_FROM, DEEP_PAGE_FROM, perClientShare, readLane } from "~/domain/admission";
import { PAGE_SIZE } from "~/domain/filters";
import { CALENDAR_MAX_DAYS, parseCalendarWindow } from "~/domain/calendar-window";
import { addCalendarDays } from "~/domain/dates";
import { ifNoneMatch } from "~/utils/page-cache.server";

describe("a client's share of a pool's slots", () => {
  it.each([
    { wanted: 2, total: 1, share: 1 },
    { wanted: 2, total: 2, share: 1 },
    { wanted: 2, total: 3, share: 2 },
    { wanted: 2, total: 8, share: 2 },
    { wanted: 5, total: 4, share: 3 },
    { wanted: 1, total: 1, share: 1 },
  ])("$wanted wanted of $total: $share", ({ wanted, total, share }) => {
    expect(perClientShare(wanted, total)).toBe(share);
  });

  it("leaves a slot of two for another client", () => {
    const admission = new AdmissionControl({ perClient: perClientShare(2, 2), total: 2 });
    expect(admission.admit("hog")).toEqual({ admitted: true });
    expect(admission.admit("hog")).toMatchObject({ admitted: false, reason: "client" });
    expect(admission.admit("reader")).toEqual({ admitted: true });
  });
});

describe("admission to the read pool", () => {
  type Step = [action: "admit" | "release", client: string, expected?: true | "client" | "saturated"];
  it.each<[string, Step[]]>([
    ["one client up to its limit, then refused with reason client", [
      ["admit", "a", true], ["admit", "a", true], ["admit", "a", "client"],
    ]],
    ["a refused client does not hold a place", [
      ["admit", "a", true], ["admit", "a", true], ["admit", "a", "client"], ["admit", "b", true], ["admit", "b", true],
    ]],
    ["all clients together up to the total, then saturated", [
      ["admit", "a", true], ["admit", "b", true], ["admit", "c", true], ["admit", "d", true], ["admit", "e", "saturated"],
    ]],
    ["a release frees the client's place and the total's", [
      ["admit", "a", true], ["admit", "a", true], ["release", "a"], ["admit", "a", true], ["admit", "a", "client"],
    ]],
    ["releasing a client with nothing in flight changes nothing", [
      ["release", "z"], ["admit", "a", true], ["admit", "b", true], ["admit", "c", true], ["admit", "d", true], ["admit", "e", "saturated"],
    ]],
  ])("%s", (_name, steps) => {
    const control = new AdmissionControl({ perClient: 2, total: 4 });
    for (const [action, client, expected] of steps) {
      if (action === "release") {
        control.release(client);
        continue;
      }
      const admission = control.admit(client);
      if (expected === true) expect(admission).toEqual({ admitted: true });
      else {
        expect(admission.admitted).toBe(false);
        if (!admission.admitted) {
          expect(admission.reason).toBe(expected);
          expect(admission.retryAfterSeconds).toBeGreaterThan(0);
        }
      }
    }
    expect(control.inFlightTotal).toBeLessThanOrEqual(4);
  });
});

describe("admission by the wait for a thread", () => {
  // Two threads, a wait of at most a second, a cap of 32 in flight.
  const control = (serviceMs: number | null) => {
    const admission = new AdmissionControl({ perClient: 100, total: 32, maxWaitMs: 1000, threads: 2 });
    // A read that ran alone for serviceMs teaches the lane its service time.
    if (serviceMs !== null) {
      expect(admission.admit("teacher")).toEqual({ admitted: true });
      admission.release("teacher", { elapsedMs: serviceMs, inFlightAtAdmission: 1 });
    }
    return admission;
  };
  const admittedOf = (admission: AdmissionControl) => {
    let admitted = 0;
    while (admitted < 100 && admission.admit(`client-${admitted}`).admitted) admitted += 1;
    return admitted;
  };
  it.each([
    // wait = (in flight - threads + 1) / threads × service: admitted while it is at most 1,000 ms.
    ["30 ms reads (a past-date page): the cap binds first", 30, 32],
    ["400 ms reads: 7 admitted (the 8th would wait 1,200 ms)", 400, 7],
    ["1 s reads: 4 admitted (the 5th would wait 1.5 s)", 1000, 4],
    ["20 s reads (a wide calendar): only as many as the threads", 20_000, 2],
    ["no read finished yet: the cap alone", null, 32],
  ])("%s", (_name, serviceMs, admitted) => {
    expect(admittedOf(control(serviceMs))).toBe(admitted);
  });

  it("refuses as saturated, with a Retry-After about the wait", () => {
    const admission = control(20_000);
    admittedOf(admission);
    const refused = admission.admit("late");
    expect(refused).toEqual({ admitted: false, reason: "saturated", retryAfterSeconds: 10 });
  });

  it("learns the service time from reads that waited, not their whole time", () => {
    // Four reads admitted together on two threads: the last two waited one round, then ran 100 ms.
    const admission = new AdmissionControl({ perClient: 100, total: 32, maxWaitMs: 1000, threads: 2 });
    admission.admit("a");
    admission.release("a", { elapsedMs: 200, inFlightAtAdmission: 4 });
    // 200 ms over two rounds: 100 ms each. The 22nd waits (21 - 2 + 1) / 2 × 100 = 1,000 ms; the
    // 23rd would wait 1,050 ms. Taken as 200 ms a read, only 11 would be admitted.
    expect(admittedOf(admission)).toBe(22);
  });

  it("moves the estimate gradually: one slow read among fast ones does not close the lane", () => {
    const admission = control(30);
    admission.admit("slow");
    admission.release("slow", { elapsedMs: 5000, inFlightAtAdmission: 1 });
    // 0.8 × 30 + 0.2 × 5,000 = 1,024 ms a read: three admitted.
    expect(admittedOf(admission)).toBe(3);
    for (let i = 0; i < 20; i++) {
      admission.release(`client-${i % 3}`, { elapsedMs: 30, inFlightAtAdmission: 1 });
      admission.admit(`client-${i % 3}`);
    }
    for (let i = 0; i < 3; i++) admission.release(`client-${i}`);
    expect(admittedOf(admission)).toBe(32);
  });
});

describe("the lane a read waits in", () => {
  it.each([
    ["overview", "2026-12-01", "light", "today's figures (a recompute after a write) are light"],
    ["overview", "2025-06-30", "heavy", "a past date's figures are computed, not stored"],
    ["agencyPage", "2026-12-01", "light", "today's agency page reads stored state"],
    ["agencyPage", "2024-01-12", "heavy", "a past-date agency page"],
    ["memberPage", "2019-12-12", "heavy", "a past-date member page"],
    ["listLetters", "2026-12-01", "light", "today's list page"],
    ["listLetters", "2026-11-30", "heavy", "yesterday's list is a past date too"],
    ["search", null, "light", "a search without a date"],
    ["search", "2026-12-02", "light", "a date after today reads today's state"],
    ["briefing", "2026-12-01", "heavy", "a briefing reads every letter of its selection"],
    ["checkLetterFile", null, "heavy", "an import file's check"],
    ["checkImportUpload", null, "heavy", "an import upload's check"],
    ["proposeLetter", null, "light", "the letter proposal is linear and bounded"],
  ] as const)("%s as of %s is %s: %s", (task, asOf, lane, _why) => {
    expect(readLane(task, asOf, "2026-12-01")).toBe(lane);
  });

  it.each([
    ["listQuestions", 0, "light", "the first page"],
    ["listQuestions", DEEP_OFFSET_FROM - 1, "light", "the last row before the deep ones"],
    ["listQuestions", DEEP_OFFSET_FROM, "heavy", "a deep page walks every row before it"],
    ["listLetters", 49_000, "heavy", "the API's page 99 at 500 a page"],
    ["search", DEEP_OFFSET_FROM + 20, "heavy", "a deep page of search results"],
  ] as const)("%s today skipping %i rows is %s: %s", (task, offset, lane, _why) => {
    expect(readLane(task, "2026-12-01", "2026-12-01", offset)).toBe(lane);
  });

  it.each([
    ["listLetters", "sent", false, "light", "a past date's list by date walks the date index, each letter's state sought in the history"],
    ["listLetters", "title", false, "light", "by title, the same walk of the title index"],
    ["listLetters", "sent", true, "heavy", "a status filter reads the state of every letter up to the page"],
    ["listLetters", "status", false, "heavy", "ordered by state, every letter's state as of the date is read"],
    ["listLetters", "deadline", false, "heavy", "the deadline as of a date is computed per letter"],
    ["listLetters", null, false, "heavy", "no order named: heavy, to be safe"],
    ["listQuestions", "sent", false, "heavy", "questions as of a past date stay heavy"],
    ["agencyPage", "sent", false, "heavy", "a past-date profile page"],
  ] as const)("%s as of a past date, by %s, status filter %s, is %s: %s", (task, sort, byStatus, lane, _why) => {
    expect(readLane(task, "2025-06-30", "2026-12-01", 25, { sort, byStatus })).toBe(lane);
    // Deep pages stay heavy whatever the order.
    expect(readLane(task, "2025-06-30", "2026-12-01", DEEP_OFFSET_FROM, { sort, byStatus })).toBe("heavy");
  });

  it("page 100 of the site's lists is the first deep one", () => {
    expect(DEEP_OFFSET_FROM).toBe((DEEP_PAGE_FROM - 1) * PAGE_SIZE);
  });
});

describe("the calendar's window", () => {
  const asOf = "2026-12-01";
  it.each<[string, Record<string, string>, { from: string; to: string } | RegExp]>([
    ["90 days back to a year ahead by default", {}, { from: "2026-09-02", to: "2027-12-01" }],
    ["from and to as given", { from: "2023-01-01", to: "2025-12-31" }, { from: "2023-01-01", to: "2025-12-31" }],
    ["from alone keeps the default length", { from: "2025-01-01" }, { from: "2025-01-01", to: addCalendarDays("2025-01-01", 455) }],
    ["a bad from names the parameter", { from: "2025-02-30" }, /"from" must be a date written YYYY-MM-DD/],
    ["to before from", { from: "2025-02-01", to: "2025-01-01" }, /"to" \(2025-01-01\) is before "from"/],
    ["a window longer than the limit", { from: "2020-01-01", to: "2025-12-31" }, new RegExp(`at most ${CALENDAR_MAX_DAYS}`)],
  ])("%s", (_name, given, expected) => {
    const { window, problems } = parseCalendarWindow(new URLSearchParams(given), asOf);
    if (expected instanceof RegExp) expect(problems.join("\n")).toMatch(expected);
    else {
      expect(problems).toEqual([]);
      expect(window).toEqual(expected);
    }
  });

  // Attack 17: the default start, 90 days before asOf, fell in year 0 (no date: addCalendarDays
  // gave "0000-10-03"), and the default end's sum on it threw: GET /calendar.ics?asOf=0001-01-01
  // answered 500 (200 before dates.ts's arithmetic, with date-fns's year 0 written "0001").
  it.each([
    ["0001-01-01", "0001-01-01"],
    ["0001-03-31", "0001-01-01"],
    ["0001-04-01", "0001-01-01"],
    ["0001-04-02", "0001-01-02"],
  ])("an asOf of %s, early in year 1, starts the window at %s, the first day there is", (early, from) => {
    const { window, problems } = parseCalendarWindow(new URLSearchParams(), early);
    expect(problems).toEqual([]);
    expect(window).toEqual({ from, to: addCalendarDays(from, 455) });
  });

  it("refuses a parameter given twice", () => {
    const { problems } = parseCalendarWindow(new URLSearchParams("from=2025-01-01&from=2024-01-01"), asOf);
    expect(problems.join("\n")).toMatch(/"from" is given 2 times/);
  });
});

describe("If-None-Match", () => {
  const etag = 'W/"abc"';
  it.each<[string | undefined, boolean]>([
    [undefined, false],
    ['W/"abc"', true],
    ['"abc"', true],
    ['W/"x", W/"abc"', true],
    ['W/"abcd"', false],
    ["*", false],
    ["", false],
  ])("%j matches: %s", (header, expected) => {
    expect(ifNoneMatch(header, etag)).toBe(expected);
  });
});
