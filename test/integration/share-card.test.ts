/**
 * The share card draws the names letters carry, not only Latin ones: "Nguyễn", "Łódź", Greek and
 * Cyrillic (the font's other subsets). A glyph the fonts lack is drawn as the same empty box
 * whatever the character, so two titles that differ in one such character give the same image.
 */
import { describe, expect, it } from "vitest";
import type { LetterShareFacts } from "~/domain/share";
import { renderLetterCard } from "~/utils/share-image.server";

const facts = (title: string): LetterShareFacts => ({
  title,
  status: "awaiting",
  sentOn: "2025-04-17",
  daysOutstanding: 228,
  responseDays: null,
  daysOverdue: null,
  agencies: ["DOS"],
  senders: ["Zoë Lofgren (D-CA)"],
});

describe("the share card's scripts", () => {
  it.each([
    ["Vietnamese", "Nguyễn", "Nguyến"],
    ["Latin Extended", "Łódź", "Łódż"],
    ["Greek", "Ελλάδα", "Ελλάδο"],
    ["Cyrillic", "Москва", "Москве"],
  ])("%s: %s and %s are drawn differently", async (_script, one, other) => {
    const [first, second] = await Promise.all([renderLetterCard(facts(`Letter to ${one}`), "https://t.example"), renderLetterCard(facts(`Letter to ${other}`), "https://t.example")]);
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(false);
  }, 60_000);
});
