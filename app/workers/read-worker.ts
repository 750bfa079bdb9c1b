/**
 * A read-pool worker thread (bundled to build/read-worker.js by `npm run build`): opens its own
 * read-only connection to the database and runs the named read tasks of
 * app/models/read-tasks.server.ts, one at a time.
 */
import os from "node:os";
import { threadId } from "node:worker_threads";
import { useReadOnlyDb } from "../../db/client.server";
import { dataRevision } from "~/models/figure-cache.server";
import { runReadTask, type ReadTaskName } from "~/models/read-tasks.server";
import { lowerThisThreadsPriority } from "~/utils/thread-priority.server";
import { loadRenderBuild, renderPageHere, type PageRenderTask } from "~/utils/page-render.server";

useReadOnlyDb();
// One visitor's heavy read must not take the CPU from the thread that serves everyone's pages; the
// background lane's threads (READ_WORKER_NICE, set by the pool) yield to readers' threads as well.
const nice = Number(process.env.READ_WORKER_NICE);
lowerThisThreadsPriority(Number.isInteger(nice) && nice > 0 && nice <= 19 ? nice : undefined);

// A thread of the render lane, or of the heavy lane when the pool has a render lane (decision
// 0037), renders whole pages with this build.
const renderBuild = process.env.READ_WORKER_RENDER_BUILD;

export default function runTask({ name, args }: { name: ReadTaskName | "threadPriority" | "threadReady" | "renderPage"; args: never }): unknown {
  // For the tests and /healthz-style checks: this thread's nice value.
  if (name === "threadPriority") return os.getPriority(0);
  // The pool's readiness (ReadPool.ready): this module is loaded and its connection answers; a
  // render thread has loaded the Remix build.
  if (name === "threadReady") {
    const ready = { threadId, revision: dataRevision() };
    return renderBuild ? loadRenderBuild(renderBuild).then(() => ready) : ready;
  }
  if (name === "renderPage") {
    if (!renderBuild) throw new Error("Pages are rendered only on threads given the build (READ_WORKER_RENDER_BUILD)");
    return renderPageHere(renderBuild, args as PageRenderTask);
  }
  return runReadTask(name, args);
}
