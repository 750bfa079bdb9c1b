/**
 * GET /documents/:sha256[/:name]: a stored document, as a download with its stored media type.
 * The security headers (a sandbox CSP with no rights, nosniff) are set for every response under
 * /documents/ by scripts/serve.ts (app/utils/http-security.ts), error pages included.
 */
import fs from "node:fs";
import { createReadableStreamFromReadable, data } from "@remix-run/node";
import { documentResponseHeaders, isSha256 } from "~/domain/documents";
import { documentToServe } from "~/models/document-serving.server";
import { can, requireUser } from "./permissions.server";

export async function serveDocument(request: Request, sha256: string | undefined): Promise<Response> {
  const user = await requireUser(request, "letters:read");
  if (!isSha256(sha256)) throw data("There is no such document.", { status: 404 });
  const found = documentToServe(sha256);
  // A document nothing refers to yet (just uploaded) is for staff only.
  if (!found || (!found.attached && !can(user, "letter:edit"))) throw data("There is no such document.", { status: 404 });
  const { document, file, attached } = found;
  const headers = documentResponseHeaders({ sha256, mediaType: document.mediaType, byteSize: document.byteSize, name: document.originalName });
  // The address is the content's hash: it never changes. Public only when anyone may read it.
  const cacheControl = attached && can(null, "letters:read") ? "public, max-age=31536000, immutable" : "private, max-age=31536000, immutable";
  const { "Content-Security-Policy": _csp, "X-Content-Type-Options": _nosniff, ...own } = headers;
  const etag = `"${sha256}"`;
  const ifNoneMatch = request.headers.get("If-None-Match") ?? "";
  if (ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) {
    return new Response(null, { status: 304, headers: { ETag: etag, "Cache-Control": cacheControl } });
  }
  const body = request.method === "HEAD" ? null : createReadableStreamFromReadable(fs.createReadStream(file));
  return new Response(body, { status: 200, headers: { ...own, "Cache-Control": cacheControl } });
}
