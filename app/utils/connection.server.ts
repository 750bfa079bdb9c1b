/**
 * Whether a reader is still there to be answered. Node emits no 'close' on a response still queued
 * behind an earlier one on its connection (HTTP/1.1 pipelining): such a reader has gone when its
 * connection has, whatever its response says.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";

/** True when the response closed before it was sent, or its connection is gone. */
export function readerHasLeft(req: IncomingMessage, res: ServerResponse): boolean {
  return (res.closed && !res.writableFinished) || req.socket.destroyed;
}

/**
 * What runs when a connection closes, by connection: one 'close' listener each, however many
 * requests are pipelined on it (one listener per request set off Node's listener-leak warning, in
 * the log, past ten).
 */
const connectionCloses = new WeakMap<Socket, Set<() => void>>();

/** Runs `listener` when `socket` closes; returns what forgets it. */
export function whenConnectionCloses(socket: Socket, listener: () => void): () => void {
  let listeners = connectionCloses.get(socket);
  if (!listeners) {
    const all = new Set<() => void>();
    listeners = all;
    connectionCloses.set(socket, all);
    socket.once("close", () => {
      connectionCloses.delete(socket);
      for (const closed of [...all]) closed();
    });
  }
  const set = listeners;
  set.add(listener);
  return () => void set.delete(listener);
}
