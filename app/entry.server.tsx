import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "~/components/nonce";

export const streamTimeout = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // scripts/serve.ts makes a fresh nonce per request and names it in the Content-Security-Policy.
  const nonce = (loadContext as { cspNonce?: string }).cspNonce ?? "";
  // Everyone gets the whole document at once, as one chunk: pages are bounded (tens of kB) and
  // their loaders return plain data, so the shell is nearly all of it, and streamed it went out as
  // dozens of small writes, each its own trip through the stream adapters, the compressor (a
  // thread-pool job and its callback) and the socket: about a sixth of the event loop under the
  // bench's mixed load (docs/performance.md, session 12).
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    // Aborts a render that hangs. Cleared as soon as the render ends: a pending timer keeps the
    // whole render (tree, loader data, response) in memory for its 6 s, about 350 pages' worth
    // at 60 requests a second.
    let abortTimer: ReturnType<typeof setTimeout> | undefined;
    let finished = false;
    const finish = () => {
      finished = true;
      clearTimeout(abortTimer);
    };
    const respond = () => {
      shellRendered = true;
      const chunks: Buffer[] = [];
      const collector = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          chunks.push(chunk);
          callback();
        },
        final(callback) {
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(Buffer.concat(chunks), { headers: responseHeaders, status: responseStatusCode }));
          callback();
        },
      });
      collector.on("error", reject);
      pipe(collector);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onAllReady() {
          finish();
          respond();
        },
        onShellError(error: unknown) {
          finish();
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors after the shell are reported by the error boundary; log them once here.
          if (shellRendered) console.error(error);
        },
      },
    );
    if (!finished) {
      abortTimer = setTimeout(() => {
        abort();
        // A render stuck before its shell would otherwise leave the request waiting for ever.
        if (!shellRendered) reject(new Error(`The page did not render within ${streamTimeout + 1_000} ms`));
      }, streamTimeout + 1_000);
    }
  });
}
