/**
 * Attack on ReadPool.ready (the server listens after it): "every thread has loaded" must hold when
 * the threads finish loading one at a time. With one thread loaded and the other still loading,
 * ready() must not resolve true: the loaded thread would otherwise take the other thread's small
 * task too, and the server would listen while a thread still loads its bundle.
 */
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { createReadPool, type ReadPool } from "~/utils/read-pool.server";

let pool: ReadPool | undefined;
afterEach(async () => {
  await pool?.close();
});

it("is not ready while one of two threads is still loading", async () => {
  const channel = new BroadcastChannel("attack-11b-held-start");
  const loading: number[] = [];
  let bothLoading!: () => void;
  const announced = new Promise<void>((resolve) => (bothLoading = resolve));
  channel.onmessage = ({ data }) => {
    if (typeof data?.loading === "number") loading.push(data.loading);
    if (loading.length === 2) bothLoading();
  };
  pool = createReadPool({ filename: path.resolve("test/support/held-start-read-worker.mjs"), threads: 2, perClient: 4, maxInFlight: 8 });
  let settled: boolean | "pending" = "pending";
  const ready = pool.ready({ timeoutMs: 120_000 }).then((value) => (settled = value));
  await announced;
  channel.postMessage({ go: loading[0] });
  // Give the loaded thread ample time to run both small tasks if the pool hands it both.
  for (let turn = 0; turn < 40 && settled === "pending"; turn += 1) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(settled, "ready() settled while a thread was still loading").toBe("pending");
  channel.postMessage({ go: loading[1] });
  expect(await ready).toBe(true);
  channel.close();
}, 180_000);
