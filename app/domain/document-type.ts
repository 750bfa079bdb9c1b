/**
 * What kind of document a file is, judged by its bytes, never by its name (issue 12): a PDF
 * (`%PDF-`), a Word document (a ZIP archive holding `word/document.xml`) or plain text (valid
 * UTF-8 without NUL bytes, mostly printable). Anything else is refused with a reason naming what
 * it looks like ("an image (PNG)", "a ZIP archive that is not a Word document", "a legacy Word
 * file (.doc)", "a program (executable)", ...), for the message shown to whoever uploaded it.
 *
 * Pure: no file system. Pass the whole file when you have it (an upload is at most
 * MAX_DOCUMENT_BYTES): a ZIP is then judged by its central directory, the archive's own list of
 * entries at its end. With only the first bytes, the entries' local headers are walked instead.
 * The name, when given, is used only to word the reason ("..., not a PDF as its name says").
 */

export const MAX_DOCUMENT_BYTES = 25 * 1024 * 1024;

export type DocumentKind = "pdf" | "docx" | "text";

export const DOCUMENT_MEDIA_TYPES = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  text: "text/plain; charset=utf-8",
} as const satisfies Record<DocumentKind, string>;

export type DocumentMediaType = (typeof DOCUMENT_MEDIA_TYPES)[DocumentKind];

export type DocumentTypeResult =
  | { ok: true; kind: DocumentKind; mediaType: DocumentMediaType }
  | { ok: false; reason: string };

/** What the refusal says the kinds are, for "not a PDF as its name says". */
const KIND_BY_EXTENSION: Record<string, string> = {
  pdf: "a PDF",
  docx: "a Word document",
  txt: "a text file",
  text: "a text file",
};

function accepted(kind: DocumentKind): DocumentTypeResult {
  return { ok: true, kind, mediaType: DOCUMENT_MEDIA_TYPES[kind] };
}

function refused(looksLike: string, name?: string): DocumentTypeResult {
  const extension = name?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  const claimed = extension ? KIND_BY_EXTENSION[extension] : undefined;
  const suffix = claimed ? `, not ${claimed} as its name says` : "";
  return {
    ok: false,
    reason: `The file is ${looksLike}${suffix}. Upload a PDF, a Word document (.docx) or a plain text file.`,
  };
}

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  if (bytes.length < at + signature.length) return false;
  for (let i = 0; i < signature.length; i += 1) if (bytes[at + i] !== signature[i]) return false;
  return true;
}

function ascii(text: string): number[] {
  return Array.from(text, (c) => c.charCodeAt(0));
}

/** Binary formats recognised by their first bytes, each with what the refusal says it is. */
const SIGNATURES: { at?: number; bytes: number[]; looksLike: string }[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], looksLike: "an image (PNG)" },
  { bytes: [0xff, 0xd8, 0xff], looksLike: "an image (JPEG)" },
  { bytes: ascii("GIF87a"), looksLike: "an image (GIF)" },
  { bytes: ascii("GIF89a"), looksLike: "an image (GIF)" },
  { bytes: [0x49, 0x49, 0x2a, 0x00], looksLike: "an image (TIFF)" },
  { bytes: [0x4d, 0x4d, 0x00, 0x2a], looksLike: "an image (TIFF)" },
  { bytes: ascii("8BPS"), looksLike: "an image (Photoshop)" },
  { at: 8, bytes: ascii("WEBP"), looksLike: "an image (WebP)" },
  { at: 4, bytes: ascii("ftypheic"), looksLike: "an image (HEIC)" },
  { at: 4, bytes: ascii("ftypheix"), looksLike: "an image (HEIC)" },
  { at: 4, bytes: ascii("ftypmif1"), looksLike: "an image (HEIF)" },
  { at: 4, bytes: ascii("ftypavif"), looksLike: "an image (AVIF)" },
  { at: 4, bytes: ascii("ftyp"), looksLike: "a video or audio file" },
  { at: 8, bytes: ascii("AVI "), looksLike: "a video (AVI)" },
  { at: 8, bytes: ascii("WAVE"), looksLike: "an audio file (WAV)" },
  { bytes: ascii("ID3"), looksLike: "an audio file (MP3)" },
  { bytes: ascii("OggS"), looksLike: "an audio or video file (Ogg)" },
  { bytes: ascii("fLaC"), looksLike: "an audio file (FLAC)" },
  { bytes: [0x1a, 0x45, 0xdf, 0xa3], looksLike: "a video (Matroska/WebM)" },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], looksLike: "a legacy Word file (.doc) or another old Office file, or a password-protected Word document: save it as .docx without a password, or as PDF" },
  { bytes: ascii("{\\rtf"), looksLike: "a Rich Text (RTF) file: save it as .docx or PDF" },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], looksLike: "a program (an executable)" },
  { bytes: ascii("MZ"), looksLike: "a program (a Windows executable)" },
  { bytes: [0xfe, 0xed, 0xfa, 0xce], looksLike: "a program (a macOS executable)" },
  { bytes: [0xfe, 0xed, 0xfa, 0xcf], looksLike: "a program (a macOS executable)" },
  { bytes: [0xce, 0xfa, 0xed, 0xfe], looksLike: "a program (a macOS executable)" },
  { bytes: [0xcf, 0xfa, 0xed, 0xfe], looksLike: "a program (a macOS executable)" },
  { bytes: [0xca, 0xfe, 0xba, 0xbe], looksLike: "a program (an executable or Java class)" },
  { bytes: [0x00, 0x61, 0x73, 0x6d], looksLike: "a program (WebAssembly)" },
  { bytes: [0x1f, 0x8b], looksLike: "a compressed archive (gzip)" },
  { bytes: ascii("BZh"), looksLike: "a compressed archive (bzip2)" },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], looksLike: "a compressed archive (xz)" },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], looksLike: "a compressed archive (zstd)" },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], looksLike: "a compressed archive (7-Zip)" },
  { bytes: ascii("Rar!\x1a\x07"), looksLike: "a compressed archive (RAR)" },
  { at: 257, bytes: ascii("ustar"), looksLike: "an archive (tar)" },
  { bytes: ascii("SQLite format 3\0"), looksLike: "a database (SQLite)" },
  { bytes: ascii("%!PS"), looksLike: "a PostScript file: print it to PDF" },
  { bytes: ascii("BM"), looksLike: "an image (BMP)" },
];

const ZIP_LOCAL = 0x04034b50;
const ZIP_CENTRAL = 0x02014b50;
const ZIP_END = 0x06054b50;

function u16(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8);
}

function u32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

function latin1(bytes: Uint8Array, from: number, length: number): string {
  let text = "";
  for (let i = from; i < from + length && i < bytes.length; i += 1) text += String.fromCharCode(bytes[i]!);
  return text;
}

/**
 * The entry names of a ZIP archive: from the central directory when the end-of-central-directory
 * record is in `bytes` (the whole file), else by walking the local headers from the start.
 */
export function zipEntryNames(bytes: Uint8Array): string[] {
  // The end record is 22 bytes plus a comment of at most 65,535.
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= lowest; at -= 1) {
    if (u32(bytes, at) !== ZIP_END) continue;
    const count = u16(bytes, at + 10);
    const offset = u32(bytes, at + 16);
    const names: string[] = [];
    let entry = offset;
    for (let i = 0; i < count && entry + 46 <= bytes.length && u32(bytes, entry) === ZIP_CENTRAL; i += 1) {
      const nameLength = u16(bytes, entry + 28);
      const extraLength = u16(bytes, entry + 30);
      const commentLength = u16(bytes, entry + 32);
      names.push(latin1(bytes, entry + 46, nameLength));
      entry += 46 + nameLength + extraLength + commentLength;
    }
    if (names.length > 0 || count === 0) return names;
    break; // An end record whose directory is not where it says: fall back to the local headers.
  }
  const names: string[] = [];
  let at = 0;
  while (at + 30 <= bytes.length && u32(bytes, at) === ZIP_LOCAL) {
    const flags = u16(bytes, at + 6);
    const compressedSize = u32(bytes, at + 18);
    const nameLength = u16(bytes, at + 26);
    const extraLength = u16(bytes, at + 28);
    names.push(latin1(bytes, at + 30, nameLength));
    const dataStart = at + 30 + nameLength + extraLength;
    if ((flags & 0x08) === 0 || compressedSize > 0) {
      at = dataStart + compressedSize;
      continue;
    }
    // Sizes in a data descriptor after the data: find the next local header by its signature.
    let next = dataStart;
    while (next + 4 <= bytes.length && u32(bytes, next) !== ZIP_LOCAL) next += 1;
    at = next;
  }
  return names;
}

function sniffZip(bytes: Uint8Array, name?: string): DocumentTypeResult {
  const names = zipEntryNames(bytes);
  if (names.includes("word/document.xml")) return accepted("docx");
  if (names.some((entry) => entry.startsWith("word/") && /^word\/document\d*\.xml$/.test(entry))) return accepted("docx");
  if (names.includes("xl/workbook.xml")) return refused("an Excel workbook (.xlsx)", name);
  if (names.includes("ppt/presentation.xml")) return refused("a PowerPoint presentation (.pptx)", name);
  if (names.includes("mimetype") && names.includes("content.xml")) return refused("an OpenDocument file (.odt, .ods): save it as .docx or PDF", name);
  if (names.includes("META-INF/container.xml")) return refused("an e-book (EPUB)", name);
  return refused("a ZIP archive that is not a Word document", name);
}

/** Characters that do not belong in text: C0 controls other than tab, line feed, form feed, carriage return; DEL. */
function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d) || code === 0x7f;
}

/**
 * Whether the bytes are UTF-8 text: valid UTF-8 (a sequence cut off by the end of `bytes` is
 * allowed: it may be only the head of the file), no NUL, at most 1 in 100 other control
 * characters. The reason when not.
 */
function textVerdict(bytes: Uint8Array): { text: true } | { text: false; looksLike: string } {
  let at = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let controls = 0;
  let characters = 0;
  while (at < bytes.length) {
    const byte = bytes[at]!;
    if (byte === 0) return { text: false, looksLike: "binary data, not text" };
    if (byte < 0x80) {
      if (isControl(byte)) controls += 1;
      characters += 1;
      at += 1;
      continue;
    }
    const length = byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
    if (length === 0) return { text: false, looksLike: "binary data, or text that is not UTF-8: save it as UTF-8" };
    if (at + length > bytes.length) break; // Cut off by the end of the head.
    for (let i = 1; i < length; i += 1) {
      if ((bytes[at + i]! & 0xc0) !== 0x80) return { text: false, looksLike: "binary data, or text that is not UTF-8: save it as UTF-8" };
    }
    const second = bytes[at + 1]!;
    // Overlong forms, surrogates and code points past U+10FFFF.
    if ((byte === 0xe0 && second < 0xa0) || (byte === 0xed && second > 0x9f) || (byte === 0xf0 && second < 0x90) || (byte === 0xf4 && second > 0x8f)) {
      return { text: false, looksLike: "binary data, or text that is not UTF-8: save it as UTF-8" };
    }
    characters += 1;
    at += length;
  }
  if (controls * 100 > characters) return { text: false, looksLike: "binary data, not text" };
  return { text: true };
}

/** The kind of document these bytes are, or why they are refused. */
export function sniffDocumentType(head: Uint8Array, name?: string): DocumentTypeResult {
  if (head.length === 0) return { ok: false, reason: "The file is empty." };
  // The PDF header, after at most a byte-order mark or blank lines some tools write before it.
  if (/^(\u00ef\u00bb\u00bf)?[\t\n\r ]{0,16}%PDF-/.test(latin1(head, 0, 32))) return accepted("pdf");
  if (u32(head, 0) === ZIP_LOCAL || u32(head, 0) === ZIP_END) return sniffZip(head, name);
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) {
    return refused("text in UTF-16: save it as UTF-8 text", name);
  }
  for (const signature of SIGNATURES) {
    if (startsWith(head, signature.bytes, signature.at ?? 0)) {
      // "BM" and "MZ" are also how some text begins: only binary bytes make them an image or program.
      if ((signature.looksLike.includes("BMP") || signature.looksLike.includes("Windows executable")) && textVerdict(head).text) continue;
      return refused(signature.looksLike, name);
    }
  }
  const verdict = textVerdict(head);
  if (!verdict.text) return refused(verdict.looksLike, name);
  const start = latin1(head, 0, 512).replace(/^\uFEFF?[\s\u00ef\u00bb\u00bf]*/, "").toLowerCase();
  if (start.startsWith("<!doctype html") || start.startsWith("<html")) {
    return refused("a web page (HTML): save it as PDF, or paste its text", name);
  }
  return accepted("text");
}
