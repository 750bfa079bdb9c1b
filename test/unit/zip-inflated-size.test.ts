/**
 * zipInflatedSize counts what a ZIP really inflates to and stops past the cap: a zip bomb is
 * refused whether its headers tell the truth or lie about its sizes; an ordinary Word document
 * passes with its true size.
 */
import { zipSync, strToU8 } from "fflate";
import { describe, expect, it } from "vitest";
import { MAX_DOCX_INFLATED_BYTES, zipInflatedSize } from "~/domain/zip-inflated-size";
import { wordDocument, zipBombDocx } from "../support/document-fixtures";

const MB = 1024 * 1024;

describe("zipInflatedSize", () => {
  it.each([
    ["an ordinary archive", () => zipSync({ "a.xml": strToU8("x".repeat(5000)), "b.xml": strToU8("hello") }), MB, { ok: true, bytes: 5005 }],
    ["an archive of stored (uncompressed) entries", () => zipSync({ "a.bin": new Uint8Array(3000) }, { level: 0 }), MB, { ok: true, bytes: 3000 }],
    ["an archive just over the cap", () => zipSync({ "a.xml": new Uint8Array(MB + 1) }), MB, { ok: false, reason: "too_large", limit: MB }],
  ] as const)("%s", (_name, make, limit, expected) => {
    expect(zipInflatedSize(make(), limit)).toEqual(expected);
  });

  it("passes a real Word document, with its true unpacked size", async () => {
    const result = zipInflatedSize(await wordDocument());
    expect(result.ok).toBe(true);
    expect(result.ok && result.bytes).toBeGreaterThan(1000);
  });

  it("refuses a zip bomb past the default cap by what it inflates to, though its headers declare 1 kB", async () => {
    const bomb = await zipBombDocx(MAX_DOCX_INFLATED_BYTES / MB + 20, { lie: true });
    expect(bomb.length).toBeLessThan(MB);
    expect(zipInflatedSize(bomb)).toEqual({ ok: false, reason: "too_large", limit: MAX_DOCX_INFLATED_BYTES });
  }, 180_000);
});
