/**
 * The pure rules of following by email (app/domain/follows.ts, mail-messages.ts): tokens, back-off,
 * digest periods and grouping, saved-search addresses, and what a message says.
 */
import { describe, expect, it } from "vitest";
import { digestPeriod, groupByLetter, isPermanentFailure, nextAttemptAt, savedSearchKey, SEND_RULE, signToken, TOKEN_LIFETIME_MS, verifyToken, subjectPath
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

describe("digest periods", () => {
  // 2025-06-02 is a Monday; local time.
  it.each([
    ["immediate", 8, new Date(2025, 5, 2, 9), null],
    ["daily", 8, new Date(2025, 5, 2, 7, 59), null],
    ["daily", 8, new Date(2025, 5, 2, 8), "day:2025-06-02"],
    ["daily", 8, new Date(2025, 5, 3, 23), "day:2025-06-03"],
    ["weekly", 8, new Date(2025, 5, 2, 9), "week:2025-06-02"],
    ["weekly", 8, new Date(2025, 5, 3, 9), null],
    ["weekly", 8, new Date(2025, 5, 2, 6), null],
  ] as const)("%s at hour %i, %s → %s", (cadence, hour, now, period) => {
    expect(digestPeriod(cadence, hour, now)).toBe(period);
  });

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
