import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { parseSubmission, refusedReply } from "~/utils/form-submission";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, InputField } from "~/components/form-fields";
import { formatDate, today } from "~/domain/dates";
import { closeFormSchema } from "~/domain/forms";
import { actorOf } from "~/models/auth.server";
import { requireUser } from "~/utils/permissions.server";
import { letterDeadlineData } from "~/models/letter-forms.server";
import { setLetterClosed } from "~/models/letter-writer.server";
import { VersionFields } from "~/components/conflict-notice";
import { keptVersion, submittedVersion } from "~/utils/form-version";

export const meta: MetaFunction = () => [{ title: "Close or reopen · Oversight Letter Tracker" }];

function load(slug: string | undefined) {
  const found = letterDeadlineData({ slug: slug ?? "" });
  if (!found) throw data(`There is no letter "${slug}".`, { status: 404 });
  return found.letter;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, "letter:edit");
  return { letter: load(params.slug), today: today() };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, "letter:edit");
  load(params.slug);
  const formData = await request.formData();
  const submission = parseSubmission(formData, { schema: closeFormSchema });
  // A reply that gives the form back keeps the version it was opened at (app/utils/form-version.ts):
  // with the fresh one, the next press would close a letter a colleague changed meanwhile unchecked.
  const kept = keptVersion(formData).version;
  if (submission.status !== "success") return data({ result: submission.reply(), keptVersion: kept }, { status: 400 });
  const version = submittedVersion(formData);
  if (!version.ok) return data({ result: refusedReply(submission, { "": [version.message] }), keptVersion: kept }, { status: 400 });
  const value = submission.value;
  const saved = setLetterClosed({
    letterSlug: params.slug!,
    closing: value.intent === "close" ? { closedOn: value.closedOn, reason: value.reason } : null,
    actor: actorOf(user),
    // Closing or reopening a letter someone changed meanwhile (e.g. closed it) is refused.
    expectedVersion: version.version,
  });
  if (!saved.ok) {
    // Refused for a colleague's change: the page shows the letter as it now is, and the refusal
    // says to save again, so the form comes back at the stored version (at the opened one, every
    // press would be refused until the page was reloaded).
    const version = saved.conflict ? saved.conflict.version : kept;
    return data({ result: refusedReply(submission, saved.fieldErrors), keptVersion: version }, { status: saved.conflict ? 409 : 400 });
  }
  return redirect(`/letters/${params.slug}`);
}

export default function ClosePage() {
  const { letter, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  // Given back after an error: the version the form was opened at, not the loader's fresh one.
  const version = actionData ? actionData.keptVersion : letter.version;
  const [form, fields] = useForm({
    id: "close",
    lastResult: actionData?.result,
    defaultValue: { closedOn: today },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: closeFormSchema }),
    shouldRevalidate: "onBlur",
  });
  return (
    <section className="narrow">
      <p className="breadcrumb">
        <Link to={`/letters/${letter.slug}`}>← {letter.title}</Link>
      </p>
      <ErrorList id="close-errors" errors={form.errors} />
      {letter.closedOn ? (
        <>
          <h1>Reopen this letter</h1>
          <p>
            Closed on {formatDate(letter.closedOn)}
            {letter.closedReason ? `: ${letter.closedReason}` : ""}. Reopening puts it back among the open letters.
          </p>
          <Form method="post">
            <VersionFields version={version} />
            <button type="submit" name="intent" value="reopen">
              Reopen the letter
            </button>
          </Form>
        </>
      ) : (
        <>
          <h1>Close this letter</h1>
          <p className="muted">A closed letter is no longer pursued: for example superseded by a subpoena, or the matter ended.</p>
          <Form method="post" {...getFormProps(form)}>
            <VersionFields version={version} />
            <InputField label="Closed on" meta={fields.closedOn} type="date" />
            <InputField label="Reason" meta={fields.reason} />
            <button type="submit" name="intent" value="close">
              Close the letter
            </button>
          </Form>
        </>
      )}
    </section>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
