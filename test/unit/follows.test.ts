/**
 * The pure rules of following by email (app/domain/follows.ts, mail-messages.ts): tokens, back-off,
 * digest periods and grouping, saved-search addresses, and what a message says.
 */
import { describe, expect, it } from "vitest";
import { dueDigestPeriod, nextDigestSlot, scheduleWords, groupByLetter, isPermanentFailure, nextAttemptAt, savedSearchKey, SEND_RULE, signToken, TOKEN_LIFETIME_MS, verifyToken, subjectPath
} from "~/domain/follows";
import { alertMessage, digestMessage, eventSentence } from "~/domain/mail-messages";
import { followFormSchema } from "~/domain/forms";

const KEY = "k".repeat(40);
const NOW = Date.UTC(2025, 5, 2, 12);

describe("tokens", () => {
  const token = signToken({ key: KEY, followId: 7, followSecret: "s1", purpose: "confirm", now: NOW });
  const unsubscribe = signToken({ key: KEY, followId: 7, followSecret: "s1", purpose: "unsubscribe", now: NOW });
  const later = NOW + TOKEN_LIFETIME_MS.confirm + 1;
  it.each([
    { name: "a fresh token", token, purpose: "confirm", secret: "s1", key: KEY, now: NOW, allowExpired: false, ok: true, reason: undefined },
    { name: "another key", token, purpose: "confirm", secret: "s1", key: "x".repeat(40), now: NOW, allowExpired: false, ok: false, reason: "signature" },
    { name: "another follow's secret", token, purpose: "confirm", secret: "s2", key: KEY, now: NOW, allowExpired: false, ok: false, reason: "signature" },
    { name: "another purpose", token, purpose: "unsubscribe", secret: "s1", key: KEY, now: NOW, allowExpired: false, ok: false, reason: "purpose" },
    { name: "expired", token, purpose: "confirm", secret: "s1", key: KEY, now: later, allowExpired: false, ok: false, reason: "expired" },
    { name: "expired unsubscribe still works", token: unsubscribe, purpose: "unsubscribe", secret: "s1", key: KEY, now: NOW + 10 * TOKEN_LIFETIME_MS.unsubscribe, allowExpired: true, ok: true, reason: undefined },
    { name: "a changed payload", token: `${Buffer.from(JSON.stringify({ f: 8, p: "confirm", e: NOW * 2 })).toString("base64url")}.${token.split(".")[1]}`, purpose: "confirm", secret: "s1", key: KEY, now: NOW, allowExpired: false, ok: false, reason: "signature" },
    { name: "cut short", token: token.slice(0, 20), purpose: "confirm", secret: "s1", key: KEY, now: NOW, allowExpired: false, ok: false, reason: "malformed" },
    { name: "garbage", token: "not a token", purpose: "confirm", secret: "s1", key: KEY, now: NOW, allowExpired: false, ok: false, reason: "malformed" },
  ] as const)("$name", ({ token: t, purpose, secret, key, now, allowExpired, ok, reason }) => {
    const result = verifyToken({ key, token: t, followSecret: secret, purpose, now, allowExpired });
    expect(result.ok).toBe(ok);
    if (!result.ok) expect(result.reason).toBe(reason);
  });
});

describe("back-off", () => {
  it.each([
    [1, 60_000],
    [2, 120_000],
    [3, 240_000],
    [7, Math.min(SEND_RULE.maxDelayMs, 60_000 * 64)],
  ])("after %i failed tries the next waits %i ms", (attempts, wait) => {
    expect(nextAttemptAt(attempts, NOW)).toBe(NOW + wait);
  });
  it("gives up after the last try", () => {
    expect(nextAttemptAt(SEND_RULE.maxAttempts, NOW)).toBeNull();
  });
  it.each([
    [550, true],
    [554, true],
    [421, false],
    [451, false],
    [undefined, false],
  ])("code %s is permanent: %s", (code, permanent) => {
    expect(isPermanentFailure(code)).toBe(permanent);
  });
});

describe("nextDigestSlot: the next digest after a moment, in the tracker's zone (decision 0025)", () => {
  const at = (iso: string) => new Date(iso).getTime();
  const cases: Array<{ why: string; zone: string; cadence: "daily" | "weekly"; hour: number; weekday?: number; after: string; next: string; period: string }> = [
    { why: "daily, later the same day", zone: "America/New_York", cadence: "daily", hour: 8, after: "2026-06-12T11:00:00Z", next: "2026-06-12T12:00:00Z", period: "day:2026-06-12" },
    { why: "daily, past the hour: tomorrow", zone: "America/New_York", cadence: "daily", hour: 8, after: "2026-06-12T14:00:00Z", next: "2026-06-13T12:00:00Z", period: "day:2026-06-13" },
    { why: "daily, exactly at the hour: the next one", zone: "UTC", cadence: "daily", hour: 8, after: "2026-06-12T08:00:00Z", next: "2026-06-13T08:00:00Z", period: "day:2026-06-13" },
    { why: "summer time starts (US): 08:00 stays 08:00 local, an hour earlier in UTC", zone: "America/New_York", cadence: "daily", hour: 8, after: "2026-03-07T14:00:00Z", next: "2026-03-08T12:00:00Z", period: "day:2026-03-08" },
    { why: "summer time ends (US): 08:00 local, an hour later in UTC", zone: "America/New_York", cadence: "daily", hour: 8, after: "2026-10-31T13:00:00Z", next: "2026-11-01T13:00:00Z", period: "day:2026-11-01" },
    { why: "02:00 on the spring-forward day does not exist: 03:00", zone: "America/New_York", cadence: "daily", hour: 2, after: "2026-03-07T08:00:00Z", next: "2026-03-08T07:00:00Z", period: "day:2026-03-08" },
    { why: "the day after the gap, 02:00 again", zone: "America/New_York", cadence: "daily", hour: 2, after: "2026-03-08T07:00:00Z", next: "2026-03-09T06:00:00Z", period: "day:2026-03-09" },
    { why: "01:00 happens twice when summer time ends: the first", zone: "America/New_York", cadence: "daily", hour: 1, after: "2026-10-31T06:00:00Z", next: "2026-11-01T05:00:00Z", period: "day:2026-11-01" },
    { why: "summer time starts (EU)", zone: "Europe/Berlin", cadence: "daily", hour: 8, after: "2026-03-28T12:00:00Z", next: "2026-03-29T06:00:00Z", period: "day:2026-03-29" },
    { why: "weekly on Monday, from a Friday", zone: "America/New_York", cadence: "weekly", hour: 8, weekday: 1, after: "2026-06-12T14:00:00Z", next: "2026-06-15T12:00:00Z", period: "week:2026-06-15" },
    { why: "weekly on Friday at 18, that Friday morning", zone: "America/New_York", cadence: "weekly", hour: 18, weekday: 5, after: "2026-06-12T14:00:00Z", next: "2026-06-12T22:00:00Z", period: "week:2026-06-12" },
    { why: "weekly on Friday at 18, that Friday evening: a week on", zone: "America/New_York", cadence: "weekly", hour: 18, weekday: 5, after: "2026-06-12T23:00:00Z", next: "2026-06-19T22:00:00Z", period: "week:2026-06-19" },
    { why: "weekly on Sunday at midnight (UTC), exactly then: a week on", zone: "UTC", cadence: "weekly", hour: 0, weekday: 0, after: "2026-06-14T00:00:00Z", next: "2026-06-21T00:00:00Z", period: "week:2026-06-21" },
    { why: "weekly across the US change: Monday 9 March at 08:00 EDT", zone: "America/New_York", cadence: "weekly", hour: 8, weekday: 1, after: "2026-03-02T13:00:00Z", next: "2026-03-09T12:00:00Z", period: "week:2026-03-09" },
    { why: "late evening in New York is the next day in UTC: the local date counts", zone: "America/New_York", cadence: "daily", hour: 23, after: "2026-06-12T12:00:00Z", next: "2026-06-13T03:00:00Z", period: "day:2026-06-12" },
  ];
  it.each(cases)("$why", ({ zone, cadence, hour, weekday = 1, after, next, period }) => {
    expect(nextDigestSlot({ cadence, hour, weekday }, at(after), zone)).toEqual({ at: at(next), period });
  });

  it("none for 'as it happens'", () => {
    expect(nextDigestSlot({ cadence: "immediate", hour: 8, weekday: 1 }, at("2026-06-12T00:00:00Z"), "UTC")).toBeNull();
  });
});

describe("dueDigestPeriod: whether a digest is due now, since the last one (or the confirmation)", () => {
  const at = (iso: string) => new Date(iso).getTime();
  const ny = "America/New_York";
  it.each([
    { why: "confirmed at 07:00, now 07:30: not yet", cadence: "daily" as const, weekday: 1, since: "2026-06-11T11:00:00Z", now: "2026-06-11T11:30:00Z", period: null },
    { why: "confirmed at 07:00, now 08:00: today's", cadence: "daily" as const, weekday: 1, since: "2026-06-11T11:00:00Z", now: "2026-06-11T12:00:00Z", period: "day:2026-06-11" },
    { why: "today's written at 08:01: no other today", cadence: "daily" as const, weekday: 1, since: "2026-06-11T12:01:00Z", now: "2026-06-11T23:00:00Z", period: null },
    { why: "confirmed at 09:00: none until tomorrow's 08:00", cadence: "daily" as const, weekday: 1, since: "2026-06-11T13:00:00Z", now: "2026-06-11T23:59:00Z", period: null },
    { why: "weekly, the sender down on Monday: written on Wednesday, not a week later", cadence: "weekly" as const, weekday: 1, since: "2026-06-08T12:00:00Z", now: "2026-06-17T15:00:00Z", period: "week:2026-06-15" },
    { why: "weekly on Friday, on a Thursday: not yet", cadence: "weekly" as const, weekday: 5, since: "2026-06-05T12:00:00Z", now: "2026-06-11T15:00:00Z", period: null },
    { why: "never a digest and no confirmation time: the latest slot", cadence: "daily" as const, weekday: 1, since: null, now: "2026-06-11T15:00:00Z", period: "day:2026-06-11" },
    { why: "as it happens: never a digest", cadence: "immediate" as const, weekday: 1, since: null, now: "2026-06-11T15:00:00Z", period: null },
  ])("$why", ({ cadence, weekday, since, now, period }) => {
    expect(dueDigestPeriod({ cadence, hour: 8, weekday }, since === null ? null : at(since), at(now), ny)).toBe(period);
  });
});

describe("digests", () => {
  it("groups a day's events by letter, in the order they happened", () => {
    const groups = groupByLetter([
      { letterId: 2, at: 30, n: "c" },
      { letterId: 1, at: 10, n: "a" },
      { letterId: 2, at: 20, n: "b" },
      { letterId: 1, at: 40, n: "d" },
    ]);
    expect(groups.map((group) => group.map((event) => event.n))).toEqual([["a", "d"], ["b", "c"]]);
  });
});

describe("saved searches", () => {
  it.each([
    ["/letters?agency=dhs&page=3&sort=title&asOf=2024-01-01", "/letters?agency=dhs"],
    ["/letters", "/letters"],
    ["/questions?q=CECOT", "/questions?q=CECOT"],
    ["https://evil.example/letters?agency=dhs", null],
    ["/admin/users", null],
  ])("%s → %s", (address, key) => {
    expect(savedSearchKey(address)).toBe(key);
  });
});

describe("the follow form", () => {
  it.each([
    [{ email: "a@example.org", kind: "letter", key: "x" }, null],
    [{ email: "not an address", kind: "letter", key: "x" }, "email"],
    [{ email: "a@example.org", kind: "planet", key: "x" }, "kind"],
    [{ email: "a@example.org", kind: "letter", key: "" }, "key"],
    [{ email: "a@example.org", kind: "letter", key: "x", cadence: "hourly" }, "cadence"],
  ])("%o: problem with %s", (input, field) => {
    const result = followFormSchema.safeParse(input);
    if (field === null) expect(result.success).toBe(true);
    else {
      expect(result.success).toBe(false);
      expect(result.error!.issues[0]!.path).toEqual([field]);
      expect(result.error!.issues[0]!.message.length).toBeGreaterThan(5);
    }
  });
});

describe("messages", () => {
  const follow = { subjectKind: "letter" as const, subjectKey: "meeks-castro", subjectLabel: "Meeks & Castro <CECOT>", cadence: "immediate" as const };
  const event = { id: 1, kind: "response_logged" as const, letterId: 1, letterSlug: "meeks-castro", letterTitle: "CECOT letter", at: NOW, details: { completeness: "partial", receivedOn: "2025-06-01", from: "State", questionsAnswered: [1, 3], questionsTotal: 4 } };
  it.each([
    [{ kind: "response_logged", details: event.details }, "Response logged from State, received 2025-06-01: partial answer. It answered questions 1, 3 of 4."],
    [{ kind: "deadline_extended", details: { newDeadline: "2025-07-01", reason: null } }, "Deadline extended to 2025-07-01."],
    [{ kind: "letter_overdue", details: { deadline: "2025-05-01" } }, "Overdue: the deadline of 2025-05-01 passed without a substantive response."],
    [{ kind: "letter_overdue", details: { deadline: "2025-05-01", source: "letter", defaultDays: 30 } }, "Overdue: the deadline of 2025-05-01 passed without a substantive response."],
    [
      { kind: "letter_overdue", details: { deadline: "2025-05-01", source: "implied", defaultDays: 30 } },
      "Overdue: no deadline set; due 30 days after sending by default (2025-05-01); that day passed without a substantive response.",
    ],
    [{ kind: "letter_reopened", details: {} }, "Letter reopened."],
  ] as const)("%o says %s", (input, sentence) => {
    expect(eventSentence(input)).toBe(sentence);
  });
  it("an alert says why, what changed with a link, and how to stop; HTML is escaped", () => {
    const message = alertMessage({ publicUrl: "https://tracker.example", follow, event, unsubscribeUrl: "https://tracker.example/unsubscribe?token=t" });
    expect(message.text).toContain("https://tracker.example/letters/meeks-castro");
    expect(message.text).toContain("You get this because you follow the letter");
    expect(message.text).toContain("https://tracker.example/unsubscribe?token=t");
    expect(message.html).toContain("Meeks &amp; Castro &lt;CECOT&gt;");
    expect(message.html).not.toContain("<CECOT>");
  });
  it("a digest lists each letter once with its events", () => {
    const message = digestMessage({
      publicUrl: "https://tracker.example",
      follow: { ...follow, cadence: "daily" },
      events: [event, { ...event, id: 2, kind: "letter_closed", details: { closedOn: "2025-06-02", reason: "Answered" } }, { ...event, id: 3, letterId: 2, letterSlug: "other", letterTitle: "Other letter" }],
      unsubscribeUrl: "https://tracker.example/unsubscribe?token=t",
    });
    expect(message.subject).toBe('Today: 3 changes in "Meeks & Castro <CECOT>"');
    expect(message.text.match(/CECOT letter/g)).toHaveLength(1);
    expect(message.text).toContain("Other letter");
  });
});

describe("subjectPath: where a follow's links lead, always this site's own page", () => {
  it.each<[Parameters<typeof subjectPath>[0], string, string]>([
    ["letter", "meeks-castro-rubio-2025-04-17", "/letters/meeks-castro-rubio-2025-04-17"],
    ["agency", "u-s-department-of-state", "/agencies/u-s-department-of-state"],
    ["letter", "../admin/users", "/letters/..%2Fadmin%2Fusers"],
    ["topic", "el salvador", "/letters?tag=el%20salvador"],
    ["search", "/letters?agency=dhs&q=cecot", "/letters?agency=dhs&q=cecot"],
    ["search", "/questions", "/questions"],
    ["search", "javascript:alert(document.domain)", "/letters"],
    ["search", "//evil.example/letters", "/letters"],
    ["search", "https://evil.example/", "/letters"],
    ["search", "/letters\nSet-Cookie: x", "/letters"],
  ])("%s %j → %s", (kind, key, expected) => {
    expect(subjectPath(kind, key)).toBe(expected);
  });
});

describe("scheduleWords: how a follow hears, as the alerts and confirmation pages say it", () => {
  it.each([
    [{ cadence: "immediate", hour: 18, weekday: 5 }, "As it happens"],
    [{ cadence: "daily", hour: 8, weekday: 1 }, "Daily digest at 08:00 (America/New_York)"],
    [{ cadence: "daily", hour: 0, weekday: 1 }, "Daily digest at 00:00 (America/New_York)"],
    [{ cadence: "weekly", hour: 18, weekday: 5 }, "Weekly digest on Friday at 18:00 (America/New_York)"],
    [{ cadence: "weekly", hour: 23, weekday: 0 }, "Weekly digest on Sunday at 23:00 (America/New_York)"],
    // A weekday outside 0-6 (never stored: the column is checked) reads as the default, Monday.
    [{ cadence: "weekly", hour: 7, weekday: 9 }, "Weekly digest on Monday at 07:00 (America/New_York)"],
  ] as const)("%j → %s", (schedule, words) => {
    expect(scheduleWords(schedule, "America/New_York")).toBe(words);
  });
});
