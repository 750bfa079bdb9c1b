import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { notSavedGone, parseSubmission, refusedReply } from "~/utils/form-submission";
import { GeneralErrorBoundary, titleUnlessNotSaved } from "~/components/error-boundary";
import { ResponseForm } from "~/components/response-form";
import { responseFormSchema, typedResponseFields } from "~/domain/forms";
import { actorOf } from "~/models/auth.server";
import { requireUser } from "~/utils/permissions.server";
import { ConflictNotice, revalidateAfterConflict, VersionFields } from "~/components/conflict-notice";
import { responseInputFromForm } from "~/domain/letter-input";
import { responseFormData } from "~/models/letter-forms.server";
import { deleteResponse, saveResponse } from "~/models/letter-writer.server";
import { conflictReply } from "~/utils/conflict-reply";
import { keptVersion, submittedVersion, versionFieldsFor } from "~/utils/form-version";
import { DocumentUpload } from "~/components/documents";
import { documentUploadAction, jobDocuments, jobsOfRequest } from "~/utils/document-forms.server";
import { isMultipart } from "~/utils/document-upload.server";


export const shouldRevalidate = revalidateAfterConflict;
export const meta: MetaFunction = ({ error }) => [{ title: titleUnlessNotSaved(error, "Edit a response · Oversight Letter Tracker") }];

function load(slug: string | undefined, responseId: string | undefined) {
  const id = Number(responseId);
  const found = Number.isInteger(id) ? responseFormData({ letterSlug: slug ?? "", responseId: id }) : null;
  if (!found?.response) throw data("There is no such response on this letter.", { status: 404 });
  return { ...found, response: found.response };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireUser(request, "response:log");
  const { letter, questions, response, documents: stored } = load(params.slug, params.responseId);
  const jobs = jobsOfRequest(request, viewer);
  const uploaded = jobDocuments(jobs);
  return {
    letter,
    questions,
    response,
    jobs,
    documents: Object.fromEntries([...stored, ...uploaded].map((document) => [document.sha256, document])),
    defaultValue: { ...response.values, documents: [...new Set([...response.values.documents, ...uploaded.map((document) => document.sha256)])] },
    formKey: jobs.map((job) => `${job.id}:${job.state}`).join(",") || "form",
    confirmDelete: new URL(request.url).searchParams.has("delete"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, "response:log");
  if (isMultipart(request)) {
    load(params.slug, params.responseId);
    return documentUploadAction(request, { userId: user.id });
  }
  const formData = await request.formData();
  const id = Number(params.responseId);
  const found = Number.isInteger(id) ? responseFormData({ letterSlug: params.slug ?? "", responseId: id }) : null;
  // Deleted meanwhile: the form was opened on it (it carries its version); else the 404 a GET gets.
  if (!found?.response && formData.get("intent") !== "delete" && submittedVersion(formData).ok) {
    // The letter, when only the response went: its questions name the verdicts typed.
    const letter = responseFormData({ letterSlug: params.slug ?? "" });
    throw notSavedGone(
      formData,
      letter
        ? "This response was deleted after you opened the form (someone else deleted it), so your changes were not saved. What you typed is below, to keep."
        : "This letter was deleted after you opened the form (someone else deleted it), so your changes were not saved. What you typed is below, to keep.",
      (typed) => typedResponseFields(typed, new Map(letter?.questions.map((question) => [question.id, question.number]))),
    );
  }
  const { response } = load(params.slug, params.responseId);
  const version = submittedVersion(formData);
  if (formData.get("intent") === "delete") {
    if (formData.get("confirm") !== "yes") throw data("Deleting needs the confirmation step.", { status: 400 });
    if (!version.ok) return data({ kind: "delete-refused" as const, message: version.message }, { status: 400 });
    const expectedVersion = version.version;
    const deleted = deleteResponse({ letterSlug: params.slug!, responseId: response.id, actor: actorOf(user), expectedVersion });
    if (!deleted.ok) return data({ kind: "delete-refused" as const, message: Object.values(deleted.fieldErrors).flat().join(" ") }, { status: 409 });
    return redirect(`/letters/${params.slug}#responses-heading`);
  }
  const submission = parseSubmission(formData, { schema: responseFormSchema });
  const kept = keptVersion(formData);
  if (submission.status !== "success") return data({ kind: "result" as const, result: submission.reply(), kept }, { status: 400 });
  if (!version.ok) return data({ kind: "result" as const, result: refusedReply(submission, { "": [version.message] }), kept }, { status: 400 });
  const saved = saveResponse({
    letterSlug: params.slug!,
    responseId: response.id,
    input: responseInputFromForm(submission.value),
    actor: actorOf(user),
    expectedVersion: version.version,
  });
  if (saved.ok) return redirect(`/letters/${params.slug}#responses-heading`);
  if (saved.conflict) {
    const current = load(params.slug, params.responseId).response;
    return conflictReply({ conflict: saved.conflict, formData, submitted: submission.payload, current, lists: { verdicts: "questionId" } });
  }
  return data({ kind: "result" as const, result: refusedReply(submission, saved.fieldErrors), kept }, { status: 400 });
}

export default function EditResponsePage() {
  const { letter, questions, response, confirmDelete, jobs, documents, defaultValue, formKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const conflict = actionData?.kind === "conflict" ? actionData : null;
  // A form given back with what was typed stays at the version it was opened at (see keptVersion).
  const kept = actionData && "kept" in actionData ? actionData.kept : null;
  const here = `/letters/${letter.slug}/responses/${response.id}`;
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/letters/${letter.slug}`}>← {letter.title}</Link>
      </p>
      <h1>Edit the response of {response.values.receivedOn}</h1>
      {confirmDelete ? (
        <section className="danger-zone" aria-labelledby="delete-heading">
          <h2 id="delete-heading">Delete this response?</h2>
          <p>Its verdicts go with it, and the letter's status is recomputed. The history keeps a record.</p>
          {actionData?.kind === "delete-refused" ? (
            <p className="field-errors" role="alert" data-testid="delete-refused">
              {actionData.message}
            </p>
          ) : null}
          <Form method="post">
            <input type="hidden" name="confirm" value="yes" />
            <VersionFields version={response.version} />
            <button type="submit" name="intent" value="delete" className="danger">
              Yes, delete the response
            </button>{" "}
            <Link to={here}>Cancel</Link>
          </Form>
        </section>
      ) : null}
      <DocumentUpload
        label="Attach the agency's reply"
        hint="Its PDF, a Word file or text. It is kept with the response when you save your changes."
        jobs={jobs}
        refusal={actionData?.kind === "upload-refused" ? actionData.message : null}
      />
      <ResponseForm
        key={conflict?.key ?? formKey}
        questions={questions}
        documents={documents}
        defaultValue={(conflict?.values as typeof response.values | undefined) ?? defaultValue}
        lastResult={actionData?.kind === "result" ? actionData.result : null}
        submitLabel={conflict ? "Save with my changes re-applied" : "Save changes"}
      >
        {conflict ? <ConflictNotice changes={conflict.changes} /> : null}
        <VersionFields {...versionFieldsFor({ conflict, kept, fresh: { version: response.version, base: response.values } })} />
      </ResponseForm>
      {!confirmDelete ? (
        <p>
          <Link to={`${here}?delete=1`} className="danger-link">
            Delete this response…
          </Link>
        </p>
      ) : null}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
