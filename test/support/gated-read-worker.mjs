// The real read worker (build/read-worker.js), with a gate in front of every task: the worker says
// on the BroadcastChannel "tracker-read-gate" that a task has arrived (its name and this thread's
// id) and runs it only when the test answers "go". So a test can hold a real task in its worker
// thread for as long as it likes, whatever the machine's speed.
import { threadId } from "node:worker_threads";
import runTask from "../../build/read-worker.js";

const channel = new BroadcastChannel("tracker-read-gate");
const waiting = [];
channel.onmessage = ({ data }) => {
  if (data === "go") waiting.shift()?.();
};

export default async function gatedTask(task) {
  await new Promise((resolve) => {
    waiting.push(resolve);
    channel.postMessage({ started: task.name, threadId });
  });
  return runTask(task);
}
