import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { parseSubmission } from "~/utils/form-submission";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, InputField } from "~/components/form-fields";
import { passwordFormSchema } from "~/domain/forms";
import { safeRedirect } from "~/domain/safe-redirect";
import { actorOf, requireRole, signIn, clientAddressOf } from "~/models/auth.server";
import { setPassword, verifyCredentials } from "~/models/users.server";

export const meta: MetaFunction = () => [{ title: "Change password · Oversight Letter Tracker" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  return {
    mustChange: user.mustChangePassword,
    redirectTo: safeRedirect(new URL(request.url).searchParams.get("redirectTo"), "/"),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, "viewer");
  const formData = await request.formData();
  const submission = parseSubmission(formData, { schema: passwordFormSchema });
  const hide = { hideFields: ["currentPassword", "newPassword", "confirmPassword"] };
  if (submission.status !== "success") return data(submission.reply(hide), { status: 400 });
  if (!(await verifyCredentials({ email: user.email, password: submission.value.currentPassword }))) {
    return data(submission.reply({ ...hide, fieldErrors: { currentPassword: ["Current password is wrong"] } }), { status: 400 });
  }
  // Changing the password signs out every session, this one included; sign this one in again.
  await setPassword({ id: user.id, password: submission.value.newPassword, oneTime: false, actor: actorOf(user) });
  const again = await signIn({ email: user.email, password: submission.value.newPassword, clientAddress: clientAddressOf(context) });
  const target = safeRedirect(formData.get("redirectTo"), "/");
  return redirect(target, again.ok ? { headers: { "Set-Cookie": again.setCookie } } : undefined);
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
