import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, isCrossSiteWrite, securityHeaders } from "~/utils/http-security";

const HOST = "tracker.example:3000";

describe("isCrossSiteWrite", () => {
  it.each([
    // method, origin, sec-fetch-site, refused?
    ["POST", "https://evil.example", undefined, true],
    ["POST", "http://tracker.example:3000", undefined, false],
    ["POST", "https://tracker.example:3000", "same-origin", false],
    ["POST", "http://tracker.example:3001", undefined, true],
    ["POST", "http://tracker.example", undefined, true],
    ["POST", "http://TRACKER.example:3000", undefined, false],
    ["POST", "http://tracker.example:3000.evil.example", undefined, true],
    ["POST", "null", undefined, true],
    ["POST", "not a url", undefined, true],
    ["POST", undefined, "cross-site", true],
    ["POST", undefined, "CROSS-SITE", true],
    ["POST", "http://tracker.example:3000", "cross-site", true],
    ["POST", undefined, "same-origin", false],
    ["POST", undefined, "none", false],
    ["POST", undefined, undefined, false],
    ["POST", "", undefined, false],
    ["PUT", "https://evil.example", undefined, true],
    ["PATCH", "https://evil.example", undefined, true],
    ["DELETE", undefined, "cross-site", true],
    ["delete", "https://evil.example", undefined, true],
    ["GET", "https://evil.example", "cross-site", false],
    ["HEAD", "https://evil.example", "cross-site", false],
    ["OPTIONS", "https://evil.example", "cross-site", false],
  ] as const)("%s Origin=%s Sec-Fetch-Site=%s → refused %s", (method, origin, secFetchSite, refused) => {
    expect(isCrossSiteWrite({ method, host: HOST, origin, secFetchSite })).toBe(refused);
  });

  it("refuses a foreign origin when the Host header is missing", () => {
    expect(isCrossSiteWrite({ method: "POST", host: undefined, origin: "http://x.example", secFetchSite: undefined })).toBe(true);
  });
});

describe("securityHeaders", () => {
  it("builds an enforced policy around the nonce", () => {
    const csp = contentSecurityPolicy({ nonce: "abc123" });
    const directives = Object.fromEntries(csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")]));
    expect(directives).toMatchObject({
      "script-src": "'nonce-abc123' 'strict-dynamic'",
      "object-src": "'none'",
      "base-uri": "'none'",
      "frame-ancestors": "'none'",
      "default-src": "'self'",
      "connect-src": "'self'",
    });
    expect(contentSecurityPolicy({ nonce: "n", development: true })).toContain("connect-src 'self' ws:");
  });

  it("sends HSTS in production only", () => {
    const production = securityHeaders({ nonce: "n", production: true });
    const development = securityHeaders({ nonce: "n", production: false });
    expect(production["Strict-Transport-Security"]).toBe("max-age=31536000; includeSubDomains");
    expect(development["Strict-Transport-Security"]).toBeUndefined();
    for (const headers of [production, development]) {
      expect(headers["X-Content-Type-Options"]).toBe("nosniff");
      expect(headers["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
      expect(headers["Content-Security-Policy"]).toContain("'nonce-n'");
    }
  });
});
