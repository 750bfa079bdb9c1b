/**
 * The synthetic data generator: same seed, same letters; the shapes the issue asks for.
 */
import { describe, expect, it } from "vitest";
import {
  createRandom,
  questionCount,
  SYNTHETIC_AGENCY_COUNT,
  SYNTHETIC_END_DATE,
  syntheticEndDate,
  syntheticLetters,
  syntheticReference,
  zipfSampler,
  type SyntheticLetter,
} from "~/domain/synthetic";

function generate(letters: number, seed: number, endDate = "2026-06-30"): SyntheticLetter[] {
  return [...syntheticLetters({ letters, seed, endDate }, syntheticReference(seed))];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

describe("createRandom", () => {
  it("repeats for a seed and differs between seeds", () => {
    const sequence = (seed: number) => Array.from({ length: 5 }, createRandom(seed).next);
    expect(sequence(7)).toEqual(sequence(7));
    expect(sequence(7)).not.toEqual(sequence(8));
    for (const value of sequence(9)) expect(value >= 0 && value < 1).toBe(true);
  });

  it("int covers both ends and nothing outside", () => {
    const random = createRandom(1);
    const seen = new Set(Array.from({ length: 2000 }, () => random.int(3, 6)));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });
});

describe("zipfSampler", () => {
  it("gives rank 0 about twice rank 1 and ten times rank 9 (exponent 1)", () => {
    const sample = zipfSampler(100, 1, createRandom(3));
    const counts = new Array(100).fill(0) as number[];
    for (let i = 0; i < 200_000; i++) counts[sample()]! += 1;
    expect(counts[0]! / counts[1]!).toBeCloseTo(2, 0);
    expect(counts[0]! / counts[9]!).toBeGreaterThan(8);
    expect(counts[0]! / counts[9]!).toBeLessThan(12);
    expect(counts.every((n) => n > 0)).toBe(true);
  });
});

describe("questionCount", () => {
  it("stays within 1..25 with a median of 6", () => {
    const random = createRandom(5);
    const counts = Array.from({ length: 20_000 }, () => questionCount(random));
    expect(Math.min(...counts)).toBe(1);
    expect(Math.max(...counts)).toBe(25);
    expect(median(counts)).toBe(6);
  });
});

describe("syntheticLetters", () => {
  it("is deterministic for a seed", () => {
    expect(generate(300, 42)).toEqual(generate(300, 42));
    expect(syntheticReference(42)).toEqual(syntheticReference(42));
    expect(generate(50, 42)).not.toEqual(generate(50, 43));
    // A smaller count gives different sending dates, but the same seed the same reference data.
    expect(generate(300, 42)[0]!.id).toBe(1);
  });

  const letters = generate(5000, 1);
  const endDate = "2026-06-30";

  it("has the issue's shapes", () => {
    const questions = letters.map((letter) => letter.questions.length);
    expect(Math.min(...questions)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...questions)).toBeLessThanOrEqual(25);
    expect(median(questions)).toBe(6);

    const withDeadline = letters.filter((letter) => letter.deadline !== null).length / letters.length;
    expect(withDeadline).toBeGreaterThan(0.67);
    expect(withDeadline).toBeLessThan(0.73);

    const substantive =
      letters.filter((letter) => letter.responses.some((response) => response.completeness !== "acknowledgment")).length /
      letters.length;
    expect(substantive).toBeGreaterThan(0.55);
    expect(substantive).toBeLessThan(0.65);

    expect(letters.filter((letter) => letter.extensions.length > 0).length).toBeGreaterThan(letters.length * 0.05);
    expect(letters.filter((letter) => letter.assessments.length > 0).length).toBeGreaterThan(letters.length * 0.05);
    expect(letters.filter((letter) => letter.closedOn !== null).length).toBeGreaterThan(letters.length * 0.02);
    expect(new Set(letters.map((letter) => letter.chamber))).toEqual(new Set(["House", "Senate", "Joint"]));
  });

  it("spreads letters over a few hundred agencies with a Zipf-like skew", () => {
    const reference = syntheticReference(1);
    expect(reference.agencies).toHaveLength(SYNTHETIC_AGENCY_COUNT);
    expect(new Set(reference.agencies.map((agency) => agency.slug)).size).toBe(SYNTHETIC_AGENCY_COUNT);
    const perAgency = new Map<number, number>();
    for (const letter of letters) {
      for (const official of letter.recipientOfficials) {
        const agency = reference.officials[official]!.agencyIndex;
        perAgency.set(agency, (perAgency.get(agency) ?? 0) + 1);
      }
    }
    const sorted = [...perAgency.values()].sort((a, b) => b - a);
    expect(sorted[0]! / median(sorted)).toBeGreaterThan(20);
    expect(perAgency.size).toBeGreaterThan(200);
  });

  it("has senders from both chambers and follow-up chains that point backwards", () => {
    const reference = syntheticReference(1);
    const chambers = new Set(letters.flatMap((letter) => letter.senders.map((s) => reference.members[s.memberIndex]!.chamber)));
    expect(chambers).toEqual(new Set(["House", "Senate"]));
    const followUps = letters.filter((letter) => letter.followsUpId !== null);
    expect(followUps.length).toBeGreaterThan(letters.length * 0.05);
    const byId = new Map(letters.map((letter) => [letter.id, letter]));
    for (const letter of followUps) {
      const original = byId.get(letter.followsUpId!)!;
      expect(original.id).toBeLessThan(letter.id);
      expect(original.sentOn <= letter.sentOn).toBe(true);
    }
    // Some chains are longer than one step.
    expect(followUps.some((letter) => byId.get(letter.followsUpId!)!.followsUpId !== null)).toBe(true);
  });

  it("dates nothing after the end date and nothing before sending", () => {
    for (const letter of letters) {
      expect(letter.sentOn <= endDate).toBe(true);
      for (const response of letter.responses) {
        expect(response.receivedOn <= endDate && response.receivedOn >= letter.sentOn).toBe(true);
      }
      for (const extension of letter.extensions) expect(extension.grantedOn <= endDate).toBe(true);
      if (letter.closedOn) expect(letter.closedOn <= endDate).toBe(true);
      if (letter.deadline) expect(letter.deadline > letter.sentOn).toBe(true);
    }
    expect(new Set(letters.map((letter) => letter.slug)).size).toBe(letters.length);
  });

  it("clamps the end date to today", () => {
    expect(syntheticEndDate("2026-01-05")).toBe("2026-01-05");
    expect(syntheticEndDate("2030-01-01")).toBe(SYNTHETIC_END_DATE);
  });
});
