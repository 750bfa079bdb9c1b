import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { parseSubmission, refusedReply, replyWithErrors } from "~/utils/form-submission";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { LetterForm, mergeLabels } from "~/components/letter-form";
import type { PickerItem } from "~/domain/pickers";
import { letterFormSchema } from "~/domain/forms";
import { followUpQuestions } from "~/domain/follow-up";
import type { LetterProposal, ProposalFocus } from "~/domain/letter-proposal";
import { actorOf } from "~/models/auth.server";
import { requireUser } from "~/utils/permissions.server";
import { proposalReply, proposeIntoLetterForm } from "~/utils/letter-proposal.server";
import { letterInputFromForm } from "~/domain/letter-input";
import { letterFormLabels, letterFormOptions, letterFormValues, resolveLetterFormPicks } from "~/models/letter-forms.server";
import { saveLetter } from "~/models/letter-writer.server";
import { DocumentUpload } from "~/components/documents";
import { allFinished, documentUploadAction, jobDocuments, jobsOfRequest, latestDocumentText } from "~/utils/document-forms.server";
import { isMultipart } from "~/utils/document-upload.server";

export const meta: MetaFunction = () => [{ title: "Log a letter · Oversight Letter Tracker" }];

/**
 * A blank form, or with ?followUp=<slug> a follow-up carrying the original's still-open questions;
 * with ?document=<job> (after an upload) the document's progress, then its text proposed into the form.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requireUser(request, "letter:edit");
  const form = formStart(new URL(request.url).searchParams.get("followUp"));
  const jobs = jobsOfRequest(request, viewer);
  const documents = jobDocuments(jobs);
  let defaultValue: Record<string, unknown> = { ...form.defaultValue, documents: documents.map((document) => document.sha256) };
  let proposalNote: string | null = null;
  let proposal: LetterProposal | null = null;
  let proposalFocus: ProposalFocus = null;
  const extracted = allFinished(jobs) ? latestDocumentText(jobs) : null;
  if (extracted) {
    // The same path as "Propose from text": the proposal in the read pool, then applied to the form.
    const applied = await proposeIntoLetterForm({ ...defaultValue, pasteText: extracted.text }, { context, request });
    proposal = applied.proposal;
    defaultValue = applied.values;
    proposalFocus = applied.focus;
    proposalNote = `From ${extracted.name}: ${applied.note}${extracted.cut ? " The text box holds its first 100,000 characters." : ""}`;
  }
  return {
    ...form,
    defaultValue,
    jobs,
    documents: Object.fromEntries(documents.map((document) => [document.sha256, document])),
    proposalNote,
    proposal,
    proposalFocus,
    // The form is drawn again (with the proposal) when a job finishes.
    formKey: jobs.map((job) => `${job.id}:${job.state}`).join(",") || "form",
  };
}

function formStart(followUpOf: string | null) {
  // No sent date until the staffer gives one or the letter's date line is proposed: today's date
  // made the first save fail on "deadline before sent date" for every letter logged late.
  const blank = { chamber: "House", senders: [{}], recipients: [{}], questions: [], leadSender: "0" };
  if (!followUpOf) return { options: letterFormOptions(), labels: letterFormLabels(blank), defaultValue: blank as Record<string, unknown>, original: null };
  const original = letterFormValues({ slug: followUpOf });
  if (!original) throw data(`There is no letter "${followUpOf}" to follow up.`, { status: 404 });
  const { values } = original;
  // Each still-open question, linked to the question it asks again (decision 0023); one a later
  // letter already repeats is drafted from that later letter, not again from here.
  const openQuestions = followUpQuestions(
    values.questions.map((question, index) => ({
      ...question,
      status: original.questionStatuses[index]!,
      repeated: original.questionsRepeated[index]!,
    })),
  );
  const defaultValue = {
    ...blank,
    title: `Follow-up: ${values.title}`,
    chamber: values.chamber,
    committee: values.committee,
    senders: values.senders,
    leadSender: values.leadSender,
    recipients: values.recipients,
    tags: values.tags,
    questions: openQuestions,
    followsUp: followUpOf,
  } as Record<string, unknown>;
  return {
    options: letterFormOptions(),
    // The labels of the members, officials and repeated questions the draft shows.
    labels: letterFormLabels(defaultValue),
    original: { slug: followUpOf, title: values.title },
    defaultValue,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "letter:edit");
  // A document sent to start from: stored, its text extraction queued, back to the form with its job.
  if (isMultipart(request)) return documentUploadAction(request, { userId: user.id });
  // Senders and recipients typed by name (no JavaScript, or nothing picked) become slugs and ids.
  const { formData, errors, labels, choices } = resolveLetterFormPicks(await request.formData());
  const submission = parseSubmission(formData, { schema: letterFormSchema });
  // "Propose from text", with or without JavaScript: in the read pool, names matched there.
  if (formData.get("intent") === "parse") return proposalReply(submission.payload, labels, { context, request });
  if (submission.status !== "success" || Object.keys(errors).length > 0) {
    const status = submission.status === undefined ? 200 : 400;
    return data({ kind: "result" as const, result: replyWithErrors(submission, errors), labels, choices }, { status });
  }
  const saved = saveLetter({ input: letterInputFromForm(submission.value), actor: actorOf(user) });
  if (!saved.ok) {
    return data({ kind: "result" as const, result: refusedReply(submission, saved.fieldErrors), labels }, { status: 400 });
  }
  return redirect(`/letters/${saved.value.slug}`);
}

export default function NewLetterPage() {
  const {
    options,
    labels,
    defaultValue,
    original,
    jobs,
    documents,
    proposalNote,
    proposal: loadedProposal,
    proposalFocus: loadedFocus,
    formKey,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const proposal = actionData?.kind === "proposal" ? actionData : null;
  const refusal = actionData?.kind === "upload-refused" ? actionData.message : null;
  return (
    <>
      <h1>{original ? "Draft a follow-up letter" : "Log a letter"}</h1>
      {original ? (
        <p className="muted">
          Following up <Link to={`/letters/${original.slug}`}>{original.title}</Link>: same senders and recipients,
          and its questions that are still open.
        </p>
      ) : null}
      <DocumentUpload
        label="Start from the letter's document"
        hint="The committee's PDF (a scan is read by OCR), a Word file or text: its text is read and the whole letter proposed below. The document is kept with the letter."
        jobs={jobs}
        refusal={refusal}
      />
      <LetterForm
        // A proposal replaces the form's values: remount it with them.
        key={proposal?.key ?? formKey}
        options={options}
        labels={mergeLabels(labels, actionData && "labels" in actionData ? actionData.labels : null)}
        defaultValue={proposal?.values ?? defaultValue}
        lastResult={actionData?.kind === "result" ? actionData.result : null}
        choices={actionData?.kind === "result" && "choices" in actionData ? (actionData.choices as Record<string, PickerItem[]>) : undefined}
        submitLabel="Save letter"
        proposalNote={proposal?.note ?? proposalNote}
        proposal={proposal?.proposal ?? loadedProposal}
        proposalFocus={proposal ? proposal.focus : loadedFocus}
        documents={documents}
      />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
