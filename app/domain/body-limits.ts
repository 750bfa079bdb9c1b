/**
 * How many bytes of request body each kind of request may send: the one table of body limits
 * (README, "Body size limits"). scripts/serve.ts enforces it before the app reads a byte: a
 * Content-Length over the limit is refused up front, and a body without one (chunked) is counted as
 * it streams and cut off as soon as it crosses the limit (app/utils/body-limit.server.ts).
 */

import { MAX_DOCUMENT_BYTES } from "./document-type";

/** The largest file /import takes (the page and `npm run import` say so). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

const MB = 1024 * 1024;

export const BODY_LIMITS = {
  /** Sign-in, password, users, close, deadline, log-out: a few short fields. */
  form: 1 * MB,
  /**
   * The letter and response forms (paths under /letters/): up to 500 questions of 4,000 characters
   * (about 2 MB of ordinary text once URL-encoded), and the 100,000-character paste box (at most
   * 900 kB even if every character is non-ASCII).
   */
  letterForm: 8 * MB,
  /** The upload on /import: the file's own limit plus room for the multipart framing and fields. */
  importUpload: MAX_IMPORT_BYTES + 1 * MB,
  /**
   * A document attached on the letter and response forms (multipart): the document's own limit
   * (the upload handler refuses a bigger file by name while reading) plus the form around it.
   */
  documentUpload: MAX_DOCUMENT_BYTES + 1 * MB,
  /** Anything else the request guard lets through (a GET or HEAD with a body): nothing to read. */
  other: 64 * 1024,
} as const;

export type BodyLimitKind = keyof typeof BODY_LIMITS;

function mediaTypeOf(contentType: string | null | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

/**
 * The forms that take a document (multipart/form-data): logging and editing a letter, logging and
 * editing a response; with `.data`, as Remix submits them with JavaScript.
 */
export function isDocumentUploadPath(path: string): boolean {
  const normalized = path.replace(/\/+$/, "");
  return /^\/letters\/(?:new|[^/]+\/edit|[^/]+\/responses\/(?:new|\d+))(?:\.data)?$/.test(normalized);
}

/** Which row of BODY_LIMITS a request falls under. */
export function bodyLimitKind({
  method,
  path,
  contentType,
}: {
  method: string;
  path: string;
  contentType: string | null | undefined;
}): BodyLimitKind {
  if (method !== "POST") return "other";
  const mediaType = mediaTypeOf(contentType);
  const normalized = path.replace(/\/+$/, "") || "/";
  if (mediaType === "multipart/form-data" && (normalized === "/import" || normalized === "/import.data")) return "importUpload";
  if (mediaType === "multipart/form-data" && isDocumentUploadPath(normalized)) return "documentUpload";
  if (mediaType === "application/x-www-form-urlencoded") return normalized.startsWith("/letters/") ? "letterForm" : "form";
  return "other";
}

export function bodyLimitFor(request: { method: string; path: string; contentType: string | null | undefined }): number {
  return BODY_LIMITS[bodyLimitKind(request)];
}

export interface BodyTooLarge {
  status: 413;
  message: string;
}

function sizeInWords(bytes: number): string {
  return bytes >= MB ? `${Math.round((bytes / MB) * 10) / 10} MB` : `${Math.round(bytes / 1024)} kB`;
}

export function bodyTooLarge(limit: number): BodyTooLarge {
  return { status: 413, message: `The request body is larger than this address takes (${sizeInWords(limit)}).` };
}

/**
 * Whether a request's declared size (its Content-Length header, if any) is over its limit. A
 * header that is not a plain number is left to Node's parser, which refuses it itself.
 */
export function refuseDeclaredSize(limit: number, contentLength: string | null | undefined): BodyTooLarge | null {
  if (contentLength === null || contentLength === undefined || !/^\s*\d+\s*$/.test(contentLength)) return null;
  return Number(contentLength) > limit ? bodyTooLarge(limit) : null;
}

/** Whether a streamed body has now read more than its limit (checked at every chunk). */
export function refuseReadSize(limit: number, bytesRead: number): BodyTooLarge | null {
  return bytesRead > limit ? bodyTooLarge(limit) : null;
}
