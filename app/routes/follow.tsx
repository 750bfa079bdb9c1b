import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList } from "~/components/form-fields";
import { subjectPath } from "~/domain/follows";
import { followFormSchema } from "~/domain/forms";
import { CADENCE_TERMS, FOLLOW_SUBJECT_TERMS } from "~/domain/vocabulary";
import { clientAddressOf, getCurrentUser } from "~/models/auth.server";
import { followAsUser, followSubjectLabel, requestFollow } from "~/models/follows.server";
import { parseSubmission, refusedReply } from "~/utils/form-submission";
import { wakeMailSender } from "~/utils/mail-sender.server";
import { replyToFormWhenGateClosed } from "~/utils/write-gate.server";

export const meta: MetaFunction = () => [{ title: "Follow by email · Oversight Letter Tracker" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  if (url.searchParams.get("sent") === "1") return { sent: true as const, subject: null };
  const kind = url.searchParams.get("kind");
  const key = url.searchParams.get("key");
  const subject = kind && key && FOLLOW_SUBJECT_TERMS.has(kind) ? followSubjectLabel(kind, key) : null;
  return { sent: false as const, subject: subject && kind && FOLLOW_SUBJECT_TERMS.has(kind) ? { kind, key: subject.key, label: subject.label } : null };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const submission = parseSubmission(formData, { schema: followFormSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const { email, kind, key, cadence } = submission.value;
  // Signed in and following at the account's own address: it is the user's, started at once and
  // listed on /account/follows (decision 0020). Any other address is confirmed by email as always.
  const user = await getCurrentUser(request);
  // While an import is written nothing is recorded: the form comes back with what was typed.
  const gateReply = (message: string) => refusedReply(submission, { "": [message] });
  if (user && user.email.toLowerCase() === email.trim().toLowerCase()) {
    const attempt = await replyToFormWhenGateClosed(() => followAsUser({ email: user.email, kind, key, cadence }), gateReply);
    if (!attempt.ok) return attempt.response;
    const own = attempt.value;
    if (!own.ok) return data(refusedReply(submission, own.fieldErrors), { status: 400 });
    return redirect("/account/follows?added=1", 303);
  }
  const attempt = await replyToFormWhenGateClosed(() => requestFollow({ email, kind, key, cadence, client: clientAddressOf(context) }), gateReply);
  if (!attempt.ok) return attempt.response;
  const result = attempt.value;
  if (!result.ok) {
    const headers: Record<string, string> = result.waitMs ? { "Retry-After": String(Math.ceil(result.waitMs / 1000)) } : {};
    return data(refusedReply(submission, result.fieldErrors), { status: result.waitMs ? 429 : 400, headers });
  }
  wakeMailSender();
  // The same answer whether or not the address already follows.
  return redirect("/follow?sent=1", 303);
}

export default function FollowPage() {
  const { sent, subject } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "follow",
    lastResult,
    defaultValue: subject ? { kind: subject.kind, key: subject.key, cadence: "immediate" } : { cadence: "immediate" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: followFormSchema }),
    shouldRevalidate: "onBlur",
  });
  if (sent) {
    return (
      <section className="narrow">
        <h1>Check your inbox</h1>
        <p role="status">
          If this address can follow it, a message with a link to confirm is on its way. Nothing else is sent until you confirm.
        </p>
        <p>
          <Link to="/">Back to the overview</Link>
        </p>
      </section>
    );
  }
  const kind = fields.kind.value ?? subject?.kind;
  const key = fields.key.value ?? subject?.key;
  return (
    <section className="narrow">
      <h1>Follow by email</h1>
      {subject ? (
        <p>
          To follow: <Link to={subjectPath(subject.kind, subject.key)}>{subject.label}</Link>.
        </p>
      ) : kind && key && FOLLOW_SUBJECT_TERMS.has(kind) ? (
        <p>
          <Link to={subjectPath(kind, key)}>Back to what you wanted to follow</Link>
        </p>
      ) : null}
      <ErrorList id="follow-errors" errors={form.errors} />
      <Form method="post" action="/follow" {...getFormProps(form)}>
        <input {...getInputProps(fields.kind, { type: "hidden" })} />
        <input {...getInputProps(fields.key, { type: "hidden" })} />
        <ErrorList id={fields.kind.errorId} errors={fields.kind.errors} />
        <ErrorList id={fields.key.errorId} errors={fields.key.errors} />
        <div className="field">
          <label htmlFor={fields.email.id}>Your email address</label>
          <input {...getInputProps(fields.email, { type: "email" })} autoComplete="email" />
          <ErrorList id={fields.email.errorId} errors={fields.email.errors} />
        </div>
        <div className="field">
          <label htmlFor={fields.cadence.id}>How often</label>
          <select {...getSelectProps(fields.cadence)}>
            {CADENCE_TERMS.options.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
          <ErrorList id={fields.cadence.errorId} errors={fields.cadence.errors} />
        </div>
        <button type="submit">Follow</button>
      </Form>
    </section>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
