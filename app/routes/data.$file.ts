import fs from "node:fs";
import path from "node:path";
import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { attachmentHeader } from "~/domain/csv-cells";
import { packageFileOf, PACKAGE_ZIP } from "~/domain/data-package";
import { opaqueVersion } from "~/models/app-secrets.server";
import { builtDataPackage, ensureDataPackage } from "~/models/data-package-cache.server";
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
 * the read pool and kept until the data changes (data-package-cache.server.ts). A HEAD builds nothing.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  const requested = params.file ?? "";
  const name = requested === PACKAGE_ZIP ? PACKAGE_ZIP : packageFileOf(requested);
  if (!name) throw new Response(`There is no file "${requested}" in the data package: see /data for its files.`, { status: 404 });
  if (request.method === "HEAD") return headOf(name);
  let { dir, manifest } = await ensureDataPackage({ context });
  let size: number;
  try {
    size = fs.statSync(path.join(dir, name)).size;
  } catch {
    // A newer package replaced this one since: serve that.
    ({ dir, manifest } = await ensureDataPackage({ context }));
    size = fs.statSync(path.join(dir, name)).size;
  }
  const headers = fileHeaders(name, { size, key: manifest.key });
  return new Response(createReadableStreamFromReadable(fs.createReadStream(path.join(dir, name))), { status: 200, headers });
}

/**
 * A HEAD's answer: the file's headers, without building the package (read pool work whose result
 * Remix throws away with a HEAD's body). Its size and version are given when the current package
 * is already built, and left out otherwise (RFC 9110 9.3.2 allows it). Without the size, the
 * encoding still is the GET's: these files are compressed whatever their size (scripts/serve.ts,
 * app/utils/compression.server.ts `anySize`).
 */
function headOf(name: string): Response {
  const built = builtDataPackage();
  let file: { size: number; key: string } | undefined;
  if (built) {
    try {
      file = { size: fs.statSync(path.join(built.dir, name)).size, key: built.manifest.key };
    } catch {
      // Replaced by a newer package since: its size is not known without building it.
    }
  }
  return new Response(null, { status: 200, headers: fileHeaders(name, file) });
}

/**
 * The headers of a package file's GET, and of its HEAD: its size and version when known. The
 * version (`X-Data-Revision`) names the package's state of the data, opaquely (decision 0036): the
 * data revision itself counts every write staff make.
 */
function fileHeaders(name: string, file: { size: number; key: string } | undefined): Record<string, string> {
  const extension = path.extname(name);
  const headers: Record<string, string> = { "Content-Type": MEDIA_TYPES[extension] ?? "application/octet-stream" };
  if (file) {
    headers["Content-Length"] = String(file.size);
    headers["X-Data-Revision"] = `d-${opaqueVersion(file.key)}`;
  }
  if (extension === ".zip" || extension === ".csv") headers["Content-Disposition"] = attachmentHeader(name);
  return headers;
}
