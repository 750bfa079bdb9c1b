import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { parseSubmission, refusedReply } from "~/utils/form-submission";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, InputField } from "~/components/form-fields";
import { formatDate, today } from "~/domain/dates";
import { extensionFormSchema } from "~/domain/forms";
import { actorOf } from "~/models/auth.server";
import { requireUser } from "~/utils/permissions.server";
import { letterDeadlineData } from "~/models/letter-forms.server";
import { addDeadlineChange, deleteDeadlineChange } from "~/models/letter-writer.server";

export const meta: MetaFunction = () => [{ title: "Deadline and extensions · Oversight Letter Tracker" }];

function load(slug: string | undefined) {
  const found = letterDeadlineData({ slug: slug ?? "" });
  if (!found) throw data(`There is no letter "${slug}".`, { status: 404 });
  return found;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, "letter:edit");
  const confirmRemove = Number(new URL(request.url).searchParams.get("remove")) || null;
  return { ...load(params.slug), today: today(), confirmRemove };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, "letter:edit");
  load(params.slug);
  const formData = await request.formData();
  if (formData.get("intent") === "remove") {
    if (formData.get("confirm") !== "yes") throw data("Removing needs the confirmation step.", { status: 400 });
    const removed = deleteDeadlineChange({ letterSlug: params.slug!, changeId: Number(formData.get("changeId")), actor: actorOf(user) });
    if (!removed.ok) throw data("That extension no longer exists.", { status: 404 });
    return redirect(`/letters/${params.slug}/deadline`);
  }
  const submission = parseSubmission(formData, { schema: extensionFormSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const saved = addDeadlineChange({ letterSlug: params.slug!, values: submission.value, actor: actorOf(user) });
  if (!saved.ok) {
    return data(refusedReply(submission, saved.fieldErrors), { status: 400 });
  }
  return redirect(`/letters/${params.slug}`);
}

export default function DeadlinePage() {
  const { letter, changes, today, confirmRemove } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "extension",
    lastResult,
    defaultValue: { grantedOn: today },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: extensionFormSchema }),
    shouldRevalidate: "onBlur",
  });
  return (
    <section className="narrow">
      <p className="breadcrumb">
        <Link to={`/letters/${letter.slug}`}>← {letter.title}</Link>
      </p>
      <h1>Deadline and extensions</h1>
      <p>
        Deadline set by the letter: <strong>{letter.deadline ? formatDate(letter.deadline) : "none"}</strong>. In
        force today: <strong>{letter.effectiveDeadline ? formatDate(letter.effectiveDeadline) : "none"}</strong>.
      </p>
      {changes.length > 0 ? (
        <ul>
          {changes.map((change) => (
            <li key={change.id}>
              {formatDate(change.grantedOn)}: extended to {formatDate(change.newDeadline)}
              {change.reason ? ` (${change.reason})` : null}{" "}
              {confirmRemove === change.id ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="changeId" value={change.id} />
                  <input type="hidden" name="confirm" value="yes" />
                  <button type="submit" name="intent" value="remove" className="danger">
                    Yes, remove this extension
                  </button>{" "}
                  <Link to={`/letters/${letter.slug}/deadline`}>Cancel</Link>
                </Form>
              ) : (
                <Link to={`?remove=${change.id}`} className="danger-link">
                  Remove…
                </Link>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <h2>Record an extension</h2>
      <Form method="post" {...getFormProps(form)}>
        <ErrorList id={form.errorId} errors={form.errors} />
        <InputField label="New deadline" meta={fields.newDeadline} type="date" />
        <InputField label="Date granted" meta={fields.grantedOn} type="date" />
        <InputField label="Reason" meta={fields.reason} />
        <button type="submit" name="intent" value="extend">
          Record extension
        </button>
      </Form>
    </section>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
