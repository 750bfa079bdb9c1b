/**
 * A document sent with a form (multipart/form-data), read as it streams: written to a temporary
 * file beside the store while its SHA-256 is computed, held to MAX_DOCUMENT_BYTES while reading
 * (never buffered whole), and its type told by its first bytes (sniffDocumentType), not by its
 * name. A refused file leaves nothing behind; an accepted one is stored by content
 * (app/models/documents.server.ts) and its text extraction queued as a job.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { unstable_parseMultipartFormData as parseMultipartFormData, type UploadHandlerPart } from "@remix-run/node";
import { MAX_DOCUMENT_BYTES, sniffDocumentType } from "~/domain/document-type";
import { cleanFileName, formatBytes } from "~/domain/documents";
import { createDocumentJob, type DocumentJob } from "~/models/document-jobs.server";
import { newUploadPath, storeUpload, type StoredDocument } from "~/models/documents.server";

/** The form field that carries the file. */
export const DOCUMENT_FIELD = "document";
/** The label the forms give it: refusals name it. */
export const DOCUMENT_FIELD_LABEL = "Document";
/** Bytes read before the type is decided (magic numbers, a ZIP's first entry, text's first lines). */
const SNIFF_BYTES = 64 * 1024;
/** Other fields of the upload form (intent, version): short. */
const MAX_FIELD_BYTES = 16 * 1024;

export type UploadOutcome =
  | { ok: true; document: StoredDocument; job: DocumentJob; fields: Record<string, string> }
  | { ok: false; field: string; message: string; fields: Record<string, string> };

interface Received {
  tempPath: string;
  sha256: string;
  byteSize: number;
  name: string;
  mediaType: string;
}

async function drain(data: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const _chunk of data) {
    // discarded: the part must be read to its end for the parser to reach the next one
  }
}

export async function receiveDocumentUpload(
  request: Request,
  { createdBy, maxBytes = MAX_DOCUMENT_BYTES }: { createdBy: number | null; maxBytes?: number },
): Promise<UploadOutcome> {
  let received: Received | null = null;
  let refusal: string | null = null;
  let sawFile = false;
  const fields: Record<string, string> = {};
  const tempFiles: string[] = [];

  const handler = async ({ name, filename, data }: UploadHandlerPart): Promise<string | undefined> => {
    if (name !== DOCUMENT_FIELD || filename === undefined) {
      // A short text field; a stray file under another name is read and dropped.
      let text = "";
      let size = 0;
      for await (const chunk of data) {
        size += chunk.length;
        if (size <= MAX_FIELD_BYTES && filename === undefined) text += Buffer.from(chunk).toString("utf8");
      }
      // A repeated field (keepJob) arrives as one value per part: joined with commas.
      if (filename === undefined && size <= MAX_FIELD_BYTES) fields[name] = fields[name] === undefined ? text : `${fields[name]},${text}`;
      return undefined;
    }
    if (sawFile) {
      await drain(data);
      refusal ??= "send one file at a time";
      return undefined;
    }
    sawFile = true;
    const tempPath = newUploadPath();
    tempFiles.push(tempPath);
    const out = fs.createWriteStream(tempPath, { flags: "wx" });
    const hash = crypto.createHash("sha256");
    let size = 0;
    let head = Buffer.alloc(0);
    let mediaType: string | null = null;
    let refused: string | null = null;
    const decide = () => {
      if (mediaType !== null || refused !== null) return;
      const sniffed = sniffDocumentType(new Uint8Array(head), filename);
      if (sniffed.ok) mediaType = sniffed.mediaType;
      else refused = sniffed.reason;
    };
    try {
      for await (const chunk of data) {
        if (refused !== null) continue; // read on, keep nothing
        size += chunk.length;
        if (size > maxBytes) {
          refused = `the file is larger than ${formatBytes(maxBytes)}`;
          continue;
        }
        if (head.length < SNIFF_BYTES) {
          head = Buffer.concat([head, Buffer.from(chunk.subarray(0, SNIFF_BYTES - head.length))]);
          if (head.length >= SNIFF_BYTES) decide();
          if (refused !== null) continue;
        }
        hash.update(chunk);
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      }
    } finally {
      await new Promise<void>((resolve) => out.end(() => resolve()));
    }
    if (refused === null && size === 0) refused = filename ? "the file is empty" : "choose a file to upload";
    if (refused === null) decide();
    if (refused !== null) {
      refusal = refused;
      return undefined;
    }
    received = { tempPath, sha256: hash.digest("hex"), byteSize: size, name: cleanFileName(filename), mediaType: mediaType! };
    return undefined;
  };

  try {
    await parseMultipartFormData(request, handler);
  } catch {
    refusal ??= "the upload was cut off before the whole file arrived; try again";
  }
  try {
    const got = received as Received | null;
    if (refusal !== null || got === null) {
      return {
        ok: false,
        field: DOCUMENT_FIELD,
        message: `${DOCUMENT_FIELD_LABEL}: ${refusal ?? "choose a file to upload"}. Nothing was stored.`,
        fields,
      };
    }
    const document = storeUpload({ tempPath: got.tempPath, sha256: got.sha256, mediaType: got.mediaType, byteSize: got.byteSize, originalName: got.name });
    const job = createDocumentJob({ sha256: document.sha256, createdBy });
    return { ok: true, document, job, fields };
  } finally {
    for (const file of tempFiles) fs.rmSync(file, { force: true });
  }
}

/** Whether a request is a form with a file (the upload forms) rather than the ordinary URL-encoded form. */
export function isMultipart(request: Request): boolean {
  return (request.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data");
}
