import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { subjectPath } from "~/domain/follows";
import { followByToken, unsubscribeFollow } from "~/models/follows.server";

export const meta: MetaFunction = () => [{ title: "Stop messages · Oversight Letter Tracker" }];

/** A page for one link's holder: never kept by the page cache or any other cache. */
export const headers = () => ({ "Cache-Control": "no-store" });

const tokenOf = (request: Request) => new URL(request.url).searchParams.get("token") ?? "";

export async function loader({ request }: LoaderFunctionArgs) {
  const found = followByToken(tokenOf(request), "unsubscribe");
  if (!found.ok) throw data(found.message, { status: 400 });
  const { subjectKind, subjectKey, subjectLabel, unsubscribedAt } = found.follow;
  return { subject: { kind: subjectKind, key: subjectKey, label: subjectLabel }, stopped: unsubscribedAt !== null };
}

/**
 * One click: this page's button, or a mail program's RFC 8058 POST (`List-Unsubscribe=One-Click`)
 * to the List-Unsubscribe address. The signed token in the address is all it needs: no sign-in,
 * no cookie, no form token, and an expired token still works.
 */
export async function action({ request }: ActionFunctionArgs) {
  const stopped = unsubscribeFollow(tokenOf(request));
  if (!stopped.ok) throw data(stopped.message, { status: 400 });
  const { subjectKind, subjectKey, subjectLabel } = stopped.follow;
  return { stopped: true, subject: { kind: subjectKind, key: subjectKey, label: subjectLabel } };
}

export default function UnsubscribePage() {
  const loaded = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  const subject = acted?.subject ?? loaded.subject;
  const link = <Link to={subjectPath(subject.kind, subject.key)}>{subject.label}</Link>;
  if (acted?.stopped || loaded.stopped) {
    return (
      <section className="narrow">
        <h1>Unsubscribed</h1>
        <p role="status">You will get no more messages about {link}.</p>
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1>Stop messages</h1>
      <p>Stop the emails about {link}?</p>
      <Form method="post">
        <button type="submit">Unsubscribe</button>
      </Form>
    </section>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
