/**
 * Remix's Express request handler (@remix-run/express createRequestHandler) with the request's URL
 * built by app/domain/request-guard.ts `requestUrl`: the adapter's own took the port as what follows
 * the host's first ":" (an IPv6 literal's port was lost or wrong) and read X-Forwarded-Host's port
 * even from a client no proxy setting trusts. Everything else is the adapter's: headers, body,
 * the abort signal when the client goes away, and the response as Remix made it.
 */
import {
  createReadableStreamFromReadable,
  createRequestHandler as createRemixHandler,
  writeReadableStreamToWritable,
  type AppLoadContext,
  type ServerBuild,
} from "@remix-run/node";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { addressedHost, requestUrl } from "~/domain/request-guard";
import { whenConnectionCloses } from "~/utils/connection.server";

type GetLoadContext = (req: ExpressRequest, res: ExpressResponse) => AppLoadContext | Promise<AppLoadContext>;

/** The host the request was addressed as (app/domain/request-guard.ts `addressedHost`), X-Forwarded-Host read only from a proxy Express trusts; none: "". */
function hostOf(req: ExpressRequest): string {
  const trusted = req.app.get("trust proxy fn") as (address: string | undefined, hop: number) => boolean;
  const forwarded = req.get("X-Forwarded-Host");
  return addressedHost({ host: req.get("Host"), forwardedHost: forwarded && trusted(req.socket.remoteAddress, 0) ? forwarded : undefined }) ?? "";
}

function remixHeadersOf(requestHeaders: ExpressRequest["headers"]): Headers {
  const headers = new Headers();
  for (const [name, values] of Object.entries(requestHeaders)) {
    if (!values) continue;
    if (Array.isArray(values)) for (const value of values) headers.append(name, value);
    else headers.set(name, values);
  }
  return headers;
}

/** The Fetch API request Remix is given for an Express request (the adapter's createRemixRequest, with its URL). */
export function remixRequestOf(req: ExpressRequest, res: ExpressResponse): Request {
  const url = requestUrl({ protocol: req.protocol, host: hostOf(req), path: req.originalUrl });
  let controller: AbortController | null = new AbortController();
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers: remixHeadersOf(req.headers), signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  // Loaders and actions are aborted when the response can no longer be written before it was sent.
  // The socket's close too: Node emits no 'close' on a response still queued behind an earlier one
  // on its connection (HTTP/1.1 pipelining), so such a request was never aborted, and a page
  // rendered on a thread for it (page-render.server.ts) was never taken as abandoned.
  const forgetConnection = whenConnectionCloses(req.socket, () => controller?.abort());
  // Answered before Remix (a body over its limit, app/utils/body-limit.server.ts): what Remix does
  // for it is moot, and aborted, its failure is not logged as the server's error.
  res.locals.abortRemixRequest = () => controller?.abort();
  // For loaders that outlive their return (exports): the signal a loader's `request` carries is a
  // copy Remix derives with `new Request(url, { signal })`, whose abort controller undici holds
  // only weakly, so after a garbage collection it never aborts (attack 28: a hung-up download ran
  // to its end for nobody, holding its export slot). This one is held by the listeners below.
  res.locals.readerLeft = controller.signal;
  res.on("finish", () => {
    controller = null;
    forgetConnection();
  });
  res.on("close", () => {
    controller?.abort();
    forgetConnection();
  });
  return new Request(url, init);
}

/** Sends Remix's response as the adapter does (sendRemixResponse). */
async function sendResponse(res: ExpressResponse, response: Response): Promise<void> {
  // Already answered (a 413 sent while the body was read): nothing of Remix's may go over it.
  if (res.headersSent) {
    await response.body?.cancel().catch(() => {});
    return;
  }
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [name, value] of response.headers.entries()) res.append(name, value);
  if (/text\/event-stream/i.test(response.headers.get("Content-Type") ?? "")) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

export function createRequestHandler({ build, mode, getLoadContext }: { build: ServerBuild; mode?: string; getLoadContext?: GetLoadContext }) {
  const handleRequest = createRemixHandler(build, mode);
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction): Promise<void> => {
    try {
      const request = remixRequestOf(req, res);
      const loadContext = await getLoadContext?.(req, res);
      const response = await handleRequest(request, loadContext);
      await sendResponse(res, response);
    } catch (error) {
      // Express 4 does not take async handlers' errors itself.
      next(error);
    }
  };
}
