/**
 * Security rules for HTTP requests and responses, as pure functions; scripts/serve.ts applies them
 * to every request before Remix sees it.
 */

import { DOCUMENT_CSP } from "~/domain/documents";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

export interface RequestFacts {
  method: string;
  /** The Host header: the site's own host (and port) as the browser addressed it. */
  host: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
}

/**
 * True for a state-changing request sent from another site: a cross-site form post, fetch or
 * image-triggered write. Browsers send `Sec-Fetch-Site` and `Origin` with such requests; either
 * one naming another site is enough to refuse. Requests without either (curl, old browsers) pass:
 * they cannot carry a visitor's cookies from another site's page.
 */
export function isCrossSiteWrite(request: RequestFacts): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return false;
  if (request.secFetchSite?.toLowerCase() === "cross-site") return true;
  if (request.origin === undefined || request.origin === "") return false;
  // "null" comes from sandboxed frames, data: URLs and privacy-sensitive redirects: not us.
  if (request.origin === "null") return true;
  let originHost: string;
  try {
    originHost = new URL(request.origin).host.toLowerCase();
  } catch {
    return true;
  }
  return originHost !== (request.host ?? "").toLowerCase();
}

/**
 * The Content-Security-Policy of every response: scripts run only with this response's nonce
 * (and what they load, via strict-dynamic); no plugins, no <base> rewriting, no framing.
 * Inline style attributes stay allowed: charts set them, and styles cannot run code.
 */
export function contentSecurityPolicy({ nonce, development = false }: { nonce: string; development?: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    // Remix's dev server reloads the page over a websocket.
    `connect-src 'self'${development ? " ws:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join("; ");
}

/**
 * Headers for every response. Under /documents/ (stored documents, whatever they hold) the policy
 * is a sandbox with no rights at all: a hostile HTML, SVG or PDF runs no script in our origin.
 */
export function securityHeaders({
  nonce,
  production,
  path = "/",
}: {
  nonce: string;
  production: boolean;
  path?: string;
}): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Security-Policy": path.startsWith("/documents/") ? DOCUMENT_CSP : contentSecurityPolicy({ nonce, development: !production }),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
  // Browsers ignore HSTS over plain http; in production the site is served over https.
  if (production) headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  return headers;
}
