/**
 * Response compression (the `compression` middleware), with a HEAD answered as its GET would be
 * (RFC 9110 9.3.2: the same header fields, those known only from the content excepted).
 *
 * The middleware leaves every HEAD alone, after adding `Vary: Accept-Encoding`: a HEAD said nothing
 * of the encoding its GET is sent with and gave the unencoded length (a `/data/*` file's, a kept
 * page's), while the GET with `Accept-Encoding: gzip` was gzipped and had no length at all. Here the
 * middleware is shown a HEAD as the GET it stands for, so it decides the same way for both (its
 * filter, `no-transform`, the length's threshold, the encoding negotiated): a HEAD then names the
 * GET's Content-Encoding and, as the middleware removes it for the GET, has no Content-Length. Its
 * headers go out before its (empty) end, so the middleware judges by them, as for a GET that
 * streams its body or states its length, not by a body sent in one call (a HEAD has none).
 *
 * A page the page cache gzips whole is gzipped by the page cache for a HEAD too
 * (page-cache.server.ts); the middleware then sees it encoded already, as for the GET.
 *
 * A HEAD that cannot know the length its GET states (a bulk data file before its package is built:
 * its HEAD builds nothing) would be judged without one, and so encoded, while its GET under the
 * threshold is sent as it is: such addresses (`anySize`) are compressed whatever their size, GET
 * and HEAD alike.
 */
import compression from "compression";
import type { Request, RequestHandler, Response } from "express";

export function compressionAsForGet({
  anySize,
  ...options
}: compression.CompressionOptions & {
  /**
   * Requests whose answers are compressed whatever their size (threshold 0): those whose HEAD may
   * not know the length its GET states, so that the length decides nothing a HEAD cannot (the bulk
   * data files: a HEAD builds no package, and the package may not be built yet).
   */
  anySize?: (req: Request) => boolean;
} = {}): RequestHandler {
  const compressSized = compression(options);
  const compressAnySize = anySize ? compression({ ...options, threshold: 0 }) : compressSized;
  return (req, res, next) => {
    const compress = anySize?.(req) ? compressAnySize : compressSized;
    if (req.method !== "HEAD") return compress(req, res, next);
    // The request as its GET: the middleware reads the method (to skip a HEAD) and the headers.
    const asGet = Object.create(req, { method: { value: "GET", enumerable: true } }) as Request;
    compress(asGet, res, (error?: unknown) => {
      // After the middleware has wrapped end(): this wrapper is called first.
      headersBeforeEnd(res);
      next(error);
    });
  };
}

/**
 * A HEAD's end() writes its headers first: the middleware, seeing end() before any header or write,
 * takes the body given to it as the whole (none, for a HEAD) and leaves a body under its threshold
 * uncompressed.
 */
function headersBeforeEnd(res: Response): void {
  const end = res.end;
  res.end = function (this: Response, ...args: unknown[]) {
    if (!this.headersSent) this.writeHead(this.statusCode);
    return (end as (...rest: unknown[]) => Response).apply(this, args);
  } as Response["end"];
}
