/**
 * The bench's CPU accounting (scripts/bench-cpu.ts): what it reads from /proc and the capacity bound
 * it reports for the mixed load. A misread field would make the bound, and the argument it supports
 * in docs/performance.md, wrong.
 */
import { describe, expect, it } from "vitest";
import { capacityBound, cpuTicksOfStat, cpuUseBetween, machineTicksOfStat, taskOfStat, type CpuSnapshot } from "../../scripts/bench-cpu";

// Fields after the command name: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
// ... priority nice num_threads itrealvalue starttime ...
const statLine = (comm: string, utime: number, stime: number, cutime = 0, cstime = 0, nice = 0) =>
  `4242 (${comm}) S 1 4242 4242 0 -1 4194560 1000 0 0 0 ${utime} ${stime} ${cutime} ${cstime} ${20 + nice} ${nice} 11 0 123 456 789`;

describe("cpuTicksOfStat", () => {
  it.each([
    { name: "a plain command", line: statLine("node", 120, 30), children: false, ticks: 150 },
    { name: "a command name with spaces", line: statLine("V8 DefaultWorke", 7, 3), children: false, ticks: 10 },
    { name: "a command name with parentheses and spaces", line: statLine("a) S 1 (b", 5, 6), children: false, ticks: 11 },
    { name: "children waited for", line: statLine("node", 120, 30, 400, 100), children: true, ticks: 500 },
  ])("$name", ({ line, children, ticks }) => {
    expect(cpuTicksOfStat(line, { children })).toBe(ticks);
  });

  it("refuses a line that is not a stat line", () => {
    expect(() => cpuTicksOfStat("nothing here")).toThrow(/not a \/proc stat line/);
    expect(() => cpuTicksOfStat("1 (x) S")).toThrow(/no CPU times/);
  });
});

describe("taskOfStat", () => {
  it.each([
    { name: "an event loop", line: statLine("node", 40, 2), task: { ticks: 42, nice: 0 } },
    { name: "a heavy read thread", line: statLine("node", 90, 10, 0, 0, 13), task: { ticks: 100, nice: 13 } },
    { name: "an export thread named with spaces", line: statLine("Export (1) x", 7, 1, 0, 0, 19), task: { ticks: 8, nice: 19 } },
    { name: "a negative nice value", line: statLine("node", 1, 1, 0, 0, -5), task: { ticks: 2, nice: -5 } },
  ])("$name", ({ line, task }) => {
    expect(taskOfStat(line)).toEqual(task);
  });
});

describe("machineTicksOfStat", () => {
  it("counts idle and iowait as not busy, everything else as busy", () => {
    const text = "cpu  100 5 20 800 50 1 2 3 0 0\ncpu0 50 2 10 400 25 1 1 1 0 0\nintr 1\n";
    expect(machineTicksOfStat(text)).toEqual({ busy: 100 + 5 + 20 + 1 + 2 + 3, total: 100 + 5 + 20 + 1 + 2 + 3 + 800 + 50 });
  });
});

describe("cpuUseBetween", () => {
  it("turns tick differences into milliseconds and the machine's busy share", () => {
    const before: CpuSnapshot = { server: { all: 1000, mainThreads: 600 }, nginx: 10, reapedChildren: 5, machine: { busy: 1000, total: 4000 } };
    const after: CpuSnapshot = { server: { all: 3000, mainThreads: 1600 }, nginx: 110, reapedChildren: 305, machine: { busy: 4000, total: 8000 } };
    expect(cpuUseBetween(before, after)).toEqual({ serverMs: 20_000, serverMainThreadsMs: 10_000, nginxMs: 1000, loadGeneratorMs: 3000, machineBusy: 0.75 });
  });
});

describe("capacityBound", () => {
  it.each([
    // 10 ms of CPU a request on 2 cores: 200 req/s; 50 connections then wait 250 ms on average.
    { cpuMs: 100_000, requests: 10_000, cores: 2, connections: 50, perRequest: 10, rate: 200, latency: 250 },
    // 4 ms a request: 500 req/s; 100 ms.
    { cpuMs: 40_000, requests: 10_000, cores: 2, connections: 50, perRequest: 4, rate: 500, latency: 100 },
    // Twice the cores, twice the rate, half the wait.
    { cpuMs: 40_000, requests: 10_000, cores: 4, connections: 50, perRequest: 4, rate: 1000, latency: 50 },
  ])("$perRequest ms a request on $cores cores: $rate req/s, $latency ms", ({ cpuMs, requests, cores, connections, perRequest, rate, latency }) => {
    const bound = capacityBound({ cpuMs, requests, cores, connections });
    expect(bound?.cpuMsPerRequest).toBeCloseTo(perRequest, 9);
    expect(bound?.maxRequestsPerSecond).toBeCloseTo(rate, 9);
    expect(bound?.minMeanLatencyMs).toBeCloseTo(latency, 9);
  });

  it("says nothing when nothing was measured", () => {
    expect(capacityBound({ cpuMs: 0, requests: 100, cores: 2, connections: 50 })).toBeNull();
    expect(capacityBound({ cpuMs: 100, requests: 0, cores: 2, connections: 50 })).toBeNull();
  });
});
