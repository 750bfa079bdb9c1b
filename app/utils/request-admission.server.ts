/**
 * How many of one client's reads the app works on at once: the GETs and HEADs the page cache did
 * not answer (a miss, a signed-in page), each rendered on the event loop or queued for a read thread.
 * Beyond `perClient` from one address, or `total` from everyone, the request is answered at once
 * with the busy page (503 with Retry-After), as the read pool answers its own refusals.
 *
 * Why (attack 26): an anonymous letter page with a query parameter it ignores (`?w=1`, `?w=2`, ...)
 * misses the cache every time and renders on the event loop, where no other limit applied. 800 such
 * requests from one address, at once or pipelined on one connection, held the event loop for about
 * 5 s: other readers' pages waited up to 10 s, and a quarter of the flood ended in 500 when their
 * renders passed the 6 s render limit. Now one address has at most `perClient` renders waiting, a
 * tenth of a second or two of the event loop.
 */
import type { RequestHandler } from "express";
import { AdmissionControl } from "~/domain/admission";
import { sendBusy } from "~/utils/busy-page.server";
import { clientOf, whenConnectionCloses } from "~/utils/connection.server";

/** Said on the busy page: these are any requests, not only expensive ones (the read pool's words). */
const REFUSALS = {
  client: "Too many requests from your address at once: try again in a moment.",
  saturated: "The server is busy with other readers' requests: try again in a moment.",
} as const;

export interface RequestAdmission {
  middleware: RequestHandler;
  /** Reads being worked on now, from every address (/healthz says it). */
  inFlight: () => number;
}

export function createRequestAdmission({ perClient, total }: { perClient: number; total: number }): RequestAdmission {
  const control = new AdmissionControl({ perClient, total });
  const middleware: RequestHandler = (req, res, next) => {
    // Reads only (attack 27): a form's slot was taken before its body came, and 16 POSTs whose
    // bodies never came held an address's slots for Node's request timeout (300 s), 256 of them
    // the whole process's. Writes are few, signed in, and bounded by the body limits and throttles.
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    // As sign-in throttling and the read pool count (clientOf).
    const client = clientOf(req);
    const admission = control.admit(client);
    if (!admission.admitted) {
      sendBusy(req, res, { message: REFUSALS[admission.reason], retryAfterSeconds: admission.retryAfterSeconds });
      return;
    }
    // Released once, when the answer is sent or the reader leaves, whichever comes first. Its
    // connection's close too: a response queued behind an earlier one on its connection (HTTP/1.1
    // pipelining) gets neither 'finish' nor 'close' when the connection goes, and its slot stayed
    // taken for good.
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      forgetConnection();
      control.release(client);
    };
    const forgetConnection = whenConnectionCloses(req.socket, release);
    res.once("finish", release);
    res.once("close", release);
    // Gone already: its close will not come again.
    if (req.socket.destroyed) release();
    next();
  };
  return { middleware, inFlight: () => control.inFlightTotal };
}
