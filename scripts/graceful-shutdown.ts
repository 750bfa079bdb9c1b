/**
 * Graceful shutdown for the HTTP server: stop accepting connections, let in-flight requests finish
 * (closing idle keep-alive connections at once and others after their response), then close the
 * database and exit 0. A request that hangs past `timeoutMs` makes it give up and exit 1.
 */
import type { Server } from "node:http";

export interface ShutdownOptions {
  server: Server;
  /** Runs once every request has finished, e.g. closing the database (awaited when it returns a promise). */
  closeResources: () => void | Promise<void>;
  /** Runs when the signal arrives, before waiting for requests: e.g. refusing queued work. */
  beginShutdown?: () => void;
  log?: (line: string) => void;
  timeoutMs?: number;
  exit?: (code: number) => void;
}

export function createShutdown({
  server,
  closeResources,
  beginShutdown,
  log = console.log,
  timeoutMs = 10_000,
  exit = (code) => process.exit(code),
}: ShutdownOptions): { shutdown: (signal: string) => void; isShuttingDown: () => boolean } {
  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log(`${signal} received: finishing open requests`);
    const timer = setTimeout(() => {
      log(`Requests still open after ${timeoutMs} ms; exiting anyway`);
      exit(1);
    }, timeoutMs);
    timer.unref();
    // A keep-alive connection becomes idle when its last response ends; close such connections
    // as they appear rather than waiting out the keep-alive timeout.
    const reaper = setInterval(() => server.closeIdleConnections(), 50);
    reaper.unref();
    beginShutdown?.();
    server.close((error) => {
      clearTimeout(timer);
      clearInterval(reaper);
      Promise.resolve()
        .then(closeResources)
        .then(
          () => {
            log("All requests finished; database closed");
            exit(error ? 1 : 0);
          },
          (closeError: unknown) => {
            log(`Shutdown failed: ${(closeError as Error).message}`);
            exit(1);
          },
        );
    });
    server.closeIdleConnections();
  };
  return { shutdown, isShuttingDown: () => shuttingDown };
}
