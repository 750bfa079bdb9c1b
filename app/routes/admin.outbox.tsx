import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { MESSAGE_KIND_TERMS, OUTBOX_STATE_TERMS } from "~/domain/vocabulary";
import { listOutbox } from "~/models/outbox.server";
import { env } from "~/env.server";
import { requireUser } from "~/utils/permissions.server";
import { emlFile } from "~/utils/mail-sender.server";

export const meta: MetaFunction = () => [{ title: "Outbox · Oversight Letter Tracker" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, "mail:admin");
  // The labels come from the vocabulary: the kind (confirmation, alert, digest, reminder, manage
  // link) and the state; a cancelled message's reason is its last_error ("Cancelled: …").
  const messages = listOutbox({ limit: 200 }).map((message) => ({
    ...message,
    kindLabel: MESSAGE_KIND_TERMS.labelOf(message.kind),
    stateLabel: OUTBOX_STATE_TERMS.labelOf(message.state),
    eml: emlFile(message.id),
  }));
  return { messages, smtp: Boolean(env.SMTP_URL), outboxPath: env.MAIL_OUTBOX_PATH };
}

const when = (ms: number | null) => (ms === null ? "" : new Date(ms).toISOString().replace("T", " ").slice(0, 19));

export default function OutboxPage() {
  const { messages, smtp, outboxPath } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>Outbox</h1>
      <p>
        {smtp
          ? "Messages to followers are sent through the SMTP server (SMTP_URL)."
          : `No SMTP_URL is set: messages are written as .eml files to ${outboxPath}.`}{" "}
        The newest 200 are listed; a message that failed or was cancelled (its reason no longer held when its turn came) says why.
      </p>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Messages to followers">
        <table>
          <caption className="visually-hidden">Messages to followers, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Written</th>
              <th scope="col">Kind</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col">State</th>
              <th scope="col">Tries</th>
              <th scope="col">Server's answer or reason</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((message) => (
              <tr key={message.id} id={`message-${message.id}`}>
                <td>{when(message.createdAt)}</td>
                <td>{message.kindLabel}</td>
                <td>{message.toAddress}</td>
                <td>
                  {message.subject}
                  <br />
                  <small>
                    <code>{message.messageId}</code>
                    {message.eml ? ` · ${message.id}.eml` : ""}
                  </small>
                </td>
                <td>
                  {message.stateLabel}
                  {message.state === "queued" && message.attempts > 0 ? ` (next try ${when(message.nextAttemptAt)})` : ""}
                  {message.sentAt ? ` ${when(message.sentAt)}` : ""}
                </td>
                <td>{message.attempts}</td>
                <td>{message.state === "sent" ? message.lastResponse : message.lastError}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {messages.length === 0 ? <p>No messages yet.</p> : null}
    </section>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
