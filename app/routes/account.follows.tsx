import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { changeStatus, FollowList } from "~/components/follow-list";
import { manageFollowSchema } from "~/domain/forms";
import { changeOwnFollows, followsOfAddress, trackerTimeZone } from "~/models/follows.server";
import { parseSubmission } from "~/utils/form-submission";
import { requireUser } from "~/utils/permissions.server";
import { replyToFormWhenGateClosed } from "~/utils/write-gate.server";

export const meta: MetaFunction = () => [{ title: "Your alerts · Oversight Letter Tracker" }];

export const headers = () => ({ "Cache-Control": "no-store" });

/** Signed in: the follows of the account's own address (those made while signed in, and any confirmed by email). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, "account:manage");
  return { email: user.email, follows: followsOfAddress(user.email), timeZone: trackerTimeZone(), added: new URL(request.url).searchParams.get("added") === "1" };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, "account:manage");
  const submission = parseSubmission(await request.formData(), { schema: manageFollowSchema });
  if (submission.status !== "success") {
    return data({ status: null, errors: Object.values(submission.error ?? {}).flatMap((messages) => messages ?? []) }, { status: 400 });
  }
  // While an import is written nothing is recorded: the page says so instead of an error page.
  const attempt = await replyToFormWhenGateClosed(
    () => changeOwnFollows(user.email, submission.value),
    (message) => ({ status: null, errors: [message] }),
  );
  if (!attempt.ok) return attempt.response;
  if (!attempt.value) {
    return data({ status: null, errors: ["Alert: not one of your alerts (it may have been stopped already)"] }, { status: 400 });
  }
  return { status: changeStatus(submission.value.intent), errors: null };
}

export default function AccountFollowsPage() {
  const { email, follows, added, timeZone } = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  return (
    <section className="narrow">
      <h1>Your alerts</h1>
      <p>
        What <strong>{email}</strong> follows. Deadline reminders are set under <Link to="/account/reminders">your reminders</Link>.
      </p>
      <FollowList follows={follows} timeZone={timeZone} status={acted?.status ?? (added ? "Following: it is on your list." : null)} errors={acted?.errors} />
    </section>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
