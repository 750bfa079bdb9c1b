/**
 * createShutdown (scripts/graceful-shutdown.ts) on a real HTTP server: a request in flight when
 * SIGTERM arrives finishes, idle keep-alive connections do not hold the exit up, new connections
 * are refused, and resources close only after the last response.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import path from "node:path";
import { createReadPool, isReadPoolBusy } from "~/utils/read-pool.server";
import { createShutdown } from "../../scripts/graceful-shutdown";

function get(port: number, path: string, agent?: http.Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path, agent }, (res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

describe("graceful shutdown", () => {
  it("finishes the request in flight, then closes resources and exits 0", async () => {
    const events: string[] = [];
    const server = http.createServer((req, res) => {
      events.push(`start ${req.url}`);
      const delay = req.url === "/slow" ? 400 : 0;
      setTimeout(() => {
        res.end(`done ${req.url}`);
        events.push(`end ${req.url}`);
      }, delay);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;

    // An idle keep-alive connection must not keep the server open.
    const keepAlive = new http.Agent({ keepAlive: true });
    expect((await get(port, "/warm", keepAlive)).body).toBe("done /warm");

    let exitCode: number | undefined;
    const exited = new Promise<void>((resolve) => {
      const { shutdown } = createShutdown({
        server,
        closeResources: () => {
          events.push("closed resources");
        },
        log: (line) => events.push(`log ${line}`),
        exit: (code) => {
          exitCode = code;
          resolve();
        },
      });
      const slow = get(port, "/slow");
      setTimeout(() => {
        shutdown("SIGTERM");
        shutdown("SIGTERM"); // a second signal changes nothing
        void slow.then((response) => events.push(`client got ${response.status} ${response.body}`));
      }, 100);
    });
    const started = performance.now();
    await exited;
    // Idle keep-alive connections did not hold shutdown up for their 5 s timeout (the shutdown
    // itself takes about 0.4 s; the bound leaves room for a loaded CI machine).
    expect(performance.now() - started).toBeLessThan(4_000);
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(exitCode).toBe(0);
    // The slow request started before the signal and ended after it; resources closed last.
    const at = (event: string) => {
      const index = events.indexOf(event);
      expect(index, event).toBeGreaterThanOrEqual(0);
      return index;
    };
    expect(at("start /slow")).toBeLessThan(at("log SIGTERM received: finishing open requests"));
    expect(at("log SIGTERM received: finishing open requests")).toBeLessThan(at("end /slow"));
    expect(at("end /slow")).toBeLessThan(at("closed resources"));
    expect(at("closed resources")).toBeLessThan(at("log All requests finished; database closed"));
    expect(events).toContain("client got 200 done /slow");
    expect(events.indexOf("end /slow")).toBeLessThan(events.indexOf("closed resources"));
    // After shutdown nothing new is accepted.
    await expect(get(port, "/late")).rejects.toThrow(/ECONNREFUSED/);
    keepAlive.destroy();
  });

  it("gives up with exit 1 when a request hangs past the timeout", async () => {
    const server = http.createServer(() => {
      /* never answers */
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const request = http.get({ host: "127.0.0.1", port, path: "/hang" });
    request.on("error", () => {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    let closed = false;
    const code = await new Promise<number>((resolve) => {
      createShutdown({ server, closeResources: () => {
        closed = true;
      }, log: () => {}, timeoutMs: 200, exit: resolve }).shutdown("SIGTERM");
    });
    expect(code).toBe(1);
    expect(closed).toBe(false);
    request.destroy();
    server.closeAllConnections();
  });

  it("answers reads still waiting in the pool with 503 and Retry-After, then exits 0 within its time", async () => {
    const pool = createReadPool({ filename: path.resolve("test/support/blocking-read-worker.mjs"), threads: 1, perClient: 8, maxInFlight: 8 });
    // Every read waits on a gate that never opens: only the drain can end them.
    const gate = new SharedArrayBuffer(4);
    const server = http.createServer((_req, res) => {
      pool.run("listLetters", { gate, value: 1 } as never, { client: "a" }).then(
        () => res.end("read"),
        (error: unknown) => {
          if (!isReadPoolBusy(error)) throw error;
          res.writeHead(503, { "Retry-After": String(error.retryAfterSeconds) }).end(error.message);
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const waiting = [1, 2, 3].map(() => get(port, "/heavy"));
    while (pool.stats().inFlight < 3) await new Promise((resolve) => setTimeout(resolve, 10));
    const code = await new Promise<number>((resolve) => {
      createShutdown({ server, beginShutdown: () => pool.drain(), closeResources: () => pool.close(), log: () => {}, timeoutMs: 60_000, exit: resolve }).shutdown("SIGTERM");
    });
    expect(code).toBe(0);
    for (const answer of await Promise.all(waiting)) {
      expect(answer.status).toBe(503);
      expect(answer.body).toMatch(/restarting/);
    }
  });
});
