// A stand-in for build/document-worker.js with a gate: every OCR task, and every read of a file
// whose name holds "hold", says on the BroadcastChannel "tracker-document-gate" that it has
// started and finishes only when the test answers "go". So a test can hold documents in the
// extraction threads for as long as it likes, whatever the machine's speed. The test lets one go
// by name ({ go: "scan-1.pdf" }): every thread hears every message. A file whose name
// holds "scan" reads as one page without text that paints an image (to OCR).
import path from "node:path";
import { threadId } from "node:worker_threads";

const channel = new BroadcastChannel("tracker-document-gate");
const waiting = new Map();
channel.onmessage = ({ data }) => {
  const release = data?.go && waiting.get(data.go);
  if (!release) return;
  waiting.delete(data.go);
  release();
};

function gate(task) {
  const file = path.basename(task.filePath);
  return new Promise((resolve) => {
    waiting.set(file, resolve);
    channel.postMessage({ started: task.task, file, threadId });
  });
}

export default async function gatedDocumentTask(task) {
  try {
    if (task.task === "warm") {
      channel.postMessage({ started: task.ocr ? "warm ocr" : "warm reading", file: "", threadId });
      return { pages: [], ocrPages: [] };
    }
    const name = path.basename(task.filePath);
    if (task.task === "read") {
      if (name.includes("hold")) await gate(task);
      if (name.includes("scan")) return { pages: [{ number: 1, text: "", source: "text" }], ocrPages: [1] };
      return { pages: [{ number: 1, text: `The text of ${name}`, source: "text" }], ocrPages: [] };
    }
    await gate(task);
    return { pages: task.pages.map((number) => ({ number, text: `OCR of ${name}` })) };
  } finally {
    task.progress?.close();
  }
}
