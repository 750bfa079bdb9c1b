// A read worker each of whose threads finishes loading only when the test names it: it announces
// {loading: threadId} on the BroadcastChannel "attack-11b-held-start" and resolves its handler
// (piscina's readiness) when the test answers {go: threadId}. Its tasks answer their thread's id.
import { threadId } from "node:worker_threads";

const channel = new BroadcastChannel("attack-11b-held-start");

export default new Promise((resolve) => {
  channel.onmessage = ({ data }) => {
    if (data?.go !== threadId) return;
    channel.close();
    resolve(async () => ({ threadId }));
  };
  channel.postMessage({ loading: threadId });
});
