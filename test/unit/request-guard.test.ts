import { describe, expect, it } from "vitest";
import { allowedMethods, refuseHosts, refuseRequest, refuseSubmission, requestTargetOf, requestUrl } from "~/domain/request-guard";

const base = { path: "/letters", contentType: null, origin: null, host: "tracker.example", forwardedHost: null };

describe("refuseRequest", () => {
  it.each([
    [{ method: "GET" }, null],
    [{ method: "HEAD" }, null],
    [{ method: "TRACE" }, 405],
    [{ method: "PUT" }, 405],
    [{ method: "HEAD", path: "/letters.data" }, 405],
    // Remix v2's ?_data is answered before single fetch's PATH.data: its loader runs for a HEAD too.
    [{ method: "HEAD", path: "/letters.data", dataRequest: true }, null],
    [{ method: "POST", contentType: "application/x-www-form-urlencoded" }, null],
    [{ method: "POST", contentType: "application/x-www-form-urlencoded; charset=UTF-8", origin: "https://tracker.example" }, null],
    [{ method: "POST" }, 415],
    [{ method: "POST", contentType: "text/plain" }, 415],
    [{ method: "POST", contentType: "multipart/form-data; boundary=x" }, 415],
    [{ method: "POST", path: "/import", contentType: "multipart/form-data; boundary=----abc" }, null],
    [{ method: "POST", path: "/import", contentType: "multipart/form-data" }, 415],
    // Documents attached on the letter and response forms (and the same posts from Remix's fetch, .data).
    [{ method: "POST", path: "/letters/new", contentType: "multipart/form-data; boundary=----abc" }, null],
    [{ method: "POST", path: "/letters/new.data", contentType: "multipart/form-data; boundary=----abc" }, null],
    [{ method: "POST", path: "/letters/a-letter/edit", contentType: "multipart/form-data; boundary=----abc" }, null],
    [{ method: "POST", path: "/letters/a-letter/responses/new", contentType: "multipart/form-data; boundary=----abc" }, null],
    [{ method: "POST", path: "/letters/a-letter/responses/12", contentType: "multipart/form-data; boundary=----abc" }, null],
    [{ method: "POST", path: "/letters/a-letter/close", contentType: "multipart/form-data; boundary=----abc" }, 415],
    [{ method: "POST", path: "/letters/a-letter/responses/12/x", contentType: "multipart/form-data; boundary=----abc" }, 415],
    [{ method: "POST", contentType: "application/x-www-form-urlencoded", origin: "" }, 400],
    [{ method: "POST", contentType: "application/x-www-form-urlencoded", origin: "not a url" }, 400],
    [{ method: "POST", contentType: "application/x-www-form-urlencoded", origin: "null" }, 403],
    [{ method: "POST", contentType: "application/x-www-form-urlencoded", origin: "https://evil.example" }, 403],
    [{ method: "POST", contentType: "application/x-www-form-urlencoded", origin: "https://tracker.example", forwardedHost: "other.example" }, 403],
  ])("%j -> %s", (request, status) => {
    expect(refuseRequest({ ...base, ...request })?.status ?? null).toBe(status);
  });
});

describe("refuseRequest: the host the form was addressed as (addressedHost)", () => {
  const form = { ...base, method: "POST", contentType: "application/x-www-form-urlencoded" };

  it("compares host names without regard to case (RFC 3986 3.2.2): a same-site form with Host or X-Forwarded-Host in capitals passes", () => {
    // Refused 403 before: only scripts/serve.ts's lower-casing of the headers kept it from a form.
    expect(refuseRequest({ ...form, host: "Tracker.Example", origin: "https://tracker.example" })).toBeNull();
    expect(refuseRequest({ ...form, host: "127.0.0.1:3000", forwardedHost: "Tracker.Example:8443, proxy.example", origin: "https://tracker.example:8443" })).toBeNull();
    expect(refuseRequest({ ...form, host: "Tracker.Example", origin: "https://evil.example" })?.status).toBe(403);
  });

  it("reads a trusted X-Forwarded-Host whose first entry is empty as naming no host, as Express does, not as Host", () => {
    // Let through before (this test failed): the empty entry fell back to Host, behind a proxy the proxy's upstream name.
    expect(refuseRequest({ ...form, host: "tracker.example", forwardedHost: ", other.example", origin: "https://tracker.example" })?.status).toBe(403);
    expect(refuseRequest({ ...form, host: "tracker.example", forwardedHost: "", origin: "https://tracker.example" })).toBeNull();
    expect(refuseRequest({ ...form, host: undefined, origin: "https://tracker.example" })?.status).toBe(403);
  });
});

describe("405 and Allow by whether the address's route has an action (writable)", () => {
  const allowOf = (request: Partial<Parameters<typeof refuseRequest>[0]>) => refuseRequest({ ...base, method: "PUT", ...request })?.headers?.Allow;

  it("names GET and HEAD for an address without an action, POST too where there is one or it is not known", () => {
    expect(allowOf({ writable: false })).toBe("GET, HEAD");
    expect(allowOf({ writable: true })).toBe("GET, HEAD, POST");
    expect(allowOf({})).toBe("GET, HEAD, POST");
    expect(allowOf({ method: "HEAD", path: "/letters.data", writable: false })).toBe("GET");
    expect(allowOf({ method: "HEAD", path: "/letters/new.data", writable: true })).toBe("GET, POST");
    expect(refuseRequest({ ...base, method: "DELETE", writable: false })?.message).toBe("Method not allowed: DELETE is not allowed at /letters (it takes GET, HEAD).");
  });

  it("leaves HEAD out of a data address's Allow (PATH.data), where a HEAD is itself refused", () => {
    expect(allowOf({ path: "/letters.data", writable: false })).toBe("GET");
    expect(allowOf({ path: "/letters/new.data", writable: true })).toBe("GET, POST");
    expect(allowOf({ path: "/letters/new.data" })).toBe("GET, POST");
    expect(allowOf({ method: "DELETE", path: "/_root.data", writable: false })).toBe("GET");
    expect(refuseRequest({ ...base, method: "PATCH", path: "/letters.data", writable: false })?.message).toBe(
      "Method not allowed: PATCH is not allowed at /letters.data (it takes GET).",
    );
    // What the server adds to Remix's own 405 for a POST there.
    expect(allowedMethods(false, "/letters.data")).toBe("GET");
    expect(allowedMethods(false, "/letters")).toBe("GET, HEAD");
    expect(allowedMethods(true, "/letters/new.data")).toBe("GET, POST");
    // Every method Allow names is one the guard lets through there.
    for (const path of ["/letters", "/letters.data", "/letters/new", "/letters/new.data"]) {
      for (const writable of [true, false, undefined]) {
        for (const method of allowedMethods(writable, path).split(", ")) {
          const refusal = refuseRequest({ ...base, method, path, writable, contentType: "application/x-www-form-urlencoded" });
          expect(refusal?.status === 405 ? `${method} ${path} refused` : null).toBeNull();
        }
      }
    }
  });

  it("keeps HEAD in the Allow of a data address asked with ?_data (Remix v2's data request), where a HEAD runs the loader as its GET does", () => {
    // Before: HEAD was left out and refused at every PATH.data.
    expect(allowOf({ path: "/letters.data", writable: false, dataRequest: true })).toBe("GET, HEAD");
    expect(allowOf({ path: "/letters/new.data", writable: true, dataRequest: true })).toBe("GET, HEAD, POST");
    expect(allowedMethods(false, "/letters.data", true)).toBe("GET, HEAD");
    for (const writable of [true, false, undefined]) {
      for (const method of allowedMethods(writable, "/letters.data", true).split(", ")) {
        const refusal = refuseRequest({ ...base, method, path: "/letters.data", writable, dataRequest: true, contentType: "application/x-www-form-urlencoded" });
        expect(refusal?.status === 405 ? `${method} refused` : null).toBeNull();
      }
    }
  });

  it("leaves a POST to a route without an action to refuseSubmission, after the cross-site checks, whatever its body", () => {
    expect(refuseRequest({ ...base, method: "POST", contentType: "text/plain", writable: false })).toBeNull();
    expect(refuseRequest({ ...base, method: "POST", contentType: "application/x-www-form-urlencoded", origin: "https://evil.example", writable: false })?.status).toBe(403);
  });

  it.each([
    [{ method: "POST", writable: false, dataRequest: false }, 405],
    [{ method: "POST", writable: true, dataRequest: false }, null],
    [{ method: "POST", writable: undefined, dataRequest: false }, null],
    [{ method: "POST", writable: null, dataRequest: false }, null],
    [{ method: "GET", writable: false, dataRequest: false }, null],
    // Single fetch (PATH.data): Remix's own 405, in the form its client reads.
    [{ method: "POST", writable: false, dataRequest: false, path: "/letters.data" }, null],
  ])("refuseSubmission %j -> %s", (request, status) => {
    const refusal = refuseSubmission({ path: "/letters", ...request });
    expect(refusal?.status ?? null).toBe(status);
    if (refusal) {
      expect(refusal.headers).toEqual({ Allow: "GET, HEAD" });
      expect(refusal.message).toBe("Method not allowed: POST is not allowed at /letters (it takes GET, HEAD).");
    }
  });

  it("answers a ?_data POST to a route without an action as Remix v2's client reads a 405, saying why (Remix said 'Unexpected Server Error')", () => {
    expect(refuseSubmission({ method: "POST", path: "/letters", writable: false, dataRequest: true })).toEqual({
      status: 405,
      message: JSON.stringify({ message: "Method not allowed: POST is not allowed at /letters (it takes GET, HEAD)." }),
      headers: { Allow: "GET, HEAD", "X-Remix-Error": "yes", "Content-Type": "application/json; charset=utf-8" },
    });
    expect(refuseSubmission({ method: "POST", path: "/letters", writable: true, dataRequest: true })).toBeNull();
  });
});

describe("requestTargetOf (the request line's target)", () => {
  it("passes a path through, and turns an absolute-form target into its path and host", () => {
    expect(requestTargetOf("/letters?x=1", "GET")).toEqual({ path: "/letters?x=1", host: null });
    expect(requestTargetOf("http://127.0.0.1:3000/letters?x=1", "GET")).toEqual({ path: "/letters?x=1", host: "127.0.0.1:3000" });
    expect(requestTargetOf("HTTPS://Example.ORG", "GET")).toEqual({ path: "/", host: "example.org" });
    expect(requestTargetOf("http://example.org?q=1", "GET")).toEqual({ path: "/?q=1", host: "example.org" });
    // The path is passed on as sent: Remix and the routes see what they would have in origin-form.
    expect(requestTargetOf("http://example.org/a/../b%2F", "GET")).toEqual({ path: "/a/../b%2F", host: "example.org" });
  });

  it.each([
    ["ftp://example.org/x", "GET", 400],
    ["http://user:pw@example.org/x", "GET", 400],
    ["http:///x", "GET", 400],
    ["http://exa mple.org/x", "GET", 400],
    ["*", "GET", 400],
    ["*", "OPTIONS", 405],
    ["letters", "GET", 400],
  ])("refuses %s (%s) with %i", (target, method, status) => {
    const refusal = requestTargetOf(target, method);
    expect("status" in refusal && refusal.status).toBe(status);
  });
});

describe("refuseHosts (Host and X-Forwarded-Host)", () => {
  it.each(["tracker.example", "Tracker.Example.org:443", "127.0.0.1:3000", "[::1]:3000", "[2001:db8::1]", "localhost", ""])("takes the host %j", (host) => {
    expect(refuseHosts({ host, forwardedHost: undefined })).toBeNull();
    if (host) expect(refuseHosts({ host: "a.example", forwardedHost: `${host}, b.example` })).toBeNull();
  });

  it.each(["a b", "a@evil.example", "user:pw@evil.example", "x:99999", "x:99999999", "[::1", "evil.example/x", "127.0.0.1/letters/new?", "a?b", "a#b", "a\\b", "a:80:90"])(
    "refuses the host %j with 400",
    (host) => {
      expect(refuseHosts({ host, forwardedHost: undefined })?.status).toBe(400);
      expect(refuseHosts({ host: "a.example", forwardedHost: host })?.status).toBe(400);
      expect(refuseHosts({ host: "a.example", forwardedHost: `b.example, ${host}` })?.status).toBe(400);
    },
  );

  it("an empty X-Forwarded-Host is none; an empty entry in a list is refused", () => {
    expect(refuseHosts({ host: "a.example", forwardedHost: "" })).toBeNull();
    expect(refuseHosts({ host: "a.example", forwardedHost: "b.example,,c.example" })?.status).toBe(400);
  });
});

describe("refuseHosts: X-Forwarded-Proto", () => {
  it.each(["http", "https", "HTTPS", "https, http", ""])("takes %j", (forwardedProto) => {
    expect(refuseHosts({ host: "a.example", forwardedHost: undefined, forwardedProto })).toBeNull();
  });
  it.each(["a b", "1", "javascript", "https, ftp", "https,"])("refuses %j with 400", (forwardedProto) => {
    expect(refuseHosts({ host: "a.example", forwardedHost: undefined, forwardedProto })?.status).toBe(400);
  });
});

describe("requestUrl (what Remix is given)", () => {
  it.each([
    ["http", "[2001:db8::1]:8080", "/letters?x=1", "http://[2001:db8::1]:8080/letters?x=1"],
    ["http", "[2001:4860::1]:8080", "/", "http://[2001:4860::1]:8080/"],
    ["https", "[::1]:443", "/a", "https://[::1]/a"],
    ["http", "Tracker.Example:3000", "/a", "http://tracker.example:3000/a"],
    // A path that looks like an authority stays a path on this host.
    ["http", "tracker.example", "//elsewhere.example/x", "http://tracker.example//elsewhere.example/x"],
    ["http", "", "/letters", "http://localhost/letters"],
  ])("%s + %s + %s -> %s", (protocol, host, path, url) => {
    expect(requestUrl({ protocol, host, path })).toBe(url);
  });
});
