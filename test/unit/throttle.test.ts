import { describe, expect, it } from "vitest";
import { minutesToWait } from "~/domain/throttle";

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
