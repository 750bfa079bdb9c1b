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
