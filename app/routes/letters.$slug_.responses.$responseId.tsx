import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { parseSubmission, refusedReply } from "~/utils/form-submission";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ResponseForm } from "~/components/response-form";
import { responseFormSchema } from "~/domain/forms";
import { actorOf, requireRole } from "~/models/auth.server";
import { deleteResponse, responseFormData, saveResponse } from "~/models/letter-writes.server";

export const meta: MetaFunction = () => [{ title: "Edit a response · Oversight Letter Tracker" }];

function load(slug: string | undefined, responseId: string | undefined) {
  const id = Number(responseId);
  const found = Number.isInteger(id) ? responseFormData({ letterSlug: slug ?? "", responseId: id }) : null;
  if (!found?.response) throw data("There is no such response on this letter.", { status: 404 });
  return { ...found, response: found.response };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "editor");
  const { letter, questions, response } = load(params.slug, params.responseId);
  return { letter, questions, response, confirmDelete: new URL(request.url).searchParams.has("delete") };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "editor");
  const { response } = load(params.slug, params.responseId);
  const formData = await request.formData();
  if (formData.get("intent") === "delete") {
    if (formData.get("confirm") !== "yes") throw data("Deleting needs the confirmation step.", { status: 400 });
    deleteResponse({ letterSlug: params.slug!, responseId: response.id, actor: actorOf(user) });
    return redirect(`/letters/${params.slug}#responses-heading`);
  }
  const submission = parseSubmission(formData, { schema: responseFormSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const saved = saveResponse({ letterSlug: params.slug!, responseId: response.id, values: submission.value, actor: actorOf(user) });
  if (!saved.ok) {
    return data(refusedReply(submission, saved.fieldErrors), { status: 400 });
  }
  return redirect(`/letters/${params.slug}#responses-heading`);
}

export default function EditResponsePage() {
  const { letter, questions, response, confirmDelete } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
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
          <Form method="post">
            <input type="hidden" name="confirm" value="yes" />
            <button type="submit" name="intent" value="delete" className="danger">
              Yes, delete the response
            </button>{" "}
            <Link to={here}>Cancel</Link>
          </Form>
        </section>
      ) : null}
      <ResponseForm questions={questions} defaultValue={response.values} lastResult={lastResult} submitLabel="Save changes" />
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
