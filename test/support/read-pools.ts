/**
 * Read pools for tests of models and loaders: each read runs as the test says (by default inline,
 * as a read thread would run it), so a test can record what is asked, delay it or refuse it.
 */
import { runReadTask } from "~/models/read-tasks.server";
import type { ReadPool } from "~/utils/read-pool.server";

export function stubReadPool(
  run: ReadPool["run"] = async (name, args) => runReadTask(name, args),
  { threads = 1, refused = 0 } = {}
): ReadPool {
  return {
    run,
    stats: () => ({
      threads,
      inFlight: 0,
      queued: 0,
      completed: 0,
      refused,
      heavy: null,
      background: null,
    }),
    renders: false,
    render: async () => {
      throw new Error("no render lane");
    },
    ready: async () => true,
    drain: () => {},
    close: async () => {},
  };
}
