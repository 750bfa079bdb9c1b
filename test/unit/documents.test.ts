import { describe, expect, it } from "vitest";
import {
  cleanFileName,
  contentDisposition,
  documentPathSegments,
  documentResponseHeaders,
  documentText,
  documentUrl,
  downloadName,
  formatBytes,
  isDocumentPath,
  isSha256,
  maxImagePixels,
  progressPercent,
  progressWorthWriting,
} from "~/domain/documents";
import { securityHeaders } from "~/utils/http-security";

const SHA = "ab".repeat(32);

describe("document addresses and names", () => {
  it.each([
    [SHA, true],
    ["AB".repeat(32), false],
    ["ab".repeat(31), false],
    [`${"ab".repeat(31)}zz`, false],
    ["../../etc/passwd", false],
    [42, false],
  ])("isSha256(%j) is %s", (value, expected) => {
    expect(isSha256(value)).toBe(expected);
  });

  it("stores a document two directory levels down by its hash, and refuses anything else", () => {
    expect(documentPathSegments(`12345678${"0".repeat(56)}`)).toEqual(["12", "34", `12345678${"0".repeat(56)}`]);
    expect(() => documentPathSegments("../x")).toThrow(/not a SHA-256/);
  });

  it.each([
    ["letter.pdf", "letter.pdf"],
    ["C:\\Users\\me\\Desktop\\letter.pdf", "letter.pdf"],
    ["/home/me/../letter.pdf", "letter.pdf"],
    ['evil"; filename=x.html', "evil filename=x.html"],
    ["line\r\nbreak.txt", "linebreak.txt"],
    ["...hidden", "hidden"],
    ["", "document"],
    [null, "document"],
    [`${"a".repeat(300)}.pdf`, `${"a".repeat(196)}.pdf`],
  ])("cleanFileName(%j) is %j", (name, expected) => {
    expect(cleanFileName(name)).toBe(expected);
  });

  it.each([
    ["letter.pdf", "application/pdf", "letter.pdf"],
    ["letter", "application/pdf", "letter.pdf"],
    ["page.html", "text/plain; charset=utf-8", "page.html.txt"],
    ["reply.DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "reply.DOCX"],
  ])("downloadName(%j, %j) is %j: the extension follows the content", (name, mediaType, expected) => {
    expect(downloadName(name, mediaType)).toBe(expected);
  });

  it("names the download in ASCII and UTF-8 (RFC 6266), always as an attachment unless asked", () => {
    expect(contentDisposition("Meeks letter.pdf")).toBe(`attachment; filename="Meeks letter.pdf"; filename*=UTF-8''Meeks%20letter.pdf`);
    expect(contentDisposition("Señor's \"reply\".pdf")).toBe(`attachment; filename="Senor's reply.pdf"; filename*=UTF-8''Se%C3%B1or%27s%20%22reply%22.pdf`);
    expect(documentUrl(SHA, "a b.pdf", "application/pdf")).toBe(`/documents/${SHA}/a%20b.pdf`);
  });

  it("serves every document as a download in a sandbox without rights, never sniffed, cached by its hash", () => {
    const headers = documentResponseHeaders({ sha256: SHA, mediaType: "text/plain; charset=utf-8", byteSize: 12, name: "x.html" });
    expect(headers).toMatchObject({
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Length": "12",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox; default-src 'none'",
      ETag: `"${SHA}"`,
    });
    expect(headers["Content-Disposition"]).toMatch(/^attachment; filename="x\.html\.txt"/);
  });

  it("gives responses under /documents/ the sandbox policy, and pages their own", () => {
    expect(isDocumentPath(`/documents/${SHA}`)).toBe(true);
    expect(isDocumentPath(`/documents/${SHA}/letter.pdf`)).toBe(true);
    expect(isDocumentPath("/documents/jobs/3")).toBe(false);
    expect(securityHeaders({ nonce: "n", production: true, path: `/documents/${SHA}/x.pdf` })["Content-Security-Policy"]).toBe("sandbox; default-src 'none'");
    expect(securityHeaders({ nonce: "n", production: true, path: "/letters" })["Content-Security-Policy"]).toContain("'nonce-n'");
  });

  it.each([
    [0, "0 bytes"],
    [1, "1 byte"],
    [2048, "2 kB"],
    [1.25 * 1024 * 1024, "1.3 MB"],
    [25 * 1024 * 1024, "25 MB"],
  ])("formatBytes(%d) is %j", (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });
});

describe("extraction progress", () => {
  const at = (stage: string, page: number, pages: number, time: number) => ({ stage, page, pages, at: time });
  it.each([
    ["the first report", null, { stage: "reading", page: 0, pages: 0 }, 0, true],
    ["a new stage", at("text", 3, 3, 0), { stage: "ocr", page: 0, pages: 2 }, 1, true],
    ["the same page again", at("ocr", 1, 30, 0), { stage: "ocr", page: 1, pages: 30 }, 5000, false],
    ["the next page too soon", at("ocr", 1, 30, 0), { stage: "ocr", page: 2, pages: 30 }, 100, false],
    ["the next page after the interval", at("ocr", 1, 30, 0), { stage: "ocr", page: 2, pages: 30 }, 600, true],
    ["the last page at once", at("ocr", 29, 30, 0), { stage: "ocr", page: 30, pages: 30 }, 1, true],
  ] as const)("%s: written %s", (_what, last, next, now, expected) => {
    expect(progressWorthWriting(last, next, now)).toBe(expected);
  });

  it.each([
    [{ page: 0, pages: 0 }, 0],
    [{ page: 1, pages: 3 }, 33],
    [{ page: 3, pages: 3 }, 100],
    [{ page: 9, pages: 3 }, 100],
  ])("progressPercent(%j) is %d", (progress, expected) => {
    expect(progressPercent(progress)).toBe(expected);
  });

  it("joins pages in order for the paste box, and cuts at its limit at a line break", () => {
    expect(documentText([{ number: 2, text: "second" }, { number: 1, text: " first \n" }, { number: 3, text: "  " }], 1000)).toEqual({ text: "first\n\nsecond", cut: false });
    const long = Array.from({ length: 100 }, (_, index) => `line ${index}`).join("\n");
    const cut = documentText([{ number: 1, text: long }], 100);
    expect(cut.cut).toBe(true);
    expect(cut.text.length).toBeLessThanOrEqual(100);
    expect(cut.text.endsWith("\n")).toBe(false);
    expect(long.startsWith(cut.text)).toBe(true);
  });
});

describe("the largest image a PDF page may paint", () => {
  // Scans a staffer uploads (300 to 600 dpi, letter or legal size) fit at the default heap limit;
  // a 12,000² image (144 million pixels) does not fit at any limit a thread is given.
  it.each([
    { heapLimitMb: 1024, fits: [2550 * 3300, 5100 * 6600, 5100 * 8400], refused: [12_000 * 12_000, 20_000 * 20_000] },
    { heapLimitMb: 256, fits: [2550 * 3300, 2550 * 4200], refused: [5100 * 6600, 12_000 * 12_000] },
  ])("at a $heapLimitMb MB heap limit", ({ heapLimitMb, fits, refused }) => {
    const limit = maxImagePixels(heapLimitMb);
    expect(fits.every((pixels) => pixels <= limit)).toBe(true);
    expect(refused.every((pixels) => pixels > limit)).toBe(true);
  });
});
