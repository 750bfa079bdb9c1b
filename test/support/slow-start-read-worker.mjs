// A read worker whose module is ready only when the test says so: it announces on the
// BroadcastChannel "tracker-read-start" that it is loading (with its thread id) and resolves its
// handler (piscina's readiness, see README "Delaying Availability of Workers") when the test
// answers "go". So a test can hold a pool's threads in their start for as long as it likes.
import { threadId } from "node:worker_threads";

const channel = new BroadcastChannel("tracker-read-start");

export default new Promise((resolve) => {
  channel.onmessage = ({ data }) => {
    if (data !== "go") return;
    channel.close();
    resolve(async () => ({ threadId }));
  };
  channel.postMessage({ loading: threadId });
});
