import type { LoaderFunctionArgs } from "@remix-run/node";
import { serveDocument } from "~/utils/document-serving.server";

/** A stored document by its SHA-256, with a file name for the browser (the name is not checked). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return serveDocument(request, params.sha256);
}
