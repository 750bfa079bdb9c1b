import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { parseSubmission } from "~/utils/form-submission";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, InputField } from "~/components/form-fields";
import { loginFormSchema } from "~/domain/forms";
import { safeRedirect } from "~/domain/safe-redirect";
import { clientAddressOf, getCurrentUser, signIn } from "~/models/auth.server";
import { replyToFormWhenGateClosed } from "~/utils/write-gate.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Oversight Letter Tracker" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"), "/");
  if (await getCurrentUser(request)) throw redirect(redirectTo);
  return { redirectTo };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseSubmission(await request.formData(), { schema: loginFormSchema });
  if (submission.status !== "success") {
    return data(submission.reply({ hideFields: ["password"] }), { status: 400 });
  }
  // While an import is written no sign-in is recorded: the form comes back with the address typed.
  const attempt = await replyToFormWhenGateClosed(
    () => signIn({ email: submission.value.email, password: submission.value.password, clientAddress: clientAddressOf(context) }),
    (message) => submission.reply({ formErrors: [message], hideFields: ["password"] }),
  );
  if (!attempt.ok) return attempt.response;
  const result = attempt.value;
  if (!result.ok) {
    return data(submission.reply({ formErrors: [result.message], hideFields: ["password"] }), {
      status: result.message.startsWith("Too many") ? 429 : 400,
    });
  }
  const target = safeRedirect(submission.value.redirectTo, "/");
  const next = result.user.mustChangePassword
    ? `/account/password?${new URLSearchParams({ redirectTo: target })}`
    : target;
  return redirect(next, { headers: { "Set-Cookie": result.setCookie } });
}

export default function LoginPage() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "login",
    lastResult,
    defaultValue: { redirectTo },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: loginFormSchema }),
    shouldRevalidate: "onBlur",
  });
  return (
    <section className="narrow">
      <h1>Sign in</h1>
      <p className="muted">
        Staff sign in to log letters and responses. Reading the tracker needs no account.
      </p>
      <Form method="post" {...getFormProps(form)}>
        <ErrorList id={form.errorId} errors={form.errors} />
        <InputField label="Email" meta={fields.email} type="email" autoComplete="username" />
        <InputField label="Password" meta={fields.password} type="password" autoComplete="current-password" />
        <input {...getInputProps(fields.redirectTo, { type: "hidden" })} />
        <button type="submit" disabled={navigation.state === "submitting"}>
          Sign in
        </button>
      </Form>
    </section>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
