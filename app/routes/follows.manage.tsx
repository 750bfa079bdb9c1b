import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { changeStatus, FollowList } from "~/components/follow-list";
import { ErrorList } from "~/components/form-fields";
import { manageFollowSchema, manageLinkRequestSchema } from "~/domain/forms";
import { clientAddressOf } from "~/models/auth.server";
import { addressByManageToken, changeOwnFollows, followsOfAddress, requestManageLink, trackerTimeZone } from "~/models/follows.server";
import { parseSubmission, refusedReply } from "~/utils/form-submission";
import { wakeMailSender } from "~/utils/mail-sender.server";
import { replyToFormWhenGateClosed } from "~/utils/write-gate.server";

export const meta: MetaFunction = () => [{ title: "Manage your alerts · Oversight Letter Tracker" }];

/** A page for one link's holder: never kept by the page cache or any other cache. */
export const headers = () => ({ "Cache-Control": "no-store" });

const tokenOf = (request: Request) => new URL(request.url).searchParams.get("token") ?? "";

/**
 * The follows of the address the signed link was sent to, and only that address's. An expired link
 * explains itself and offers to email a fresh one; a forged or cut one is refused.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const found = addressByManageToken(tokenOf(request));
  if (!found.ok) {
    if (found.expired) return { expired: true as const, message: found.message, follows: [], timeZone: trackerTimeZone() };
    throw data(found.message, { status: 400 });
  }
  return { expired: false as const, message: null, follows: followsOfAddress(found.email), timeZone: trackerTimeZone() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  if (formData.get("intent") === "send-link") {
    const submission = parseSubmission(formData, { schema: manageLinkRequestSchema });
    if (submission.status !== "success") return data({ kind: "link" as const, reply: submission.reply(), sent: false, status: null, errors: null }, { status: 400 });
    // While an import is written nothing is recorded: the form comes back with the address typed.
    const attempt = await replyToFormWhenGateClosed(
      () => requestManageLink({ email: submission.value.email, client: clientAddressOf(context) }),
      (message) => ({ kind: "link" as const, reply: refusedReply(submission, { "": [message] }), sent: false, status: null, errors: null }),
    );
    if (!attempt.ok) return attempt.response;
    const result = attempt.value;
    if (!result.ok) {
      const headers: Record<string, string> = result.waitMs ? { "Retry-After": String(Math.ceil(result.waitMs / 1000)) } : {};
      return data({ kind: "link" as const, reply: refusedReply(submission, result.fieldErrors), sent: false, status: null, errors: null }, { status: result.waitMs ? 429 : 400, headers });
    }
    wakeMailSender();
    // The same answer whether or not the address follows anything.
    return { kind: "link" as const, reply: submission.reply({ resetForm: true }), sent: true, status: null, errors: null };
  }
  const found = addressByManageToken(tokenOf(request));
  if (!found.ok) throw data(found.message, { status: found.expired ? 403 : 400 });
  const submission = parseSubmission(formData, { schema: manageFollowSchema });
  if (submission.status !== "success") {
    const errors = Object.values(submission.error ?? {}).flatMap((messages) => messages ?? []);
    return data({ kind: "change" as const, reply: null, sent: false, status: null, errors }, { status: 400 });
  }
  const attempt = await replyToFormWhenGateClosed(
    () => changeOwnFollows(found.email, submission.value),
    (message) => ({ kind: "change" as const, reply: null, sent: false, status: null, errors: [message] }),
  );
  if (!attempt.ok) return attempt.response;
  const changed = attempt.value;
  if (!changed) return data({ kind: "change" as const, reply: null, sent: false, status: null, errors: ["Alert: not one of this address's alerts (it may have been stopped already)"] }, { status: 400 });
  return { kind: "change" as const, reply: null, sent: false, status: changeStatus(submission.value.intent), errors: null };
}

function FreshLinkForm() {
  const acted = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "manage-link",
    lastResult: acted?.kind === "link" ? acted.reply : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: manageLinkRequestSchema }),
    shouldRevalidate: "onBlur",
  });
  if (acted?.kind === "link" && acted.sent) {
    return <p role="status">If this address gets alerts from us, a message with a fresh link is on its way.</p>;
  }
  return (
    <Form method="post" {...getFormProps(form)}>
      <ErrorList id={form.errorId} errors={form.errors} />
      <div className="field">
        <label htmlFor={fields.email.id}>Your email address</label>
        <input {...getInputProps(fields.email, { type: "email" })} key={fields.email.key} autoComplete="email" />
        <ErrorList id={fields.email.errorId} errors={fields.email.errors} />
      </div>
      <button type="submit" name="intent" value="send-link">
        Email me a fresh link
      </button>
    </Form>
  );
}

export default function ManageFollowsPage() {
  const { expired, message, follows, timeZone } = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  if (expired) {
    return (
      <section className="narrow">
        <h1>Manage your alerts</h1>
        <p>{message}</p>
        <p>Every message we send also has a one-click link to stop it, which never expires.</p>
        <FreshLinkForm />
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1>Manage your alerts</h1>
      <p>Everything this address follows. Changes take effect at once.</p>
      <FollowList follows={follows} timeZone={timeZone} status={acted?.kind === "change" ? acted.status : null} errors={acted?.kind === "change" ? acted.errors : null} />
    </section>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
