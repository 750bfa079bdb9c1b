/**
 * Express middleware enforcing the body limits of app/domain/body-limits.ts while the body is read,
 * so that no route ever buffers more than its limit (scripts/serve.ts runs it before Remix).
 *
 * - A Content-Length over the limit: 413 at once, before a byte of the body is read. (Within the
 *   limit, Node's parser never delivers more than the declared length.)
 * - A chunked body (no Content-Length): its bytes are counted as whoever reads it (Remix's form
 *   parser) reads them; the moment the count crosses the limit, the reader gets nothing more, the
 *   client gets 413 with `Connection: close`, and the rest of the body is discarded unread until Node
 *   closes the connection (which then fails the reader's stream, so no route acts on half a form).
 */
import type { NextFunction, Request, Response } from "express";
import { bodyLimitFor, refuseDeclaredSize, refuseReadSize, type BodyTooLarge } from "~/domain/body-limits";

/** How long a refused connection keeps discarding what the client still sends (see below). */
const LINGER_MS = 5_000;

/**
 * After a 413 with `Connection: close`, Node half-closes and then destroys the socket at once; a
 * client still sending then gets a reset, often before it has read the 413 (EPIPE instead of an
 * answer). Like nginx's lingering close, keep reading (and discarding) for a short while after the
 * answer, until the client stops or LINGER_MS passes.
 */
function lingerBeforeClosing(res: Response): void {
  const socket = res.req.socket;
  socket.destroySoon = function lingeringClose(this: typeof socket) {
    this.end();
    this.resume();
    const timer = setTimeout(() => this.destroy(), LINGER_MS);
    timer.unref();
    this.once("end", () => this.destroy());
    this.once("close", () => clearTimeout(timer));
  };
}

function refuse(res: Response, refusal: BodyTooLarge): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  lingerBeforeClosing(res);
  res.status(refusal.status).set("Connection", "close").type("text/plain").send(refusal.message);
}

export function enforceBodyLimits(req: Request, res: Response, next: NextFunction): void {
  const limit = bodyLimitFor({ method: req.method, path: req.path, contentType: req.get("content-type") });
  const declared = refuseDeclaredSize(limit, req.get("content-length"));
  if (declared) {
    refuse(res, declared);
    return;
  }
  if (req.get("content-length") !== undefined || req.get("transfer-encoding") === undefined) {
    next();
    return;
  }
  // Counting must not start the flow itself: paused, the body moves only when a reader asks.
  let bytesRead = 0;
  req.pause();
  const count = (chunk: Buffer | string) => {
    bytesRead += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
    const refusal = refuseReadSize(limit, bytesRead);
    if (!refusal) return;
    // The reader still gets this chunk (at most one past the limit), and nothing after it: its
    // stream fails now, so that it stops and cleans up (a document upload's temporary file). Left
    // waiting, with its data listener gone and the socket closed later, it waited for good (attack 22).
    // The error listeners are called, not req.destroy(): that would end the socket before the 413.
    const tooLarge = Object.assign(new Error(refusal.message), { code: "ERR_BODY_TOO_LARGE", status: refusal.status });
    const readers = req.listeners("error");
    req.removeAllListeners("data");
    req.resume();
    refuse(res, refusal);
    (res.locals.abortRemixRequest as (() => void) | undefined)?.();
    for (const reader of readers) (reader as (error: Error) => void).call(req, tooLarge);
  };
  req.on("data", count);
  next();
}
