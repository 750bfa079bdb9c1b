/**
 * A read-pool worker thread (bundled to build/read-worker.js by `npm run build`): opens its own
 * read-only connection to the database and runs the named read tasks of
 * app/models/read-tasks.server.ts, one at a time.
 */
import { useReadOnlyDb } from "../../db/client.server";
import { runReadTask, type ReadTaskName } from "~/models/read-tasks.server";

useReadOnlyDb();

export default function runTask({ name, args }: { name: ReadTaskName; args: never }): unknown {
  return runReadTask(name, args);
}
