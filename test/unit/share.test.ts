import { describe, expect, it } from "vitest";
import {
  agencyBadge,
  type AgencyBadgeFacts,
  badgeSvg,
  letterBadge,
  letterHeadline,
  letterShareDescription,
  nameList,
  textWidth,
  type LetterShareFacts,
} from "~/domain/share";

const letter = (overrides: Partial<LetterShareFacts> = {}): LetterShareFacts => ({
  title: "Meeks and Castro ask Rubio about the CECOT deal",
  status: "awaiting",
  sentOn: "2025-04-17",
  daysOutstanding: 228,
  responseDays: null,
  daysOverdue: null,
  agencies: ["DOS"],
  senders: ["Gregory W. Meeks (D-NY)", "Joaquin Castro (D-TX)"],
  ...overrides,
});

describe("letterHeadline: the card's one line", () => {
  it.each<[string, Partial<LetterShareFacts>, string]>([
    ["waiting", {}, "Day 228 without an answer"],
    ["overdue", { status: "overdue", daysOverdue: 200 }, "Day 228 without an answer"],
    ["sent today", { daysOutstanding: 0 }, "Day 0 without an answer"],
    ["partly answered", { status: "partial", daysOutstanding: null, responseDays: 45 }, "Partly answered after 45 days"],
    ["answered in a day", { status: "answered", daysOutstanding: null, responseDays: 1 }, "Answered after 1 day"],
    ["refused", { status: "refused", daysOutstanding: null, responseDays: 12 }, "Refused after 12 days"],
    ["closed unanswered", { status: "closed", daysOutstanding: null }, "Closed without an answer"],
    ["closed after an answer", { status: "closed", daysOutstanding: null, responseDays: 30 }, "Closed; first answered after 30 days"],
  ])("%s", (_case, overrides, expected) => {
    expect(letterHeadline(letter(overrides))).toBe(expected);
  });
});

describe("nameList", () => {
  it.each<[string[], string]>([
    [[], ""],
    [["DOS"], "DOS"],
    [["DOS", "DHS"], "DOS and DHS"],
    [["DOS", "DHS", "FBI"], "DOS, DHS and FBI"],
    [["A", "B", "C", "D", "E"], "A, B and 3 others"],
  ])("%j → %s", (names, expected) => {
    expect(nameList(names)).toBe(expected);
  });
});

describe("letterShareDescription", () => {
  it("names senders, agencies, the sent date and the state, and days past the deadline when overdue", () => {
    expect(letterShareDescription(letter({ status: "overdue", daysOverdue: 200 }))).toBe(
      "From Gregory W. Meeks (D-NY) and Joaquin Castro (D-TX) to DOS, sent 17 Apr 2025. Day 228 without an answer. 200 days past the deadline.",
    );
    expect(letterShareDescription(letter({ senders: [], agencies: [] }))).toBe("A letter, sent 17 Apr 2025. Day 228 without an answer.");
  });
});

describe("letterBadge", () => {
  it.each<[Partial<LetterShareFacts>, string, string]>([
    [{}, "awaiting reply · day 228", "#4a5568"],
    [{ status: "overdue", daysOverdue: 3 }, "overdue · day 228", "#b42318"],
    [{ status: "answered", daysOutstanding: null, responseDays: 40 }, "answered · 40 d", "#067647"],
    [{ status: "closed", daysOutstanding: null }, "closed", "#475467"],
  ])("%j: %s", (overrides, message, color) => {
    expect(letterBadge(letter(overrides))).toEqual({ label: "oversight letter", message, color });
  });
});

describe("agencyBadge keeps the small-n rule", () => {
  const agency: AgencyBadgeFacts = { name: "DOS", letters: 11, answered: { count: 4, n: 11 }, medianDays: 45, medianRated: true };
  it.each<[Partial<AgencyBadgeFacts>, string]>([
    [{}, "36% of 11 · median 45 d"],
    [{ medianDays: null }, "36% of 11 · median not reached"],
    [{ medianRated: false, medianDays: null }, "36% of 11"],
    [{ letters: 4, answered: { count: 2, n: 4 }, medianDays: 8, medianRated: false }, "too few letters to rate (n = 4)"],
    [{ letters: 0, answered: { count: 0, n: 0 }, medianDays: null, medianRated: false }, "too few letters to rate (n = 0)"],
  ])("%j: %s", (overrides, message) => {
    const badge = agencyBadge({ ...agency, ...overrides });
    expect(badge.label).toBe("DOS answers");
    expect(badge.message).toBe(message);
  });
});

describe("badgeSvg", () => {
  it("escapes hostile text: no markup from a title or name reaches the SVG", () => {
    const svg = badgeSvg({ label: `<script>alert(1)</script>`, message: `"&' onload="x`, color: "#000" });
    expect(svg).not.toContain("<script");
    expect(svg).not.toMatch(/onload="x/);
    expect(svg).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(svg).toContain("&quot;&amp;&apos; onload=&quot;x");
  });

  it("has an accessible name and grows with its text", () => {
    const short = badgeSvg({ label: "oversight letter", message: "closed", color: "#475467" });
    const long = badgeSvg({ label: "oversight letter", message: "awaiting reply · day 1228", color: "#475467" });
    expect(short).toContain('role="img" aria-label="oversight letter: closed"');
    const width = (svg: string) => Number(/^<svg[^>]* width="(\d+)"/.exec(svg)![1]);
    expect(width(long)).toBeGreaterThan(width(short));
    expect(textWidth("WWW")).toBeGreaterThan(textWidth("iii"));
  });
});
