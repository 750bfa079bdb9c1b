/**
 * Whether a reader is still there to be answered. Node emits no 'close' on a response still queued
 * behind an earlier one on its connection (HTTP/1.1 pipelining): such a reader has gone when its
 * connection has, whatever its response says.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** True when the response closed before it was sent, or its connection is gone. */
export function readerHasLeft(req: IncomingMessage, res: ServerResponse): boolean {
  return (res.closed && !res.writableFinished) || req.socket.destroyed;
}
