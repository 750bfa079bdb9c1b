import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList } from "~/components/form-fields";
import { reminderSettingsSchema } from "~/domain/reminders";
import { REMINDER_SCOPE_TERMS } from "~/domain/vocabulary";
import { trackerTimeZone } from "~/models/follows.server";
import { committeeChoices, reminderSettingsOf, saveReminderSettings } from "~/models/reminders.server";
import { parseSubmission, refusedReply } from "~/utils/form-submission";
import { requireUser } from "~/utils/permissions.server";
import { replyToFormWhenGateClosed } from "~/utils/write-gate.server";

export const meta: MetaFunction = () => [{ title: "Deadline reminders · Oversight Letter Tracker" }];

export const headers = () => ({ "Cache-Control": "no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, "account:manage");
  return {
    email: user.email,
    settings: reminderSettingsOf(user.id),
    committees: committeeChoices(),
    timeZone: trackerTimeZone(),
    saved: new URL(request.url).searchParams.get("saved") === "1",
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, "account:manage");
  const submission = parseSubmission(await request.formData(), { schema: reminderSettingsSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const attempt = await replyToFormWhenGateClosed(
    () => saveReminderSettings(user.id, submission.value),
    (message) => submission.reply({ formErrors: [message] }),
  );
  if (!attempt.ok) return attempt.response;
  const saved = attempt.value;
  if (!saved.ok) return data(refusedReply(submission, saved.fieldErrors), { status: 400 });
  return redirect("/account/reminders?saved=1", 303);
}

const HOURS = Array.from({ length: 24 }, (_, hour) => [String(hour), `${String(hour).padStart(2, "0")}:00`] as const);

export default function RemindersPage() {
  const { email, settings, committees, saved, timeZone } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "reminders",
    lastResult,
    defaultValue: {
      enabled: settings.enabled ? "on" : undefined,
      scope: settings.scope,
      committee: settings.committeeSlug ?? "",
      daysBefore: settings.daysBefore.join(", "),
      onOverdue: settings.onOverdue ? "on" : undefined,
      hour: String(settings.hour),
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: reminderSettingsSchema }),
    shouldRevalidate: "onBlur",
  });
  return (
    <section className="narrow">
      <h1>Deadline reminders</h1>
      <p>
        Emails to <strong>{email}</strong> before a letter&apos;s deadline and on the morning it becomes overdue, for letters still waiting for a
        substantive response. Each reminder is sent once; an extension brings reminders for the new date. See also <Link to="/account/follows">your alerts</Link>.
      </p>
      {saved && !lastResult ? <p role="status">Saved.</p> : null}
      <Form method="post" {...getFormProps(form)}>
        <ErrorList id={form.errorId} errors={form.errors} />
        <div className="field checkbox-field">
          <input {...getInputProps(fields.enabled, { type: "checkbox" })} />
          <label htmlFor={fields.enabled.id}>Send me deadline reminders</label>
        </div>
        <fieldset aria-describedby={fields.scope.errors ? fields.scope.errorId : undefined}>
          <legend>Which letters</legend>
          {REMINDER_SCOPE_TERMS.options.map(([value, label]) => (
            <div className="checkbox-field" key={value}>
              <input {...getInputProps(fields.scope, { type: "radio", value })} id={`${fields.scope.id}-${value}`} />
              <label htmlFor={`${fields.scope.id}-${value}`}>{label}</label>
            </div>
          ))}
          <ErrorList id={fields.scope.errorId} errors={fields.scope.errors} />
        </fieldset>
        <div className="field">
          <label htmlFor={fields.committee.id}>My committee</label>
          <select {...getSelectProps(fields.committee)} key={fields.committee.key}>
            <option value="">None chosen</option>
            {committees.map((committee) => (
              <option key={committee.value} value={committee.value}>
                {committee.label}
              </option>
            ))}
          </select>
          <ErrorList id={fields.committee.errorId} errors={fields.committee.errors} />
        </div>
        <div className="field">
          <label htmlFor={fields.daysBefore.id}>Days before the deadline</label>
          <p id={`${fields.daysBefore.id}-hint`} className="hint">
            Whole days, separated by commas, e.g. 7, 1 (0 is the deadline&apos;s day). Leave empty for none.
          </p>
          <input {...getInputProps(fields.daysBefore, { type: "text", ariaDescribedBy: `${fields.daysBefore.id}-hint` })} key={fields.daysBefore.key} inputMode="numeric" />
          <ErrorList id={fields.daysBefore.errorId} errors={fields.daysBefore.errors} />
        </div>
        <div className="field checkbox-field">
          <input {...getInputProps(fields.onOverdue, { type: "checkbox" })} />
          <label htmlFor={fields.onOverdue.id}>On the morning a letter becomes overdue</label>
        </div>
        <div className="field">
          <label htmlFor={fields.hour.id}>From this hour ({timeZone} time)</label>
          <select {...getSelectProps(fields.hour)} key={fields.hour.key}>
            {HOURS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          <ErrorList id={fields.hour.errorId} errors={fields.hour.errors} />
        </div>
        <button type="submit">Save reminders</button>
      </Form>
    </section>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
