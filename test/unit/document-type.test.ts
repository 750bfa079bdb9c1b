/**
 * sniffDocumentType: the kind of a document by its bytes, never its name, and a reason naming
 * what a refused file looks like. ZIP fixtures are built here with fflate (nothing committed).
 */
import { zipSync, strToU8 } from "fflate";
import { describe, expect, it } from "vitest";
import { DOCUMENT_MEDIA_TYPES, MAX_DOCUMENT_BYTES, sniffDocumentType, zipEntryNames } from "~/domain/document-type";

const bytes = (...values: number[]) => new Uint8Array(values);
const text = (value: string) => new TextEncoder().encode(value);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};
const zip = (entries: Record<string, string>) =>
  zipSync(Object.fromEntries(Object.entries(entries).map(([name, body]) => [name, strToU8(body)])), { level: 6 });
const WORD_ENTRIES = {
  "[Content_Types].xml": "<Types/>",
  "_rels/.rels": "<Relationships/>",
  "word/document.xml": "<w:document/>",
  "word/styles.xml": "<w:styles/>",
};
/** A Word document whose document.xml comes after 100 kB of other entries: beyond any head. */
const bigFirst = zipSync({ "word/media/image1.png": crypto.getRandomValues(new Uint8Array(60_000)), "word/media/image2.png": crypto.getRandomValues(new Uint8Array(60_000)), "word/document.xml": strToU8("<w:document/>") }, { level: 0 });
const PNG = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52);

describe("sniffDocumentType accepts", () => {
  it.each<[string, Uint8Array, "pdf" | "docx" | "text", string?]>([
    ["a PDF", text("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj"), "pdf"],
    ["a PDF whatever its name", text("%PDF-1.4\n"), "pdf", "letter.txt"],
    ["a PDF after a blank line some tools write", text("\r\n%PDF-1.5\n"), "pdf"],
    ["a Word document (ZIP with word/document.xml)", zip(WORD_ENTRIES), "docx"],
    ["a Word document named .zip", zip(WORD_ENTRIES), "docx", "letter.zip"],
    ["a Word document whose document.xml is past the head (central directory read)", bigFirst, "docx"],
    ["plain ASCII text", text("Dear Secretary,\n1. How many?\n"), "text"],
    ["UTF-8 text with accents and a byte-order mark", concat(bytes(0xef, 0xbb, 0xbf), text("Café — “quoted” § 5\n")), "text"],
    ["UTF-8 text cut inside a character at the end of the head", text("Caf\u00e9").subarray(0, 4), "text"],
    ["text with tabs, form feeds and CRLF", text("a\tb\r\nc\fd\n"), "text"],
    ["text that begins with BM (not a bitmap)", text("BMW agreement, page 1\n"), "text"],
    ["text that begins with MZ (not a program)", text("MZ Consulting contracts\n"), "text"],
    ["a shell script is text", text("#!/bin/sh\necho hi\n"), "text"],
  ])("%s", (_name, input, kind, name) => {
    const result = sniffDocumentType(input, name);
    expect(result).toEqual({ ok: true, kind, mediaType: DOCUMENT_MEDIA_TYPES[kind] });
  });
});

describe("sniffDocumentType refuses, naming what the file looks like", () => {
  it.each<[string, Uint8Array, string | undefined, RegExp]>([
    ["an empty file", new Uint8Array(0), "a.pdf", /empty/],
    ["a PNG named .pdf", PNG, "scan.pdf", /an image \(PNG\), not a PDF as its name says/],
    ["a JPEG", bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16), "photo.docx", /an image \(JPEG\), not a Word document as its name says/],
    ["a GIF", text("GIF89a\u0001\u0000"), undefined, /an image \(GIF\)/],
    ["a TIFF", bytes(0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0), undefined, /an image \(TIFF\)/],
    ["a WebP", concat(text("RIFF"), bytes(0, 0, 0, 0), text("WEBPVP8 ")), undefined, /an image \(WebP\)/],
    ["a HEIC photo", concat(bytes(0, 0, 0, 24), text("ftypheic"), bytes(0, 0, 0, 0)), undefined, /an image \(HEIC\)/],
    ["a BMP", concat(text("BM"), bytes(0x36, 0x00, 0x0c, 0x00, 0, 0)), undefined, /an image \(BMP\)/],
    ["a ZIP archive without word/document.xml", zip({ "notes.txt": "hello", "word.xml": "<x/>" }), "letter.docx", /a ZIP archive that is not a Word document, not a Word document as its name says/],
    ["an empty ZIP archive", zipSync({}), undefined, /a ZIP archive that is not a Word document/],
    ["an Excel workbook", zip({ "[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>" }), undefined, /an Excel workbook/],
    ["a PowerPoint presentation", zip({ "ppt/presentation.xml": "<p/>" }), undefined, /a PowerPoint presentation/],
    ["an OpenDocument text", zip({ mimetype: "application/vnd.oasis.opendocument.text", "content.xml": "<c/>" }), undefined, /an OpenDocument file/],
    ["a legacy .doc (OLE compound file)", bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0), "letter.doc", /a legacy Word file \(\.doc\)/],
    ["an RTF file", text("{\\rtf1\\ansi Dear Secretary}"), "letter.docx", /Rich Text \(RTF\)/],
    ["a Linux executable", concat(bytes(0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0), new Uint8Array(8)), "letter.pdf", /a program \(an executable\)/],
    ["a Windows executable", concat(text("MZ"), bytes(0x90, 0, 3, 0, 0, 0, 4, 0)), "letter.pdf", /a program \(a Windows executable\)/],
    ["a gzip archive", bytes(0x1f, 0x8b, 8, 0, 0, 0, 0, 0), undefined, /compressed archive \(gzip\)/],
    ["a 7-Zip archive", bytes(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4), undefined, /7-Zip/],
    ["a RAR archive", concat(text("Rar!\u001a\u0007"), bytes(1, 0)), undefined, /RAR/],
    ["an MP3", concat(text("ID3"), bytes(4, 0, 0, 0, 0, 0, 0)), undefined, /audio file \(MP3\)/],
    ["an MP4 video", concat(bytes(0, 0, 0, 32), text("ftypisom"), bytes(0, 0, 2, 0)), undefined, /video or audio/],
    ["a SQLite database", concat(text("SQLite format 3"), bytes(0, 16, 0)), undefined, /database \(SQLite\)/],
    ["UTF-16 text", bytes(0xff, 0xfe, 0x44, 0x00, 0x65, 0x00), "letter.txt", /UTF-16: save it as UTF-8 text, not a text file as its name says/],
    ["Latin-1 text (not UTF-8)", bytes(0x43, 0x61, 0x66, 0xe9, 0x20, 0x61, 0x75, 0x20, 0x6c, 0x61, 0x69, 0x74), "letter.txt", /not UTF-8/],
    ["bytes with a NUL", text("Dear\u0000Secretary"), undefined, /binary data/],
    ["mostly control characters", text("\u0001\u0002\u0003abc\u0004\u0005"), undefined, /binary data/],
    ["an overlong UTF-8 form", bytes(0x41, 0xe0, 0x80, 0xaf), undefined, /not UTF-8/],
    ["a UTF-8 surrogate", bytes(0x41, 0xed, 0xa0, 0x80), undefined, /not UTF-8/],
    ["an HTML page", text("<!DOCTYPE html><html><body>Letter</body></html>"), "letter.txt", /a web page \(HTML\)/],
  ])("%s", (_name, input, name, reason) => {
    const result = sniffDocumentType(input, name);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toMatch(reason);
    expect(result.reason).toMatch(/Upload a PDF, a Word document \(\.docx\) or a plain text file\.|empty/);
  });
});

describe("zipEntryNames", () => {
  it("reads the central directory of a whole archive", () => {
    expect(zipEntryNames(zip(WORD_ENTRIES))).toEqual(Object.keys(WORD_ENTRIES));
  });
  it("walks the local headers when given only the head", () => {
    const whole = zip(WORD_ENTRIES);
    const head = whole.subarray(0, whole.length - 40);
    expect(zipEntryNames(head)).toEqual(Object.keys(WORD_ENTRIES));
  });
  it("reads the directory of a file given as its head and tail with the middle zeroed", () => {
    const sparse = new Uint8Array(bigFirst.length);
    sparse.set(bigFirst.subarray(0, 1024));
    sparse.set(bigFirst.subarray(bigFirst.length - 1024), bigFirst.length - 1024);
    expect(sniffDocumentType(sparse)).toMatchObject({ ok: true, kind: "docx" });
  });
});

it("documents are at most 25 MB", () => {
  expect(MAX_DOCUMENT_BYTES).toBe(25 * 1024 * 1024);
});
