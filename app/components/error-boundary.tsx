/** The one error boundary every route re-exports: a clear message, never a stack trace. */
import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

export function GeneralErrorBoundary() {
  const error = useRouteError();
  let title = "Something went wrong";
  let message = "The tracker hit an unexpected error. Try again, or go back to the overview.";
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
