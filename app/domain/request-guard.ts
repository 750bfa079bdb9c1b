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

/**
 * The methods an address takes (RFC 9110 10.2.1 `Allow`): every address is read with GET, and with
 * HEAD except single fetch's data addresses (`PATH.data` without `?_data`, where a HEAD is refused:
 * refuseRequest); POST only where its route has an action (`writable`; not known: undefined, and
 * POST is listed). `dataRequest`: the query names `_data` (app/utils/data-requests.server.ts).
 */
export function allowedMethods(writable: boolean | undefined, path = "", dataRequest = false): string {
  return ALLOWED_METHODS.filter((method) => !(method === "HEAD" && isSingleFetchPath(path, dataRequest)) && !(method === "POST" && writable === false)).join(", ");
}

/**
 * A single-fetch data address (`PATH.data`), where Remix runs a HEAD as an action. Not with
 * `?_data`: Remix v2 (server-runtime's requestHandler) takes a `?_data` request first, whatever its
 * path, and runs the named route's loader for a HEAD as for a GET (the router's queryRoute), among
 * the routes of the path as sent (`.data` and all), and sends the GET's headers without the body.
 */
function isSingleFetchPath(path: string, dataRequest: boolean): boolean {
  return path.endsWith(".data") && !dataRequest;
}

/** A 405 naming the method, the address and the methods it takes. */
function methodNotAllowed(method: string, path: string, allow: string): Refusal {
  return { status: 405, message: `Method not allowed: ${method} is not allowed at ${path} (it takes ${allow}).`, headers: { Allow: allow } };
}

/**
 * The host a request was addressed as, port included, in lower case; null when it names none.
 * The one rule for the origin checks (refuseRequest, and scripts/serve.ts's isCrossSiteWrite) and
 * the request's URL (app/utils/remix-handler.server.ts):
 *
 * - `forwardedHost` is X-Forwarded-Host only when it comes from a proxy the app trusts
 *   (TRUST_PROXY): the caller drops anyone else's (scripts/serve.ts before Express; the Remix
 *   handler asks Express's `trust proxy fn` itself). An empty or blank one is none.
 * - A non-empty one wins over Host, and its first comma-separated entry is the host: each proxy
 *   appends the host it was addressed as, so the first is the client's. As Express's
 *   `req.hostname` under `trust proxy` takes it, an empty first entry (", b") names no host: it does
 *   not fall back to Host, which behind a proxy is the proxy's upstream name, not what the client
 *   addressed (refuseHosts answers such a list 400 before this is asked, in scripts/serve.ts).
 * - Else Host (RFC 9110 7.2). For an absolute-form request line ("POST http://h/x HTTP/1.1") that
 *   is the target's authority: RFC 9112 3.2.2 has the server ignore the Host header then, and
 *   scripts/serve.ts writes the authority into Host (requestTargetOf) before anything reads it.
 * - Trimmed of spaces (Node already trims a field's value; an entry of a list is trimmed here).
 * - Lower-cased: host names are case-insensitive (RFC 3986 3.2.2) and browsers send Origin in lower
 *   case, so `Host: LocalHost:3000` is the same site as `Origin: http://localhost:3000`.
 * - The port as sent, none added or removed (Remix's own origin check compares it as sent too); an
 *   IPv6 literal keeps its brackets, the port after "]" ("[::1]:3000"). Syntax is refuseHosts's
 *   business: this does not check it.
 * - Nothing (no Host, HTTP/1.0): null. The origin checks then refuse any Origin; the URL says localhost.
 */
export function addressedHost({
  host,
  forwardedHost,
}: {
  host: string | null | undefined;
  forwardedHost?: string | string[] | null | undefined;
}): string | null {
  const forwarded = Array.isArray(forwardedHost) ? forwardedHost.join(",") : (forwardedHost ?? "");
  const addressed = forwarded.trim() !== "" ? forwarded.split(",")[0]!.trim() : (host ?? "").trim();
  return addressed === "" ? null : addressed.toLowerCase();
}

/**
 * Why a request is refused before the app, or null. `writable`: whether the route a POST to this
 * address would run has an action (app/utils/route-methods.server.ts), for the `Allow` of a 405.
 * `host`, `forwardedHost`: as addressedHost takes them (X-Forwarded-Host only a trusted proxy's).
 */
export function refuseRequest({
  method,
  path,
  contentType,
  origin,
  host,
  forwardedHost,
  writable,
  dataRequest = false,
}: {
  method: string;
  path: string;
  contentType: string | null | undefined;
  origin: string | null | undefined;
  host: string | null | undefined;
  forwardedHost?: string | null | undefined;
  writable?: boolean | undefined;
  /** The query names `_data` (Remix v2's data request, answered before single fetch's PATH.data). */
  dataRequest?: boolean;
}): Refusal | null {
  if (!(ALLOWED_METHODS as readonly string[]).includes(method)) return methodNotAllowed(method, path, allowedMethods(writable, path, dataRequest));
  // Remix runs a HEAD for single fetch's data (PATH.data) as an action: no such thing here.
  if (method === "HEAD" && isSingleFetchPath(path, dataRequest)) return methodNotAllowed(method, path, allowedMethods(writable, path, dataRequest));
  if (method !== "POST") return null;
  // Browsers send a real origin or none; an empty one is no browser's, and the app cannot read it.
  if (origin !== null && origin !== undefined) {
    if (origin.trim() === "") return { status: 400, message: "The Origin header is empty." };
    // Remix checks the origin against the host it was addressed as (X-Forwarded-Host, else Host)
    // and fails on a mismatch: refuse it here instead, as the cross-site write it is (addressedHost).
    let originHost: string | null = null;
    try {
      originHost = origin === "null" ? null : new URL(origin).host;
    } catch {
      return { status: 400, message: "The Origin header is not an address." };
    }
    const addressed = addressedHost({ host, forwardedHost });
    if (!originHost || !addressed || originHost !== addressed) {
      return { status: 403, message: "Cross-site requests that change data are refused." };
    }
  }
  // Nothing reads the body of a POST to a route without an action: refused (405) after the
  // cross-site checks instead (refuseSubmission), whatever it is.
  if (writable === false) return null;
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

/**
 * A POST to an address whose route has no action (`writable` false): 405 with `Allow: GET, HEAD`
 * and a plain message, decided here once for every route (Remix answered it after running the
 * page's loaders: 405 without `Allow`, its body an error page or "Unexpected Server Error"). Checked
 * after the cross-site checks, so a cross-site write is still refused as one. A Remix v2 data
 * request (`?_data`, `dataRequest`) gets the same 405 in the form Remix's client reads (JSON
 * `{ message }` with `X-Remix-Error`; Remix's own said "Unexpected Server Error"). A single-fetch
 * address (`PATH.data`) is left to Remix, whose turbo-stream 405 its client reads; the caller gives
 * it the `Allow`.
 */
export function refuseSubmission({
  method,
  path,
  writable,
  dataRequest,
}: {
  method: string;
  path: string;
  writable: boolean | null | undefined;
  dataRequest: boolean;
}): Refusal | null {
  if (method !== "POST" || writable !== false) return null;
  const refusal = methodNotAllowed(method, path, allowedMethods(false, path, dataRequest));
  if (dataRequest) {
    return {
      ...refusal,
      message: JSON.stringify({ message: refusal.message }),
      headers: { ...refusal.headers, "X-Remix-Error": "yes", "Content-Type": "application/json; charset=utf-8" },
    };
  }
  return path.endsWith(".data") ? null : refusal;
}

/**
 * The path and host a request line names (RFC 9112 3.2): the usual origin-form ("/letters?x=1"),
 * or the absolute-form a client may send to any server ("GET http://host/letters HTTP/1.1"), whose
 * authority then stands for the Host header (3.2.2). Remix's adapter builds its URL from the Host
 * and the target, so an absolute-form target made an invalid URL and a 500: the server passes it
 * on as origin-form instead. Anything else (`*`, a bare word, another scheme) is refused here.
 */
export function requestTargetOf(target: string, method: string): { path: string; host: string | null } | Refusal {
  if (target.startsWith("/")) return { path: target, host: null };
  const absolute = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/is.exec(target);
  if (!absolute) {
    if (target === "*" && !(ALLOWED_METHODS as readonly string[]).includes(method)) {
      return { status: 405, message: "Method not allowed.", headers: { Allow: ALLOWED_METHODS.join(", ") } };
    }
    return { status: 400, message: "The request target must be a path starting with / or an http address." };
  }
  const [, scheme = "", authority = "", rest = ""] = absolute;
  if (!/^https?$/i.test(scheme)) return { status: 400, message: "Only http and https addresses are served here." };
  if (authority.includes("@")) return { status: 400, message: "An address with a user name or password is not served here." };
  let host: string;
  try {
    host = new URL(`http://${authority}`).host;
  } catch {
    return { status: 400, message: "The address in the request line has no valid host." };
  }
  if (!host) return { status: 400, message: "The address in the request line has no valid host." };
  return { path: rest.startsWith("/") ? rest : `/${rest}`, host };
}

/**
 * The request's URL, from the scheme, the host it was addressed as (Host, or X-Forwarded-Host from
 * a trusted proxy: one already checked by refuseHosts, with its port) and the target's path. Remix's
 * Express adapter took the port as what follows the host's first ":", so an IPv6 literal lost its
 * port or got a piece of the address as one (`[2001:db8::1]:8080` was port 8080 gone;
 * `[2001:4860::1]:8080` was port 4860), and every address built from the request's URL was wrong.
 * The URL parser reads brackets as RFC 3986 does. No host (HTTP/1.0): localhost.
 */
export function requestUrl({ protocol, host, path }: { protocol: string; host: string; path: string }): string {
  // Pasted, not resolved against a base: a path "//elsewhere/x" stays a path on this host.
  return new URL(`${protocol}://${host.trim() || "localhost"}${path}`).href;
}

/**
 * Why a Host (or one X-Forwarded-Host entry) is not a host, or null when it is one: a name or
 * address with an optional port, nothing else (RFC 9110 7.2: a request with an invalid Host is
 * answered 400). Remix's adapter pastes the host before the path to make the request's URL, so a
 * space, a bad port or user info made that URL invalid (a 500), and "host/letters/new?" moved the
 * path Remix routes away from the one every guard before it checked (body limits, upload types).
 * An empty Host is left alone (HTTP/1.0 sends none).
 */
export function hostProblem(value: string): string | null {
  if (value === "") return null;
  if (!/^(?:[A-Za-z0-9._~!$&'()*+,;=%-]+|\[[0-9A-Fa-f:.]+\])(?::\d{0,5})?$/.test(value)) return "is not a host name with an optional port";
  try {
    const url = new URL(`http://${value}`);
    if (url.pathname !== "/" || url.search !== "" || url.username !== "") return "is not a host name with an optional port";
  } catch {
    return "is not a valid host (a bad name or a port over 65535)";
  }
  return null;
}

/**
 * A 400 for a Host or X-Forwarded-Host that is not a host, or an X-Forwarded-Proto that is not
 * http or https (read for the URL when TRUST_PROXY trusts the sender: "a b" made it invalid, a 500,
 * and "javascript" made it javascript://), else null.
 */
export function refuseHosts({
  host,
  forwardedHost,
  forwardedProto,
}: {
  host: string | undefined;
  forwardedHost: string | string[] | undefined;
  forwardedProto?: string | string[] | undefined;
}): Refusal | null {
  const protos = Array.isArray(forwardedProto) ? forwardedProto.join(",") : (forwardedProto ?? "");
  if (protos.trim() !== "" && protos.split(",").some((part) => !/^https?$/i.test(part.trim()))) {
    return { status: 400, message: "The X-Forwarded-Proto header is not http or https." };
  }
  const hostIssue = host === undefined ? null : hostProblem(host.trim());
  if (hostIssue) return { status: 400, message: `The Host header ${hostIssue}.` };
  const joined = Array.isArray(forwardedHost) ? forwardedHost.join(",") : (forwardedHost ?? "");
  // An empty header is as good as none; in a list, every entry is a host.
  if (joined.trim() !== "" && joined.split(",").some((part) => part.trim() === "" || hostProblem(part.trim()) !== null)) {
    return { status: 400, message: "The X-Forwarded-Host header is not a list of host names." };
  }
  return null;
}

/**
 * What Node's HTTP server answers a request it cannot read (its `clientError`), with a message:
 * without one it sent the status alone, and a browser showed an empty error page. `code` is the
 * parser's (`HPE_…`) or the server's error code; null: nothing to answer (the client has gone).
 * 16 KB is Node's limit for the request line and headers together (`--max-http-header-size`).
 */
export function unreadableRequestAnswer(code: string | undefined): { status: 400 | 408 | 413 | 431; reason: string; message: string } | null {
  switch (code) {
    case "ECONNRESET":
      return null;
    case "HPE_HEADER_OVERFLOW":
      return {
        status: 431,
        reason: "Request Header Fields Too Large",
        message:
          "This request's address (URL) and headers together are longer than the server takes (16 KB). Shorten the address: a shorter search text, fewer filters, or fewer repeated parameters.",
      };
    case "HPE_CHUNK_EXTENSIONS_OVERFLOW":
      return { status: 413, reason: "Payload Too Large", message: "This request's body has chunk extensions longer than the server takes." };
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return { status: 408, reason: "Request Timeout", message: "This request was not received in full in time. Send it again." };
    default:
      return { status: 400, reason: "Bad Request", message: "This request could not be read as HTTP (a malformed request line or header)." };
  }
}
