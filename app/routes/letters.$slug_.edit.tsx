import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, isRouteErrorResponse, Link, useActionData, useLoaderData, useRouteError, type ShouldRevalidateFunction } from "@remix-run/react";
import { parseSubmission, refusedReply, replyWithErrors } from "~/utils/form-submission";
import { GeneralErrorBoundary, titleUnlessNotSaved } from "~/components/error-boundary";
import { LetterForm, mergeLabels } from "~/components/letter-form";
import type { PickerItem } from "~/domain/pickers";
import { letterFormSchema } from "~/domain/forms";
import { actorOf } from "~/models/auth.server";
import { requireUser } from "~/utils/permissions.server";
import { proposalReply } from "~/utils/letter-proposal.server";
import { ConflictNotice, revalidateAfterConflict, VersionFields } from "~/components/conflict-notice";
import { letterInputFromForm } from "~/domain/letter-input";
import { letterFormLabels, letterFormOptions, letterFormValues, resolveLetterFormPicks } from "~/models/letter-forms.server";
import { deleteLetter, saveLetter } from "~/models/letter-writer.server";
import { conflictReply } from "~/utils/conflict-reply";
import { keptVersion, submittedVersion, versionFieldsFor } from "~/utils/form-version";
import { DocumentUpload } from "~/components/documents";
import { documentsOfGoneLetter, documentUploadAction, jobDocuments, jobsOfRequest } from "~/utils/document-forms.server";
import { isMultipart } from "~/utils/document-upload.server";


/**
 * Not after a post to Log a letter: the form that a save of a deleted letter gives back posts there
 * ("Propose" in the background), and this page's loader, run again, 404ed over it (attack 23).
 */
export const shouldRevalidate: ShouldRevalidateFunction = (args) => (args.formAction === "/letters/new" ? false : revalidateAfterConflict(args));
export const meta: MetaFunction<typeof loader> = ({ data, error }) => [
  {
    title: titleUnlessNotSaved(
      error,
      data && !error ? `Edit: ${data.values.title} · Oversight Letter Tracker` : "Letter not found · Oversight Letter Tracker",
      "this letter was deleted",
    ),
  },
];

function loadLetter(slug: string | undefined) {
  const letter = letterFormValues({ slug: slug ?? "" });
  if (!letter) throw data(`There is no letter "${slug}".`, { status: 404 });
  return letter;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireUser(request, "letter:edit");
  const letter = loadLetter(params.slug);
  // Documents uploaded on this page (?document=<job>) join the stored ones on the form.
  const jobs = jobsOfRequest(request, viewer);
  const uploaded = jobDocuments(jobs);
  const values = Object.fromEntries(Object.entries(letter.values).map(([key, value]) => [key, value ?? undefined]));
  values.documents = [...new Set([...letter.values.documents, ...uploaded.map((document) => document.sha256)])];
  return {
    jobs,
    documents: Object.fromEntries([...letter.documents, ...uploaded].map((document) => [document.sha256, document])),
    formKey: jobs.map((job) => `${job.id}:${job.state}`).join(",") || "form",
    slug: params.slug!,
    values: letter.values,
    version: letter.version,
    defaultValue: values,
    options: letterFormOptions(),
    labels: letterFormLabels(letter.values),
    confirmDelete: new URL(request.url).searchParams.has("delete"),
    questionCount: letter.values.questions.length,
  };
}

/** What a save of a letter deleted meanwhile throws (410): what was typed, for a form that logs it anew. */
interface LetterGone {
  kind: "letter-gone";
  message: string;
  values: Record<string, unknown>;
  options: ReturnType<typeof letterFormOptions>;
  labels: ReturnType<typeof letterFormLabels>;
  /** The form's documents still stored (another letter or response keeps them), by hash. */
  documents: ReturnType<typeof documentsOfGoneLetter>["documents"];
}

/**
 * The form's values as typed, for Log a letter: without the deleted letter's question ids and
 * version (what hangs on them went with the letter), links to other letters' questions kept.
 */
function typedForNewLetter(payload: Record<string, unknown>): Record<string, unknown> {
  const { version: _version, base: _base, intent: _intent, slug: _slug, ...rest } = payload;
  const questions = Array.isArray(rest.questions)
    ? rest.questions.map((question) => {
        if (!question || typeof question !== "object") return question;
        const { id: _id, ...kept } = question as Record<string, unknown>;
        return kept;
      })
    : rest.questions;
  return { ...rest, questions };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "letter:edit");
  const slug = params.slug ?? "";
  const existed = letterFormValues({ slug }) !== null;
  if (isMultipart(request)) {
    loadLetter(slug);
    return documentUploadAction(request, { userId: user.id });
  }
  // Senders and recipients typed by name (no JavaScript, or nothing picked) become slugs and ids.
  const { formData, errors, labels, choices } = resolveLetterFormPicks(await request.formData());
  // Deleted meanwhile: the form was opened on it (it carries the version it was opened at). An
  // address that never had a letter, or a delete, is the 404 a GET gets.
  if (!existed) {
    if (formData.get("intent") === "delete" || !submittedVersion(formData).ok) loadLetter(slug);
    // Deleted by someone else while this staffer edited it: what they typed comes back, to log anew
    // (a bare 404 threw it away). Thrown, so that this route's loader (which would 404) is not run.
    const values = typedForNewLetter(parseSubmission(formData, { schema: letterFormSchema }).payload);
    // Its documents went with it unless another letter or response keeps them.
    const { documents, kept, goneNames } = documentsOfGoneLetter(formData, values.documents);
    values.documents = kept;
    throw data(
      {
        kind: "letter-gone",
        message:
          "This letter was deleted after you opened it (someone else deleted it), so your changes were not saved. What you typed is below: save it as a new letter, or leave this page." +
          (goneNames.length > 0 ? ` Its documents were deleted with it, so upload them again: ${goneNames.join(", ")}.` : ""),
        values,
        options: letterFormOptions(),
        // The notes of repeated questions ("Repeats question 1 of …") as the edit form showed them.
        labels: mergeLabels(labels, letterFormLabels(values)),
        documents,
      } satisfies LetterGone,
      { status: 410 },
    );
  }
  const version = submittedVersion(formData);
  if (formData.get("intent") === "delete") {
    if (formData.get("confirm") !== "yes") throw data("Deleting needs the confirmation step.", { status: 400 });
    if (!version.ok) return data({ kind: "delete-refused" as const, message: version.message }, { status: 400 });
    const expectedVersion = version.version;
    const deleted = deleteLetter({ slug, actor: actorOf(user), expectedVersion });
    if (!deleted.ok) {
      return data({ kind: "delete-refused" as const, message: Object.values(deleted.fieldErrors).flat().join(" ") }, { status: 409 });
    }
    return redirect("/letters");
  }
  const submission = parseSubmission(formData, { schema: letterFormSchema });
  // Every reply that gives the form back holding what was typed keeps the version it was opened at.
  const kept = keptVersion(formData);
  // "Propose from text", with or without JavaScript: in the read pool, names matched there.
  if (formData.get("intent") === "parse") return { ...(await proposalReply(submission.payload, labels, { context, request })), kept };
  if (submission.status !== "success" || Object.keys(errors).length > 0) {
    const status = submission.status === undefined ? 200 : 400;
    return data({ kind: "result" as const, result: replyWithErrors(submission, errors), labels, choices, kept }, { status });
  }
  if (!version.ok) return data({ kind: "result" as const, result: refusedReply(submission, { "": [version.message] }), labels, kept }, { status: 400 });
  const saved = saveLetter({ slug, input: letterInputFromForm(submission.value), actor: actorOf(user), expectedVersion: version.version });
  if (saved.ok) return redirect(`/letters/${saved.value.slug}`);
  if (saved.conflict) {
    // Offer the stored letter with this staffer's own changes re-applied, at the stored version.
    const current = loadLetter(slug);
    return conflictReply({
      conflict: saved.conflict,
      formData,
      submitted: submission.payload,
      current,
      lists: { questions: "id", senders: "member", recipients: "official" },
      extra: { labels: mergeLabels(letterFormLabels(current.values), labels) },
    });
  }
  return data({ kind: "result" as const, result: refusedReply(submission, saved.fieldErrors), labels, kept }, { status: 400 });
}

export default function EditLetterPage() {
  const { slug, values, version, defaultValue, options, labels, confirmDelete, questionCount, jobs, documents, formKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const proposal = actionData?.kind === "proposal" ? actionData : null;
  const conflict = actionData?.kind === "conflict" ? actionData : null;
  // A form given back with what was typed stays at the version it was opened at (see keptVersion).
  const kept = actionData && "kept" in actionData ? actionData.kept : null;
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/letters/${slug}`}>← Back to the letter</Link>
      </p>
      <h1>Edit: {values.title}</h1>
      {confirmDelete ? (
        <section className="danger-zone" aria-labelledby="delete-heading">
          <h2 id="delete-heading">Delete this letter?</h2>
          <p>
            This deletes the letter with its {questionCount} question(s), its responses, extensions and
            verdicts. Letters that follow it up stay, without the link. The history keeps a record.
          </p>
          {actionData?.kind === "delete-refused" ? (
            <p className="field-errors" role="alert" data-testid="delete-refused">
              {actionData.message}
            </p>
          ) : null}
          <Form method="post">
            <input type="hidden" name="confirm" value="yes" />
            <VersionFields version={version} />
            <button type="submit" name="intent" value="delete" className="danger">
              Yes, delete the letter
            </button>{" "}
            <Link to={`/letters/${slug}/edit`}>Cancel</Link>
          </Form>
        </section>
      ) : null}
      <DocumentUpload
        label="Attach a document"
        hint="The letter's PDF, a Word file or text. It is kept with the letter once you save your changes, and its text becomes searchable."
        jobs={jobs}
        refusal={actionData?.kind === "upload-refused" ? actionData.message : null}
      />
      <LetterForm
        key={proposal?.key ?? conflict?.key ?? formKey}
        documents={documents}
        options={options}
        labels={mergeLabels(labels, actionData && "labels" in actionData ? actionData.labels : null)}
        defaultValue={proposal?.values ?? (conflict?.values as typeof defaultValue | undefined) ?? defaultValue}
        lastResult={actionData?.kind === "result" ? actionData.result : null}
        choices={actionData?.kind === "result" && "choices" in actionData ? (actionData.choices as Record<string, PickerItem[]>) : undefined}
        submitLabel={conflict ? "Save with my changes re-applied" : "Save changes"}
        proposalNote={proposal?.note}
        proposal={proposal?.proposal}
        proposalFocus={proposal?.focus}
      >
        {conflict ? <ConflictNotice changes={conflict.changes} /> : null}
        <VersionFields {...versionFieldsFor({ conflict, kept, fresh: { version, base: values } })} />
      </LetterForm>
      {!confirmDelete ? (
        <p>
          <Link to={`/letters/${slug}/edit?delete=1`} className="danger-link">
            Delete this letter…
          </Link>
        </p>
      ) : null}
    </>
  );
}

/** A save of a letter deleted meanwhile: what was typed, in a form that logs it as a new letter. */
export function ErrorBoundary() {
  const error = useRouteError();
  const gone = isRouteErrorResponse(error) && error.status === 410 && (error.data as LetterGone | null)?.kind === "letter-gone" ? (error.data as LetterGone) : null;
  if (!gone) return <GeneralErrorBoundary />;
  return (
    <>
      <h1>This letter was deleted</h1>
      <p role="alert" className="form-error">
        {gone.message}
      </p>
      <LetterForm
        action="/letters/new"
        options={gone.options}
        labels={gone.labels}
        defaultValue={gone.values as Parameters<typeof LetterForm>[0]["defaultValue"]}
        documents={gone.documents}
        submitLabel="Save as a new letter"
      />
    </>
  );
}
