/**
 * Worker threads (reads, exports) run at a lower CPU priority than the event loop's thread: on a
 * machine with as many busy threads as cores, the thread that routes and renders every visitor's
 * page gets the CPU first, and the threads doing one visitor's heavy read take what is left.
 *
 * On Linux a "process" priority set with pid 0 applies to the calling thread only (each thread is
 * a task with its own nice value), so this lowers just the thread that calls it. Lowering needs no
 * privilege; where it is refused (another OS, a sandbox) the thread runs as before.
 */
import os from "node:os";

/** Nice value of worker threads: well below the event loop (0), above the lowest (19). */
export const WORKER_THREAD_NICE = 10;

/**
 * The read pool's heavy lane: below the light lane's (10), above the background lane's (15). At the
 * light lane's priority, twelve heavy reads on two cores took a core's worth from everyone else's
 * letter pages (issue 11); now they take what those leave.
 */
export const HEAVY_THREAD_NICE = 13;

/**
 * The read pool's render lane (whole anonymous lists and searches, decision 0037): below the event
 * loop, just above heavy reads (and the heavy lane's renders of past days). A trade-off measured both
 * ways on two cores (docs/performance.md, session 18):
 * - at 5, one process's event loop lost CPU to four pool threads rendering (its delay p99 84 ms
 *   against 30, letter pages' p99 403 ms against 76);
 * - at 12, two app processes' event loops (nice 0) take both cores whenever cheap pages wait, and
 *   the render threads get about a quarter of a core: with `--workers 2` lists and searches wait
 *   seconds and some are refused.
 * One process per two cores is the better setting here; 12 keeps it. READ_POOL_RENDER_NICE and
 * READ_POOL_HEAVY_NICE set both lanes for another machine (session 19's runs with two processes:
 * docs/performance.md).
 */
export const RENDER_THREAD_NICE = 12;

/**
 * Each export's thread: the lowest. A profile of the mixed load (an editor saving, a full export,
 * 50 readers) showed the export's thread taking 37 of 45 s of CPU at nice 13: half the scheduler
 * weight of the light lane's threads (56 against 110), and all the CPU they left while they waited;
 * at 19 (weight 15) a download takes longer while readers are busy, and only what they leave.
 */
export const EXPORT_THREAD_NICE = 19;

export function lowerThisThreadsPriority(nice: number = WORKER_THREAD_NICE): boolean {
  try {
    os.setPriority(0, nice);
    return os.getPriority(0) === nice;
  } catch {
    return false;
  }
}
