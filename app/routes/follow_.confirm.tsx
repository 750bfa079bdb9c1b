import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { scheduleWords, subjectPath } from "~/domain/follows";
import { confirmationSubject } from "~/domain/mail-messages";
import { confirmFollow, followByToken, manageLinkOfFollow, trackerTimeZone } from "~/models/follows.server";
import { replyToFormWhenGateClosed } from "~/utils/write-gate.server";

export const meta: MetaFunction = () => [{ title: "Confirm following · Oversight Letter Tracker" }];

/** A page for one link's holder: never kept by the page cache or any other cache. */
export const headers = () => ({ "Cache-Control": "no-store" });

const tokenOf = (request: Request) => new URL(request.url).searchParams.get("token") ?? "";

/** Showing the page confirms nothing (mail scanners open links): the button does. */
export async function loader({ request }: LoaderFunctionArgs) {
  const found = followByToken(tokenOf(request), "confirm");
  if (!found.ok) throw data(found.message, { status: 400 });
  const { subjectKind, subjectKey, subjectLabel, confirmedAt, unsubscribedAt } = found.follow;
  const following = confirmedAt !== null && unsubscribedAt === null;
  // A saved search not confirmed yet is named as its confirmation names it: its words may be a
  // stranger's (decision 0020), so neither they nor a link carrying them are shown.
  if (subjectKind === "search" && !following) {
    const name = confirmationSubject({ subjectKind, subjectKey, subjectLabel }).name;
    return { subject: { kind: subjectKind, key: null, label: name }, following, schedule: null };
  }
  // Once following, the page says when messages come. The link to change it (a manage link, which
  // controls every follow of the address) is given only to whoever presses Confirm (the action's
  // reply): a confirmation link opened again later (a mail scanner, a forwarded message) shows none.
  const schedule = following
    ? { words: scheduleWords({ cadence: found.follow.cadence, hour: found.follow.digestHour, weekday: found.follow.digestWeekday }, trackerTimeZone()) }
    : null;
  return { subject: { kind: subjectKind, key: subjectKey as string | null, label: subjectLabel }, following, schedule };
}

/**
 * Confirms in one write transaction. While an import is being written nothing is recorded: the
 * page answers 503 with Retry-After, says so, and keeps the Confirm button to press again.
 */
export async function action({ request }: ActionFunctionArgs) {
  const attempt = await replyToFormWhenGateClosed(
    () => confirmFollow(tokenOf(request)),
    (message) => ({ confirmed: false as const, retry: message, manageUrl: null }),
  );
  if (!attempt.ok) return attempt.response;
  const confirmed = attempt.value;
  if (!confirmed.ok) throw data(confirmed.message, { status: 400 });
  // The manage link (every follow of the address) only to the press that confirmed: a confirmation
  // link posted again later (forwarded, scanned, kept in a mailbox) is not a way to get one.
  return { confirmed: true as const, retry: null, manageUrl: confirmed.confirmedNow ? manageLinkOfFollow(confirmed.follow.id) : null };
}

export default function ConfirmFollowPage() {
  const { subject, following, schedule } = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  const done = acted?.confirmed || following;
  const link = subject.key === null ? <>{subject.label}</> : <Link to={subjectPath(subject.kind, subject.key)}>{subject.label}</Link>;
  return (
    <section className="narrow">
      <h1>{done ? "You are following" : "Confirm following"}</h1>
      {done ? (
        <>
          <p role="status">Confirmed: you will get an email when {link} changes. Every message has a link to stop them.</p>
          {schedule ? (
            <p data-testid="follow-schedule">
              How often: <strong>{schedule.words}</strong>.{" "}
              {acted?.manageUrl ? (
                <Link to={acted.manageUrl}>Change how often, the day or the hour, or stop</Link>
              ) : (
                <>Every message from us has a link to change how often, the day and the hour.</>
              )}
            </p>
          ) : null}
        </>
      ) : (
        <>
          {acted?.retry ? (
            <p role="alert">
              Not confirmed yet: {acted.retry}
            </p>
          ) : null}
          <p>Press the button to get an email when {link} changes.</p>
          <Form method="post">
            <button type="submit">{acted?.retry ? "Try again: confirm" : "Confirm"}</button>
          </Form>
        </>
      )}
    </section>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
