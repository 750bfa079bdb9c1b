import type { LoaderFunctionArgs } from "@remix-run/node";
import { serveDocument } from "~/utils/document-serving.server";

/** A stored document by its SHA-256 (app/utils/document-serving.server.ts). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return serveDocument(request, params.sha256);
}
