import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { stopRemindersByToken } from "~/models/reminders.server";

export const meta: MetaFunction = () => [{ title: "Stop deadline reminders · Oversight Letter Tracker" }];

/** A page for one link's holder: never kept by the page cache or any other cache. */
export const headers = () => ({ "Cache-Control": "no-store" });

const tokenOf = (request: Request) => new URL(request.url).searchParams.get("token") ?? "";

/** Opening the link stops nothing (mail scanners open links): the button, or the one-click POST, does. */
export async function loader(_args: LoaderFunctionArgs) {
  return null;
}

/**
 * One click: this page's button, or a mail program's RFC 8058 POST to the List-Unsubscribe
 * address. The signed token is all it needs (no sign-in, cookie or form token; expired works too).
 */
export async function action({ request }: ActionFunctionArgs) {
  const stopped = stopRemindersByToken(tokenOf(request));
  if (!stopped.ok) throw data(stopped.message, { status: 400 });
  return { stopped: true };
}

export default function StopRemindersPage() {
  const stopped = useActionData<typeof action>()?.stopped;
  if (stopped) {
    return (
      <section className="narrow">
        <h1>Reminders stopped</h1>
        <p role="status">
          You will get no more deadline reminders. Signed in, you can start them again under <Link to="/account/reminders">your reminders</Link>.
        </p>
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1>Stop deadline reminders</h1>
      <p>Stop all the deadline reminders this tracker emails you?</p>
      <Form method="post">
        <button type="submit">Stop reminders</button>
      </Form>
    </section>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
