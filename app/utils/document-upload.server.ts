/**
 * A document sent with a form (multipart/form-data), read as it streams: written to a temporary
 * file beside the store while its SHA-256 is computed, held to MAX_DOCUMENT_BYTES while reading
 * (never buffered whole), and its type told by its first bytes (sniffDocumentType), not by its
 * name. A refused file leaves nothing behind; an accepted one is stored by content
 * (app/models/documents.server.ts) and its text extraction queued as a job.
 *
 * The form is parsed by busboy, not Remix's unstable_parseMultipartFormData: that one's parser
 * (@web3-storage/multipart-parser) splits a part's header on every ";" and "=", even inside a quoted
 * file name, so "Letter; final.pdf" or "Q&A=response.docx" was refused as a cut-off upload.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { Readable } from "node:stream";
import busboy from "busboy";
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

/** A file part of the form, read as it arrives. */
interface FilePart {
  name: string;
  filename: string;
  data: AsyncIterable<Uint8Array>;
}

/**
 * A file name as the browser wrote it in the part's header, unescaped: the HTML standard has
 * browsers write `"`, LF and CR as %22, %0A and %0D (and nothing else).
 */
function unescapeFormFileName(name: string): string {
  return name.replace(/%(22|0A|0D)/gi, (_match, code: string) => String.fromCharCode(parseInt(code, 16)));
}

/** Why a form could not be read to its end, in words for the person who sent it. */
class UnreadableForm extends Error {}

/** Parts a form may have (the upload forms have a handful), and fields among them. */
const MAX_FORM_PARTS = 60;
const MAX_FORM_FIELDS = 50;

/**
 * Reads a multipart form as it streams: short fields to `onField`, each file part to `onFile`
 * (one at a time: the parser waits while a file is being read). Field values past `maxFieldBytes`
 * are dropped whole. Resolves or rejects only once every file part's reading has ended, so that
 * what it wrote can be removed. A form the parser cannot read, or with too many parts, rejects with
 * an UnreadableForm saying so; a body that ends early (or a reader who leaves) with another error.
 */
async function readMultipart(
  request: Request,
  { onField, onFile, maxFieldBytes }: { onField: (name: string, value: string) => void; onFile: (part: FilePart) => Promise<void>; maxFieldBytes: number },
): Promise<void> {
  if (!request.body) throw new UnreadableForm("the form was empty");
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": request.headers.get("content-type") ?? "" },
      // Browsers send a file name's UTF-8 as is.
      defParamCharset: "utf8",
      limits: { fieldSize: maxFieldBytes, fields: MAX_FORM_FIELDS, parts: MAX_FORM_PARTS, headerPairs: 20 },
    });
  } catch (error) {
    throw new UnreadableForm(`the form could not be read (${(error as Error).message})`);
  }
  const files: Promise<void>[] = [];
  let parserError: unknown = null;
  let tooMany: string | null = null;
  parser.on("error", (error: unknown) => (parserError ??= error));
  parser.on("partsLimit", () => (tooMany ??= `the form has more than ${MAX_FORM_PARTS} parts`));
  parser.on("fieldsLimit", () => (tooMany ??= `the form has more than ${MAX_FORM_FIELDS} fields`));
  parser.on("field", (name, value, info) => {
    if (!info.valueTruncated) onField(name, value);
  });
  parser.on("file", (name, stream, info) => {
    const reading = onFile({ name, filename: unescapeFormFileName(info.filename ?? ""), data: stream });
    // A refusal inside onFile still reads the part to its end; an error stops the form.
    reading.catch((error: unknown) => stream.destroy(error as Error));
    files.push(reading);
  });
  // Piped by hand, not with pipeline(): on the parser's error pipeline() destroyed the request's
  // body, and with it the connection, before the refusal was written (attack 22). The rest of the
  // body is read and dropped instead (the server's body limit bounds it), and the refusal goes out.
  const source = Readable.fromWeb(request.body as import("node:stream/web").ReadableStream<Uint8Array>);
  try {
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error?: unknown) => {
        if (settled) return;
        settled = true;
        request.signal.removeEventListener("abort", onAbort);
        if (error === undefined) return resolve();
        source.unpipe(parser);
        source.on("error", () => {});
        source.resume();
        // Ends a file part being read (its stream fails), so that its reader stops and closes its file.
        if (!parser.destroyed) parser.destroy(error instanceof Error ? error : new Error(String(error)));
        reject(error);
      };
      const onAbort = () => settle(request.signal.reason ?? new Error("The reader left"));
      parser.on("error", (error: unknown) => settle(error));
      parser.on("close", () => settle());
      source.on("error", (error: unknown) => settle(error));
      request.signal.addEventListener("abort", onAbort, { once: true });
      source.pipe(parser);
    });
  } catch (error) {
    // The parser's own complaint (not the body ending early): the form itself is wrong.
    if (error === parserError && !/^Unexpected end/i.test((error as Error).message)) {
      throw new UnreadableForm(`the form could not be read (${(error as Error).message.toLowerCase()})`);
    }
    throw error;
  } finally {
    // Every file part's reading ends (the parser's failure ends its stream) before the caller
    // removes what it wrote: removed earlier, a write stream still opening made the file again.
    await Promise.allSettled(files);
  }
  await Promise.all(files);
  if (tooMany) throw new UnreadableForm(tooMany);
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

  const onField = (name: string, value: string) => {
    // The file's part read as a field: its name (filename*) in a character set the parser does not know.
    if (name === DOCUMENT_FIELD) {
      refusal ??= "the file's name could not be read: rename the file with plain letters and digits and try again";
      return;
    }
    // A repeated field (keepJob) arrives as one value per part: joined with commas.
    fields[name] = fields[name] === undefined ? value : `${fields[name]},${value}`;
  };

  const onFile = async ({ name, filename, data }: FilePart): Promise<void> => {
    if (name !== DOCUMENT_FIELD) {
      // A stray file under another name is read and dropped.
      await drain(data);
      return;
    }
    if (sawFile) {
      await drain(data);
      refusal ??= "send one file at a time";
      return;
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
      return;
    }
    received = { tempPath, sha256: hash.digest("hex"), byteSize: size, name: cleanFileName(filename), mediaType: mediaType! };
  };

  try {
    await readMultipart(request, { onField, onFile, maxFieldBytes: MAX_FIELD_BYTES });
  } catch (error) {
    refusal ??= error instanceof UnreadableForm ? error.message : "the upload was cut off before the whole file arrived; try again";
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
