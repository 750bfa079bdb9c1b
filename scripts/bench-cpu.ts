/**
 * Where the CPU goes under a load (`npm run bench`, the mixed load): the server's processes (their
 * main threads apart), nginx, the load generator and the machine as a whole, read from /proc
 * (Linux) before and after. From the CPU each request costs, `capacityBound` gives the most requests a
 * second the machine's cores allow for that mix, and the least mean latency a closed loop of N
 * connections can then see (Little's law: N = rate × mean latency). When that floor is above a
 * latency target, no change to scheduling can meet it: only less CPU per request, or more cores.
 */
import fs from "node:fs";

/** Clock ticks a second of /proc's CPU times (USER_HZ: 100 on every Linux that Node runs on). */
export const TICKS_PER_SECOND = 100;

/**
 * utime + stime of a /proc/<pid>/stat (or /proc/<pid>/task/<tid>/stat) line, in ticks. The command
 * name, field 2, is in parentheses and may itself hold spaces and parentheses: fields are counted
 * from the last ")". `children`: cutime + cstime instead (children waited for).
 */
export function cpuTicksOfStat(line: string, { children = false }: { children?: boolean } = {}): number {
  const end = line.lastIndexOf(")");
  if (end < 0) throw new Error(`not a /proc stat line: ${line.slice(0, 80)}`);
  // After ")": field 3 (state) is index 0, so field n is index n - 3.
  const fields = line.slice(end + 2).split(" ");
  const [first, second] = children ? [16, 17] : [14, 15];
  const a = Number(fields[first - 3]);
  const b = Number(fields[second - 3]);
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw new Error(`no CPU times in /proc stat line: ${line.slice(0, 80)}`);
  return a + b;
}

/** A thread's (or process's) CPU ticks and nice value (field 19) from its stat line. */
export function taskOfStat(line: string): { ticks: number; nice: number } {
  const end = line.lastIndexOf(")");
  const nice = Number(line.slice(end + 2).split(" ")[19 - 3]);
  if (!Number.isFinite(nice)) throw new Error(`no nice value in /proc stat line: ${line.slice(0, 80)}`);
  return { ticks: cpuTicksOfStat(line), nice };
}

/** The machine's busy and total ticks from /proc/stat's first line (idle and iowait are not busy). */
export function machineTicksOfStat(text: string): { busy: number; total: number } {
  const line = text.split("\n").find((row) => row.startsWith("cpu "));
  if (!line) throw new Error("no cpu line in /proc/stat");
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest times are already within user and nice).
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = values;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

export interface CapacityBound {
  /** CPU milliseconds each request of the mix cost, every part counted. */
  cpuMsPerRequest: number;
  /** The most requests a second `cores` could serve at that cost, if nothing else ran. */
  maxRequestsPerSecond: number;
  /** The least mean latency `connections` closed-loop connections can see at that rate. */
  minMeanLatencyMs: number;
}

/**
 * The capacity bound of a mix: `cpuMs` is every part's CPU over the run (server, proxy, load
 * generator), `requests` how many the run completed. Null when nothing was measured.
 */
export function capacityBound({ cpuMs, requests, cores, connections }: { cpuMs: number; requests: number; cores: number; connections: number }): CapacityBound | null {
  if (requests <= 0 || cpuMs <= 0 || cores <= 0) return null;
  const cpuMsPerRequest = cpuMs / requests;
  const maxRequestsPerSecond = (cores * 1000) / cpuMsPerRequest;
  return { cpuMsPerRequest, maxRequestsPerSecond, minMeanLatencyMs: (connections / maxRequestsPerSecond) * 1000 };
}

function readTicks(file: string, children = false): number {
  try {
    return cpuTicksOfStat(fs.readFileSync(file, "utf8"), { children });
  } catch {
    return 0; // gone
  }
}

/** A process's child processes (every thread's), from /proc. */
export function childPidsOf(pid: number): number[] {
  try {
    return fs.readdirSync(`/proc/${pid}/task`).flatMap((task) => {
      try {
        return fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(/\s+/).filter(Boolean).map(Number);
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

/** CPU ticks of a process tree: every process, and apart the main threads (a Node process's event loop). */
export function treeTicks(pid: number): { all: number; mainThreads: number; processes: number } {
  const own = readTicks(`/proc/${pid}/stat`);
  const main = readTicks(`/proc/${pid}/task/${pid}/stat`);
  return childPidsOf(pid).reduce(
    (sum, child) => {
      const below = treeTicks(child);
      return { all: sum.all + below.all, mainThreads: sum.mainThreads + below.mainThreads, processes: sum.processes + below.processes };
    },
    { all: own, mainThreads: main, processes: own > 0 || fs.existsSync(`/proc/${pid}`) ? 1 : 0 },
  );
}

export interface CpuSnapshot {
  server: { all: number; mainThreads: number };
  nginx: number;
  /** This process's waited-for children (the load generator, once it has exited). */
  reapedChildren: number;
  machine: { busy: number; total: number };
}

export function cpuSnapshot({ serverPid, nginxPid }: { serverPid: number; nginxPid: number | null }): CpuSnapshot {
  const server = treeTicks(serverPid);
  return {
    server: { all: server.all, mainThreads: server.mainThreads },
    nginx: nginxPid === null ? 0 : treeTicks(nginxPid).all,
    reapedChildren: readTicks("/proc/self/stat", true),
    machine: machineTicksOfStat(fs.readFileSync("/proc/stat", "utf8")),
  };
}

export interface CpuUse {
  /** CPU milliseconds over the run. */
  serverMs: number;
  serverMainThreadsMs: number;
  nginxMs: number;
  loadGeneratorMs: number;
  /** The share of the machine's CPU time that was busy (0–1), whoever used it. */
  machineBusy: number;
}

export function cpuUseBetween(before: CpuSnapshot, after: CpuSnapshot): CpuUse {
  const ms = (ticks: number) => (Math.max(0, ticks) * 1000) / TICKS_PER_SECOND;
  const machineTotal = after.machine.total - before.machine.total;
  return {
    serverMs: ms(after.server.all - before.server.all),
    serverMainThreadsMs: ms(after.server.mainThreads - before.server.mainThreads),
    nginxMs: ms(after.nginx - before.nginx),
    loadGeneratorMs: ms(after.reapedChildren - before.reapedChildren),
    machineBusy: machineTotal > 0 ? (after.machine.busy - before.machine.busy) / machineTotal : 0,
  };
}

/** Every thread of a process tree: thread id → its CPU ticks and nice value. */
function tasksOf(pid: number, into: Map<number, { ticks: number; nice: number }> = new Map()): Map<number, { ticks: number; nice: number }> {
  let tids: string[] = [];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return into; // gone
  }
  for (const tid of tids) {
    try {
      into.set(Number(tid), taskOfStat(fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8")));
    } catch {
      /* ended meanwhile */
    }
  }
  for (const child of childPidsOf(pid)) tasksOf(child, into);
  return into;
}

/**
 * The server's CPU by thread priority over a run (the app's threads each run at their own nice value:
 * event loops 0, read pool 10 and 13, background 15, exports 19; app/utils/thread-priority.server.ts),
 * sampled every `intervalMs`: a thread that ends between samples loses at most that interval's CPU.
 */
export function sampleThreadsByNice(pid: number, intervalMs = 200): { stop: () => Map<number, number> } {
  const first = tasksOf(pid);
  const last = new Map(first);
  const sample = () => {
    for (const [tid, task] of tasksOf(pid)) last.set(tid, task);
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const byNice = new Map<number, number>();
      for (const [tid, task] of last) {
        const ticks = task.ticks - (first.get(tid)?.ticks ?? 0);
        byNice.set(task.nice, (byNice.get(task.nice) ?? 0) + (ticks * 1000) / TICKS_PER_SECOND);
      }
      return byNice;
    },
  };
}
