/**
 * The document upload as the letter and response forms' routes use it: their action takes the
 * multipart post (receiveDocumentUpload) and redirects back to the form with `?document=<job id>`;
 * their loader reads those jobs back (progress, and when done the document and its text).
 */
import { data, redirect } from "@remix-run/node";
import { documentText, isSha256 } from "~/domain/documents";
import { MAX_DOCUMENTS_PER_FORM } from "~/domain/forms";
import { documentJobFor, type JobViewer } from "~/models/document-jobs.server";
import { WRITE_GATE_MESSAGE, writeGateClosed } from "~/utils/write-gate.server";
import { documentPagesOf, documentsByHash, type DocumentListItem } from "~/models/documents.server";
import type { JobView } from "~/components/documents";
import { receiveDocumentUpload } from "./document-upload.server";

/** The most jobs (uploads) one form address carries. */
const MAX_JOBS = 10;

/**
 * The upload post of a form page: a refused file re-renders the page with the message (naming the
 * field and the reason; nothing is stored); an accepted one redirects to the page with its job.
 */
export async function documentUploadAction(request: Request, { userId }: { userId: number }) {
  // An import is being written (the bulk-write gate): storing the upload would wait on SQLite's
  // lock with the event loop held. Nothing is stored; the staffer sends it again in a moment.
  if (writeGateClosed()) {
    return data({ kind: "upload-refused" as const, field: "document", message: `Document: ${WRITE_GATE_MESSAGE} Nothing was stored.` }, { status: 503, headers: { "Retry-After": "10" } });
  }
  const outcome = await receiveDocumentUpload(request, { createdBy: userId });
  if (!outcome.ok) {
    return data({ kind: "upload-refused" as const, field: outcome.field, message: outcome.message }, { status: 400 });
  }
  const url = new URL(request.url);
  const query = new URLSearchParams();
  // Earlier uploads of the same form stay on it.
  for (const kept of (outcome.fields.keepJob ?? "").split(",")) {
    if (/^\d{1,12}$/.test(kept)) query.append("document", kept);
  }
  query.append("document", String(outcome.job.id));
  const unique = [...new Set(query.getAll("document"))].slice(-MAX_JOBS);
  const target = new URLSearchParams(url.searchParams);
  target.delete("document");
  for (const id of unique) target.append("document", id);
  return redirect(`${url.pathname.replace(/\.data$/, "")}?${target.toString()}`);
}

/**
 * The jobs a form's address names (`?document=<id>`, repeatable), oldest first; unknown ids, and
 * other people's uploads (ids are sequential: anyone could walk them), are left out.
 */
export function jobsOfRequest(request: Request, viewer: JobViewer): JobView[] {
  const ids = new URL(request.url).searchParams.getAll("document").slice(-MAX_JOBS);
  const jobs = ids.map((id) => (/^\d{1,12}$/.test(id) ? documentJobFor(Number(id), viewer) : null)).filter((job) => job !== null);
  const documents = documentsByHash(jobs.map((job) => job.sha256));
  return jobs.map((job) => ({
    id: job.id,
    state: job.state,
    stage: job.stage,
    page: job.page,
    pages: job.pages,
    error: job.error,
    document: documents[job.sha256] ?? null,
  }));
}

/** The documents of the jobs (finished or not: a document whose text could not be read is still kept). */
export function jobDocuments(jobs: JobView[]): DocumentListItem[] {
  const seen = new Set<string>();
  return jobs.flatMap((job) => (job.document && !seen.has(job.document.sha256) && seen.add(job.document.sha256) ? [job.document] : []));
}

/** The text of the newest finished job's document, for the paste box (cut to its limit). */
export function latestDocumentText(jobs: JobView[], maxLength = 100_000): { text: string; cut: boolean; name: string } | null {
  const done = [...jobs].reverse().find((job) => job.state === "done" && job.document);
  if (!done?.document) return null;
  return { ...documentText(documentPagesOf(done.document.sha256), maxLength), name: done.document.name };
}

export function allFinished(jobs: JobView[]): boolean {
  return jobs.every((job) => job.state === "done" || job.state === "failed");
}

/**
 * The documents of a form whose letter was deleted meanwhile: those still stored (another letter or
 * response keeps them), to stay on the form, and the names of the others, which went with the
 * letter, to upload again. Each hash once, at most the form's own limit: a crafted form may repeat
 * one thousands of times.
 */
export function documentsOfGoneLetter(formData: FormData, typed: unknown) {
  const hashes = Array.isArray(typed) ? [...new Set(typed.filter(isSha256))].slice(0, MAX_DOCUMENTS_PER_FORM) : [];
  const documents = documentsByHash(hashes);
  return {
    documents,
    kept: hashes.filter((hash) => documents[hash]),
    goneNames: hashes.filter((hash) => !documents[hash]).map((hash) => documentNameOnForm(formData, hash)),
  };
}

/**
 * The name a form showed for the document `hash` (components/documents.tsx sends it beside the
 * hash): for a document deleted meanwhile, whose stored name went with it.
 */
function documentNameOnForm(formData: FormData, hash: string): string {
  const name = formData.get(`documentName.${hash}`);
  return typeof name === "string" && name.trim() !== "" ? name.trim().slice(0, 255) : `a document (${hash.slice(0, 12)}…)`;
}
