// A stand-in for build/document-worker.js whose tasks misbehave on purpose, by the file's first
// line: "%PDF-1.4 stall" spins the thread's CPU forever (as pdf.js caught in a loop would: no await,
// nothing can interrupt it but terminating the thread); "%PDF-1.4 hog" allocates until the
// thread's heap limit ends it; "%PDF-1.4 note" posts a progress note ("reading", page 0 of 1) and
// then waits forever without using the CPU (only an abort or the time limit ends it). Any other file
// reads as one page holding its own text. Like the real worker, it posts "started" on the task's port
// when it starts a task.
import fs from "node:fs";

export default async function stallingDocumentTask(task) {
  task.progress?.postMessage("started");
  try {
    if (task.task === "warm") return { pages: [], ocrPages: [] };
    const text = fs.readFileSync(task.filePath, "utf8");
    if (text.startsWith("%PDF-1.4 stall")) {
      // eslint-disable-next-line no-constant-condition
      for (let i = 0; ; i = (i + 1) % 1_000_000);
    }
    if (text.startsWith("%PDF-1.4 note")) {
      task.progress?.postMessage({ stage: "reading", page: 0, pages: 1 });
      await new Promise(() => {});
    }
    if (text.startsWith("%PDF-1.4 hog")) {
      const kept = [];
      for (;;) kept.push(new Array(1_000_000).fill(kept.length));
    }
    return { pages: [{ number: 1, text, source: "text" }], ocrPages: [] };
  } finally {
    task.progress?.close();
  }
}
