import { describe, expect, it } from "vitest";
import { minutesToWait, pairWaitMs } from "~/domain/throttle";

const rule = { maxFailures: 3, windowMs: 10 * 60_000 };
const minute = 60_000;

describe("minutesToWait", () => {
  it.each([
    ["no failures", [], 0],
    ["under the limit", [1 * minute, 2 * minute], 0],
    ["at the limit: wait until the oldest counted failure leaves the window", [1 * minute, 2 * minute, 3 * minute], 1],
    ["failures outside the window do not count", [-20 * minute, 2 * minute, 3 * minute], 0],
    ["many failures: the limit-th most recent one decides", [1 * minute, 4 * minute, 5 * minute, 6 * minute], 4],
    ["less than a minute left still says 1 minute", [0.5 * minute, 9 * minute, 9.5 * minute], 1],
  ])("%s", (_name, failures, expected) => {
    expect(minutesToWait(failures as number[], 10 * minute, rule)).toBe(expected);
  });
});

describe("pairWaitMs", () => {
  const pair = { freeFailures: 3, baseDelayMs: minute, maxDelayMs: 8 * minute, windowMs: 60 * minute };
  it.each([
    ["under the free failures", [1 * minute, 2 * minute], 0],
    ["at the free failures: one base delay from the latest", [1 * minute, 2 * minute, 9.5 * minute], 0.5 * minute],
    ["each further failure doubles the delay", [1 * minute, 2 * minute, 3 * minute, 9 * minute], 1 * minute],
    ["capped", Array.from({ length: 12 }, (_, i) => 9 * minute + i), 8 * minute + 11 + 9 * minute - 10 * minute],
    ["forgotten after the window", [-70 * minute, -60 * minute, -55 * minute, 9.9 * minute], 0],
  ])("%s", (_name, failures, expected) => {
    expect(pairWaitMs(failures as number[], 10 * minute, pair)).toBe(expected);
  });
});
