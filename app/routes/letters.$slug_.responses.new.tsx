import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { notSavedGone, parseSubmission, refusedReply } from "~/utils/form-submission";
import { GeneralErrorBoundary, titleUnlessNotSaved } from "~/components/error-boundary";
import { ResponseForm } from "~/components/response-form";
import { today } from "~/domain/dates";
import { defaultVerdict, responseFormSchema, typedResponseFields } from "~/domain/forms";
import { actorOf } from "~/models/auth.server";
import { requireUser } from "~/utils/permissions.server";
import { responseInputFromForm } from "~/domain/letter-input";
import { responseFormData } from "~/models/letter-forms.server";
import { saveResponse } from "~/models/letter-writer.server";
import { DocumentUpload } from "~/components/documents";
import { documentUploadAction, jobDocuments, jobsOfRequest } from "~/utils/document-forms.server";
import { isMultipart } from "~/utils/document-upload.server";
import { submittedVersion } from "~/utils/form-version";

export const meta: MetaFunction = ({ error }) => [{ title: titleUnlessNotSaved(error, "Log a response · Oversight Letter Tracker") }];

function load(slug: string | undefined) {
  const found = responseFormData({ letterSlug: slug ?? "" });
  if (!found) throw data(`There is no letter "${slug}".`, { status: 404 });
  return found;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireUser(request, "response:log");
  const { letter, questions } = load(params.slug);
  const completeness = "partial";
  // The agency's reply, uploaded on this page (?document=<job>), is saved with the response.
  const jobs = jobsOfRequest(request, viewer);
  const uploaded = jobDocuments(jobs);
  return {
    letter,
    questions,
    jobs,
    documents: Object.fromEntries(uploaded.map((document) => [document.sha256, document])),
    formKey: jobs.map((job) => `${job.id}:${job.state}`).join(",") || "form",
    defaultValue: {
      receivedOn: today(),
      completeness,
      verdicts: questions.map((question) => ({ questionId: String(question.id), verdict: defaultVerdict(completeness) })),
      documents: uploaded.map((document) => document.sha256),
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, "response:log");
  if (isMultipart(request)) {
    load(params.slug);
    return documentUploadAction(request, { userId: user.id });
  }
  const formData = await request.formData();
  if (!responseFormData({ letterSlug: params.slug ?? "" })) {
    // Deleted meanwhile: the form was opened on the letter (it carries the letter's version). An
    // address that never had a letter is the 404 a GET gets.
    if (!submittedVersion(formData).ok) load(params.slug);
    throw notSavedGone(
      formData,
      "This letter was deleted after you opened the form (someone else deleted it), so the response was not saved. What you typed is below, to keep.",
      (typed) => typedResponseFields(typed, new Map()),
    );
  }
  const submission = parseSubmission(formData, { schema: responseFormSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const saved = saveResponse({ letterSlug: params.slug!, input: responseInputFromForm(submission.value), actor: actorOf(user) });
  if (!saved.ok) {
    return data(refusedReply(submission, saved.fieldErrors), { status: 400 });
  }
  return redirect(`/letters/${params.slug}#responses-heading`);
}

export default function NewResponsePage() {
  const { letter, questions, defaultValue, jobs, documents, formKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const refused = actionData && "kind" in actionData && actionData.kind === "upload-refused" ? actionData : null;
  const lastResult = actionData && !("kind" in actionData) ? actionData : null;
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/letters/${letter.slug}`}>← {letter.title}</Link>
      </p>
      <h1>Log a response</h1>
      <DocumentUpload
        label="Attach the agency's reply"
        hint="Its PDF (a scan is read by OCR), a Word file or text. It is kept with the response when you save it, and its text becomes searchable."
        jobs={jobs}
        refusal={refused?.message ?? null}
      />
      <ResponseForm key={formKey} questions={questions} defaultValue={defaultValue} lastResult={lastResult} submitLabel="Save response" documents={documents}>
        {/* The letter's version when the form was opened: a save after a colleague deleted the
            letter then gets back what was typed (410), where a made-up address gets a 404. */}
        <input type="hidden" name="version" value={letter.version} />
      </ResponseForm>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
