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
import { submittedVersion } from "~/utils/form-version";

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
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const version = submittedVersion(formData);
  if (!version.ok) return data(refusedReply(submission, { "": [version.message] }), { status: 400 });
  const value = submission.value;
  const saved = setLetterClosed({
    letterSlug: params.slug!,
    closing: value.intent === "close" ? { closedOn: value.closedOn, reason: value.reason } : null,
    actor: actorOf(user),
    // Closing or reopening a letter someone changed meanwhile (e.g. closed it) is refused.
    expectedVersion: version.version,
  });
  if (!saved.ok) {
    return data(refusedReply(submission, saved.fieldErrors), { status: saved.conflict ? 409 : 400 });
  }
  return redirect(`/letters/${params.slug}`);
}

export default function ClosePage() {
  const { letter, today } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "close",
    lastResult,
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
            <VersionFields version={letter.version} />
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
            <VersionFields version={letter.version} />
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
