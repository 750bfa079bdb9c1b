import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { parseSubmission } from "~/utils/form-submission";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, InputField } from "~/components/form-fields";
import { passwordFormSchema } from "~/domain/forms";
import { safeRedirect } from "~/domain/safe-redirect";
import { actorOf, checkPassword, signIn, clientAddressOf } from "~/models/auth.server";
import { passwordProblem, setPassword } from "~/models/users.server";
import { waitMessage } from "~/domain/throttle";
import { requireUser } from "~/utils/permissions.server";
import { replyToFormWhenGateClosed } from "~/utils/write-gate.server";

export const meta: MetaFunction = () => [{ title: "Change password · Oversight Letter Tracker" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, "password:change");
  return {
    mustChange: user.mustChangePassword,
    redirectTo: safeRedirect(new URL(request.url).searchParams.get("redirectTo"), "/"),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "password:change");
  const formData = await request.formData();
  const submission = parseSubmission(formData, { schema: passwordFormSchema });
  const hide = { hideFields: ["currentPassword", "newPassword", "confirmPassword"] };
  if (submission.status !== "success") return data(submission.reply(hide), { status: 400 });
  const problem = passwordProblem(submission.value.newPassword);
  if (problem) return data(submission.reply({ ...hide, fieldErrors: { newPassword: [`New password ${problem}`] } }), { status: 400 });
  // Throttled like sign-in: a stolen session must not become a way to guess the password.
  // While an import is written nothing is recorded: the form comes back with the message (not an error page).
  const attempt = await replyToFormWhenGateClosed(async () => {
    const checked = await checkPassword({ email: user.email, password: submission.value.currentPassword, clientAddress: clientAddressOf(context) });
    if (!checked.ok) return { checked };
    await setPassword({ id: user.id, password: submission.value.newPassword, oneTime: false, actor: actorOf(user) });
    return { checked };
  }, (message) => submission.reply({ ...hide, formErrors: [message] }));
  if (!attempt.ok) return attempt.response;
  const { checked } = attempt.value;
  if (!checked.ok) {
    const message = checked.throttled ? waitMessage("Too many wrong passwords.", checked.waitMs) : "Current password is wrong";
    return data(submission.reply({ ...hide, fieldErrors: { currentPassword: [message] } }), { status: checked.throttled ? 429 : 400 });
  }
  // Changing the password signed out every session, this one included; sign this one in again
  // (if an import closed the gate just now, the new password is saved: signing in again will do).
  const signedIn = await replyToFormWhenGateClosed(
    () => signIn({ email: user.email, password: submission.value.newPassword, clientAddress: clientAddressOf(context) }),
    () => null,
  );
  const again = signedIn.ok ? signedIn.value : null;
  const target = safeRedirect(formData.get("redirectTo"), "/");
  return redirect(target, again?.ok ? { headers: { "Set-Cookie": again.setCookie } } : undefined);
}

export default function PasswordPage() {
  const { mustChange, redirectTo } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "password",
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: passwordFormSchema }),
    shouldRevalidate: "onBlur",
  });
  return (
    <section className="narrow">
      <h1>{mustChange ? "Choose your password" : "Change password"}</h1>
      {mustChange ? (
        <p className="notice">You signed in with a one-time password. Choose your own to continue.</p>
      ) : null}
      <Form method="post" {...getFormProps(form)}>
        <ErrorList id={form.errorId} errors={form.errors} />
        <InputField label="Current password" meta={fields.currentPassword} type="password" autoComplete="current-password" />
        <InputField label="New password" meta={fields.newPassword} type="password" autoComplete="new-password" hint="At least 12 characters." />
        <InputField label="Repeat the new password" meta={fields.confirmPassword} type="password" autoComplete="new-password" />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <button type="submit">Save password</button>
      </Form>
    </section>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
