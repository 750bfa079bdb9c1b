/**
 * Documents on the staff forms and the letter page:
 * - DocumentUpload: a form of its own (multipart) with a file input, which works without
 *   JavaScript; with it, the input is also a drop zone. After an upload the page shows the
 *   extraction's progress: without JavaScript it refreshes itself every 2 seconds until the job is
 *   done or failed; with it, a progress bar polls /documents/jobs/:id and reloads the page's data
 *   when the job ends.
 * - DocumentFields: inside the letter or response form, the documents it will save with it (hidden
 *   fields, one hash each), each removable (a Conform intent: a button, with or without JavaScript).
 * - DocumentList: a letter's or response's documents, with their download links.
 */
import type { ButtonHTMLAttributes } from "react";
import { Form, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { formatBytes, progressPercent } from "~/domain/documents";
import type { DocumentListItem } from "~/models/documents.server";
import { DOCUMENT_STAGE_LABELS, DOCUMENT_JOB_STATE_TERMS, documentTypeLabel, type DocumentJobState } from "~/domain/vocabulary";

/** A document as the server lists it (a type only: nothing of the server module reaches the browser). */
export type DocumentItem = DocumentListItem;

export interface JobView {
  id: number;
  state: DocumentJobState;
  stage: string | null;
  page: number;
  pages: number;
  error: string | null;
  document: DocumentItem | null;
}

const ACCEPT = ".pdf,.docx,.txt,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain";

function isFinished(job: { state: DocumentJobState }): boolean {
  return job.state === "done" || job.state === "failed";
}

function stageText(job: Pick<JobView, "state" | "stage" | "page" | "pages">): string {
  if (job.state === "queued") return DOCUMENT_JOB_STATE_TERMS.labels.queued;
  const stage = (job.stage && DOCUMENT_STAGE_LABELS[job.stage]) || DOCUMENT_JOB_STATE_TERMS.labels.running;
  return job.pages > 0 ? `${stage}: page ${job.page} of ${job.pages}` : stage;
}

/** One job's progress; with JavaScript it polls its resource route and reloads the page's data at the end. */
function JobProgress({ job }: { job: JobView }) {
  const [live, setLive] = useState(job);
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  useEffect(() => setLive(job), [job]);
  useEffect(() => {
    if (isFinished(job)) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const response = await fetch(`/documents/jobs/${job.id}`, { headers: { Accept: "application/json" } });
        if (response.ok) {
          const next = (await response.json()) as Pick<JobView, "state" | "stage" | "page" | "pages" | "error">;
          if (stopped) return;
          setLive((previous) => ({ ...previous, ...next }));
          if (isFinished(next)) {
            revalidate.current();
            return;
          }
        }
      } catch {
        // try again below
      }
      if (!stopped) timer = setTimeout(poll, 1000);
    };
    timer = setTimeout(poll, 500);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [job]);
  const name = live.document?.name ?? "The document";
  if (live.state === "failed") {
    return (
      <p className="notice" role="alert" data-testid="document-failed">
        {name}: its text could not be read ({live.error ?? "unknown reason"}). It will still be kept with what you save; enter the
        details by hand.
      </p>
    );
  }
  if (live.state === "done") {
    return (
      <p className="notice" role="status" data-testid="document-ready">
        {name} is read{live.pages > 0 ? ` (${live.pages} page${live.pages === 1 ? "" : "s"})` : ""}.
      </p>
    );
  }
  const percent = progressPercent(live);
  return (
    <div className="document-progress" role="status" aria-live="polite" data-testid="document-progress">
      <label htmlFor={`document-job-${live.id}`}>
        Reading {name}… {stageText(live)}
      </label>
      <progress id={`document-job-${live.id}`} max={100} value={live.pages > 0 ? percent : undefined}>
        {live.pages > 0 ? `${percent}%` : "working"}
      </progress>
    </div>
  );
}

/**
 * The upload form and, after an upload, its progress. `keepJobs`: earlier uploads of this form
 * (their job ids), carried through the next upload so their documents stay on the form.
 */
export function DocumentUpload({
  label,
  hint,
  jobs,
  refusal,
}: {
  label: string;
  hint: string;
  jobs: JobView[];
  refusal: string | null;
}) {
  const navigation = useNavigation();
  const formRef = useRef<HTMLFormElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [enhanced, setEnhanced] = useState(false);
  useEffect(() => setEnhanced(true), []);
  const pending = jobs.some((job) => !isFinished(job));
  const uploading = navigation.state === "submitting" && navigation.formEncType === "multipart/form-data";
  return (
    <section className="document-upload" aria-labelledby="document-upload-heading">
      <h2 id="document-upload-heading">{label}</h2>
      {pending ? (
        // Without JavaScript, the page reloads itself until the document is read (no refresh once it is).
        <noscript>
          <meta httpEquiv="refresh" content="2" />
        </noscript>
      ) : null}
      {jobs.map((job) => (
        <JobProgress key={`${job.id}:${job.state}`} job={job} />
      ))}
      <Form
        method="post"
        encType="multipart/form-data"
        ref={formRef}
        replace
        className={`drop-zone${dragging ? " dragging" : ""}`}
        data-testid="document-upload-form"
        onDragOver={(event) => {
          if (!event.dataTransfer.types.includes("Files")) return;
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          if (!event.dataTransfer.files.length || !inputRef.current) return;
          event.preventDefault();
          setDragging(false);
          inputRef.current.files = event.dataTransfer.files;
          formRef.current?.requestSubmit();
        }}
      >
        <input type="hidden" name="intent" value="upload" />
        {jobs.map((job) => (
          <input key={job.id} type="hidden" name="keepJob" value={job.id} />
        ))}
        <div className="field">
          <label htmlFor="document-file">Document (PDF, Word or text, up to 25 MB)</label>
          <input
            ref={inputRef}
            id="document-file"
            type="file"
            name="document"
            accept={ACCEPT}
            required
            aria-describedby={`document-hint${refusal ? " document-error" : ""}`}
            aria-invalid={refusal ? true : undefined}
          />
          <p id="document-hint" className="hint">
            {hint}
            {enhanced ? " You can also drop the file here." : ""}
          </p>
          {refusal ? (
            <p id="document-error" className="field-errors" role="alert" data-testid="document-error">
              {refusal}
            </p>
          ) : null}
        </div>
        <button type="submit" className="secondary" disabled={uploading}>
          {uploading ? "Uploading…" : "Upload and read"}
        </button>
      </Form>
    </section>
  );
}

/** The documents a letter or response form saves with it: hidden fields, each removable. */
export function DocumentFields({
  field,
  removeButton,
  documents,
}: {
  /** The form's `documents` field (Conform). */
  field: { errors?: string[]; errorId: string; getFieldList(): Array<{ key?: string; name: string; initialValue?: unknown }> };
  /** The props of the button that removes item `index` (Conform's remove intent). */
  removeButton: (index: number) => ButtonHTMLAttributes<HTMLButtonElement>;
  documents: Record<string, DocumentItem>;
}) {
  const items = field.getFieldList();
  if (items.length === 0) return <ErrorLine errors={field.errors} id={field.errorId} />;
  return (
    <fieldset className="documents-field" data-testid="form-documents">
      <legend>Documents saved with it</legend>
      <ErrorLine errors={field.errors} id={field.errorId} />
      <ul className="documents">
        {items.map((item, index) => {
          const sha256 = String(item.initialValue ?? "");
          const document = documents[sha256];
          return (
            <li key={item.key}>
              <input type="hidden" name={item.name} defaultValue={sha256} key={`${item.key}:${sha256}`} />
              {/* Its name as shown: named again if the form's letter is deleted meanwhile (its name goes with it). */}
              {document ? <input type="hidden" name={`documentName.${sha256}`} value={document.name} /> : null}
              {document ? <DocumentLine document={document} /> : <span>A document ({sha256.slice(0, 12)}…)</span>}{" "}
              <button className="secondary" {...removeButton(index)}>
                Remove {document?.name ?? `document ${index + 1}`}
              </button>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}

function ErrorLine({ errors, id }: { errors?: string[]; id: string }) {
  if (!errors?.length) return null;
  return (
    <p id={id} className="field-errors" role="alert">
      {errors.join(" ")}
    </p>
  );
}

function DocumentLine({ document }: { document: DocumentItem }) {
  const facts = [documentTypeLabel(document.mediaType), formatBytes(document.bytes)];
  if (document.pages !== null) facts.push(`${document.pages} page${document.pages === 1 ? "" : "s"}`);
  return (
    <>
      <a href={document.url} download>
        {document.name}
      </a>{" "}
      <span className="muted small">({facts.join(", ")})</span>
    </>
  );
}

/** A letter's or response's documents, for the letter page. */
export function DocumentList({ documents, testId = "documents" }: { documents: DocumentItem[]; testId?: string }) {
  if (documents.length === 0) return null;
  return (
    <ul className="documents" data-testid={testId}>
      {documents.map((document) => (
        <li key={document.sha256}>
          <DocumentLine document={document} />
        </li>
      ))}
    </ul>
  );
}
