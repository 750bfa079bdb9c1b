// A read-pool worker for tests: each task waits until the test opens its gate (a shared Int32Array),
// so a test decides exactly when work ends, whatever the machine's speed.
import { threadId } from "node:worker_threads";

export default function blockingTask({ name, args }) {
  const gate = new Int32Array(args.gate);
  while (Atomics.load(gate, 0) === 0) Atomics.wait(gate, 0, 0, 1000);
  return { name, value: args.value, threadId };
}
