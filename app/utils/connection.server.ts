/**
 * Whether a reader is still there to be answered. Node emits no 'close' on a response still queued
 * behind an earlier one on its connection (HTTP/1.1 pipelining): such a reader has gone when its
 * connection has, whatever its response says.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { clientKey } from "~/domain/client-key";

/**
 * Who sent the request, as the per-client limits count it (app/domain/client-key.ts): the socket's
 * address, or X-Forwarded-For's as far as TRUST_PROXY trusts it (Express's `req.ip`), with IPv6
 * taken by its /64.
 */
export function clientOf(req: IncomingMessage & { ip?: string }): string {
  // Asked several times a request (the app's door, the render lane, the loaders' context).
  let client = clients.get(req);
  if (client === undefined) clients.set(req, (client = clientKey(req.ip ?? req.socket.remoteAddress)));
  return client;
}

const clients = new WeakMap<IncomingMessage, string>();

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
