/**
 * TEMPORARY stand-in for branch doc-extract's module of the same name (same interface): replaced
 * when that branch lands on main. What kind of document an upload is, told by its content.
 */
export const MAX_DOCUMENT_BYTES = 25 * 1024 * 1024;

export type DocumentKind = "pdf" | "docx" | "text";

export type SniffResult = { ok: true; kind: DocumentKind; mediaType: string } | { ok: false; reason: string };

export function sniffDocumentType(head: Uint8Array, _name?: string): SniffResult {
  const ascii = Buffer.from(head.subarray(0, 8)).toString("latin1");
  if (ascii.startsWith("%PDF-")) return { ok: true, kind: "pdf", mediaType: "application/pdf" };
  if (ascii.startsWith("PK\u0003\u0004")) {
    if (Buffer.from(head).includes("word/document.xml")) {
      return { ok: true, kind: "docx", mediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" };
    }
    return { ok: false, reason: "it is a ZIP archive that is not a Word document" };
  }
  if (head[0] === 0x89 && ascii.slice(1, 4) === "PNG") return { ok: false, reason: "it is an image (PNG), not a PDF, Word document or text" };
  if (head.includes(0)) return { ok: false, reason: "it is not a PDF, a Word document or plain text" };
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 4)));
  } catch {
    return { ok: false, reason: "it is not a PDF, a Word document or plain text (UTF-8)" };
  }
  return { ok: true, kind: "text", mediaType: "text/plain; charset=utf-8" };
}
