import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { parseSubmission, refusedReply, replyWithErrors } from "~/utils/form-submission";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { LetterForm, mergeLabels } from "~/components/letter-form";
import { letterFormSchema } from "~/domain/forms";
import { applyProposal, proposalRequest } from "~/domain/letter-proposal";
import { actorOf } from "~/models/auth.server";
import { requireUser } from "~/utils/permissions.server";
import { readInPool } from "~/utils/read-pool.server";
import { letterInputFromForm } from "~/domain/letter-input";
import { letterFormLabels, letterFormOptions, letterFormValues, resolveLetterFormPicks } from "~/models/letter-forms.server";
import { saveLetter } from "~/models/letter-writer.server";

export const meta: MetaFunction = () => [{ title: "Log a letter · Oversight Letter Tracker" }];

/** A blank form, or with ?followUp=<slug> a follow-up carrying the original's still-open questions. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, "letter:edit");
  const followUpOf = new URL(request.url).searchParams.get("followUp");
  // No sent date until the staffer gives one or the letter's date line is proposed: today's date
  // made the first save fail on "deadline before sent date" for every letter logged late.
  const blank = { chamber: "House", senders: [{}], recipients: [{}], questions: [], leadSender: "0" };
  if (!followUpOf) return { options: letterFormOptions(), labels: letterFormLabels(blank), defaultValue: blank, original: null };
  const original = letterFormValues({ slug: followUpOf });
  if (!original) throw data(`There is no letter "${followUpOf}" to follow up.`, { status: 404 });
  const { values } = original;
  const openQuestions = values.questions
    .filter((_, index) => original.questionStatuses[index] === "open")
    .map(({ text, kind }) => ({ text, kind }));
  return {
    options: letterFormOptions(),
    labels: letterFormLabels(values),
    original: { slug: followUpOf, title: values.title },
    defaultValue: {
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
    },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "letter:edit");
  // Senders and recipients typed by name (no JavaScript, or nothing picked) become slugs and ids.
  const { formData, errors, labels } = resolveLetterFormPicks(await request.formData());
  const submission = parseSubmission(formData, { schema: letterFormSchema });
  if (formData.get("intent") === "parse") {
    // The parsing runs in the read pool: 100,000 characters of list items is real work.
    const proposal = await readInPool("proposeLetter", proposalRequest(submission.payload), { context, request });
    return {
      kind: "proposal" as const,
      ...applyProposal(submission.payload, proposal, letterFormOptions().committees),
      proposal,
      key: Date.now(),
      labels,
    };
  }
  if (submission.status !== "success" || Object.keys(errors).length > 0) {
    const status = submission.status === undefined ? 200 : 400;
    return data({ kind: "result" as const, result: replyWithErrors(submission, errors), labels }, { status });
  }
  const saved = saveLetter({ input: letterInputFromForm(submission.value), actor: actorOf(user) });
  if (!saved.ok) {
    return data({ kind: "result" as const, result: refusedReply(submission, saved.fieldErrors), labels }, { status: 400 });
  }
  return redirect(`/letters/${saved.value.slug}`);
}

export default function NewLetterPage() {
  const { options, labels, defaultValue, original } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const proposal = actionData?.kind === "proposal" ? actionData : null;
  return (
    <>
      <h1>{original ? "Draft a follow-up letter" : "Log a letter"}</h1>
      {original ? (
        <p className="muted">
          Following up <Link to={`/letters/${original.slug}`}>{original.title}</Link>: same senders and recipients,
          and its questions that are still open.
        </p>
      ) : null}
      <LetterForm
        // A proposal replaces the form's values: remount it with them.
        key={proposal?.key ?? "form"}
        options={options}
        labels={mergeLabels(labels, actionData?.labels)}
        defaultValue={proposal?.values ?? defaultValue}
        lastResult={actionData?.kind === "result" ? actionData.result : null}
        submitLabel="Save letter"
        proposalNote={proposal?.note}
        proposal={proposal?.proposal}
        proposalFocus={proposal?.focus}
      />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
