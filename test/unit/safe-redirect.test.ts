import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeRedirect } from "~/domain/safe-redirect";

describe("safeRedirect", () => {
  it.each([
    ["/letters", "/letters"],
    ["/letters/abc?asOf=2025-01-01#questions", "/letters/abc?asOf=2025-01-01#questions"],
    ["//evil.example", "/"],
    ["/\\evil.example", "/"],
    ["/%5Cevil.example", "/"],
    ["/%2F%2Fevil.example", "/"],
    ["https://evil.example", "/"],
    ["https:evil.example", "/"],
    ["javascript:alert(1)", "/"],
    ["JaVaScRiPt:alert(1)", "/"],
    ["data:text/html,<script>alert(1)</script>", "/"],
    ["/\t/evil.example", "/"],
    [" /letters", "/"],
    ["letters", "/"],
    ["", "/"],
    [null, "/"],
    ["/%E0%A4%A", "/"],
  ])("%j -> %j", (input, expected) => {
    expect(safeRedirect(input)).toBe(expected);
  });

  it("never leaves the site, whatever the input", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.webPath(), fc.string().map((s) => `/${s}`)), (input) => {
        const target = safeRedirect(input);
        expect(target.startsWith("/")).toBe(true);
        expect(target.startsWith("//")).toBe(false);
        expect(new URL(target, "http://this.site").origin).toBe("http://this.site");
      }),
      { numRuns: 2000 },
    );
  });
});

describe("safeRedirect gives an address fit for a Location header", () => {
  it.each([
    ["/\uFF0Fx", "/%EF%BC%8Fx"],
    ["/letters?q=\u00e9t\u00e9", "/letters?q=%C3%A9t%C3%A9"],
    ["/caf\u00e9#\u2603", "/caf%C3%A9#%E2%98%83"],
  ])("%j -> %j", (input, expected) => {
    expect(safeRedirect(input)).toBe(expected);
  });

  it("whatever the input, the result can be sent as a redirect", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" }).map((s) => `/${s}`), fc.webPath()), (input) => {
        const target = safeRedirect(input);
        expect(() => new Headers({ Location: target })).not.toThrow();
        expect(target).toMatch(/^\/(?!\/)[\x21-\x7e]*$|^\/$/);
      }),
      { numRuns: 2000 },
    );
  });
});
