import fs from "node:fs";
import path from "node:path";
import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { attachmentHeader } from "~/domain/csv-cells";
import { packageFileOf, PACKAGE_ZIP } from "~/domain/data-package";
import { ensureDataPackage } from "~/models/data-package-cache.server";
import { requireUser } from "~/utils/permissions.server";

const MEDIA_TYPES: Record<string, string> = {
  ".zip": "application/zip",
  ".json": "application/json; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
};

/**
 * GET /data/oversight-letters.zip: the whole public dataset as a Frictionless Data Package, and each
 * of its files on its own (/data/datapackage.json, /data/README.md, /data/letters.csv, …). Built in
 * the read pool and kept until the data changes (data-package-cache.server.ts).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  const requested = params.file ?? "";
  const name = requested === PACKAGE_ZIP ? PACKAGE_ZIP : packageFileOf(requested);
  if (!name) throw new Response(`There is no file "${requested}" in the data package: see /data for its files.`, { status: 404 });
  let { dir, manifest } = await ensureDataPackage({ context });
  let size: number;
  try {
    size = fs.statSync(path.join(dir, name)).size;
  } catch {
    // A newer package replaced this one since: serve that.
    ({ dir, manifest } = await ensureDataPackage({ context }));
    size = fs.statSync(path.join(dir, name)).size;
  }
  const file = path.join(dir, name);
  const extension = path.extname(name);
  const headers: Record<string, string> = {
    "Content-Type": MEDIA_TYPES[extension] ?? "application/octet-stream",
    "Content-Length": String(size),
    "X-Data-Revision": String(manifest.revision),
  };
  if (extension === ".zip" || extension === ".csv") headers["Content-Disposition"] = attachmentHeader(name);
  const body = request.method === "HEAD" ? null : createReadableStreamFromReadable(fs.createReadStream(file));
  return new Response(body, { status: 200, headers });
}
