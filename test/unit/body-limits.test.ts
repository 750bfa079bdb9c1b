import { describe, expect, it } from "vitest";
import { MAX_DOCUMENT_BYTES } from "~/domain/document-type";
import { BODY_LIMITS, MAX_IMPORT_BYTES, bodyLimitFor, bodyLimitKind, refuseDeclaredSize, refuseReadSize } from "~/domain/body-limits";

const form = "application/x-www-form-urlencoded";

describe("the body limit table", () => {
  it.each([
    [{ method: "POST", path: "/login", contentType: form }, "form"],
    [{ method: "POST", path: "/account/password", contentType: `${form}; charset=UTF-8` }, "form"],
    [{ method: "POST", path: "/letters/new", contentType: form }, "letterForm"],
    [{ method: "POST", path: "/letters/some-letter/edit", contentType: form }, "letterForm"],
    [{ method: "POST", path: "/import", contentType: "multipart/form-data; boundary=x" }, "importUpload"],
    [{ method: "POST", path: "/import/", contentType: "multipart/form-data; boundary=x" }, "importUpload"],
    [{ method: "POST", path: "/login", contentType: "multipart/form-data; boundary=x" }, "other"],
    [{ method: "POST", path: "/letters/new", contentType: "multipart/form-data; boundary=x" }, "documentUpload"],
    [{ method: "POST", path: "/letters/a-letter/responses/new.data", contentType: "multipart/form-data; boundary=x" }, "documentUpload"],
    [{ method: "POST", path: "/letters/a-letter/deadline", contentType: "multipart/form-data; boundary=x" }, "other"],
    [{ method: "GET", path: "/letters", contentType: null }, "other"],
  ] as const)("%j -> %s", (request, kind) => {
    expect(bodyLimitKind(request)).toBe(kind);
  });

  it("forms are small, the letter form fits its longest paste, the import takes its whole file", () => {
    expect(BODY_LIMITS.form).toBeLessThanOrEqual(1024 * 1024);
    // 100,000 pasted characters, each URL-encoded as up to 9 bytes (%XX%XX%XX), with room to spare.
    expect(BODY_LIMITS.letterForm).toBeGreaterThan(100_000 * 9 * 2);
    expect(BODY_LIMITS.importUpload).toBeGreaterThan(MAX_IMPORT_BYTES);
    // The upload handler refuses a document over its limit by name: the body must be able to carry one.
    expect(BODY_LIMITS.documentUpload).toBeGreaterThan(MAX_DOCUMENT_BYTES);
    expect(bodyLimitFor({ method: "POST", path: "/login", contentType: form })).toBe(BODY_LIMITS.form);
  });

  it("refuses a declared size over the limit up front, and a streamed one as soon as it crosses it", () => {
    expect(refuseDeclaredSize(1000, "1000")).toBeNull();
    expect(refuseDeclaredSize(1000, "1001")?.status).toBe(413);
    expect(refuseDeclaredSize(1000, undefined)).toBeNull();
    expect(refuseDeclaredSize(1000, "nonsense")).toBeNull();
    expect(refuseReadSize(1000, 1000)).toBeNull();
    expect(refuseReadSize(1000, 1001)?.message).toMatch(/larger than/);
  });
});
