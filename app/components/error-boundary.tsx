/** The one error boundary every route re-exports: a clear message, never a stack trace. */
import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import type { NotSaved } from "~/utils/form-submission";

export function GeneralErrorBoundary() {
  const error = useRouteError();
  let title = "Something went wrong";
  let message = "The tracker hit an unexpected error. Try again, or go back to the overview.";
  if (isRouteErrorResponse(error) && (error.data as { kind?: string } | null)?.kind === "not-saved") {
    return <NotSavedPage notSaved={error.data as NotSaved} />;
  }
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      title = "Page not found";
      message =
        typeof error.data === "string" && error.data
          ? error.data
          : "There is no page at this address. It may have moved, or the link may be mistyped.";
    } else {
      title = `${error.status} ${error.statusText || "Error"}`;
      if (typeof error.data === "string" && error.data) message = error.data;
    }
  } else if (typeof document !== "undefined") {
    console.error(error);
  }
  return (
    <section className="error-page" role="alert">
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <Link to="/">Overview</Link> · <Link to="/letters">All letters</Link>
      </p>
    </section>
  );
}

/** A save refused because what it saved to is gone: why, and each field as typed, to copy. */
function NotSavedPage({ notSaved }: { notSaved: NotSaved }) {
  return (
    <section className="error-page">
      <h1>Not saved</h1>
      <p role="alert">{notSaved.message}</p>
      {notSaved.typed.length > 0 ? (
        <>
          <h2>What you typed</h2>
          {notSaved.typed.map(({ name, label, value }, index) => (
            <p key={`${name}-${index}`} className="typed-copy">
              <label>
                {label}
                <br />
                <textarea readOnly name={name} defaultValue={value} rows={Math.min(8, value.split("\n").length + 1)} />
              </label>
              {/* On paper, the whole value (a box prints its rows alone where field-sizing is unknown). */}
              <span className="typed-print" aria-hidden="true">
                {value}
              </span>
            </p>
          ))}
        </>
      ) : null}
      <p>
        <Link to="/">Overview</Link> · <Link to="/letters">All letters</Link>
      </p>
    </section>
  );
}

/** A form page's title, or "Not saved: …" when its save found what it saved to deleted (410). */
export function titleUnlessNotSaved(error: unknown, title: string, what = "it was deleted meanwhile"): string {
  return isRouteErrorResponse(error) && error.status === 410 ? `Not saved: ${what} · Oversight Letter Tracker` : title;
}
