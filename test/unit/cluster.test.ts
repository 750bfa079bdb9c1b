/**
 * How many app processes serve (scripts/cluster.ts), and how long a dead worker's replacement waits.
 */
import { describe, expect, it } from "vitest";
import { RESTART_BASE_MS, RESTART_MAX_MS, listeningLine, restartDelayMs, workerCount } from "../../scripts/cluster";

describe("workerCount", () => {
  it("takes --workers N or --workers=N over WEB_WORKERS", () => {
    expect(workerCount({ argv: ["--workers", "3"], configured: 2, cores: 8 })).toBe(3);
    expect(workerCount({ argv: ["--workers=1"], configured: 2, cores: 8 })).toBe(1);
  });

  it("else WEB_WORKERS, else one per core; one in development", () => {
    expect(workerCount({ argv: [], configured: 2, cores: 8, development: false })).toBe(2);
    expect(workerCount({ argv: [], configured: undefined, cores: 8, development: false })).toBe(8);
    expect(workerCount({ argv: [], configured: undefined, cores: 8, development: true })).toBe(1);
    expect(workerCount({ argv: [], configured: 4, cores: 8, development: true })).toBe(4);
  });

  it.each([["0"], ["two"], ["1.5"], ["300"], [""]])("refuses --workers %j, naming the option", (value) => {
    expect(() => workerCount({ argv: ["--workers", value], cores: 8 })).toThrowError(/^--workers: must be/);
  });
});

describe("restartDelayMs", () => {
  it("doubles with each replacement that died young, up to the maximum", () => {
    expect([0, 1, 2, 3].map(restartDelayMs)).toEqual([RESTART_BASE_MS, 2 * RESTART_BASE_MS, 4 * RESTART_BASE_MS, 8 * RESTART_BASE_MS]);
    expect(restartDelayMs(50)).toBe(RESTART_MAX_MS);
    expect(restartDelayMs(1000)).toBe(RESTART_MAX_MS);
  });
});

describe("listeningLine", () => {
  it("keeps the words the test harness waits for", () => {
    expect(listeningLine(3000, 1)).toBe("Oversight Letter Tracker listening on http://localhost:3000");
    expect(listeningLine(3000, 4)).toBe("Oversight Letter Tracker listening on http://localhost:3000 (4 worker processes)");
  });
});
