import { describe, expect, it } from "vitest";
import { nextRecomputeAt, RECOMPUTE_PACING } from "~/domain/recompute-pacing";

describe("when figures behind stale ones may be recomputed again", () => {
  const pacing = { factor: 4, minGapMs: 1_000, maxGapMs: 30_000 };
  it.each([
    { case: "never recomputed: at once", last: null, expected: 0 },
    { case: "a cheap set (10 ms): after the minimum gap", last: { endedAt: 50_000, durationMs: 10 }, expected: 51_000 },
    { case: "the overview at 100,000 letters (1.8 s): four times as long after", last: { endedAt: 50_000, durationMs: 1_800 }, expected: 57_200 },
    { case: "a very slow set (20 s): never more than the maximum gap", last: { endedAt: 50_000, durationMs: 20_000 }, expected: 80_000 },
    { case: "a clock that went back (negative duration): the minimum gap", last: { endedAt: 50_000, durationMs: -5 }, expected: 51_000 },
  ])("$case", ({ last, expected }) => {
    expect(nextRecomputeAt(last, pacing)).toBe(expected);
  });

  it("by default keeps a figure set to a ninth of a thread (runs under 3.75 s) and waits at most 30 s", () => {
    expect(RECOMPUTE_PACING.factor).toBeGreaterThanOrEqual(8);
    expect(RECOMPUTE_PACING.maxGapMs).toBeLessThanOrEqual(30_000);
    // The overview taking 3 s on a busy machine: recomputed no sooner than 24 s after.
    expect(nextRecomputeAt({ endedAt: 0, durationMs: 3_000 })).toBe(24_000);
  });
});
