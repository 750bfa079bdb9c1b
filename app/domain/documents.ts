/**
 * Rules for documents kept with letters and responses (pure: no database, no files). Storage is
 * content-addressed: a document is its SHA-256, stored at FILES_PATH/ab/cd/<sha256>.
 */

/**
 * What a document-reading thread posts on its task's port first, when it starts the task: the
 * extraction's time limit counts from there, not from the wait in the queue.
 */
export const DOCUMENT_TASK_STARTED = "started" as const;

/** How a document's address names it: 64 lowercase hex digits. */
export function isSha256(value: unknown): value is string {
  return typeof value === "string" && /^[0-9a-f]{64}$/.test(value);
}

/** Where a document lives under FILES_PATH, as path segments: two levels of fan-out, then the hash. */
export function documentPathSegments(sha256: string): [string, string, string] {
  if (!isSha256(sha256)) throw new Error(`not a SHA-256: ${String(sha256).slice(0, 80)}`);
  return [sha256.slice(0, 2), sha256.slice(2, 4), sha256];
}

const MAX_NAME_LENGTH = 200;

/**
 * The name an upload is kept under: the file's own name without any folder, control characters or
 * characters that mean something in a header or a path; never empty.
 */
export function cleanFileName(name: string | null | undefined, fallback = "document"): string {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  const cleaned = base
    .normalize("NFC")
    // Control characters, and what has a meaning in a header or a path.
    .replace(/[\u0000-\u001f\u007f-\u009f"\\/:*?<>|;]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\.+/, "");
  if (!cleaned) return fallback;
  if (cleaned.length <= MAX_NAME_LENGTH) return cleaned;
  // Keep the extension when cutting a long name.
  const dot = cleaned.lastIndexOf(".");
  const extension = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : "";
  return cleaned.slice(0, MAX_NAME_LENGTH - extension.length).trimEnd() + extension;
}

/** The file extension a stored document is downloaded with, by its media type. */
export function extensionFor(mediaType: string): string {
  if (mediaType === "application/pdf") return ".pdf";
  if (mediaType === "application/vnd.openxmlformats-officedocument.wordprocessingml.document") return ".docx";
  if (mediaType.startsWith("text/plain")) return ".txt";
  return "";
}

/**
 * The name a download gets: the stored name, with the extension its content calls for (a PNG
 * renamed .pdf never gets this far; a text file named "letter.html" downloads as .txt).
 */
export function downloadName(name: string, mediaType: string): string {
  const extension = extensionFor(mediaType);
  const cleaned = cleanFileName(name);
  if (!extension || cleaned.toLowerCase().endsWith(extension)) return cleaned;
  return `${cleaned}${extension}`;
}

/**
 * `Content-Disposition: attachment` with the name in both forms (RFC 6266): an ASCII `filename`
 * for old clients and the UTF-8 `filename*` (RFC 8187) for the rest.
 */
export function contentDisposition(name: string, disposition: "attachment" | "inline" = "attachment"): string {
  const ascii = name.normalize("NFKD").replace(/[^\x20-\x7e]/g, "").replace(/["\\%]/g, "").trim() || "document";
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * The headers every stored document is served with: its own media type, as a download, never
 * sniffed into something else, and in a sandbox with no rights at all, so that a hostile HTML, SVG
 * or PDF opened from our origin can run no script there, load nothing and submit nothing.
 */
export function documentResponseHeaders({ sha256, mediaType, byteSize, name }: { sha256: string; mediaType: string; byteSize: number; name: string }): Record<string, string> {
  return {
    "Content-Type": mediaType,
    "Content-Length": String(byteSize),
    "Content-Disposition": contentDisposition(downloadName(name, mediaType)),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": DOCUMENT_CSP,
    "Cross-Origin-Resource-Policy": "same-origin",
    // The content never changes at this address: the address is its hash.
    ETag: `"${sha256}"`,
  };
}

export const DOCUMENT_CSP = "sandbox; default-src 'none'";

/** Whether a path is a document's address (its responses get DOCUMENT_CSP, not the pages' policy). */
export function isDocumentPath(path: string): boolean {
  return /^\/documents\/[0-9a-f]{64}(?:\/[^/]*)?$/.test(path);
}

/** The address a document is downloaded from: its hash, then its name (for the browser's save dialog). */
export function documentUrl(sha256: string, name: string, mediaType: string): string {
  return `/documents/${sha256}/${encodeURIComponent(downloadName(name, mediaType))}`;
}

/** "1.2 MB", "830 kB", "120 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(Math.round((bytes / 1024 / 1024) * 10) / 10).toLocaleString("en-US")} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024).toLocaleString("en-US")} kB`;
  return `${bytes} byte${bytes === 1 ? "" : "s"}`;
}

export interface JobProgress {
  stage: string | null;
  page: number;
  pages: number;
}

/**
 * Whether a progress report is worth writing to the job's row: a new stage, the last page, or at
 * least `intervalMs` since the last write. Writes are cheap, but an OCR reports often and every
 * write takes the database's one write lock.
 */
export function progressWorthWriting(
  last: (JobProgress & { at: number }) | null,
  next: JobProgress,
  now: number,
  intervalMs = 500,
): boolean {
  if (last === null) return true;
  if (next.stage !== last.stage || next.pages !== last.pages) return true;
  if (next.page === last.page) return false;
  if (next.pages > 0 && next.page >= next.pages) return true;
  return now - last.at >= intervalMs;
}

/** A progress bar's value: how much of the work is done, 0..100 (a stage without a page count: 0). */
export function progressPercent({ page, pages }: { page: number; pages: number }): number {
  if (pages <= 0) return 0;
  return Math.max(0, Math.min(100, Math.round((page / pages) * 100)));
}

/**
 * The text of a document's pages as one text for the paste box: pages in order, blank pages left
 * out, cut at `maxLength` characters (the box's limit) at a line break where one is near.
 */
export function documentText(pages: ReadonlyArray<{ number: number; text: string }>, maxLength: number): { text: string; cut: boolean } {
  const whole = [...pages]
    .sort((a, b) => a.number - b.number)
    .map((page) => page.text.trim())
    .filter(Boolean)
    .join("\n\n");
  if (whole.length <= maxLength) return { text: whole, cut: false };
  const head = whole.slice(0, maxLength);
  const lineBreak = head.lastIndexOf("\n");
  return { text: lineBreak > maxLength * 0.9 ? head.slice(0, lineBreak) : head, cut: true };
}

/**
 * The most pixels one image of a PDF may have. pdf.js decodes an image whole, in ArrayBuffers that
 * the thread's heap limit (resourceLimits) does not count: a 400 kB file can paint a 20,000² image
 * of compressed zeros and take gigabytes. An image is decoded at 1 to 4 bytes a pixel, with a copy
 * or two on the way, so a sixteenth of the thread's heap limit in pixels keeps one image within
 * about that limit: 67 million pixels at the default 1,024 MB, a letter-size page scanned at 800 dpi.
 * pdf.js leaves out a larger image (app/workers/document-worker.ts then refuses the page by name).
 */
export function maxImagePixels(heapLimitMb: number): number {
  return Math.floor((heapLimitMb * 1024 * 1024) / 16);
}
