/**
 * Requests refused before they reach the app (scripts/serve.ts), so that no method, header or
 * body encoding a form never sends can make a route fail: the site reads with GET and HEAD and
 * writes with POST forms, URL-encoded (multipart only for the file upload on /import and the
 * documents attached on the letter and response forms).
 */
import { isDocumentUploadPath } from "./body-limits";

export const ALLOWED_METHODS = ["GET", "HEAD", "POST"] as const;

const UPLOAD_PATHS = new Set(["/import", "/import.data"]);

export interface Refusal {
  status: 400 | 403 | 405 | 415;
  message: string;
  headers?: Record<string, string>;
}

export function refuseRequest({
  method,
  path,
  contentType,
  origin,
  host,
  forwardedHost,
}: {
  method: string;
  path: string;
  contentType: string | null | undefined;
  origin: string | null | undefined;
  host: string | null | undefined;
  forwardedHost?: string | null | undefined;
}): Refusal | null {
  if (!(ALLOWED_METHODS as readonly string[]).includes(method)) {
    return { status: 405, message: "Method not allowed.", headers: { Allow: ALLOWED_METHODS.join(", ") } };
  }
  // Remix runs a HEAD for data (PATH.data) as an action: no such thing here.
  if (method === "HEAD" && path.endsWith(".data")) {
    return { status: 405, message: "Method not allowed.", headers: { Allow: "GET, POST" } };
  }
  if (method !== "POST") return null;
  // Browsers send a real origin or none; an empty one is no browser's, and the app cannot read it.
  if (origin !== null && origin !== undefined) {
    if (origin.trim() === "") return { status: 400, message: "The Origin header is empty." };
    // The app checks the origin against the host it was addressed as (X-Forwarded-Host, else Host)
    // and fails on a mismatch: refuse it here instead, as the cross-site write it is.
    let originHost: string | null = null;
    try {
      originHost = origin === "null" ? null : new URL(origin).host;
    } catch {
      return { status: 400, message: "The Origin header is not an address." };
    }
    const addressed = forwardedHost?.split(",")[0]?.trim() || host;
    if (!originHost || !addressed || originHost !== addressed) {
      return { status: 403, message: "Cross-site requests that change data are refused." };
    }
  }
  const [mediaType = "", ...parameters] = (contentType ?? "").split(";").map((part) => part.trim().toLowerCase());
  if (mediaType === "application/x-www-form-urlencoded") return null;
  const boundary = parameters.find((parameter) => parameter.startsWith("boundary="))?.slice("boundary=".length).replace(/^"|"$/g, "");
  // RFC 8058 one-click unsubscribe: mail programs SHOULD post multipart/form-data (its body is not read).
  const oneClickPath = path.replace(/\/+$/, "") === "/unsubscribe";
  const uploadPath = UPLOAD_PATHS.has(path.replace(/\/+$/, "") || "/") || isDocumentUploadPath(path) || oneClickPath;
  if (mediaType === "multipart/form-data" && uploadPath && boundary && /^[\w'()+,./:=?-]{1,70}$/.test(boundary)) {
    return null;
  }
  return {
    status: 415,
    message: UPLOAD_PATHS.has(path.replace(/\/+$/, "")) ? "Send the file as multipart/form-data." : "Send forms as application/x-www-form-urlencoded.",
  };
}
