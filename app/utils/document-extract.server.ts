/**
 * TEMPORARY stand-in for branch doc-extract's module of the same name (same interface): plain
 * text only, replaced when that branch lands on main.
 */
import fs from "node:fs/promises";
import { sniffDocumentType, type DocumentKind } from "~/domain/document-type";

export class DocumentExtractError extends Error {
  override name = "DocumentExtractError";
}

export interface ExtractProgress {
  stage: "reading" | "text" | "ocr";
  page: number;
  pages: number;
}

export interface ExtractedDocument {
  kind: DocumentKind;
  mediaType: string;
  pages: Array<{ number: number; text: string; source: "text" | "ocr" }>;
}

export async function extractDocument(
  filePath: string,
  { onProgress, signal }: { onProgress?: (progress: ExtractProgress) => void; signal?: AbortSignal } = {},
): Promise<ExtractedDocument> {
  onProgress?.({ stage: "reading", page: 0, pages: 0 });
  const bytes = await fs.readFile(filePath, { signal });
  const type = sniffDocumentType(bytes.subarray(0, 4096));
  if (!type.ok) throw new DocumentExtractError(type.reason);
  if (type.kind !== "text") throw new DocumentExtractError(`Reading ${type.kind.toUpperCase()} files is not available yet.`);
  const pages = bytes
    .toString("utf8")
    .split("\f")
    .map((text, index) => ({ number: index + 1, text, source: "text" as const }));
  pages.forEach((page) => onProgress?.({ stage: "text", page: page.number, pages: pages.length }));
  if (pages.every((page) => page.text.trim() === "")) throw new DocumentExtractError("No text was found in the document.");
  return { kind: type.kind, mediaType: type.mediaType, pages };
}
