/** The backpressure wait that streamed exports use between chunks (app/utils/http.server.ts). */
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { writableWaiter } from "~/utils/http.server";

/** A response whose socket buffer takes `room` writes before asking the writer to wait. */
function fakeResponse(room: number) {
  const res = Object.assign(new EventEmitter(), {
    destroyed: false,
    writableEnded: false,
    write: (..._args: never[]) => --room > 0,
  });
  return res;
}

describe("writableWaiter", () => {
  it("resolves at once while the socket takes data, and waits for drain after a refused write", async () => {
    const res = fakeResponse(2);
    const wait = writableWaiter(res);
    res.write();
    await wait(); // the write was accepted
    res.write(); // refused: the buffer is full
    let drained = false;
    const waiting = wait().then(() => (drained = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);
    res.emit("drain");
    await waiting;
    expect(drained).toBe(true);
  });

  it("resolves when the client goes away, and adds one listener of each kind however many times it waits", async () => {
    const res = fakeResponse(0);
    const wait = writableWaiter(res);
    for (let i = 0; i < 50; i++) {
      res.write();
      const waiting = wait();
      res.emit(i % 2 === 0 ? "drain" : "close");
      await waiting;
    }
    expect(res.listenerCount("drain")).toBe(1);
    expect(res.listenerCount("close")).toBe(1);
  });
});
